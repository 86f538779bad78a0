"""GalleryScreen: every ending of the story, with the ones reached so far (kept across runs) revealed."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from game.i18n import tr
from game.persist.progress import endings_reached
from game.playtext import kind_label
from game.tui.localize import localize_bindings
from game.tui.prose import Wrapped
from game.tui.widgets.footer import GameFooter

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp

KIND_STYLE = {"safe": "bold green", "mixed": "bold yellow", "bad": "bold red"}


class GalleryScreen(Screen):
    """The endings gallery; Escape returns."""

    AUTO_FOCUS = "#gallery-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,g,q", "close", "Close")]

    app: CrossroadsApp

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="gallery-scroll"):
            with Vertical(id="gallery-column"):
                yield Static(id="gallery-heading", markup=False)
                yield Static(id="gallery-list", markup=False)
        yield GameFooter()

    def on_mount(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        app = self.app
        ui = app.ui_lang
        lang = app.story_lang
        story = app.story
        fallback = story.default_language
        localize_bindings(self, {"close": "close"}, ui)
        reached = endings_reached(story.id)
        endings = story.endings()
        got = sum(1 for scene in endings if scene.id in reached)
        heading = tr("gallery_title", ui, reached=got, total=len(endings))
        self.query_one("#gallery-heading", Static).update(RichText(heading, style="bold"))
        text = RichText()
        for scene in endings:
            ending = scene.ending
            assert ending is not None
            if text:
                text.append("\n\n")
            if scene.id in reached:
                text.append("● ", style=KIND_STYLE.get(ending.kind, "bold"))
                text.append(ending.title.get(lang, fallback), style="bold")
                text.append(f"  {kind_label(ending.kind, lang)} · {tr('reached_times', ui, n=reached[scene.id])}")
                if ending.summary is not None:
                    text.append("\n  " + ending.summary.get(lang, fallback), style="italic")
            else:
                text.append("○ ???  ", style="dim")
                text.append(tr("not_reached", ui), style="dim italic")
        self.query_one("#gallery-list", Static).update(Wrapped(text, hang=2))
        app.sub_title = tr("endings_gallery", ui)

    def action_close(self) -> None:
        """Back to where the gallery was opened."""
        self.dismiss()
