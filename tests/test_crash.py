"""kill -9 at seeded random moments in 200 plain-mode games: no corrupt file, no lost record for a game whose
debrief was shown (nor a counted ending without its record), and no temp or lock files left after the next start."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from game.classroom.records import read_records
from game.persist.atomic import read_document
from tests.conftest import ROOT, TUTORIAL
from tests.test_plain import start_plain

GAMES = 200
PARALLEL = 4
# A long game: forty autosaves (to the form and back again), then the ending and its debrief.
GAME_INPUT = "1\n" + "back\n1\n" * 20 + "1\n"
KINDS = {"endings.json": "crossroads-endings", "settings.json": "crossroads-settings"}


def _start(home: Path) -> subprocess.Popen[str]:
    process = start_plain(home, str(TUTORIAL))
    assert process.stdin is not None
    process.stdin.write(GAME_INPUT)
    process.stdin.close()
    return process


def _game(home: Path, kill_after: float) -> bool:
    """Play one game, killed with SIGKILL after ``kill_after`` seconds; True when its debrief was shown."""
    process = _start(home)
    try:
        process.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        process.kill()
    assert process.stdout is not None
    out = process.stdout.read()
    process.wait()
    return "The end." in out


def test_kill_9_at_random_moments_loses_nothing_shown(crossroads_home: Path) -> None:
    started = time.monotonic()
    full = _start(crossroads_home)
    assert full.wait(timeout=60) == 0
    assert full.stdout is not None and "The end." in full.stdout.read()
    length = time.monotonic() - started  # how long a whole game takes on this machine, now

    rng = random.Random(9)
    moments = [rng.uniform(0.0, length) for _ in range(GAMES)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        shown = sum(pool.map(lambda moment: _game(crossroads_home, moment), moments)) + 1

    tidy = subprocess.run(
        [sys.executable, "-m", "game", "play", "--plain", str(TUTORIAL)],
        input="quit\n",
        capture_output=True,
        text=True,
        env={**os.environ, "CROSSROADS_HOME": str(crossroads_home)},
        cwd=ROOT,
        timeout=60,
    )
    assert tidy.returncode == 0, tidy.stderr
    left = [p for p in crossroads_home.rglob("*") if p.name.endswith((".tmp", ".lock"))]
    assert left == []

    for path in crossroads_home.rglob("*.json"):  # saves, endings, settings: every one whole
        if "cache" in path.relative_to(crossroads_home).parts:
            continue  # the compiled-story cache checks its own entries
        kind = KINDS.get(path.name, "crossroads-save")
        read_document(path, kind, 1)
    found = read_records([crossroads_home / "records" / "records-v1.jsonl"])
    assert found.problems == []
    finished = [r for r in found.records if r["ending"] is not None]
    counted = json.loads((crossroads_home / "endings.json").read_text(encoding="utf-8"))["stories"]["tutorial"]
    assert shown <= sum(counted.values()) <= len(finished)
    assert 0 < shown < GAMES + 1  # some games were killed before their debrief, some were not
