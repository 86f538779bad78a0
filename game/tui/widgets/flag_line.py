"""FlagLine: the red flags the last choice walked into, on a line just above the question and the choices.

It replaces the notifications that used to cover the choices: it never hides text or options, the next choice
replaces it, and it is part of the screen's text (read by terminal screen readers like any status line). When
alerts are held until the ending it stays empty.
"""

from __future__ import annotations

from rich.text import Text as RichText
from textual.widgets import Static

from game.engine import Playthrough
from game.i18n import tr, ui_lang
from game.model import Tag
from game.tui.prose import Wrapped
from game.tui.widgets.red_flags import flags_just_met
from game.tui.widgets.settled import SettledSize


class FlagLine(SettledSize, Static):
    """Hidden unless the choice just taken carried red flags; ``brief`` (narrow screens) shows titles only."""

    DEFAULT_CSS = """
    FlagLine { height: auto; display: none; }
    """

    _shown: object = None

    def show(self, play: Playthrough, lang: str, hold_flags: bool, brief: bool) -> None:
        """Redraw for the current scene of ``play`` (only when what it says changed)."""
        flags = [] if hold_flags else flags_just_met(play)
        key = (tuple(tag.id for tag in flags), lang, brief)
        if key == self._shown:
            return
        self._shown = key
        self.display = bool(flags)
        if flags:
            self.update(Wrapped(flag_alert(flags, play.story.default_language, lang, brief), hang=2))


def flag_alert(flags: list[Tag], fallback: str, lang: str, brief: bool) -> RichText:
    """``⚑ Red flag: title. explanation`` for one flag, ``⚑ Red flags: a · b`` for several (titles only when brief)."""
    ui = ui_lang(lang)
    titles = [tag.title.get(lang, fallback) for tag in flags]
    text = RichText("⚑ ", style="bold")
    if len(flags) == 1:
        text.append(tr("red_flag_alert", ui, title=titles[0]), style="bold")
        explain = flags[0].explain.get(lang, fallback) if flags[0].explain and not brief else ""
        if explain:
            text.append(tr("sentence_gap", ui) + explain)
    else:
        text.append(tr("red_flags_alert_list", ui, titles=tr("list_separator", ui).join(titles)), style="bold")
    return text
