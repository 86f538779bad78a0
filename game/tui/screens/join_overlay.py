"""JoinOverlay: the join QR code, address and room code over the facilitator screen (live votes).

Shown when the class session starts and on the ``w`` key; any of ``w``, Esc or Enter closes it, so at 80x24
the vote panel keeps its place under it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from game.i18n import tr
from game.tui.widgets.join_panel import JoinPanel


class JoinOverlay(ModalScreen[None]):
    """A modal with the :class:`JoinPanel`; closes on ``w``, Esc or Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("w,escape,enter,space", "dismiss", "Close")]
    DEFAULT_CSS = """
    JoinOverlay { align: center middle; }
    JoinOverlay > Vertical { width: auto; height: auto; border: round $accent; background: $panel; padding: 0 1; }
    JoinOverlay #join-close { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, base_url: str, code: str, lang: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.code = code
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical():
            yield JoinPanel(self.base_url, self.code, self.lang)
            yield Static(tr("join_close", self.lang), id="join-close", markup=False)

    def on_mount(self) -> None:
        panel = self.query_one(JoinPanel)
        panel.show_qr(self.app.size.height >= 22)
