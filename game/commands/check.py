"""``crossroads check PATH... [--strict] [--json]``: validate stories like a linter.

Prints every diagnostic as ``path:line:col: CODE: message``, then one summary line per story and one per
declared lesson (its play budget and the shortest and longest path in each language, from
:mod:`game.analysis.lesson`; ``--json`` gives every path step by step). Exit 0 when clean, 1 when a story
has errors (or warnings, with ``--strict``), 2 when a path does not exist.
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
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="story.yaml, a story folder, a folder of them, or a bundled story's id"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings (e.g. missing translations) as errors")
    parser.add_argument("--json", action="store_true", help="print diagnostics as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check every story named; see the module docstring for the exit codes."""
    from game.cli import EXIT_INPUT_ERRORS, EXIT_OK, fail
    from game.loader import check_story, display_path
    from game.paths import StoryNotFound, find_story_entries, resolve_story_arg
    from game.persist.recent import remember

    entries: list[Path] = []
    for raw in args.paths:
        try:
            path = resolve_story_arg(raw)
        except StoryNotFound as exc:
            return fail(str(exc))
        found = find_story_entries(path)
        if not found:
            return fail(f"no story found in {raw} (expected story.yaml, or folders that hold one)")
        entries.extend(found)
    failed = False
    report = []
    for entry in entries:
        result = check_story(entry)
        timings = _time_lessons(result)
        if result.story is not None:
            remember(entry, result.story)
        bad = bool(result.errors) or (args.strict and bool(result.warnings))
        failed = failed or bad
        if args.json:
            report.append(
                {
                    "path": display_path(entry),
                    "ok": not bad,
                    "diagnostics": [d.to_json() for d in result.diagnostics],
                    "lessons": [timing.to_json() for timing in timings],
                }
            )
            continue
        for diagnostic in result.diagnostics:
            print(diagnostic)
        print(_summary(display_path(entry), result, bad), file=sys.stderr)
        for timing in timings:
            print(f"  {timing.summary()}", file=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return EXIT_INPUT_ERRORS if failed else EXIT_OK


def _time_lessons(result: object) -> list:
    """Time the story's lessons (if it loaded) and add their findings to the result's diagnostics."""
    from game.analysis.lesson import time_lessons
    from game.diagnostics import Diagnostic, Location, sort_diagnostics
    from game.paths import display_path

    story = getattr(result, "story", None)
    if story is None or not story.lessons:
        return []
    timings = time_lessons(story)
    found = [
        Diagnostic(f.code, f.message, f.location or Location(display_path(Path(story.files[0]))), f.severity)
        for timing in timings
        for f in timing.findings
    ]
    result.diagnostics[:] = sort_diagnostics([*result.diagnostics, *found])  # type: ignore[attr-defined]
    return timings


def _summary(path: str, result: object, bad: bool) -> str:
    from game.i18n import tr  # the strings table's plural rule ("1 ending", "2 endings")

    story = getattr(result, "story", None)
    errors = len(getattr(result, "errors", []))
    warnings = len(getattr(result, "warnings", []))
    if story is None or bad:
        return f"✗ {path}: {tr('n_errors', 'en', n=errors)}, {tr('n_warnings', 'en', n=warnings)}"
    counts = [("n_scenes", len(story.scenes)), ("n_endings", len(story.endings()))]
    counts += [("n_languages", len(story.languages))]
    counts += [("n_warnings", warnings)] if warnings else []
    return f"✓ {path}: " + ", ".join(tr(key, "en", n=n) for key, n in counts)
