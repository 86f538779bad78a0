"""The story argument of a command: find it, load it (through the compiled cache), or explain why not.

The argument is a path (a story.yaml or a folder holding one) or a bundled story's id (``tutorial``); see
:func:`game.paths.resolve_story_arg`. A story loaded this way is remembered in the recent-stories list.
"""

from __future__ import annotations

import sys

from game.model import Story


def load_for_command(raw: str, lang: str | None = None, cache: bool = True) -> tuple[Story | None, int]:
    """Load the story at ``raw`` (and check that it has ``lang``); on failure say why, return (None, exit code).

    Exit code 2 when the path does not exist, holds no story or the language is not the story's; 1 when the
    story has errors (each printed as ``path:line:col: CODE: message``).
    """
    from game.cli import EXIT_INPUT_ERRORS, EXIT_USAGE, fail
    from game.diagnostics import StoryError
    from game.loader import load_story
    from game.paths import StoryNotFound, find_story_entries, resolve_story_arg

    try:
        path = resolve_story_arg(raw)
    except StoryNotFound as exc:
        return None, fail(str(exc), EXIT_USAGE)
    entries = find_story_entries(path)
    if len(entries) != 1:
        return None, fail(f"no single story found in {raw} (expected story.yaml or a folder holding one)", EXIT_USAGE)
    try:
        story = load_story(entries[0], cache=cache)
    except StoryError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        return None, fail(f"{raw}: the story has errors; fix them first (crossroads check)", EXIT_INPUT_ERRORS)
    if lang and lang not in story.languages:
        return None, fail(f"the story has no language '{lang}' (it has: {', '.join(story.languages)})", EXIT_USAGE)
    from game.persist.recent import remember

    remember(entries[0], story)
    return story, 0
