"""The story's shown variables as small bars (ints with bounds), ticks (bools) or values, for the side panel."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text as RichText

from game.expr import Value
from game.model import Story

BAR_WIDTH = 10


def meter_text(story: Story, values: Mapping[str, Value], lang: str) -> RichText:
    """The meters as Rich text, one variable per two lines."""
    out = RichText()
    fallback = story.default_language
    for name, var in story.variables.items():
        if not var.show:
            continue
        label = var.label.get(lang, fallback) if var.label else name
        value = values.get(name, var.default)
        if out:
            out.append("\n")
        out.append(label, style="bold")
        out.append("\n")
        if var.type == "int" and var.minimum is not None and var.maximum is not None and var.maximum > var.minimum:
            span = var.maximum - var.minimum
            filled = round(BAR_WIDTH * (int(value) - var.minimum) / span)
            out.append("█" * filled, style="bold")
            out.append("░" * (BAR_WIDTH - filled), style="dim")
            out.append(f" {value}/{var.maximum}")
        elif isinstance(value, bool):
            out.append("✓" if value else "✗")
        else:
            out.append(str(value))
    return out
