"""The play screen at small and large sizes: red flags named above the choices (never covering them), and the
question a choice answers in view together with the choices, in both languages."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.widget import Widget

from game.persist.settings import Settings
from game.sources import resolve_stories
from game.tui.app import CrossroadsApp
from game.tui.screens.play import PlayScreen
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.flag_line import FlagLine

OFFER = Path(__file__).parent / "stories" / "offer"
SIZES = [(60, 20), (100, 30)]
WORDS = {
    "en": {"flag": "Red flag: Borrowed trust", "ask": "Do you take the envelope?", "choice": "3. Say no"},
    "zh": {"flag": "危险信号：借来的信任", "ask": "这个信封，你收不收？", "choice": "3. 拒绝"},
}


def screen_lines(app: CrossroadsApp) -> list[str]:
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def on_screen(app: CrossroadsApp, widget: Widget) -> bool:
    """The widget is displayed and wholly inside the screen, uncovered by anything (toasts included)."""
    region = widget.region
    screen = app.screen.region
    if not widget.display or not region or not screen.contains_region(region):
        return False
    corners = [(region.x, region.y), (region.right - 1, region.bottom - 1)]
    return all(app.screen.get_widget_at(x, y)[0] is widget for x, y in corners)


def play(lang: str, size: tuple[int, int], keys: list[str], settings: Settings | None = None) -> dict:
    found: dict = {}

    async def run() -> None:
        app = CrossroadsApp(resolve_stories(str(OFFER)).entries, lang=lang, settings=settings or Settings())
        async with app.run_test(size=size, notifications=True) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            await pilot.pause(0.2)
            assert isinstance(app.screen, PlayScreen)
            screen = app.screen
            found["lines"] = screen_lines(app)
            found["flag_shown"] = on_screen(app, screen.query_one(FlagLine))
            found["ask_shown"] = on_screen(app, screen.query_one("#ask-line"))
            found["choices_shown"] = on_screen(app, screen.query_one(ChoiceList))
            scroll = screen.query_one("#scene-scroll", VerticalScroll)
            found["scroll"] = (scroll.scroll_y, scroll.max_scroll_y)
            found["notes"] = list(app._notifications)

    asyncio.run(run())
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flag_question_and_choices_are_all_in_view(lang: str, size: tuple[int, int]) -> None:
    found = play(lang, size, ["enter", "1"])  # swap numbers: a red flag, then the long scene with a question
    text = "\n".join(found["lines"])
    assert found["flag_shown"] and found["ask_shown"] and found["choices_shown"], text
    assert WORDS[lang]["flag"] in text
    assert WORDS[lang]["ask"] in text
    assert WORDS[lang]["choice"] in text
    assert found["notes"] == []  # no toast anywhere, so none can cover a choice
    # The question is right above the choices; the flag line right above the question.
    lines = found["lines"]
    ask_row = next(i for i, line in enumerate(lines) if WORDS[lang]["ask"] in line)
    flag_row = next(i for i, line in enumerate(lines) if WORDS[lang]["flag"] in line)
    assert flag_row < ask_row
    assert "1. " in lines[ask_row + 2]
    # A scene with its question beside the choices is read from its top.
    assert found["scroll"][0] == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_long_scene_without_a_question_shows_its_end_with_the_choices(lang: str) -> None:
    found = play(lang, (60, 20), ["enter", "2"])  # keep your number: no flag; the next scene has no ask:
    scroll_y, max_scroll_y = found["scroll"]
    assert max_scroll_y > 0, "the scene should be taller than its pane at 60x20"
    assert scroll_y == max_scroll_y
    text = "\n".join(found["lines"])
    assert ("list you never sent" in text) if lang == "en" else ("从没发出的名单" in text)
    assert not found["flag_shown"]
    assert not found["ask_shown"]


def test_the_next_choice_replaces_the_flag_line() -> None:
    found = play("en", (100, 30), ["enter", "1", "2"])  # the flag, then a choice without one
    assert not found["flag_shown"]
    assert "Red flag:" not in "\n".join(found["lines"])
    assert "⚑ Borrowed trust" in "\n".join(found["lines"])  # the side panel still lists it


def test_held_alerts_keep_the_flag_line_empty() -> None:
    found = play("zh", (60, 20), ["enter", "1"], Settings(hold_flags=True))
    assert not found["flag_shown"]
    assert "危险信号：" not in "\n".join(found["lines"])


def test_narrow_flag_line_names_the_flag_only() -> None:
    found = play("en", (60, 20), ["enter", "1"])
    text = "\n".join(found["lines"])
    assert "Red flag: Borrowed trust" in text
    assert "inherit that trust" not in text


def test_the_flag_line_explains_once_the_terminal_is_wide_enough() -> None:
    async def run() -> str:
        app = CrossroadsApp(resolve_stories(str(OFFER)).entries, lang="en", settings=Settings())
        async with app.run_test(size=(60, 20)) as pilot:
            await pilot.press("enter", "1")
            await pilot.pause()
            await pilot.resize_terminal(100, 30)
            await pilot.pause(0.2)
            return "\n".join(screen_lines(app))

    assert "inherit that trust" in asyncio.run(run())


def test_the_side_panel_marks_the_flags_just_walked_into() -> None:
    async def run() -> tuple[set[str], set[str]]:
        app = CrossroadsApp(resolve_stories(str(OFFER)).entries, lang="en", settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter", "1")
            await pilot.pause()
            panel = app.screen.query_one("#side-panel")
            marked = lambda: {  # noqa: E731
                seg.text.strip()
                for y in range(panel.size.height)
                for seg in panel.render_line(y)
                if seg.style and seg.style.reverse and seg.text.strip()
            }
            first = marked()
            await pilot.press("2")  # a choice without a red flag: nothing stands out any more
            await pilot.pause()
            return first, marked()

    first, after = asyncio.run(run())
    assert first == {"Borrowed trust"}
    assert after == set()
