"""Twee import benchmark: hostile inputs against a clean Twee file of the same size, in the same run.

Run by hand: ``python -m benchmarks.twee_bench [--repeat N]``. For each hostile input of issue 11 (and the
story-format variants), it times :func:`game.interop.twee.import_twee` (best of N) and, beside it, the import
of a clean Twee file of the same size (passages of prose and ``[[links]]``). A linear importer keeps every
ratio near 1; the old regular-expression importer took 24 s on the 60 KB case and over 120 s on 210 KB.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from benchmarks.load_bench import best_of
from game.interop.twee import TweeError, import_twee

HARLOWE = ':: StoryData\n{"format": "Harlowe"}\n\n:: Start\n'
SUGARCUBE = ':: StoryData\n{"format": "SugarCube"}\n\n:: Start\n'
CHAPBOOK = ':: StoryData\n{"format": "Chapbook"}\n\n:: Start\n'

HOSTILE: dict[str, str] = {
    "unclosed [[ x20000 (60 KB)": ":: Start\n" + "[[a" * 20000,
    "unclosed [[ x70000 (210 KB)": ":: Start\n" + "[[a" * 70000,
    "[[ ->a x20000 >>]]": ":: Start\n[[" + "->a" * 20000 + ">>]]",
    "Harlowe (link-goto: unclosed": HARLOWE + '(link-goto: "a", ' * 20000,
    "Harlowe (if:)[ nested x20000": HARLOWE + "(if: $a)[" * 20000 + "]" * 20000,
    "SugarCube <<link [[ unclosed": SUGARCUBE + "<<link [[a" * 20000,
    "SugarCube <<if>> nested x20000": SUGARCUBE + "<<if $a>>" * 20000 + "<</if>>" * 20000,
    "Chapbook {link to: unclosed": CHAPBOOK + "{link to: 'a'" * 20000,
    "Chapbook [if]/[else] x20000": CHAPBOOK + "[if a]\n[else]\n" * 20000,
    "StoryData int of 5000 digits": ':: StoryData\n{"zoom": ' + "9" * 5000 + "}\n:: Start\nx",
    "StoryData [ x100000": ":: StoryData\n" + "[" * 100000 + "\n:: Start\nx",
    "control characters x20000": ":: Start\n" + "a\x1b]52;c;x\x07\n" * 20000,
}


def clean(size: int) -> str:
    """A clean Twee file of about ``size`` characters: passages of prose, each linking to the next."""
    parts = [':: StoryData\n{"format": "Harlowe"}\n']
    number = 0
    while sum(len(p) for p in parts) < size:
        parts.append(f"\n:: P{number}\nA short paragraph of story text, then a choice.\n[[Go on->P{number + 1}]]\n")
        number += 1
    parts.append(f"\n:: P{number}\nThe end.\n")
    return "".join(parts)


def run_import(text: str) -> Callable[[], object]:
    def action() -> object:
        try:
            return import_twee(text, "bench.twee")
        except TweeError as exc:
            return exc

    return action


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    gc.collect()
    print(f"{'input':34} {'size':>9} {'hostile':>10} {'clean':>10} {'ratio':>7}")
    began = time.perf_counter()
    for name, text in HOSTILE.items():
        hostile = best_of(args.repeat, run_import(text))
        baseline = best_of(args.repeat, run_import(clean(len(text))))
        print(f"{name:34} {len(text):9,} {hostile * 1000:8.1f}ms {baseline * 1000:8.1f}ms {hostile / baseline:6.2f}×")
    print(f"total {time.perf_counter() - began:.1f} s")


if __name__ == "__main__":
    main()
