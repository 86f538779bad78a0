"""``crossroads play [PATH] [--lang L] [--plain] [--facilitator] [--watch] [--class LABEL] [--rehearse]``: play.

With no PATH, opens the title screen of the bundled stories. ``--plain`` is a line mode on stdin/stdout
for screen readers and scripts, and never imports Textual. ``--continue`` resumes the autosave.
"""

from __future__ import annotations

import argparse

from game.commands.class_ import add_server_arguments
from game.commands.recordargs import add_record_arguments, apply_record_arguments


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``play`` sub-command."""
    parser = subparsers.add_parser(
        "play",
        help="play a story (the default command)",
        description="Play a story file or folder; with no PATH, the title screen of the bundled stories.",
    )
    parser.add_argument("path", nargs="?", metavar="PATH", help="story.yaml or a story folder")
    parser.add_argument("--lang", metavar="L", help="language code, e.g. en or zh")
    parser.add_argument("--plain", action="store_true", help="line mode for screen readers and scripts")
    parser.add_argument("--facilitator", action="store_true", help="projector mode with class votes")
    parser.add_argument("--watch", action="store_true", help="reload the story when its files change")
    parser.add_argument(
        "--continue", dest="resume", action="store_true", help="resume the game you left (the autosave)"
    )
    parser.add_argument("--browser", metavar="ID", help=argparse.SUPPRESS)  # set by crossroads serve per browser
    parser.add_argument("--lesson", metavar="ID", help="with --facilitator: teach this lesson (its start, clock)")
    parser.add_argument(
        "--live", action="store_true", help="with --facilitator: students vote from their phones (a web page)"
    )
    add_server_arguments(parser)
    add_record_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Start the plain line mode or the Textual app."""
    refused = apply_record_arguments(args)
    if refused is not None:
        return refused
    if getattr(args, "lesson", None) and not args.facilitator:
        from game.cli import fail

        return fail("--lesson needs --facilitator (a lesson is taught to a class)")
    if args.live and (not args.facilitator or args.plain):
        from game.cli import fail

        return fail("--live needs --facilitator (phones vote on the class's decisions)")
    if getattr(args, "browser", None):
        from game.cli import fail
        from game.paths import use_browser_home

        try:
            use_browser_home(args.browser)
        except ValueError as exc:
            return fail(str(exc))
    if args.plain:
        from game.plain import run_plain

        return run_plain(args)
    from game.tui.launch import run_app

    return run_app(args)
