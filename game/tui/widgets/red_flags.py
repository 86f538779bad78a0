"""The red flags met so far on this path (or a note that they are held until the ending), for the side panel."""

from __future__ import annotations

from rich.text import Text as RichText

from game.model import Tag


def flags_text(heading: str, flags: list[Tag], lang: str, fallback: str, empty: str) -> RichText:
    """A heading, then one line per red flag's title, or ``empty`` when there are none (or they are held)."""
    text = RichText(heading, style="bold")
    if flags:
        for tag in flags:
            text.append("\n⚑ ", style="bold red")
            text.append(tag.title.get(lang, fallback))
    else:
        text.append("\n" + empty, style="italic")
    return text
