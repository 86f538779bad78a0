"""EndingScreen: the ending's title and kind, its text and summary, and the debrief with the path taken."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text as RichText
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.i18n import tr
from game.playtext import kind_label
from game.tui.localize import localize_bindings, show_bindings
from game.tui.prose import Wrapped
from game.tui.widgets.debrief import DebriefView
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.markdown_text import MarkdownText

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp

NARROW = 80
LABELS = {
    "play_again": "play_again",
    "to_title": "title_screen",
    "gallery": "endings",
    "undo": "undo",
    "export": "export_debrief",
}


class EndingScreen(Screen):
    """Shown when the playthrough reaches an ending scene."""

    AUTO_FOCUS = "#ending-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "play_again", "Play again"),
        Binding("t", "to_title", "Title"),
        Binding("g", "gallery", "Endings"),
        Binding("b,backspace,ctrl+z", "undo", "Back"),
        Binding("h", "history", "History", show=False),
        Binding("e", "export", "Export"),
    ]

    app: CrossroadsApp

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="ending-scroll"):
            with Vertical(id="ending-column"):
                yield Static(id="ending-kind", markup=False)
                yield Static(id="ending-title", markup=False)
                yield MarkdownText(id="ending-text")
                yield Static(id="ending-summary", markup=False)
                yield Static(id="debrief-heading", markup=False)
                yield DebriefView(id="debrief")
        yield GameFooter()

    def on_mount(self) -> None:
        self.apply_language()

    def on_resize(self, event: events.Resize) -> None:
        # Below 80 columns the footer keeps the keys that matter most here; all are in the help.
        wide = event.size.width >= NARROW
        show_bindings(self, {"gallery": wide, "undo": wide, "to_title": wide})

    def on_screen_resume(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        app = self.app
        play = app.play
        if play is None or play.ending is None:
            return
        ui = app.ui_lang
        lang = app.story_lang
        localize_bindings(self, LABELS, ui)
        ending = play.ending
        fallback = play.story.default_language
        kind = self.query_one("#ending-kind", Static)
        kind.update(RichText(f" {kind_label(ending.kind, lang)} ", style="bold"))
        for name in ("safe", "mixed", "bad"):
            kind.set_class(ending.kind == name, f"kind-{name}")
        title = RichText(ending.title.get(lang, fallback), style="bold")
        self.query_one("#ending-title", Static).update(Wrapped(title))
        scene_title = play.title(lang)
        heading = "" if scene_title == ending.title.get(lang, fallback) else f"**{scene_title}**\n\n"
        self.query_one("#ending-text", MarkdownText).set_markdown(heading + play.text(lang))
        summary = ending.summary.get(lang, fallback) if ending.summary else ""
        self.query_one("#ending-summary", Static).update(Wrapped(RichText(summary, style="italic")))
        self.query_one("#debrief-heading", Static).update(RichText(tr("debrief", ui), style="bold"))
        self.query_one(DebriefView).show(play, lang)
        app.title = play.story.title.get(lang, fallback)
        app.sub_title = tr("ending", ui)

    def action_play_again(self) -> None:
        """Start the same story again."""
        self.app.new_game()

    def action_to_title(self) -> None:
        """Back to the title screen."""
        self.app.to_title()

    def action_gallery(self) -> None:
        """Show the endings reached."""
        self.app.action_gallery()

    def action_undo(self) -> None:
        """Step back from the ending into the story."""
        self.app.undo()

    def action_history(self) -> None:
        """Show the transcript."""
        self.app.action_history()

    def action_export(self) -> None:
        """Offer the debrief as Markdown (a download in the browser, a file in a terminal)."""
        self.app.export_debrief()
