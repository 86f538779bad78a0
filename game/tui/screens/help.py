"""HelpScreen: keys and how to play, in the UI language (``?`` or F1)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from game.i18n import tr
from game.tui.widgets.markdown_text import MarkdownText

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp


class HelpScreen(ModalScreen[None]):
    """A modal help window; Escape, ``?`` or F1 close it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,f1,q", "close", "Close")]

    app: CrossroadsApp

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield MarkdownText(id="help-text")

    def on_mount(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        box = self.query_one("#help-box")
        box.border_title = tr("help_title", self.app.ui_lang)
        box.border_subtitle = "Esc"
        self.query_one(MarkdownText).set_markdown(tr("help_body", self.app.ui_lang))

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
