"""``crossroads class PATH [--class LABEL] [--host H] [--port N] [--public-url URL] [--max-devices N]``.

Each student's phone plays its own game of the story from the teacher's laptop: one web server in this
process, the phone page from package data, no accounts. Loopback only by default; ``--host auto`` uses the
machine's address on the room's network, and any address other than loopback prints a warning.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from game.commands.recordargs import add_record_arguments, apply_record_arguments
from game.web.room import DEFAULT_MAX_DEVICES

if TYPE_CHECKING:
    from game.web.server import ClassServer


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``class`` sub-command."""
    parser = subparsers.add_parser(
        "class",
        help="each student plays the story on their own phone",
        description="Serve the story to students' phones (a web page, no app, no account): each phone plays "
        "its own game and its anonymous record lands in your records. Binds to 127.0.0.1 unless --host says "
        "otherwise; use --host auto on the classroom's network.",
    )
    add_server_arguments(parser)
    parser.add_argument("path", metavar="PATH", help="the story (a folder, story.yaml or a bundled story's id)")
    parser.add_argument("--lang", metavar="L", help="language of the dashboard (phones follow their own)")
    parser.add_argument("--lesson", metavar="ID", help="start every game at this lesson's start point (with its recap)")
    add_record_arguments(parser)
    parser.set_defaults(run=run)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """The network options shared by ``class`` and ``play --facilitator --live``."""
    parser.add_argument("--host", default="127.0.0.1", help="address to bind, or 'auto' (default: loopback)")
    parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    parser.add_argument("--public-url", metavar="URL", help="the address to show students, if not the bound one")
    parser.add_argument(
        "--max-devices", type=int, default=DEFAULT_MAX_DEVICES, metavar="N", help="phones allowed (default: 60)"
    )


def bind_host(raw: str) -> str | None:
    """The address to bind for ``--host``: ``auto`` is this machine's address on the room's network."""
    if raw != "auto":
        return raw
    from game.web.address import room_address

    return room_address()


def checked_host(args: argparse.Namespace) -> str | int:
    """The address to bind for ``--host``/``--port``/``--max-devices``, or the exit code after saying why not."""
    import sys

    from game.cli import fail
    from game.serve_guard import is_loopback

    if not 1 <= args.port <= 65535:
        return fail(f"--port must be between 1 and 65535, not {args.port}")
    if args.max_devices < 1:
        return fail(f"--max-devices must be at least 1, not {args.max_devices}")
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        return fail(f"--public-url must start with http:// or https://, not {args.public_url!r}")
    host = bind_host(args.host)
    if host is None:
        return fail("--host auto: this machine has no address on a local network; give an address")
    if not is_loopback(host):
        print(
            f"crossroads: warning: serving on {host}:{args.port}, reachable from other machines: anyone on the "
            "network with the room code can join. Stop it after class.",
            file=sys.stderr,
        )
    return host


def live_server(args: argparse.Namespace) -> ClassServer | int:
    """The classroom server for ``play --facilitator --live`` (started by the facilitator screen), or an exit
    code."""
    from game.web.live import LiveVote
    from game.web.room import Room
    from game.web.server import ClassServer

    host = checked_host(args)
    if isinstance(host, int):
        return host
    room = Room(max_devices=args.max_devices)
    return ClassServer(room, live=LiveVote(), host=host, port=args.port, public_url=args.public_url)


def run(args: argparse.Namespace) -> int:
    """Check the arguments, load the story and run the dashboard until the teacher quits."""
    from game.cli import EXIT_OK, fail
    from game.commands.storyarg import load_for_command

    refused = apply_record_arguments(args)
    if refused is not None:
        return refused
    host = checked_host(args)
    if isinstance(host, int):
        return host
    story, code = load_for_command(args.path, args.lang)
    if story is None:
        return code
    if args.lesson and story.lesson(args.lesson) is None:
        known = ", ".join(lesson.id for lesson in story.lessons) or "none"
        return fail(f"the story has no lesson '{args.lesson}' (its lessons: {known})")
    from game.classroom.records import records_path
    from game.tui.class_app import ClassApp
    from game.web.room import Room
    from game.web.server import ClassServer
    from game.web.solo import PhoneGames

    records = records_path()
    server = ClassServer(
        Room(max_devices=args.max_devices),
        games=PhoneGames(story, records, lesson=args.lesson),
        host=host,
        port=args.port,
        public_url=args.public_url,
    )
    app = ClassApp(story, server, args.lang or story.default_language, records)
    app.run()
    if app.failure:
        return fail(app.failure)
    return EXIT_OK if app.return_code in (None, 0) else int(app.return_code or 0)
