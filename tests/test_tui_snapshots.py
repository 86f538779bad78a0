"""Snapshot tests (pytest-textual-snapshot) of the key screens at 80x24 and 60x20, in English and Chinese, and of a
scene just after a red-flag choice (the flag line, the question and the choices) at 60x20 and 100x30.

Run ``pytest tests/test_tui_snapshots.py --snapshot-update`` after an intended visual change, and look at the
report before committing the new SVGs.
"""

from __future__ import annotations

import pytest

from game.persist.settings import Settings
from game.sources import resolve_stories
from game.tui.app import CrossroadsApp
from tests.conftest import ROOT, TUTORIAL

OFFER = ROOT / "tests" / "stories" / "offer"
FLAG_SIZES = [(60, 20), (100, 30)]

SIZES = [(80, 24), (60, 20)]
LANGS = ["en", "zh"]
SCREENS = {
    "title": [],
    "play": ["enter"],
    "history": ["enter", "1", "3", "h"],
    "ending": ["enter", "3"],
}


def _app(lang: str) -> CrossroadsApp:
    # Alerts are held so that no notification toast covers the screens.
    return CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang=lang, settings=Settings(hold_flags=True))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, screen: str, lang: str, size: tuple[int, int]) -> None:
    assert snap_compare(_app(lang), press=SCREENS[screen], terminal_size=size)


@pytest.mark.parametrize("size", FLAG_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
def test_red_flag_just_taken(snap_compare, lang: str, size: tuple[int, int]) -> None:
    """Alerts on: the flag is named above the question, which is right above the choices; nothing covers them."""
    app = CrossroadsApp(resolve_stories(str(OFFER)).entries, lang=lang, settings=Settings())
    assert snap_compare(app, press=["enter", "1"], terminal_size=size)
