"""SidePanel: meters and red flags beside the scene, in one widget; folded away on narrow terminals."""

from __future__ import annotations

from rich.text import Text as RichText
from textual.widgets import Static

from game.engine import Playthrough
from game.i18n import tr, ui_lang
from game.tui.prose import Wrapped
from game.tui.widgets.meters import meter_text
from game.tui.widgets.red_flags import flags_just_met, flags_text


class SidePanel(Static):
    """The play screen's side panel: the story's shown variables, then the red flags met so far (the ones the
    last choice walked into stand out)."""

    _shown: object = None

    def show(self, play: Playthrough, lang: str, hold_flags: bool) -> None:
        """Redraw from the playthrough (only when something shown changed)."""
        ui = ui_lang(lang)
        story = play.story
        flags = [] if hold_flags else play.tags_met("red-flag")
        fresh = frozenset(tag.id for tag in flags_just_met(play)) if flags else frozenset()
        key = (story.id, lang, hold_flags, tuple(sorted(play.vars.items())), tuple(tag.id for tag in flags), fresh)
        if key == self._shown:
            return
        self._shown = key
        text = meter_text(story, play.vars, lang)
        if text:
            text.append("\n\n")
        empty = tr("flags_held", ui) if hold_flags else tr("no_flags", ui)
        text.append(flags_text(tr("red_flags", ui), flags, lang, story.default_language, empty, fresh))
        self.update(Wrapped(RichText.assemble(text), hang=2))
