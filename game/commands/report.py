"""``crossroads report FILES... [--format md|html|csv|csv-wide|json] [--title T] [--class LABEL]``: the class report.

FILES are record files (``.jsonl``, as written by the game or by ``crossroads results export``) or folders
of them. They are only read, never renamed or moved, and read a line at a time (a million records take bounded
memory). Damaged, wrongly typed or over-long lines (over 64 KiB) are skipped and listed (``path:line: message``
on stderr and in the report). Exit 0 when the report was made; 1 when a file is over the size limit (1 GiB)
or no valid record was found in damaged input; 2 when a file or folder is missing or not a regular file, the
story given with ``--story`` cannot be loaded, or ``-o`` names an input file. ``--tui`` shows the report in
the terminal.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

FORMATS = ("md", "html", "csv", "csv-wide", "json")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command."""
    parser = subparsers.add_parser(
        "report",
        help="class report from playthrough records",
        description="Summarise anonymous playthrough records (files or folders of .jsonl): endings, option "
        "shares with red flags and safe exits marked, where players left the trap, time per decision, and the "
        "class sessions (facilitator mode) with their votes.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="records file (.jsonl) or a folder of them")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="md",
        help="output format (default: md); csv-wide has one row per playthrough and a column per decision",
    )
    parser.add_argument("--story", metavar="PATH", help="the story, for titles and option labels (default: bundled)")
    parser.add_argument("--lang", metavar="L", help="language of labels and story text (default: en)")
    parser.add_argument("--title", metavar="TITLE", help='the report\'s title, e.g. "Class 10B"')
    parser.add_argument(
        "--class", dest="class_label", metavar="LABEL", help="only records stamped with this class label"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write to this file instead of standard output")
    parser.add_argument("--tui", action="store_true", help="show the report in the terminal")
    parser.set_defaults(run=run)


def _files(raw_paths: list[str]) -> list[Path] | str:
    files: list[Path] = []
    for raw in raw_paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.glob("*.jsonl") if p.is_file())
            if not found:
                return f"no records files (*.jsonl) in folder {raw}"
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            return f"no such file or folder: {raw}"
    return files


def _same_file(output: Path, path: Path) -> bool:
    try:
        return output.exists() and output.samefile(path)
    except OSError:
        return False


def _clean(text: str | None) -> str | None:
    """A title or label typed by the teacher, without control characters (``None`` when empty)."""
    if text is None:
        return None
    return _CONTROL.sub("", text).strip() or None


def run(args: argparse.Namespace) -> int:
    """Build and print (or write, or show) the report."""
    from game.classroom.records import Problem
    from game.classroom.report import MAX_LISTED, ReportBuilder
    from game.classroom.report_input import InputError, InputTooLarge, check_file
    from game.classroom.stories import stories_for
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, fail

    files = _files(args.files)
    if isinstance(files, str):
        return fail(files)
    warned = 0

    def warn(problem: Problem) -> None:
        nonlocal warned
        warned += 1
        if warned <= MAX_LISTED:
            print(f"crossroads: warning: {problem}", file=sys.stderr)
        elif warned == MAX_LISTED + 1:
            print("crossroads: warning: more lines skipped; only their number is reported", file=sys.stderr)

    if args.output and any(_same_file(Path(args.output), path) for path in files):
        return fail(f"{args.output} is one of the records files; the report never overwrites its input")
    class_label = _clean(args.class_label)
    builder = ReportBuilder(class_label, on_skip=warn)
    try:
        for path in files:  # refuse a device, a folder or an oversized file before reading anything
            check_file(path)
        for path in files:
            builder.read(path)
    except InputTooLarge as exc:
        return fail(str(exc), EXIT_INPUT_ERRORS)
    except InputError as exc:
        return fail(str(exc))
    if not builder.versions and builder.skipped_total:
        return fail("no valid records found", EXIT_INPUT_ERRORS)
    if warned > MAX_LISTED:
        print(f"crossroads: warning: {warned:,} lines skipped in all", file=sys.stderr)
    stories = stories_for({story_id for story_id, _ in builder.versions}, args.story)
    if isinstance(stories, str):
        return fail(stories)
    report = builder.report(stories, args.lang or "en", _clean(args.title))
    del builder  # its duplicate check is no longer needed (the wide CSV's second reading keeps its own)
    if args.tui:
        from game.classroom.report_render import render_markdown
        from game.tui.screens.markdown_view import show_markdown

        show_markdown(render_markdown(report), title="Crossroads — report")
        return EXIT_OK
    if args.format == "csv-wide":
        return _write_wide(report, stories, files, class_label, args.output)
    from game.cli import emit

    return emit(_render(report, args.format), args.output)


def _render(report: object, fmt: str) -> str:
    from game.classroom import report_render

    if fmt == "html":
        from game.classroom.report_html import render_html

        return render_html(report)  # type: ignore[arg-type]
    if fmt == "csv":
        return report_render.render_csv(report)  # type: ignore[arg-type]
    if fmt == "json":
        return report_render.render_json(report)  # type: ignore[arg-type]
    return report_render.render_markdown(report)  # type: ignore[arg-type]


def _write_wide(report: object, stories: dict, files: list[Path], class_label: str | None, output: str | None) -> int:
    """The wide CSV, written row by row while the files are read a second time (nothing held in memory)."""
    from game.classroom.report import ReportBuilder
    from game.classroom.report_input import InputError
    from game.classroom.report_render import WideCsv
    from game.cli import EXIT_OK, fail

    wide = WideCsv(report, stories)  # type: ignore[arg-type]

    def chunks() -> Iterable[str]:
        yield wide.header()
        rows: list[str] = []
        builder = ReportBuilder(class_label, on_record=lambda record: rows.append(wide.row(record)))
        for path in files:
            for _ in builder.reading(path):
                yield from rows
                rows.clear()

    from game.persist.atomic import write_atomic

    try:
        if output:
            write_atomic(Path(output), (chunk.encode("utf-8") for chunk in chunks()))
            print(f"wrote {output}", file=sys.stderr)
        else:
            for chunk in chunks():
                sys.stdout.write(chunk)
    except InputError as exc:  # a file changed between the two readings
        return fail(str(exc))
    except OSError as exc:
        return fail(f"cannot write {output}: {exc.strerror or exc}")
    return EXIT_OK
