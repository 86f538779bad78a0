"""The title screen (its content note can be scrolled to the end, its footer shows the menu's keys) and the
notice below the smallest supported terminal (60x20)."""

from __future__ import annotations

import asyncio

import pytest
from textual.containers import VerticalScroll

from game.persist.settings import Settings
from game.sources import resolve_stories
from game.tui.app import CrossroadsApp
from game.tui.screens.ending import EndingScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.too_small import TooSmallScreen
from tests.conftest import CLASS_MONITOR, TUTORIAL


def bundled_app(lang: str = "en") -> CrossroadsApp:
    return CrossroadsApp(resolve_stories(None).entries, lang=lang, settings=Settings())


def lines(app: CrossroadsApp) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def test_the_whole_content_note_can_be_read_at_100x30() -> None:
    story = resolve_stories(str(CLASS_MONITOR)).entries[0].story
    assert story is not None and story.content_note is not None
    last_words = " ".join(story.content_note.get("en", "en").split()[-3:])

    async def run() -> None:
        app = CrossroadsApp(resolve_stories(str(CLASS_MONITOR)).entries, lang="en", settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            info = app.screen.query_one("#title-info", VerticalScroll)
            assert info.max_scroll_y > 0, "the note should not fit at 100x30 (else this test shows nothing)"
            assert last_words not in " ".join(" ".join(lines(app)).split())
            assert "PgUp/PgDn" in " ".join(lines(app))
            await pilot.press("pagedown", "pagedown", "pagedown")
            await pilot.pause(0.3)
            assert info.scroll_y == info.max_scroll_y
            assert last_words in " ".join(" ".join(lines(app)).split())
            assert app.screen.query_one("#menu").has_focus  # the menu keeps the focus

    asyncio.run(run())


def test_the_title_footer_shows_load_and_endings_when_there_is_room() -> None:
    async def run() -> None:
        app = bundled_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, TitleScreen)
            footer = lines(app)[-1]
            assert "l Load" in footer and "e Endings" in footer and "^p Commands" in footer

    asyncio.run(run())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_narrow_footers_end_with_the_palette_key_and_nothing_after_it(lang: str) -> None:
    palette = {"en": "^p Commands", "zh": "^p 命令"}[lang]

    async def run() -> None:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang=lang, settings=Settings())
        async with app.run_test(size=(60, 20)) as pilot:
            for keys in [[], ["enter"], ["3"]]:  # title, play, an ending (whose keys overflow 60 columns)
                await pilot.press(*keys)
                await pilot.pause(0.2)
                footer = lines(app)[-1]
                assert footer.endswith(palette), footer
            assert isinstance(app.screen, EndingScreen)

    asyncio.run(run())


def test_too_small_a_terminal_shows_a_notice_in_both_languages_until_it_grows() -> None:
    async def run() -> None:
        app = bundled_app()
        async with app.run_test(size=(50, 15)) as pilot:
            await pilot.pause(0.2)
            assert isinstance(app.screen, TooSmallScreen)
            text = "\n".join(lines(app))
            assert "too small" in text and "终端窗口太小" in text and "50×15" in text
            await pilot.resize_terminal(59, 30)
            await pilot.pause(0.2)
            assert isinstance(app.screen, TooSmallScreen)
            assert "59×30" in "\n".join(lines(app))
            await pilot.resize_terminal(60, 20)
            await pilot.pause(0.2)
            assert isinstance(app.screen, TitleScreen)
            await pilot.resize_terminal(80, 19)
            await pilot.pause(0.2)
            assert isinstance(app.screen, TooSmallScreen)

    asyncio.run(run())
