"""``crossroads report FILES... --format md|html|csv|json``: the class report from playthrough records.

FILES are record files (``.jsonl``, as written by the game or by ``crossroads results export``) or folders
of them. Damaged lines are skipped and listed (``path:line: message`` on stderr and in the report). Exit 0
when the report was made, 1 when no valid record was found in damaged input, 2 when a file is missing or
the story given with ``--story`` cannot be loaded. ``--tui`` shows the report in the terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

FORMATS = ("md", "html", "csv", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command."""
    parser = subparsers.add_parser(
        "report",
        help="class report from playthrough records",
        description="Summarise anonymous playthrough records (files or folders of .jsonl): endings, option "
        "shares, where players left the trap, time per decision, facilitator votes.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="records file (.jsonl) or a folder of them")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: md)")
    parser.add_argument("--story", metavar="PATH", help="the story, for titles and option labels (default: bundled)")
    parser.add_argument("--lang", metavar="L", help="language of labels and story text (default: en)")
    parser.add_argument("-o", "--output", metavar="OUT", help="write to this file instead of standard output")
    parser.add_argument("--tui", action="store_true", help="show the report in the terminal")
    parser.set_defaults(run=run)


def _files(raw_paths: list[str]) -> list[Path] | str:
    files: list[Path] = []
    for raw in raw_paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.glob("*.jsonl"))
            if not found:
                return f"no records files (*.jsonl) in folder {raw}"
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            return f"no such file or folder: {raw}"
    return files


def run(args: argparse.Namespace) -> int:
    """Build and print (or write, or show) the report."""
    from game.classroom.records import RecordsFileError, read_records
    from game.classroom.stories import stories_for
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, emit, fail

    files = _files(args.files)
    if isinstance(files, str):
        return fail(files)
    try:
        found = read_records(files)
    except RecordsFileError as exc:
        return fail(str(exc))
    for problem in found.problems:
        print(f"crossroads: warning: {problem}", file=sys.stderr)
    if not found.records and found.problems:
        return fail("no valid records found", EXIT_INPUT_ERRORS)
    stories = stories_for({r["story"]["id"] for r in found.records}, args.story)
    if isinstance(stories, str):
        return fail(stories)
    lang = args.lang or "en"
    from game.classroom.report import build_report

    report = build_report(found, stories, lang)
    if args.tui:
        from game.classroom.report_render import render_markdown
        from game.tui.screens.markdown_view import show_markdown

        show_markdown(render_markdown(report), title="Crossroads — report")
        return EXIT_OK
    text = _render(report, args.format)
    return emit(text, args.output)


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
