"""StoryErrorScreen: a dismissable panel listing story diagnostics (``path:line:col: CODE: message``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from game.diagnostics import Diagnostic
from game.i18n import tr
from game.tui.prose import Wrapped

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp


class StoryErrorScreen(ModalScreen[None]):
    """Shown over the game (which stays where it is) when a reloaded story has errors."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q", "close", "Close")]

    app: CrossroadsApp

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__()
        self.diagnostics = list(diagnostics)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="error-box"):
            yield Static(id="error-list", markup=False)
            yield Static(id="error-hint", markup=False)

    def on_mount(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        ui = self.app.ui_lang
        box = self.query_one("#error-box")
        box.border_title = tr("story_error_title", ui)
        box.border_subtitle = "Esc"
        text = RichText()
        for diagnostic in self.diagnostics:
            if text:
                text.append("\n")
            text.append(str(diagnostic.location), style="bold")
            tag = diagnostic.code if diagnostic.is_error else f"{diagnostic.code} (warning)"
            text.append(f": {tag}: ", style="bold red" if diagnostic.is_error else "bold yellow")
            text.append(diagnostic.message)
        self.query_one("#error-list", Static).update(Wrapped(text, hang=2))
        self.query_one("#error-hint", Static).update(RichText(tr("story_error_hint", ui), style="dim"))

    def action_close(self) -> None:
        """Dismiss the panel."""
        self.dismiss()
