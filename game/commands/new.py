"""``crossroads new DIR [--from STORY] [--id ID] [--title TITLE]``: start a story for an author from a bundled one.

Copies the story (default: the tutorial, which shows every feature once) into DIR, which must be new or
empty, gives it its own id and title, and writes the story format's JSON Schema beside it
(``DIR/.crossroads/story-v1.schema.json``) with every file's ``# yaml-language-server: $schema=`` modeline
pointing there, so that editors validate and complete the story wherever it lives, with or without a clone
of the Crossroads repository. Exit 0 when the new story checks clean, 1 if it somehow does not, 2 when it
could not be made (DIR not empty, unknown source story, bad id). The new story joins the recent list.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

SCHEMA_DIR = ".crossroads"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=.*$", re.M)
DEFAULT_SOURCE = "tutorial"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``new`` sub-command."""
    parser = subparsers.add_parser(
        "new",
        help="start a new story in a folder, from a bundled story",
        description="Start a story in DIR (new or empty) as a copy of a bundled story, with its own id and "
        "title and the story schema beside it for editors. Exit 0 done, 1 the copy has errors, 2 could not run.",
    )
    parser.add_argument("dir", metavar="DIR", help="the folder to create (it must not exist, or be empty)")
    parser.add_argument(
        "--from",
        dest="source",
        metavar="STORY",
        default=DEFAULT_SOURCE,
        help=f"a bundled story's id or a story path to start from (default: {DEFAULT_SOURCE})",
    )
    parser.add_argument("--id", metavar="ID", help="the new story's id (default: from DIR's name)")
    parser.add_argument("--title", metavar="TITLE", help="the new story's title (default: from DIR's name)")
    parser.set_defaults(run=run)


def story_id_for(folder: Path) -> str:
    """An id made from a folder name: lower case, runs of other characters as ``-``."""
    return re.sub(r"[^a-z0-9_.]+", "-", folder.name.lower()).strip("-._") or "story"


def run(args: argparse.Namespace) -> int:
    """Make the new story; see the module docstring for the exit codes."""
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, fail
    from game.ids import ID_RULE, is_id
    from game.loader import check_story
    from game.paths import StoryNotFound, display_path, find_story_entries, resolve_story_arg

    target = Path(args.dir)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return fail(f"{args.dir} is not empty: give a new or empty folder for the story")
    try:
        source = resolve_story_arg(args.source)
    except StoryNotFound as exc:
        return fail(str(exc))
    entries = find_story_entries(source)
    if len(entries) != 1:
        return fail(f"no single story found in {args.source} (expected story.yaml or a folder holding one)")
    story_id = args.id or story_id_for(target.resolve())
    if not is_id(story_id):
        return fail(f"'{story_id}' cannot be a story id ({ID_RULE}; give one with --id)")
    title = args.title or target.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize()
    original = check_story(entries[0]).story
    if original is None:
        return fail(f"the story {args.source} has errors; start from another (crossroads check {args.source})")
    entry = entries[0]
    try:
        _copy(entry, target, story_id, title, list(original.languages))
    except OSError as exc:
        return fail(f"cannot write {args.dir}: {exc.strerror or exc}")
    result = check_story(target / entry.name)
    for diagnostic in result.diagnostics:
        print(diagnostic, file=sys.stderr)
    if result.story is None:
        return fail(f"the new story in {args.dir} has errors (see above)", EXIT_INPUT_ERRORS)
    from game.persist.recent import remember

    remember(target / entry.name, result.story)
    shown = display_path(target)
    print(f"created {shown}: the story '{story_id}', copied from {args.source}", file=sys.stderr)
    print(f"schema for editors: {display_path(target / SCHEMA_DIR / _schema_file())}", file=sys.stderr)
    print(f"next: edit {display_path(target / entry.name)}, then: crossroads check {shown}", file=sys.stderr)
    print(f"      crossroads play {shown}", file=sys.stderr)
    return EXIT_OK


def _schema_file() -> str:
    from game.schema import SCHEMA_FILE

    return SCHEMA_FILE


def _copy(entry: Path, target: Path, story_id: str, title: str, languages: list[str]) -> None:
    """Copy the folder of the story whose entry file is ``entry`` to ``target``, renamed, schema beside it."""
    from game.schema import schema_text

    source = entry.parent
    schema = target / SCHEMA_DIR / _schema_file()
    _write(schema, schema_text().encode("utf-8"))
    for file in sorted(source.rglob("*")):
        relative = file.relative_to(source)
        if not file.is_file() or any(part.startswith(".") or part == "__pycache__" for part in relative.parts):
            continue
        destination = target / relative
        if file.suffix not in (".yaml", ".yml"):
            _write(destination, file.read_bytes())
            continue
        text = file.read_text(encoding="utf-8")
        reference = Path(os.path.relpath(schema, destination.parent)).as_posix()
        modeline = f"# yaml-language-server: $schema={reference}"
        if MODELINE.search(text):
            text = MODELINE.sub(lambda _match, line=modeline: line, text, count=1)
        elif relative == Path(entry.name):
            text = f"{modeline}\n{text}"
        if relative == Path(entry.name):
            text = _renamed(text, story_id, title, languages)
        _write(destination, text.encode("utf-8"))


def _write(path: Path, data: bytes) -> None:
    """Write an author's file (an ordinary file, readable as the user's umask allows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _renamed(text: str, story_id: str, title: str, languages: list[str]) -> str:
    """``story.yaml``'s text with its top-level ``id:`` and ``title:`` (one line or a block) replaced."""
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar
    titles = ", ".join(f"{lang}: {quoted}" for lang in languages)
    for key, value in (("id", story_id), ("title", "{" + titles + "}")):
        pattern = re.compile(rf"^{key}:.*\n(?:[ \t]+.*\n|[ \t]*\n(?=[ \t]))*", re.M)
        line = f"{key}: {value}\n"
        if pattern.search(text):
            text = pattern.sub(lambda _match, line=line: line, text, count=1)
        else:
            text = re.sub(
                r"^(crossroads:.*\n)", lambda match, line=line: match.group(1) + line, text, count=1, flags=re.M
            )
    return text
