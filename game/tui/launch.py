"""``run_app(args)``: resolve the story (or the bundled ones), then start the Textual app.

A story with errors prints its diagnostics (``path:line:col: CODE: message``) to stderr and returns 1 without
starting the UI; a missing path returns 2. ``--facilitator`` and ``--watch`` hand over to their own modules
when those exist.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys

from game.tui.sources import EXIT_OK, error_lines, resolve_stories


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def run_app(args: argparse.Namespace) -> int:
    """Start the full-screen game; return the exit code."""
    resolved = resolve_stories(getattr(args, "path", None))
    for line in error_lines(resolved):
        print(line, file=sys.stderr)
    if resolved.exit_code is not None:
        print(f"crossroads: error: {resolved.message}", file=sys.stderr)
        return resolved.exit_code
    from game.tui.app import CrossroadsApp

    app = CrossroadsApp(resolved.entries, lang=getattr(args, "lang", None))
    if getattr(args, "facilitator", False) and _module_exists("game.tui.screens.facilitator"):
        from game.tui.screens.facilitator import FacilitatorScreen  # type: ignore[import-not-found]

        app.after_title.append(FacilitatorScreen)
    elif getattr(args, "facilitator", False):
        print("crossroads: note: facilitator mode is not available in this build", file=sys.stderr)
    if getattr(args, "watch", False) and _module_exists("game.tui.watch"):
        from game.tui.watch import start_watch  # type: ignore[import-not-found]

        start_watch(app, app.entry.path)
    app.run()
    return EXIT_OK if app.return_code in (None, 0) else int(app.return_code or 0)
