"""Explore benchmark: the flagship story completely, and states per second on a generated story.

Run by hand: ``python -m benchmarks.explore_bench [--vars K] [--max M]``. For each story it prints, in the same
run, the explorer's time, states, states per second and peak memory (tracemalloc, in a separate pass so the
timing is not slowed), beside a baseline: the raw engine, timed doing the same number of
:func:`game.engine.advance` steps along random paths (what the explorer cannot do without), so the ratio
shows the explorer's own overhead (state abstraction, hashing, bookkeeping, analysis).
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from benchmarks.generate_story import explore_story
from game.analysis.explore import explore
from game.engine import Playthrough, advance, is_offered
from game.loader import load_story
from game.model import Story

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "story" / "class-monitor"


def engine_steps(story: Story, steps: int, seed: int = 0) -> float:
    """Seconds the bare engine takes for ``steps`` advance() calls along random paths (the baseline)."""
    rng = random.Random(seed)
    start = Playthrough(story).state
    state = start
    gc.collect()
    began = time.perf_counter()
    for _ in range(steps):
        scene = story.scenes[state.scene]
        options = [c for c in scene.choices if is_offered(c, state)] if scene.ending is None else []
        if not options:
            state = start
            continue
        state = advance(story, state, options[rng.randrange(len(options))])
    return time.perf_counter() - began


def run(name: str, story: Story, max_states: int) -> None:
    """Time and measure one story, and print its row."""
    gc.collect()
    began = time.perf_counter()
    report = explore(story, max_states)
    seconds = time.perf_counter() - began
    tracemalloc.start()
    explore(story, max_states)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    steps = report.transitions
    baseline = engine_steps(story, steps)
    print(
        f"{name:<22} {report.states:>9,} {'yes' if report.complete else 'NO':>8} {seconds:>8.3f} "
        f"{report.states / seconds:>11,.0f} {steps:>11,} {baseline:>10.3f} {seconds / baseline:>8.2f}x "
        f"{peak / 1e6:>8.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description="Time the explorer against the bare engine.")
    parser.add_argument("--vars", type=int, default=5, help="int variables in the generated story")
    parser.add_argument("--max", type=int, default=5, help="their maximum (values 0..max)")
    parser.add_argument("--max-states", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    print(
        f"{'story':<22} {'states':>9} {'complete':>8} {'time s':>8} {'states/s':>11} {'advance()':>11} "
        f"{'engine s':>10} {'ratio':>9} {'peak MB':>8}"
    )
    print("-" * 104)
    if (FLAGSHIP / "story.yaml").is_file():
        run("class-monitor", load_story(FLAGSHIP), args.max_states)
    run("tutorial", load_story(ROOT / "story" / "tutorial"), args.max_states)
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "story.yaml"
        path.write_text(explore_story(args.vars, args.max), encoding="utf-8")
        run(f"generated {args.vars}x0..{args.max}", load_story(path), args.max_states)


if __name__ == "__main__":
    main()
