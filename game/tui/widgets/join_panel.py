"""JoinPanel: how phones join the class — the QR code, the address in text and the room code.

Used by the class dashboard and by live facilitator mode. The QR code encodes the address with the room
code, so a phone that scans it joins at once; the address and code are there for typing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from game.i18n import tr
from game.web.qr import qr_lines


def join_link(base_url: str, code: str) -> str:
    """The address a phone opens: the page with the room code filled in."""
    return f"{base_url.rstrip('/')}/?room={code}"


class JoinPanel(Vertical):
    """The QR code, the join address and the room code, in the UI's language."""

    DEFAULT_CSS = """
    JoinPanel { height: auto; width: auto; padding: 0 1; }
    JoinPanel #join-qr { width: auto; height: auto; color: black; background: white; }
    JoinPanel #join-address { padding-top: 1; width: auto; }
    JoinPanel #join-code { text-style: bold; color: $accent; width: auto; }
    JoinPanel.-no-qr #join-qr { display: none; }
    """

    def __init__(self, base_url: str, code: str, lang: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.base_url = base_url
        self.code = code
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Static(Text("\n".join(qr_lines(join_link(self.base_url, self.code)))), id="join-qr")
        yield Static(id="join-address")
        yield Static(id="join-code")

    def on_mount(self) -> None:
        self.apply_language(self.lang)

    def apply_language(self, lang: str) -> None:
        """Redraw the texts in ``lang``."""
        self.lang = lang
        self.query_one("#join-address", Static).update(Text(tr("join_at", lang, url=self.base_url)))
        spaced = " ".join(self.code)
        self.query_one("#join-code", Static).update(Text(tr("room_code_line", lang, code=spaced)))

    def show_qr(self, visible: bool) -> None:
        """Show or hide the QR code (the address and code stay)."""
        self.set_class(not visible, "-no-qr")
