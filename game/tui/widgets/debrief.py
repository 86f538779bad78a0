"""DebriefView: What? / So what? / Now what?, the path as a timeline, red flags walked past, safe exits passed.

Reusable: the ending screen and the facilitator screen both show it for a :class:`Playthrough` at an ending.
"""

from __future__ import annotations

from game.engine import Playthrough
from game.tui.report import debrief_markdown
from game.tui.widgets.markdown_text import MarkdownText


class DebriefView(MarkdownText):
    """The debrief of a playthrough, in one language; call :meth:`show` again to redraw."""

    def __init__(self, play: Playthrough | None = None, lang: str = "en", *, id: str | None = None) -> None:
        super().__init__(debrief_markdown(play, lang) if play is not None else "", id=id)

    def show(self, play: Playthrough, lang: str) -> None:
        """Redraw for ``play`` in ``lang``."""
        self.set_markdown(debrief_markdown(play, lang))
