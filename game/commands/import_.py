"""``crossroads import FILE.twee [--output FOLDER] [--force]``: turn a Twee 3 story into format v1.

Writes ``FOLDER/story.yaml`` (default: a folder named after the Twee file), then checks it. Links become
choices; story-format macros are kept as text with one warning per passage. Exit 0 imported cleanly, 1 the
Twee file could not be imported or the result has errors, 2 could not run.
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
        description="Convert a Twee 3 file into a story folder with story.yaml, then check it.",
    )
    parser.add_argument("file", metavar="FILE.twee", help="a Twee 3 file (Twine 2: Library → Export As Twee)")
    parser.add_argument("--output", "-o", metavar="FOLDER", help="story folder to create (default: FILE's name)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing story.yaml")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Import, write and check; see the module docstring for exit codes."""
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, EXIT_USAGE, fail
    from game.interop.twee import TweeError, import_twee, to_yaml
    from game.loader import check_story, display_path
    from game.persist.atomic import write_atomic
    from game.schema import schema_path

    source = Path(args.file)
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        return fail(f"no such file: {args.file}")
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return fail(f"{args.file}:{line}: not valid UTF-8; save the Twee file as UTF-8", EXIT_INPUT_ERRORS)
    try:
        result = import_twee(text, display_path(source))
    except TweeError as exc:
        return fail(str(exc), EXIT_INPUT_ERRORS)
    folder = Path(args.output) if args.output else source.with_suffix("")
    target = folder / "story.yaml"
    if target.exists() and not args.force:
        return fail(f"{display_path(target)} already exists (use --force to overwrite it)", EXIT_USAGE)
    schema_ref = Path(os.path.relpath(schema_path(), folder.resolve())).as_posix()
    try:
        write_atomic(target, to_yaml(result.story, schema_ref).encode("utf-8"))  # type: ignore[arg-type]
    except OSError as exc:
        return fail(f"cannot write {display_path(target)}: {exc.strerror or exc}", EXIT_USAGE)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    check = check_story(target)
    for diagnostic in check.diagnostics:
        print(diagnostic, file=sys.stderr)
    scenes = len(result.story["scenes"])  # type: ignore[arg-type,index]
    print(f"wrote {display_path(target)}: {scenes} scenes, {len(result.warnings)} warning(s)", file=sys.stderr)
    return EXIT_INPUT_ERRORS if check.errors else EXIT_OK
