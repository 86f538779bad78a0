"""HistoryScreen: the whole transcript so far, every scene with the choice taken, scrolled to the present."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.i18n import tr
from game.playtext import transcript_markdown
from game.tui.localize import localize_bindings
from game.tui.prose import Wrapped
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.markdown_text import MarkdownText

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp


class HistoryScreen(Screen):
    """A read-only transcript; Escape or ``h`` returns to the game."""

    AUTO_FOCUS = "#history-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,h,q", "close", "Close")]

    app: CrossroadsApp

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="history-scroll"):
            with Vertical(id="history-column"):
                yield Static(id="history-heading", markup=False)
                yield MarkdownText(id="transcript")
        yield GameFooter()

    def on_mount(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        app = self.app
        if app.play is None:
            return
        localize_bindings(self, {"close": "close"}, app.ui_lang)
        heading = RichText(tr("history_title", app.ui_lang), style="bold")
        self.query_one("#history-heading", Static).update(Wrapped(heading))
        self.query_one(MarkdownText).set_markdown(transcript_markdown(app.play, app.story_lang))
        app.sub_title = tr("history", app.ui_lang)
        self.call_after_refresh(self.query_one("#history-scroll").scroll_end, animate=False)

    def action_close(self) -> None:
        """Back to the game."""
        self.dismiss()
