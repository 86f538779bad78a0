"""MarkdownScreen and :func:`show_markdown`: a scrollable Markdown page with tables (the class report, shown by
``crossroads report --tui`` and the facilitator's R key)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown


class MarkdownScreen(Screen):
    """A scrollable Markdown page; Esc or Q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "close", "Close")]
    DEFAULT_CSS = """
    MarkdownScreen #md-scroll { padding: 1 2; }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="md-scroll"):
            yield Markdown(self.markdown, id="md-text")  # Textual's widget: it draws the report's tables
        yield Footer()

    def action_close(self) -> None:
        """Close the page (or the viewer, when it is the only screen)."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.exit()


class _MarkdownApp(App[None]):
    def __init__(self, markdown: str, title: str) -> None:
        super().__init__()
        self.markdown = markdown
        self.title = title

    def on_mount(self) -> None:
        self.push_screen(MarkdownScreen(self.markdown))


def show_markdown(markdown: str, title: str = "Crossroads") -> None:
    """Show ``markdown`` full-screen until the user closes it (``crossroads report --tui``)."""
    _MarkdownApp(markdown, title).run()
