"""``run_app(args)``: resolve the story (or the bundled ones), then start the Textual app.

A story with errors prints its diagnostics (``path:line:col: CODE: message``) to stderr and returns 1 without
starting the UI; a missing path returns 2. ``--facilitator`` opens the projector screen over the title;
``--watch`` reloads the story when its files change; ``--continue`` opens the autosaved game straight away.
"""

from __future__ import annotations

import argparse

from game.exitcodes import EXIT_OK
from game.sources import resolve_and_report


def run_app(args: argparse.Namespace) -> int:
    """Start the full-screen game; return the exit code."""
    resolved = resolve_and_report(getattr(args, "path", None))
    if resolved.exit_code is not None:
        return resolved.exit_code
    from game.tui.app import CrossroadsApp

    app = CrossroadsApp(resolved.entries, lang=getattr(args, "lang", None))
    if getattr(args, "facilitator", False):
        from game.tui.screens.facilitator import FacilitatorScreen

        lesson_id = getattr(args, "lesson", None)
        resume = bool(getattr(args, "resume", False))  # --continue: the class session left in facilitator mode
        app.after_title.append(lambda: FacilitatorScreen(lesson_id=lesson_id, resume=resume))
        if getattr(args, "live", False):
            from game.commands.class_ import live_server

            server = live_server(args)
            if isinstance(server, int):
                return server
            app.class_server = server
    else:
        app.resume_at_start = bool(getattr(args, "resume", False))
    if getattr(args, "watch", False):
        from game.watch import start_watch

        start_watch(app, app.entry.path)
    app.run()
    return EXIT_OK if app.return_code in (None, 0) else int(app.return_code or 0)
