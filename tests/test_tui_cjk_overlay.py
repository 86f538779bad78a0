"""The CJK blank band (Textual #6357): a wide character on top of another widget's edge must stay visible.

A minimal app: two panes side by side whose border lies under a notification at a column that falls in the
middle of a Chinese character of the notification's title. Textual alone blanks that character (the band);
with :mod:`game.tui.cjk_overlay` installed, the full screen and a partial redraw both keep it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.geometry import Region
from textual.widgets import Static

from game.tui import cjk_overlay

TITLE = "危险信号：人为制造的紧迫感"
BODY = "骗子催你赶快行动，好让你来不及思考。"
WIDTH, HEIGHT = 100, 30


class Overlap(App[None]):
    """A left pane 72 columns wide: its edge at column 72 cuts a character of the toast that starts at 49."""

    CSS = "#left { width: 72; height: 1fr; } #right { width: 1fr; height: 1fr; border-left: vkey $primary; }"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static("", id="left")
            yield Static("", id="right")


def screen_text(app: App[None]) -> list[str]:
    """The screen's lines as the compositor draws them in one full update."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


class Terminal:
    """Just enough of a terminal to replay cursor moves and text, wide characters as real terminals treat them:
    writing over either half of a wide character blanks all of it."""

    def __init__(self, lines: list[str]) -> None:
        self.cells: list[list[str]] = []
        for line in lines:
            row: list[str] = []
            for char in line:
                row.append(char)
                if cell_len(char) == 2:
                    row.append("")  # the right half of the character before
            self.cells.append((row + [" "] * WIDTH)[:WIDTH])
        self.x = self.y = 0

    def put(self, char: str) -> None:
        row, x = self.cells[self.y], self.x
        width = cell_len(char)
        for cell in range(x, min(x + width, WIDTH)):
            if row[cell] == "" and cell > 0 and cell - 1 < x:
                row[cell - 1] = " "  # overwrote the right half: the left half goes blank
            if cell + 1 < WIDTH and row[cell + 1] == "" and cell + 1 >= x + width:
                row[cell + 1] = " "  # overwrote the left half: the right half goes blank
        row[x] = char
        if width == 2 and x + 1 < WIDTH:
            row[x + 1] = ""
        self.x += width

    def feed(self, data: str) -> None:
        for token in re.split(r"(\x1b\[[0-9;?]*[A-Za-z])", data):
            if token.startswith("\x1b["):
                if token.endswith("H"):
                    y, x = (int(n) for n in token[2:-1].split(";"))
                    self.y, self.x = y - 1, x - 1
                continue
            for char in token:
                if char == "\n":
                    self.y, self.x = self.y + 1, 0
                elif char != "\r":
                    self.put(char)

    def lines(self) -> Iterator[str]:
        for row in self.cells:
            yield "".join(row)


async def show_toast(app: Overlap) -> None:
    async with app.run_test(size=(WIDTH, HEIGHT), notifications=True) as pilot:
        app.notify(BODY, title=TITLE, timeout=30)
        await pilot.pause(0.3)
        app.full = screen_text(app)  # type: ignore[attr-defined]
        # Redraw a region under the toast that crosses the edge, as when widgets under it change.
        compositor = app.screen._compositor
        compositor._dirty_regions.add(Region(60, 0, 20, HEIGHT))
        update = compositor.render_partial_update()
        assert update is not None
        terminal = Terminal(app.full)  # type: ignore[attr-defined]
        terminal.feed(update.render_segments(app.console))
        app.partial = list(terminal.lines())  # type: ignore[attr-defined]


@pytest.fixture
def patched() -> Iterator[None]:
    was = cjk_overlay.is_installed()
    assert cjk_overlay.install()
    yield
    if not was:
        cjk_overlay.uninstall()


@pytest.fixture
def unpatched() -> Iterator[None]:
    was = cjk_overlay.is_installed()
    cjk_overlay.uninstall()
    yield
    if was:
        cjk_overlay.install()


def test_the_workaround_keeps_every_character_of_a_toast_over_an_edge(patched: None) -> None:
    app = Overlap()
    asyncio.run(show_toast(app))
    assert any(TITLE in line for line in app.full), "\n".join(app.full)
    assert any(BODY[:10] in line for line in app.full), "\n".join(app.full)
    assert any(TITLE in line for line in app.partial), "\n".join(app.partial)
    assert any(BODY[:10] in line for line in app.partial), "\n".join(app.partial)


def test_textual_alone_blanks_the_character_on_the_edge(unpatched: None) -> None:
    """The cause, pinned: without the workaround the character over column 72 is lost (this is Textual #6357).

    When this starts failing, Textual fixed it: drop game/tui/cjk_overlay.py and its version bound.
    """
    app = Overlap()
    asyncio.run(show_toast(app))
    assert not any(TITLE in line for line in app.full)
    assert any("人为制造的  迫感" in line for line in app.full), "\n".join(app.full)


def test_the_workaround_changes_nothing_where_nothing_overlaps(patched: None) -> None:
    """Screens without overlaps draw exactly as Textual draws them."""

    async def draw() -> tuple[list[str], list[str]]:
        app = Overlap()
        async with app.run_test(size=(WIDTH, HEIGHT)) as pilot:
            app.query_one("#left", Static).update("第一行文字" * 30)
            app.query_one("#right", Static).update("Side 旁边")
            await pilot.pause()
            mine = screen_text(app)
            cjk_overlay.uninstall()
            theirs = screen_text(app)
            cjk_overlay.install()
            return mine, theirs

    mine, theirs = asyncio.run(draw())
    assert mine == theirs


def test_install_refuses_other_textual_versions(monkeypatch: pytest.MonkeyPatch, unpatched: None) -> None:
    monkeypatch.setattr(cjk_overlay, "version", lambda name: "9.0.0")
    assert cjk_overlay.install() is False
    assert not cjk_overlay.is_installed()
