"""Red flags for the play screen: the ones met so far (side panel) and the ones the last choice walked into."""

from __future__ import annotations

from rich.text import Text as RichText

from game.engine import Playthrough
from game.model import Tag


def flags_just_met(play: Playthrough) -> list[Tag]:
    """The red flags carried by the choice that led to the current scene (none at the start)."""
    history = play.history
    if not history:
        return []
    step = history[-1]
    tags = play.story.tags
    choice = play.story.scenes[step.scene].choices[step.choice]
    return [tags[t] for t in choice.tags if t in tags and tags[t].kind == "red-flag"]


def flags_text(
    heading: str, flags: list[Tag], lang: str, fallback: str, empty: str, fresh: frozenset[str] = frozenset()
) -> RichText:
    """A heading, then one line per red flag's title (``fresh`` ones stand out), or ``empty`` when none are shown."""
    text = RichText(heading, style="bold")
    if flags:
        for tag in flags:
            text.append("\n⚑ ", style="bold red")
            text.append(tag.title.get(lang, fallback), style="bold reverse" if tag.id in fresh else "")
    else:
        text.append("\n" + empty, style="italic")
    return text
