"""``crossroads schema [--output FILE]``: print the JSON Schema of story format v1, for editors.

Point an editor at it with a first line ``# yaml-language-server: $schema=PATH`` in a story file.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``schema`` sub-command."""
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of the story format (for editors)",
        description="Print the JSON Schema of story format v1. Editors with the YAML language server validate "
        "and complete a story whose first line is '# yaml-language-server: $schema=PATH'.",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--path", action="store_true", help="print where the installed schema file is")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema (or its path), or write it to a file."""
    from game.schema import schema_path, schema_text

    if args.path:
        print(schema_path())
        return 0
    from game.cli import emit

    return emit(schema_text(), args.output)
