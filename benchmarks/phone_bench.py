"""Phones against the classroom server: time per choice, memory per phone, and the same class via ``serve``.

Run by hand (not part of the tests): ``python -m benchmarks.phone_bench [--phones 40] [--story class-monitor]``.

1. ``crossroads class`` (one aiohttp server, each phone a game object in it): the server runs in its own
   process; N simulated phones join, read the content note and play seeded random choices at once. Reported:
   time per choice (median and 95th percentile, request to response), and the server's memory (PSS) with every
   phone mid-game, minus the idle server's, per phone.
2. The baseline, in the same run: ``crossroads serve`` (textual-serve, one process per browser tab) with N
   sessions opened at once, each waiting for its first screen: the time to open them and PSS per session.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.serve_memory import free_port, measure, memory_kb, wait_port

ROOT = Path(__file__).resolve().parent.parent
CHOICES_EACH = 6


def serve_forever(story_arg: str, port: int, max_devices: int) -> None:
    """Run a classroom server for individual play until SIGINT (the benchmark's subprocess)."""
    from game.commands.storyarg import load_for_command
    from game.web.room import Room
    from game.web.server import ClassServer
    from game.web.solo import PhoneGames

    story, _ = load_for_command(story_arg)
    assert story is not None
    server = ClassServer(Room(code="BNCH", max_devices=max_devices), games=PhoneGames(story), port=port)
    server.limiter.rate = server.address_limiter.rate = 1e6
    server.address_limiter.burst = 1e6

    async def run() -> None:
        await server.start()
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGINT, stop.set)
        await stop.wait()
        await server.stop()

    asyncio.run(run())


async def play_phones(port: int, phones: int, seed: int) -> tuple[list[float], asyncio.Event, asyncio.Event]:
    """Start ``phones`` phones; each plays CHOICES_EACH choices (or to an ending) and then holds its game."""
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    timings: list[float] = []
    ready, release = asyncio.Event(), asyncio.Event()
    done = 0

    async def phone(client: aiohttp.ClientSession, n: int) -> None:
        nonlocal done
        rng = random.Random(seed + n)

        async def call(body: dict) -> dict:
            async with client.post(f"{base}/api/play", json=body) as response:
                return await response.json()

        async with client.post(f"{base}/api/join", json={"room": "BNCH"}) as response:
            token = (await response.json())["token"]
        view = await call({"token": token, "action": "start", "lang": "en"})
        for _ in range(CHOICES_EACH):
            if view["ending"] is not None:
                break
            number = rng.choice([c["number"] for c in view["choices"] if c["enabled"]])
            started = time.perf_counter()
            body = {"token": token, "action": "choose", "lang": "en", "step": view["step"], "choice": number}
            view = await call(body)
            timings.append(time.perf_counter() - started)
        done += 1
        if done == phones:
            ready.set()
        await release.wait()

    async def run() -> None:
        async with aiohttp.ClientSession(headers={"Origin": base}) as client:
            await asyncio.gather(*(phone(client, n) for n in range(phones)))

    task = asyncio.ensure_future(run())
    await ready.wait()
    return timings, release, task  # type: ignore[return-value]


def measure_class(story: str, phones: int, seed: int) -> dict[str, float]:
    """Part 1: the classroom server in its own process with ``phones`` phones playing at once."""
    port = free_port()
    argv = [sys.executable, "-m", "benchmarks.phone_bench", "--serve", story, "--port", str(port)]
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "CROSSROADS_HOME": home}
        server = subprocess.Popen(argv, cwd=ROOT, env=env)
        loop = asyncio.new_event_loop()
        try:
            wait_port(port)
            time.sleep(0.5)
            idle_pss, _ = memory_kb(server.pid)
            started = time.perf_counter()
            timings, release, task = loop.run_until_complete(play_phones(port, phones, seed))
            elapsed = time.perf_counter() - started
            busy_pss, _ = memory_kb(server.pid)
            release.set()
            loop.run_until_complete(task)
        finally:
            loop.close()
            server.send_signal(signal.SIGINT)
            server.wait(timeout=15)
    timings.sort()
    return {
        "phones": phones,
        "choices": len(timings),
        "median_ms": statistics.median(timings) * 1000,
        "p95_ms": timings[int(0.95 * (len(timings) - 1))] * 1000,
        "wall_s": elapsed,
        "idle_mb": idle_pss / 1024,
        "busy_mb": busy_pss / 1024,
        "per_phone_mb": (busy_pss - idle_pss) / 1024 / phones,
    }


def measure_votes(phones: int, rounds: int = 5) -> list[float]:
    """Part 3: ``phones`` phones vote at once in live facilitator mode; seconds from the moment the votes are
    sent to the vote panel drawing all of them, per round (the server runs on the facilitator app's loop)."""
    from textual.app import App

    from game.loader import load_story
    from game.tui.screens.facilitator import FacilitatorScreen
    from game.tui.widgets.vote_panel import VotePanel
    from game.web.live import LiveVote
    from game.web.room import Room
    from game.web.server import ClassServer

    story = load_story(ROOT / "story" / "class-monitor")

    class LiveApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.class_server = ClassServer(Room(code="BNCH", max_devices=phones), live=LiveVote(), port=0)
            self.class_server.limiter.rate = self.class_server.address_limiter.rate = 1e6
            self.class_server.address_limiter.burst = 1e6

        def on_mount(self) -> None:
            self.push_screen(FacilitatorScreen(story, "en"))

    async def run() -> list[float]:
        import aiohttp

        app = LiveApp()
        timings = []
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("escape")
            server = app.class_server
            base = f"http://127.0.0.1:{server.port}"
            async with aiohttp.ClientSession(headers={"Origin": base}) as client:

                async def post(path: str, body: dict) -> dict:
                    async with client.post(base + path, json=body) as response:
                        return await response.json()

                tokens = [(await post("/api/join", {"room": "BNCH"}))["token"] for _ in range(phones)]
                for _ in range(rounds):
                    live = server.live
                    for _step in range(10):  # past scenes with one way on, where nothing is put to a vote
                        if live.decision is not None:
                            break
                        await pilot.press("enter")
                        await pilot.pause()
                    if live.decision is None:
                        break
                    options = live.decision.indices()
                    panel = app.screen.query_one(VotePanel)
                    started = time.perf_counter()
                    await asyncio.gather(
                        *(
                            post("/api/vote", {"token": t, "decision": live.decision_id, "option": options[n % 2]})
                            for n, t in enumerate(tokens)
                        )
                    )
                    while str(phones) not in str(panel.border_title):
                        await asyncio.sleep(0.001)
                    timings.append(time.perf_counter() - started)
                    await pilot.press("enter", "enter")  # follow the majority, go on: a new vote opens
                    await pilot.pause()
        return timings

    return asyncio.run(run())


def main() -> None:
    """Measure both and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=40)
    parser.add_argument("--story", default="class-monitor")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--serve", metavar="STORY", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--skip-baseline", action="store_true", help="only measure crossroads class")
    parser.add_argument("--votes-only", action="store_true", help="only measure live votes")
    args = parser.parse_args()
    if args.serve:
        serve_forever(args.serve, args.port, max(60, args.phones))
        return
    votes = measure_votes(args.phones)
    print(f"live votes, {args.phones} phones voting at once, {len(votes)} decisions:")
    print("  votes sent to all counted on the vote panel: " + ", ".join(f"{t * 1000:.0f} ms" for t in votes))
    if args.votes_only:
        return
    story_path = str(ROOT / "story" / args.story)
    row = measure_class(story_path, args.phones, args.seed)
    print(f"crossroads class, {row['phones']} phones playing at once ({row['choices']:.0f} choices):")
    print(f"  time per choice: median {row['median_ms']:.1f} ms, 95th percentile {row['p95_ms']:.1f} ms")
    print(f"  server PSS: idle {row['idle_mb']:.1f} MB, all phones mid-game {row['busy_mb']:.1f} MB")
    print(f"  memory per phone: {row['per_phone_mb'] * 1024:.0f} kB")
    if args.skip_baseline:
        return
    with tempfile.TemporaryDirectory() as home:
        port = free_port()
        argv = [sys.executable, "-m", "game", "serve", "--port", str(port), "--max-sessions", str(args.phones)]
        started = time.perf_counter()
        base = measure("serve", [*argv, story_path], port, args.phones, b"New game", home)
        opened = time.perf_counter() - started
    print(f"crossroads serve (baseline), {args.phones} sessions:")
    print(f"  opened and drawn in {opened:.1f} s (one after another)")
    print(f"  PSS per session {base['per_session']:.1f} MB ({base['processes']:.0f} processes)")


if __name__ == "__main__":
    main()
