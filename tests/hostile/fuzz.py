"""A seeded mutation fuzzer for story files: small random edits of a real story, loaded with ``check_story``.

Used by ``tests/test_hostile_fuzz.py`` (a bounded run) and runnable by hand for a long run::

    .venv/bin/python -m tests.hostile.fuzz 20000      # mutations per story file; prints any crash
"""

from __future__ import annotations

import random
import re
import shutil
import sys
import tempfile
import traceback
import zlib
from collections.abc import Iterator
from pathlib import Path

from game.loader import check_story

ROOT = Path(__file__).resolve().parent.parent.parent
TOKENS = (
    ":",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "\n",
    "  ",
    "\t",
    "&a ",
    "*a",
    "<<: *a",
    "!!python/object/apply:os.system ['x']",
    "!!binary x",
    "9" * 5000,
    "-" + "9" * 4301,
    "0x" + "f" * 5000,
    "0o" + "7" * 5000,
    "1e400",
    ".nan",
    "-.inf",
    '"\\x1b]0;t\\x07"',
    '"\\u0000"',
    '"\\x9b"',
    "\x1b",
    "\x7f",
    "\u2028",
    "\ufeff",
    "\x85",
    "{s}",
    "{{",
    "}}",
    "{",
    "%",
    "~",
    "null",
    "yes",
    "no",
    "1:2:3",
    "2001-12-14",
    "- {say: x, go: nowhere}",
    'if: "x =="',
    'set: {s: "s + s"}',
    'if: "visits(\\"a\\") > 9999999999999999"',
    'if: "' + "(" * 200 + "1" + ")" * 200 + '"',
    "include: [../../etc/passwd]",
    "id: ../../../../outside",
    'id: "nl\\n"',
    "---\n",
    "...",
    "#",
    "中文，",
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?![\w.])")


def mutate(text: str, rng: random.Random) -> str:
    """One to three random edits of ``text``."""
    for _ in range(rng.randint(1, 3)):
        if not text:
            return rng.choice(TOKENS)
        at = rng.randrange(len(text))
        span = rng.randint(1, 40)
        operation = rng.randrange(8)
        if operation == 0:
            text = text[:at] + text[at + span :]
        elif operation == 1:
            text = text[:at] + text[at : at + span] * rng.randint(2, 5) + text[at:]
        elif operation in (2, 3):
            text = text[:at] + rng.choice(TOKENS) + text[at:]
        elif operation == 4:
            numbers = list(_NUMBER.finditer(text))
            if numbers:
                found = rng.choice(numbers)
                text = (
                    text[: found.start()] + rng.choice(("9" * 5000, "-1", "0", "10000000000000")) + text[found.end() :]
                )
        elif operation == 5:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif operation == 6:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.randint(0, 9) + lines[i].lstrip()
            text = "\n".join(lines)
        else:
            text = text[:at]
    return text


def crashes(story: Path, target: str, count: int, seed: int, folder: Path) -> Iterator[tuple[int, str, str]]:
    """Mutate ``target`` (a file of the story folder ``story``) ``count`` times; yield (i, mutated text, traceback)."""
    work = folder / story.name
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(story, work)
    original = (story / target).read_text(encoding="utf-8")
    rng = random.Random(seed)
    for i in range(count):
        mutated = mutate(original, rng)
        (work / target).write_text(mutated, encoding="utf-8", errors="surrogatepass")
        try:
            check_story(work)
        except Exception:  # the fuzzer's whole point is to catch any crash
            yield i, mutated, traceback.format_exc()


def main(argv: list[str]) -> int:
    """Run ``argv[0]`` mutations per story file of the bundled stories; print crashes; exit 1 if any."""
    count = int(argv[0]) if argv else 2000
    found = 0
    with tempfile.TemporaryDirectory() as scratch:
        for story in sorted((ROOT / "story").iterdir()):
            for target in sorted(p.name for p in story.glob("*.yaml") if p.name != "guide.yaml"):
                for i, _text, trace in crashes(
                    story, target, count, seed=zlib.crc32(target.encode()), folder=Path(scratch)
                ):
                    found += 1
                    print(f"{story.name}/{target} mutation {i}:\n{trace}")
                print(f"{story.name}/{target}: {count} mutations", file=sys.stderr)
    print(f"{found} crash(es)")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
