"""``crossroads export PATH --format twee [--story-format F] [--lang L] [--output FILE]``: a story as Twee 3.

Twine 2's Library → Import opens the file; the story map shows every scene and choice. ``--story-format``
picks Harlowe (default), SugarCube or Chapbook: conditions and ``set`` are written in that format where it
can say them, with a CR420 warning for each one it cannot. Exit 0 ok, 1 the story has errors, 2 could not run.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``export`` sub-command."""
    from game.interop.twee_export import FORMATS

    parser = subparsers.add_parser(
        "export",
        help="export a story as Twee 3 (for Twine 2)",
        description="Export a story as Twee 3: StoryTitle, StoryData (the story's IFID), the variables, one passage "
        "per scene, one link per choice, in the story format you choose.",
    )
    parser.add_argument("path", metavar="PATH", help="story.yaml or a story folder")
    parser.add_argument("--format", choices=("twee",), default="twee", help="output format (twee)")
    parser.add_argument(
        "--story-format", choices=tuple(FORMATS), default="harlowe", help="Twine story format (default: harlowe)"
    )
    parser.add_argument("--lang", metavar="L", help="language of the exported text (default: the story's first)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load the story and write it as Twee 3."""
    from game.cli import emit
    from game.commands.storyarg import load_for_command
    from game.interop.twee import export_twee

    story, code = load_for_command(args.path, args.lang)
    if story is None:
        return code
    result = export_twee(story, args.lang, args.story_format)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    return emit(result.text, args.output)
