"""Finding the stories that records refer to: a story given on the command line, else the bundled ones."""

from __future__ import annotations

from game.model import Story


def stories_for(story_ids: set[str], explicit: str | None) -> dict[str, Story] | str:
    """Map story ids to loaded stories; return an error message when ``explicit`` cannot be loaded.

    Bundled stories that fail to load are simply not used (the report then shows ids instead of titles).
    """
    from game.diagnostics import StoryError
    from game.loader import load_story
    from game.paths import StoryNotFound, bundled_stories, resolve_story_arg

    found: dict[str, Story] = {}
    if explicit is not None:
        try:
            path = resolve_story_arg(explicit)
        except StoryNotFound as exc:
            return str(exc)
        try:
            story = load_story(path)
        except StoryError as exc:
            first = exc.errors[0] if exc.errors else None
            return f"the story {explicit} has errors" + (f": {first}" if first else "")
        except OSError as exc:
            return f"cannot read the story {explicit}: {exc}"
        found[story.id] = story
    for entry in bundled_stories():
        if entry.parent.name not in story_ids or entry.parent.name in found:
            continue
        try:
            story = load_story(entry)
        except (StoryError, OSError):
            continue
        found.setdefault(story.id, story)
    return found
