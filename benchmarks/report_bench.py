"""Report benchmark: ``crossroads report`` on a million generated records, beside a bare ``json.loads``.

Run by hand: ``python -m benchmarks.report_bench [--records 1000000] [--formats md,csv,html,json,csv-wide]``.
It plays the bundled stories with random choices through :class:`game.engine.Playthrough` (a few thousand
real playthroughs, students and class sessions with votes, both languages), writes ``--records`` lines made
from them (each with its own anonymous id and random seconds) to a temporary file, then, each in a fresh
process so the peak memory of one does not hide another's:

* ``bare``: read the file line by line and ``json.loads`` each line, keeping nothing (the baseline);
* ``report --format F`` for each format, output to a file.

It prints wall time, CPU time (user + system; steadier than wall time on a shared machine) and peak resident
memory (``ru_maxrss`` of the child) for each, with the ratios to ``bare``.
:func:`play_records` is also the generator used to look at the report with realistic records.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from game.classroom import records
from game.engine import Playthrough
from game.loader import load_story
from game.model import Story
from game.paths import bundled_stories


def _record(
    story: Story, lang: str, mode: str, steps: list[tuple[str, int, float]], ending: str | None, votes: list[tuple]
) -> dict[str, Any]:
    """The record the game writes, through whichever record writer this checkout has."""
    if hasattr(records, "build_record"):  # the session core: records built from the playthrough's history
        return records.build_record(
            story,
            records.new_anonymous_id(),
            lang,
            mode,
            [records.StepTaken(scene, index, seconds) for scene, index, seconds in steps],
            ending,
            [records.vote_entry(*vote) for vote in votes],
        )
    keeper = records.RecordKeeper(story, lang, mode)
    for scene, index, seconds in steps:
        keeper.choice_made(scene, index, seconds)
    for vote in votes:
        keeper.vote(*vote)
    return keeper.record(ending)


def play_once(story: Story, rng: random.Random, lang: str, mode: str, class_label: str | None) -> dict[str, Any]:
    """One playthrough with random choices (abandoned now and then), as the record the game would write."""
    play = Playthrough(story, lang)
    steps: list[tuple[str, int, float]] = []
    votes: list[tuple] = []
    for _ in range(200):
        if play.is_ending or (mode == "solo" and rng.random() < 0.03):
            break
        options = [o for o in play.choices(lang) if o.enabled]
        if not options:
            break
        scene = play.scene
        index = rng.choice(options).choice.index
        play.choose_choice(scene.choices[index])
        if mode == "facilitator":
            counts = dict.fromkeys((o.choice.index for o in options), 0)
            for _ in range(rng.randint(18, 32)):
                counts[rng.choice([index, *counts])] += 1
            votes.append((scene.id, counts, index, rng.choice(["majority", "majority", "majority", "tie-break"])))
        steps.append((scene.id, index, rng.uniform(3, 90)))
    record = _record(story, lang, mode, steps, play.scene.id if play.is_ending else None, votes)
    if class_label:
        record["class"] = class_label
    return record


def play_records(count: int, seed: int = 7, sessions: int = 3, classes: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """``count`` students' playthroughs and ``sessions`` class sessions of each bundled story, both languages."""
    rng = random.Random(seed)
    out = []
    for entry in bundled_stories():
        story = load_story(entry)
        for n in range(count):
            lang = "zh" if n % 4 == 3 else "en"
            out.append(play_once(story, rng, lang, "solo", classes[n % len(classes)] if classes else None))
        for n in range(sessions):
            out.append(
                play_once(story, rng, "en" if n % 2 == 0 else "zh", "facilitator", classes[0] if classes else None)
            )
    return out


def record_lines(pool: list[dict[str, Any]], total: int, seed: int = 11) -> Iterator[str]:
    """``total`` JSON lines cycled from ``pool``, each with a fresh id and fresh seconds."""
    rng = random.Random(seed)
    for n in range(total):
        record = dict(pool[n % len(pool)])
        record["id"] = f"{n:032x}"
        record["choices"] = [{**c, "seconds": round(rng.uniform(2, 120), 1)} for c in record["choices"]]
        yield json.dumps(record, ensure_ascii=False, separators=(",", ":"))


BARE = """
import json, sys
with open(sys.argv[1], "rb") as handle:
    for line in handle:
        json.loads(line)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--formats", default="md,csv,html,json,csv-wide")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        pool = play_records(500, sessions=20)
        with path.open("w", encoding="utf-8") as handle:
            for line in record_lines(pool, args.records):
                handle.write(line + "\n")
        size = path.stat().st_size
        print(f"{args.records:,} records, {size / 2**20:.0f} MiB")
        rows = []
        # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: run each measurement in its own interpreter
        for name, argv in [("bare json.loads", [sys.executable, "-c", BARE, str(path)])] + [
            (f"report --format {fmt}", [sys.executable, "-m", "game", "report", str(path), "--format", fmt])
            for fmt in args.formats.split(",")
        ]:
            wrapper = [
                sys.executable,
                "-c",
                "import resource,subprocess,sys,time;t=time.perf_counter();"
                "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,check=True);"
                "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
                "print(time.perf_counter()-t, u.ru_utime+u.ru_stime, u.ru_maxrss)",
                *argv,
            ]
            done = subprocess.run(wrapper, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(f"{name} failed:\n{done.stderr[-2000:]}")
            out = done.stdout.split()
            rows.append((name, float(out[0]), float(out[1]), int(out[2]) / 1024))
        wall_base, cpu_base = rows[0][1], rows[0][2]
        print(f"{'run':28} {'wall s':>7} {'× bare':>7} {'CPU s':>7} {'× bare':>7} {'peak MiB':>9}")
        for name, wall, cpu, peak in rows:
            print(f"{name:28} {wall:7.1f} {wall / wall_base:7.2f} {cpu:7.1f} {cpu / cpu_base:7.2f} {peak:9.0f}")


if __name__ == "__main__":
    main()
