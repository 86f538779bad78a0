"""The Load dialog: the save the highlight is on is the one loaded (the first ↓ moves to the second save), and
saves are listed in the current language whatever language they were made in."""

from __future__ import annotations

import asyncio

from textual.widgets import OptionList

from game.engine import Playthrough
from game.persist import saves
from game.persist.settings import Settings
from game.sources import resolve_stories
from game.tui.app import CrossroadsApp
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from tests.conftest import TUTORIAL


def make_saves() -> dict[str, str]:
    """Three saves in English at three different scenes (the autosave is listed first); slot id -> scene id."""
    story = resolve_stories(str(TUTORIAL)).entries[0].story
    assert story is not None
    play = Playthrough(story, "en")
    saves.write_save(play, "at the start", "en")
    play.choose(0)
    saves.write_save(play, "at the form", "en")
    play.choose(2)  # ask a friend
    saves.autosave(play, "en")
    slots, problems = saves.list_saves(story.id)
    assert not problems
    scenes = {slot.slot: slot.scene for slot in slots}
    assert len(set(scenes.values())) == 3
    return scenes


def run_load(keys: list[str], lang: str = "en") -> dict:
    found: dict = {}

    async def run() -> None:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang=lang, settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("l")
            await pilot.pause()
            assert isinstance(app.screen, SavesScreen)
            listing = app.screen.query_one("#slots", OptionList)
            found["labels"] = [str(option.prompt) for option in listing.options]
            found["slots"] = [option.id for option in listing.options]
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            highlighted = listing.highlighted
            assert highlighted is not None
            found["highlighted_slot"] = listing.get_option_at_index(highlighted).id
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PlayScreen)
            assert app.play is not None
            found["loaded_path"] = app.play.path

    asyncio.run(run())
    return found


def test_enter_right_away_loads_the_first_save_listed() -> None:
    scenes = make_saves()
    found = run_load([])
    assert found["highlighted_slot"] == saves.AUTOSAVE
    assert found["loaded_path"][-1] == scenes[saves.AUTOSAVE]


def test_the_first_down_moves_to_the_second_save_and_that_one_loads() -> None:
    scenes = make_saves()
    found = run_load(["down"])
    second = found["highlighted_slot"]
    assert second == found["slots"][1] != saves.AUTOSAVE
    assert found["loaded_path"][-1] == scenes[second]
    assert "at the" in found["labels"][1]


def test_the_third_save_loads_after_two_downs() -> None:
    scenes = make_saves()
    found = run_load(["down", "down"])
    assert found["highlighted_slot"] == found["slots"][2]
    assert found["loaded_path"][-1] == scenes[found["highlighted_slot"]]


def test_saves_made_in_english_are_listed_in_chinese() -> None:
    make_saves()
    found = run_load([], lang="zh")
    text = "\n".join(found["labels"])
    assert "自动存档" in text and "午夜的短信" in text and "领奖表格" in text
    assert "The claim form" not in text and "A message at midnight" not in text and "step" not in text
