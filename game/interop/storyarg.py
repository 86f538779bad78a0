"""The story argument of the author commands: find it, load it (through the compiled cache), or explain why not."""

from __future__ import annotations

import sys
from pathlib import Path

from game.model import Story

EXIT_INPUT_ERRORS = 1
EXIT_USAGE = 2


def fail(message: str, code: int) -> int:
    """Print ``crossroads: error: message`` to stderr and return ``code`` (as :func:`game.cli.fail` does)."""
    print(f"crossroads: error: {message}", file=sys.stderr)
    return code


def load_for_command(raw: str, cache: bool = True) -> tuple[Story | None, int]:
    """Load the story at ``raw``; on failure print why to stderr and return (None, exit code).

    Exit code 2 when the path does not exist or holds no story, 1 when the story has errors (each printed as
    ``path:line:col: CODE: message``).
    """
    from game.diagnostics import StoryError
    from game.loader import load_story
    from game.paths import find_story_entries

    path = Path(raw)
    if not path.exists():
        return None, fail(f"no such file or folder: {raw}", EXIT_USAGE)
    entries = find_story_entries(path)
    if len(entries) != 1:
        return None, fail(f"no single story found in {raw} (expected story.yaml or a folder holding one)", EXIT_USAGE)
    try:
        return load_story(entries[0], cache=cache), 0
    except StoryError as exc:
        for diagnostic in exc.diagnostics:
            print(diagnostic, file=sys.stderr)
        print(f"crossroads: error: {raw}: the story has errors; fix them first (crossroads check)", file=sys.stderr)
        return None, EXIT_INPUT_ERRORS
