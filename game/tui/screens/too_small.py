"""TooSmallScreen: below the smallest size the layout supports (60x20), a notice instead of a broken layout.

:func:`guard_size` is called by the app at start and on every resize: it puts the notice over whatever is shown
and takes it away again when the terminal is big enough. The notice is in both languages at once (the reader
may not be able to read the current one), and Ctrl+Q still quits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from game.i18n import UI_LANGUAGES, tr
from game.tui.prose import Wrapped

if TYPE_CHECKING:
    from textual.app import App

MIN_WIDTH = 60
MIN_HEIGHT = 20


class TooSmallScreen(ModalScreen[None]):
    """Covers the screen with the minimum size and the current one; goes away by itself."""

    DEFAULT_CSS = """
    TooSmallScreen { align: center middle; background: $background; }
    TooSmallScreen > Static { width: 100%; height: auto; padding: 0 1; text-align: center; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="too-small-text", markup=False)

    def on_mount(self) -> None:
        self.show_size(self.app.size)

    def on_screen_resume(self) -> None:
        # Back on top after a window opened over it (help, F1): the terminal may have grown meanwhile.
        if not is_too_small(self.app.size):
            self.dismiss()

    def show_size(self, size: Size) -> None:
        """Say how big the terminal is and how big it needs to be."""
        text = RichText()
        for number, lang in enumerate(UI_LANGUAGES):
            if number:
                text.append("\n\n")
            text.append(tr("too_small_title", lang) + "\n", style="bold")
            text.append(
                tr("too_small", lang, width=MIN_WIDTH, height=MIN_HEIGHT, now_width=size.width, now_height=size.height)
            )
        self.query_one("#too-small-text", Static).update(Wrapped(text))


def is_too_small(size: Size) -> bool:
    """Whether ``size`` is below the smallest supported terminal."""
    return size.width < MIN_WIDTH or size.height < MIN_HEIGHT


def guard_size(app: App, size: Size) -> None:
    """Show the notice when ``size`` is too small, remove it when it is not."""
    stack = app.screen_stack
    shown = next((screen for screen in stack if isinstance(screen, TooSmallScreen)), None)
    if is_too_small(size):
        if shown is None:
            if len(stack) > 1:  # not before the app's first screen (the app calls again once it is shown)
                app.push_screen(TooSmallScreen())
        elif shown.is_mounted:
            shown.show_size(size)
    elif shown is not None and app.screen is shown:
        app.pop_screen()
