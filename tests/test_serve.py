"""``crossroads serve``: started on a free loopback port, its page fetched, a session opened, the cap enforced."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from game.cli import main
from game.serve import exposure_warning, full_message, is_loopback, play_command

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {process.stderr.read().decode() if process.stderr else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("server did not start listening")


@pytest.fixture
def server(crossroads_home: Path):
    port = free_port()
    env = {**os.environ, "CROSSROADS_HOME": str(crossroads_home)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "game",
            "serve",
            "--port",
            str(port),
            "--max-sessions",
            "1",
            str(ROOT / "story/tutorial"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port, process)
        yield port, process
    finally:
        stop_server(process)


def stop_server(process: subprocess.Popen) -> None:
    """Stop a server like Ctrl+C would (killing it if it hangs)."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_page_session_and_cap(server) -> None:
    import aiohttp

    port, _process = server
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
        page = response.read().decode("utf-8")
    assert response.status == 200
    assert f"ws://127.0.0.1:{port}/ws" in page

    async def sessions() -> tuple[bytes, int, str, int]:
        async with aiohttp.ClientSession() as client:
            origin = f"http://127.0.0.1:{port}"
            first = await client.ws_connect(f"http://127.0.0.1:{port}/ws?width=80&height=24", origin=origin)
            screen = b""
            deadline = time.monotonic() + 40
            while b"Prize" not in screen and time.monotonic() < deadline:  # the app draws its title screen
                message = await first.receive(timeout=40)
                if message.type == aiohttp.WSMsgType.BINARY:
                    screen += message.data
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    break
            await first.send_json(["ping", "x"])
            pong = ""
            while time.monotonic() < deadline:
                message = await first.receive(timeout=20)
                if message.type == aiohttp.WSMsgType.TEXT and "pong" in message.data:
                    pong = message.data
                    break
            second = await client.ws_connect(f"http://127.0.0.1:{port}/ws", origin=origin)
            closing = await second.receive(timeout=10)
            async with client.get(f"http://127.0.0.1:{port}/") as full_page:
                full_status = full_page.status
                full_text = await full_page.text()
            await first.close()
            assert "class is full" in full_text
            return screen, closing.data, pong + "|" + str(closing.extra), full_status

    screen, close_code, detail, status = asyncio.run(sessions())
    assert b"The Prize Message" in screen  # the story's title, drawn by the app running in the session
    assert '"x"' in detail.split("|")[0]
    assert close_code == 1013 and "class is full" in detail.split("|")[1]
    assert status == 503


def test_loopback_rules_and_warning() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    assert exposure_warning("127.0.0.1", 8000) is None
    warning = exposure_warning("0.0.0.0", 8000)
    assert warning is not None and "reachable from other machines" in warning and "no login" in warning
    assert "3 sessions are open" in full_message(3) and "1 session is open" in full_message(1)
    assert "3 个会话" in full_message(3, "zh")


def test_play_command_quotes_paths() -> None:
    command = play_command("/tmp/a story; rm -rf x", "zh", True)
    assert "'/tmp/a story; rm -rf x'" in command and command.endswith("--lang zh --facilitator")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "0"], "--port must be between 1 and 65535"),
        (["serve", "--max-sessions", "0"], "--max-sessions must be at least 1"),
        (["serve", "/no/such/story"], "no such file or folder"),
    ],
)
def test_bad_arguments_exit_2(argv: list[str], message: str, capsys) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_warning_printed_when_bound_elsewhere(monkeypatch, capsys) -> None:
    import game.serve as serve_module

    started = {}
    monkeypatch.setattr(
        serve_module.CrossroadsServer, "serve", lambda self, debug=False: started.update(host=self.host)
    )
    assert main(["serve", "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert started == {"host": "0.0.0.0"}
    assert "warning: serving on 0.0.0.0:8123" in capsys.readouterr().err
    assert main(["serve", "--port", "8124"]) == 0
    assert "warning" not in capsys.readouterr().err
