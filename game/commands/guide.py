"""``crossroads guide PATH [--lesson ID] --format md|html [--lang L]``: a lesson kit and guide from a story.

It opens with the lesson kit for the chosen lesson (default: the story's first; see
:mod:`game.classroom.lesson_kit`), then the full reference.

Exit 0 when written, 1 when the story (or its optional guide.yaml) has errors, 2 when PATH is missing.
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``guide`` sub-command."""
    parser = subparsers.add_parser(
        "guide",
        help="generate a facilitator guide for a story",
        description="Generate a lesson guide: objectives, a 45-minute plan, the content note and safe-container "
        "briefing, the story map, every decision point and ending, the law and reporting channels.",
    )
    parser.add_argument("path", metavar="PATH", help="story.yaml or a story folder")
    parser.add_argument("--format", choices=("md", "html"), default="md", help="output format (default: md)")
    parser.add_argument("--lang", metavar="L", help="language (default: the story's first language)")
    parser.add_argument("--lesson", metavar="ID", help="the lesson to plan (default: the story's first lesson)")
    parser.add_argument("-o", "--output", metavar="OUT", help="write to this file instead of standard output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load the story and print (or write) its guide."""
    from game.cli import EXIT_INPUT_ERRORS, emit, fail
    from game.commands.storyarg import load_for_command

    story, code = load_for_command(args.path, args.lang)
    if story is None:
        return code
    from game.classroom.guide import build_guide, read_extras
    from game.classroom.guide_render import render_html, render_markdown

    extras, problems = read_extras(story)
    for problem in problems:
        print(problem, file=sys.stderr)
    if any(p.is_error for p in problems):
        return fail("guide.yaml has errors", EXIT_INPUT_ERRORS)
    from game.classroom.lesson_kit import build_kit, choose_lesson
    from game.cli import EXIT_USAGE

    try:
        lesson = choose_lesson(story, args.lesson)
    except KeyError:
        known = ", ".join(lesson.id for lesson in story.lessons) or "none"
        return fail(f"the story has no lesson '{args.lesson}' (its lessons: {known})", EXIT_USAGE)
    guide = build_guide(story, args.lang, extras)
    lesson_kit = build_kit(story, lesson, guide.lang, extras, guide.objectives, args.path)
    render = render_html if args.format == "html" else render_markdown
    text = render(guide, story.default_language, lesson_kit)
    return emit(text, args.output)
