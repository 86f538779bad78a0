"""``crossroads results export FILE`` / ``debrief`` / ``path`` / ``clear [--class LABEL] [--yes]``: the records.

``export`` copies the anonymous records (optionally of one story) into FILE for a student to hand in; the
file is the same JSON-lines format ``crossroads report`` reads. ``debrief`` prints (or writes) the Markdown
debrief of the latest finished playthrough, rebuilt from its record. ``path`` prints where records are kept.
``clear`` deletes them (only one class's, with ``--class``) after asking; ``--yes`` skips the question, for
scripts, and without a terminal to ask on it is required.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``results`` sub-command with its ``export`` and ``path`` actions."""
    parser = subparsers.add_parser(
        "results",
        help="export your anonymous playthrough records",
        description="Your playthrough records are anonymous: story, language, choices with the time taken, "
        "ending, and a random id. Export them to hand in, or see where they are kept.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="copy the records into FILE (JSON lines)")
    export.add_argument("file", metavar="FILE", help="where to write, e.g. my-results.jsonl")
    export.add_argument("--story", metavar="ID", help="only the records of this story id")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    export.set_defaults(run=run_export)
    debrief = actions.add_parser("debrief", help="the Markdown debrief of your latest finished playthrough")
    debrief.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead of standard output")
    debrief.add_argument("--story", metavar="PATH", help="the story file (default: the bundled one)")
    debrief.add_argument("--lang", metavar="L", help="language (default: the one you played in)")
    debrief.set_defaults(run=run_debrief)
    where = actions.add_parser("path", help="print where the records file is")
    where.set_defaults(run=run_path)
    clear = actions.add_parser("clear", help="delete the records (after asking)")
    clear.add_argument("--class", dest="class_label", metavar="LABEL", help="only the records of this class")
    clear.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    clear.set_defaults(run=run_clear)


def run_export(args: argparse.Namespace) -> int:
    """Write the records to ``args.file``; exit 2 if it exists (without --force) or cannot be written."""
    from game.classroom.records import RecordsFileError, export_records, records_path
    from game.cli import EXIT_OK, fail

    target = Path(args.file)
    if target.is_dir():
        return fail(f"{args.file} is a folder; give a file name such as {target / 'results.jsonl'}")
    if target.exists() and not args.force:
        return fail(f"{args.file} already exists (use --force to overwrite)")
    source = records_path()
    if source.exists() and source.resolve() == target.resolve():
        return fail("FILE is the records file itself; choose another name")
    try:
        count, problems = export_records(source, target, args.story)
    except RecordsFileError as exc:
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot write {args.file}: {exc.strerror or exc}")
    for problem in problems:
        print(f"crossroads: warning: {problem}", file=sys.stderr)
    which = f" of story '{args.story}'" if args.story else ""
    print(f"exported {count} playthrough record(s){which} to {target}")
    return EXIT_OK


def run_path(args: argparse.Namespace) -> int:
    """Print the records file's path."""
    from game.classroom.records import records_path

    print(records_path())
    return 0


def run_debrief(args: argparse.Namespace) -> int:
    """Rebuild the latest finished playthrough from its record and print its debrief as Markdown."""
    from game.classroom.debrief import play_debrief_markdown
    from game.classroom.records import RecordsFileError, read_records, records_path
    from game.classroom.stories import stories_for
    from game.cli import EXIT_INPUT_ERRORS, emit, fail
    from game.engine import ChoiceError, Playthrough

    source = records_path()
    if not source.exists():
        return fail("no playthrough records yet: finish a story first", EXIT_INPUT_ERRORS)
    try:
        found = read_records([source])
    except RecordsFileError as exc:
        return fail(str(exc))
    finished = [r for r in found.records if r["ending"] is not None]
    if not finished:
        return fail("no finished playthrough in the records yet", EXIT_INPUT_ERRORS)
    record = finished[-1]
    stories = stories_for({record["story"]["id"]}, args.story)
    if isinstance(stories, str):
        return fail(stories)
    story = stories.get(record["story"]["id"])
    if story is None:
        return fail(f"the story '{record['story']['id']}' was not found; give it with --story PATH")
    lang = args.lang or record["lang"]
    try:
        play = Playthrough.replay(story, [(c["scene"], c["choice"]) for c in record["choices"]], lang)
    except ChoiceError as exc:
        return fail(f"the story has changed since that playthrough ({exc})", EXIT_INPUT_ERRORS)
    text = play_debrief_markdown(play, lang)
    return emit(text, args.output)


def run_clear(args: argparse.Namespace) -> int:
    """Delete the records (of one class, with --class) after asking; exit 2 when not confirmed."""
    from game.classroom.records import clear_records, count_records, records_path
    from game.cli import EXIT_OK, EXIT_USAGE, fail

    source = records_path()
    label = args.class_label
    which = f" of class '{label}'" if label else ""
    count = count_records(source, label)
    if count == 0:
        print(f"no records{which} to delete in {source}")
        return EXIT_OK
    noun = "record" if count == 1 else "records"
    if not args.yes:
        if not sys.stdin.isatty():
            return fail(f"{count} {noun}{which} would be deleted; add --yes to delete without asking", EXIT_USAGE)
        answer = input(f"Delete {count} {noun}{which} from {source}? This cannot be undone. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted")
            return EXIT_USAGE
    try:
        removed = clear_records(source, label)
    except OSError as exc:
        return fail(f"cannot change {source}: {exc.strerror or exc}")
    print(f"deleted {removed} {'record' if removed == 1 else 'records'}{which}")
    return EXIT_OK
