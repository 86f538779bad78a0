"""``crossroads graph PATH --format mermaid|dot [--lang L] [--output FILE]``: draw the story map.

Prints the map (or writes it to FILE atomically). ``dot`` renders with Graphviz
(``crossroads graph PATH --format dot | dot -Tsvg > map.svg``); ``mermaid`` renders in Markdown viewers.
Exit 0 ok, 1 the story has errors, 2 could not run.
"""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``graph`` sub-command."""
    parser = subparsers.add_parser(
        "graph",
        help="draw the story map (Mermaid or Graphviz DOT)",
        description="Print the story map: endings styled by kind, red flags marked, conditions on the edges.",
    )
    parser.add_argument("path", metavar="PATH", help="story.yaml or a story folder")
    parser.add_argument("--format", choices=("mermaid", "dot"), default="mermaid", help="output format")
    parser.add_argument("--lang", metavar="L", help="language of the labels (default: the story's first)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load the story and print (or write) its map."""
    from game.cli import emit
    from game.commands.storyarg import load_for_command
    from game.interop.graph import render

    story, code = load_for_command(args.path, args.lang)
    if story is None:
        return code
    return emit(render(story, args.format, args.lang), args.output)
