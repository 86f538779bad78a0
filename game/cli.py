"""The ``crossroads`` command line: one sub-command per module in :mod:`game.commands`.

Exit codes, for every command: 0 success; 1 the input (story, records, saves) has errors; 2 the command
could not run (bad arguments, missing files). Heavy imports (Textual, YAML) happen inside the commands
that need them, so ``crossroads check`` and ``crossroads play --plain`` start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from game import __version__
from game.exitcodes import EXIT_INPUT_ERRORS, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE

__all__ = ["EXIT_INPUT_ERRORS", "EXIT_OK", "EXIT_USAGE", "emit", "fail", "main"]

# Each module in game.commands provides ``register(subparsers)``, which adds its parser and sets ``run``.
COMMAND_MODULES = (
    "play",
    "check",
    "explore",
    "graph",
    "export",
    "import_",
    "schema",
    "report",
    "guide",
    "results",
    "serve",
    "class_",
    "new",
    "list",
)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors say how to get help, and exit 2 without a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n(run '{self.prog} --help' for help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser with every sub-command."""
    parser = _Parser(
        prog="crossroads",
        description="Crossroads: branching stories that teach. With no command, opens the title screen.",
    )
    parser.add_argument("--version", action="version", version=f"crossroads {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(f"game.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list:
        args_list = ["play"]
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # a path the system refuses (too long, a loop...) that no command checked first
        name = str(exc.filename or "")
        where = f"{name[:80]}{'…' if len(name) > 80 else ''}: " if name else ""
        return fail(f"{where}{exc.strerror or exc}")


def fail(message: str, code: int = EXIT_USAGE) -> int:
    """Print ``crossroads: error: message`` to stderr and return ``code``."""
    print(f"crossroads: error: {message}", file=sys.stderr)
    return code


def emit(text: str, output: str | None) -> int:
    """Write a command's result to ``output`` atomically (saying where), or to standard output."""
    if not output:
        sys.stdout.write(text)
        return EXIT_OK
    from pathlib import Path

    from game.persist.atomic import write_atomic

    try:
        write_atomic(Path(output), text.encode("utf-8"))
    except OSError as exc:
        return fail(f"cannot write {output}: {exc.strerror or exc}")
    print(f"wrote {output}", file=sys.stderr)
    return EXIT_OK
