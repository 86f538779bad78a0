"""DebriefView: What? (the path as a timeline, red flags walked into, exits not taken), So what?, Now what?

Reusable: the ending screen and the facilitator screen both show it for a :class:`Playthrough` at an ending.
The Markdown comes from :mod:`game.classroom.debrief`, the same text that is exported and handed in.
"""

from __future__ import annotations

from game.classroom.debrief import play_debrief_markdown
from game.engine import Playthrough
from game.tui.widgets.markdown_text import MarkdownText


def _markdown(play: Playthrough, lang: str) -> str:
    return play_debrief_markdown(play, lang, heading_level=2, header=False)


class DebriefView(MarkdownText):
    """The debrief of a playthrough, in one language; call :meth:`show` again to redraw."""

    def __init__(self, play: Playthrough | None = None, lang: str = "en", *, id: str | None = None) -> None:
        super().__init__(_markdown(play, lang) if play is not None else "", id=id)

    def show(self, play: Playthrough, lang: str) -> None:
        """Redraw for ``play`` in ``lang``."""
        self.set_markdown(_markdown(play, lang))
