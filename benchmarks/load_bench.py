"""Load benchmark: load + check of generated stories against a bare ``yaml.load`` of the same file.

Run by hand: ``python -m benchmarks.load_bench [1000 10000 100000] [--repeat N]``. For each size it writes a
generated story (``benchmarks.generate_story``), then times, best of N runs, in this same process:

* ``bare``: ``yaml.load(text, Loader=yaml.CSafeLoader)`` (the baseline; Python's GC on, as normal), and the
  same with the GC off (``bare-nogc``), to show how much of either figure is garbage collection;
* ``check``: :func:`game.loader.check_story` (compose, validate, compile expressions; all diagnostics);
* ``cold``: ``load_story(cache=True)`` with an empty cache (a check plus writing the compiled entry);
* ``warm``: ``load_story(cache=True)`` reading the compiled cache.

It prints one table with the ratios to ``bare`` (targets: check ≤ 1.5×, warm ≤ 0.2×).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from benchmarks.generate_story import write_story


def best_of(repeat: int, action: Callable[[], object]) -> float:
    """The fastest of ``repeat`` timed runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def bare_nogc(text: str) -> object:
    gc.disable()
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    finally:
        gc.enable()


def measure(scenes: int, repeat: int, work: Path) -> dict[str, float]:
    """Timings for one generated story size."""
    return measure_story(write_story(scenes, work / f"story-{scenes}"), repeat)


def measure_story(path: Path, repeat: int) -> dict[str, float]:
    """Timings for one story; the bare parse reads every file the story is made of."""
    from game import cache
    from game.loader import check_story, load_story

    result = check_story(path)
    if result.errors or result.story is None:
        raise SystemExit(f"story has errors: {result.errors[0]}")
    texts = [Path(name).read_text(encoding="utf-8") for name in result.story.files]
    out = {"scenes": len(result.story.scenes), "mb": sum(len(t.encode()) for t in texts) / 1e6}
    out["bare"] = best_of(repeat, lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
    out["bare-nogc"] = best_of(repeat, lambda: [bare_nogc(t) for t in texts])
    out["check"] = best_of(repeat, lambda: check_story(path))

    def cold() -> None:
        cache.entry_path(path).unlink(missing_ok=True)
        load_story(path, cache=True)

    out["cold"] = best_of(repeat, cold)
    load_story(path, cache=True)
    assert cache.load_cached(path) is not None, "the warm load must come from the cache"
    out["warm"] = best_of(repeat, lambda: load_story(path, cache=True))
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description="Time story loading against a bare YAML parse.")
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled stories")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (best is kept); 1 for 100000")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="crossroads-bench-"))
    os.environ["CROSSROADS_HOME"] = str(work / "home")
    print(f"python {sys.version.split()[0]}, PyYAML {yaml.__version__}, libyaml {yaml.__with_libyaml__}")
    header = (
        f"{'story/scenes':>13} {'MB':>6} {'bare s':>8} {'bare-nogc s':>11} {'check s':>8} {'cold s':>8} "
        f"{'warm s':>8} {'check/bare':>10} {'warm/bare':>9}"
    )
    print(header)
    print("-" * len(header))
    rows: list[tuple[str, Callable[[], dict[str, float]]]] = []
    if not args.no_bundled:
        from game.paths import bundled_stories

        for entry in bundled_stories():
            rows.append((entry.parent.name, lambda entry=entry: measure_story(entry, max(args.repeat, 10))))
    for size in args.sizes:
        repeat = 1 if size >= 100_000 else args.repeat
        rows.append((f"{size:,}", lambda size=size, repeat=repeat: measure(size, repeat, work)))
    try:
        for name, run in rows:
            r = run()
            print(
                f"{name:>13} {r['mb']:>6.2f} {r['bare']:>8.4f} {r['bare-nogc']:>11.4f} {r['check']:>8.4f} "
                f"{r['cold']:>8.4f} {r['warm']:>8.4f} {r['check'] / r['bare']:>9.2f}x {r['warm'] / r['bare']:>8.3f}x",
                flush=True,
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
