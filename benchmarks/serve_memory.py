"""Memory per browser session of ``crossroads serve``, against a bare Textual app served the same way.

Run by hand (not part of the tests): ``python benchmarks/serve_memory.py [--sessions 1 5 10]``. For each
variant it starts a textual-serve server on a free loopback port, opens N websocket sessions, waits until
each has drawn its first screen, then sums the memory of the session processes (PSS from
/proc/PID/smaps_rollup, so shared library pages are split fairly; RSS alongside). Linux only.

The baseline is a minimal Textual app (one Static) served by plain textual-serve in the same run, so the
table separates what Textual itself costs from what Crossroads adds.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = """
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("The Prize Message: a bare Textual app")

Bare().run()
"""

BARE_SERVER = """
import sys
from textual_serve.server import Server
Server(sys.argv[1], host="127.0.0.1", port=int(sys.argv[2])).serve()
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """All processes below ``pid`` (by walking /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def memory_kb(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB, or (0, 0) if it is gone."""
    pss = rss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
            elif line.startswith("Rss:"):
                rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def wait_port(port: int, timeout: float = 30) -> None:
    """Block until something listens on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


async def open_sessions(port: int, count: int, marker: bytes) -> list[object]:
    """Open ``count`` websocket sessions and wait until each has drawn ``marker``."""
    import aiohttp

    client = aiohttp.ClientSession()
    sockets = []
    for _ in range(count):
        ws = await client.ws_connect(
            f"http://127.0.0.1:{port}/ws?width=100&height=30", origin=f"http://127.0.0.1:{port}"
        )
        seen = b""
        deadline = time.monotonic() + 60
        while marker not in seen and time.monotonic() < deadline:
            try:
                message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
            except TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
        sockets.append(ws)
    return [client, *sockets]


def measure(name: str, argv: list[str], port: int, count: int, marker: bytes, home: str) -> dict[str, float]:
    """Start a server, open ``count`` sessions, and return its memory figures in MB."""
    env = {**os.environ, "CROSSROADS_HOME": home}
    server = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loop = asyncio.new_event_loop()
    try:
        wait_port(port)
        idle_pss, _ = memory_kb(server.pid)
        handles = loop.run_until_complete(open_sessions(port, count, marker))
        time.sleep(1.0)
        sessions = [p for p in descendants(server.pid)]
        pss = sum(memory_kb(p)[0] for p in sessions)
        rss = sum(memory_kb(p)[1] for p in sessions)
        server_pss, _ = memory_kb(server.pid)

        async def close() -> None:
            for handle in handles[1:]:
                await handle.close()  # type: ignore[attr-defined]
            await handles[0].close()  # type: ignore[attr-defined]

        loop.run_until_complete(close())
        return {
            "sessions": count,
            "server_idle": idle_pss / 1024,
            "server": server_pss / 1024,
            "sessions_pss": pss / 1024,
            "sessions_rss": rss / 1024,
            "per_session": pss / 1024 / count,
            "processes": len(sessions),
        }
    finally:
        loop.close()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 5, 10])
    parser.add_argument("--story", default="tutorial", help="bundled story folder to serve (default: tutorial)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare_app = Path(tmp) / "bare_app.py"
        bare_app.write_text(BARE_APP)
        bare_server = Path(tmp) / "bare_server.py"
        bare_server.write_text(BARE_SERVER)
        rows = []
        for count in args.sessions:
            port = free_port()
            command = f"{sys.executable} {bare_app}"
            rows.append(
                (
                    "bare Textual app (baseline)",
                    measure(
                        "bare",
                        [sys.executable, str(bare_server), command, str(port)],
                        port,
                        count,
                        b"bare Textual",
                        tmp,
                    ),
                )
            )
            port = free_port()
            argv = [sys.executable, "-m", "game", "serve", "--port", str(port), str(ROOT / "story" / args.story)]
            marker = b"New game"  # the title screen's footer: the app has drawn
            rows.append((f"crossroads serve ({args.story})", measure("crossroads", argv, port, count, marker, tmp)))
    header = (
        f"{'variant':<34} {'sessions':>8} {'server MB':>10} {'sessions PSS MB':>16} {'RSS MB':>8} {'PSS/session':>12}"
    )
    print(header)
    print("-" * len(header))
    for name, row in rows:
        print(
            f"{name:<34} {row['sessions']:>8} {row['server']:>10.1f} {row['sessions_pss']:>16.1f} "
            f"{row['sessions_rss']:>8.1f} {row['per_session']:>12.1f}"
        )


if __name__ == "__main__":
    main()
