"""``crossroads import FILE.twee [--output FOLDER] [--force]``: turn a Twee 3 story into format v1.

Writes ``FOLDER/story.yaml`` (default: a folder named after the Twee file), then checks it. The story
format (Harlowe, SugarCube, Chapbook) comes from StoryData; its links, conditions and assignments become
choices, ``if`` and ``set``; what does not map is kept as text, with one warning per kind. Every message is
``file:line:col: CODE: message``. An import that leaves more than half the scenes unreachable, or turns more
than half the passages into endings, is refused (CR414) unless ``--force``, which also overwrites an
existing story.yaml. Exit 0 imported, 1 the Twee file could not be imported or the result has errors,
2 could not run.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``import`` sub-command."""
    parser = subparsers.add_parser(
        "import",
        help="import a Twee 3 story (from Twine 2) as a Crossroads story",
        description="Convert a Twee 3 file (Harlowe, SugarCube or Chapbook) into a story folder with story.yaml, "
        "then check it.",
    )
    parser.add_argument("file", metavar="FILE.twee", help="a Twee 3 file (Twine 2: Library → Export As Twee)")
    parser.add_argument("--output", "-o", metavar="FOLDER", help="story folder to create (default: FILE's name)")
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite an existing story.yaml, and write the story even when most of it is unreachable",
    )
    parser.set_defaults(run=run)


def read_limited(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of ``path`` (enough to tell it is too big; safe on /dev/zero)."""
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def run(args: argparse.Namespace) -> int:
    """Import, write and check; see the module docstring for exit codes."""
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE, fail
    from game.interop.twee import MAX_TWEE_BYTES, TweeError, import_file, to_yaml
    from game.interop.twee_export import FORMATS

    FORMAT_NAMES = {key: name for key, (name, _version) in FORMATS.items()}
    from game.loader import check_story, display_path
    from game.persist.atomic import write_atomic
    from game.schema import schema_path

    source = Path(args.file)
    shown = display_path(source)
    try:
        raw = read_limited(source, MAX_TWEE_BYTES)
    except FileNotFoundError:
        return fail(f"no such file: {args.file}")
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        result = import_file(raw, shown)
    except TweeError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return fail(f"{shown} could not be imported", EXIT_INPUT_ERRORS)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for problem in result.problems:
        print(problem if not args.force else str(problem).replace("CR414:", "CR414 (warning):"), file=sys.stderr)
    if result.problems and not args.force:
        return fail(f"{shown} was not imported (use --force to write it anyway)", EXIT_INPUT_ERRORS)
    folder = Path(args.output) if args.output else source.with_suffix("")
    target = folder / "story.yaml"
    if target.exists() and not args.force:
        return fail(f"{display_path(target)} already exists (use --force to overwrite it)", EXIT_USAGE)
    schema_ref = Path(os.path.relpath(schema_path(), folder.resolve())).as_posix()
    try:
        write_atomic(target, to_yaml(result.story, schema_ref).encode("utf-8"))
    except OSError as exc:
        return fail(f"cannot write {display_path(target)}: {exc.strerror or exc}", EXIT_USAGE)
    check = check_story(target)
    for diagnostic in check.diagnostics:
        print(diagnostic, file=sys.stderr)
    scenes = len(result.story["scenes"])  # type: ignore[arg-type]
    count = len(result.warnings)
    print(
        f"wrote {display_path(target)}: {scenes} scenes from {FORMAT_NAMES.get(result.format, 'Twee')}, "
        f"{count} warning{'' if count == 1 else 's'}",
        file=sys.stderr,
    )
    return EXIT_INPUT_ERRORS if check.errors else EXIT_OK
