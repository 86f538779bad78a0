"""``crossroads serve [--host 127.0.0.1] [--port 8000] [--max-sessions N] [PATH]``: play in the browser.

Loopback only by default; another address prints a warning. Exit 2 when textual-serve is missing, the
arguments are wrong or the port cannot be bound.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``serve`` sub-command."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the game to browsers (for a class)",
        description="Serve Crossroads to web browsers through textual-serve: one session per browser tab. "
        "Binds to 127.0.0.1 unless --host says otherwise.",
    )
    parser.add_argument("path", nargs="?", metavar="PATH", help="story to open (default: the title screen)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--max-sessions", type=int, default=40, metavar="N", help="concurrent sessions (default: 40)")
    parser.add_argument("--lang", metavar="L", help="language code for every session")
    parser.add_argument("--facilitator", action="store_true", help="open sessions in facilitator mode")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address students type, e.g. http://192.168.1.20:8000 (default: the address each browser used)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Check the arguments and serve until Ctrl+C."""
    from game.cli import EXIT_OK, fail

    if not 1 <= args.port <= 65535:
        return fail(f"--port must be between 1 and 65535, not {args.port}")
    if args.max_sessions < 1:
        return fail(f"--max-sessions must be at least 1, not {args.max_sessions}")
    from game.paths import StoryNotFound, resolve_story_arg

    try:
        story_path = resolve_story_arg(args.path) if args.path else None
    except StoryNotFound as exc:
        return fail(str(exc))
    try:
        from game.serve import serve
    except ImportError:
        return fail("browser play needs textual-serve: pip install 'crossroads[serve]'")
    story = str(story_path.resolve()) if story_path else None
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return fail(f"--public-url must start with http:// or https://, not {args.public_url!r}")
    try:
        serve(args.host, args.port, args.max_sessions, story, args.lang, args.facilitator, args.public_url)
    except OSError as exc:
        return fail(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}")
    return EXIT_OK
