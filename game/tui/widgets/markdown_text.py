"""MarkdownText: a Static showing author Markdown as :class:`~game.tui.prose.Prose` (CJK-aware wrapping).

Textual's ``Markdown`` widget mounts one widget per block and, like Rich's Markdown, breaks lines only at
spaces, which folds Chinese at odd places. One :class:`Prose` renderable per text wraps Chinese correctly and
redraws faster (see ``benchmarks/tui_choice.py``). Author text is never parsed as Textual markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text as RichText
from textual.widgets import Static

from game.tui.prose import Prose
from game.tui.widgets.settled import SettledSize


class MarkdownText(SettledSize, Static):
    """Author Markdown shown as one renderable."""

    DEFAULT_CSS = """
    MarkdownText { height: auto; }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Prose(markdown), id=id, classes=classes, markup=False)
        self.markdown = markdown

    def set_markdown(self, markdown: str, header: Iterable[RichText] = ()) -> None:
        """Replace the text; ``header`` lines (such as a chapter and a title) come first, as paragraphs."""
        self.markdown = markdown
        self.update(Prose(markdown, header=header))
