"""``crossroads check PATH... [--strict] [--json]``: validate stories like a linter.

Prints every diagnostic as ``path:line:col: CODE: message``, then one summary line per story. Exit 0 when
clean, 1 when a story has errors (or warnings, with ``--strict``), 2 when a path does not exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` sub-command."""
    parser = subparsers.add_parser(
        "check",
        help="check stories for errors",
        description="Check story files or folders (a folder of stories checks each). Exit 0 clean, 1 errors, "
        "2 could not run.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="story.yaml, a story folder, or a folder of them")
    parser.add_argument("--strict", action="store_true", help="treat warnings (e.g. missing translations) as errors")
    parser.add_argument("--json", action="store_true", help="print diagnostics as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check every story named; see the module docstring for the exit codes."""
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, fail
    from game.loader import check_story, display_path
    from game.paths import find_story_entries

    entries: list[Path] = []
    for raw in args.paths:
        path = Path(raw)
        if not path.exists():
            return fail(f"no such file or folder: {raw}")
        found = find_story_entries(path)
        if not found:
            return fail(f"no story found in {raw} (expected story.yaml, or folders that hold one)")
        entries.extend(found)
    failed = False
    report = []
    for entry in entries:
        result = check_story(entry)
        bad = bool(result.errors) or (args.strict and bool(result.warnings))
        failed = failed or bad
        if args.json:
            report.append(
                {
                    "path": display_path(entry),
                    "ok": not bad,
                    "diagnostics": [d.to_json() for d in result.diagnostics],
                }
            )
            continue
        for diagnostic in result.diagnostics:
            print(diagnostic)
        print(_summary(display_path(entry), result, bad), file=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return EXIT_INPUT_ERRORS if failed else EXIT_OK


def _summary(path: str, result: object, bad: bool) -> str:
    from game.tui.i18n import tr  # the strings table's plural rule ("1 ending", "2 endings")

    story = getattr(result, "story", None)
    errors = len(getattr(result, "errors", []))
    warnings = len(getattr(result, "warnings", []))
    if story is None or bad:
        return f"✗ {path}: {tr('n_errors', 'en', n=errors)}, {tr('n_warnings', 'en', n=warnings)}"
    counts = [("n_scenes", len(story.scenes)), ("n_endings", len(story.endings()))]
    counts += [("n_languages", len(story.languages))]
    counts += [("n_warnings", warnings)] if warnings else []
    return f"✓ {path}: " + ", ".join(tr(key, "en", n=n) for key, n in counts)
