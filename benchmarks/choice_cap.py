"""The full-screen app drawing a scene at the loader's choice cap (``MAX_CHOICES``), beside a 4-choice scene.

Run by hand: ``python benchmarks/choice_cap.py [runs]``. For each story the app starts headless (Pilot,
100x30) on the title screen; timed is New game (Enter) until the play screen with all its choices is drawn
and the app is idle. Prints the median and the worst run; never part of the tests. The issue saw a scene of
100,000 choices take 20.5 s; the loader now refuses more than ``MAX_CHOICES`` (CR057).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from game.loader import MAX_CHOICES  # noqa: E402


def write_story(folder: Path, choices: int) -> Path:
    """A two-scene story whose first scene offers ``choices`` choices."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["crossroads: 1", f"id: wide-{choices}", "title: Wide", "start: a", "scenes:", "  a:", "    title: A"]
    lines += ["    text: Pick one of many.", "    choices:"]
    lines += [f"      - {{say: 'Option number {i} of the long list', go: end}}" for i in range(choices)]
    lines += ["  end:", "    title: End", "    ending: {kind: safe, title: E}"]
    (folder / "story.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


async def one_run(folder: Path) -> float:
    """Seconds from New game to the play screen drawn and idle."""
    from game.sources import resolve_stories
    from game.tui.app import CrossroadsApp

    app = CrossroadsApp(resolve_stories(str(folder)).entries)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("n")
        await pilot.pause()
        await app.animator.wait_until_complete()
        return time.perf_counter() - started


def main(runs: int) -> None:
    """Time both stories ``runs`` times each and print a table."""
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["CROSSROADS_HOME"] = str(Path(scratch) / "home")
        rows = []
        for choices in (4, MAX_CHOICES):
            folder = write_story(Path(scratch) / f"wide-{choices}", choices)
            times = [asyncio.run(one_run(folder)) for _ in range(runs)]
            rows.append((choices, statistics.median(times), max(times)))
    print(f"{'choices':>8} {'median s':>9} {'worst s':>8}")
    for choices, median, worst in rows:
        print(f"{choices:>8} {median:>9.3f} {worst:>8.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
