"""No English in the Chinese UI and no Chinese in the English one: every screen walked in both languages.

The English words looked for are those of the UI strings table (game/i18n.py) that appear in no Chinese
string (so "PgUp" or "Ctrl" are allowed in Chinese). The English UI may name the other language in its own
script, and only there (the language switch: 简体中文).
"""

from __future__ import annotations

import asyncio
import re

import pytest

from game.engine import Playthrough
from game.i18n import LANGUAGE_NAMES, STRINGS, tr
from game.persist import saves
from game.persist.settings import Settings
from game.sources import resolve_stories
from game.tui.app import CrossroadsApp
from game.tui.screens.too_small import TooSmallScreen
from tests.conftest import TUTORIAL

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# Textual's own words that this app cannot reach (its "Keys" help panel is not opened here).
ALLOWED_IN_ZH = {"Crossroads"}


def english_words() -> set[str]:
    english: set[str] = set()
    chinese = " ".join(value for entry in STRINGS.values() for lang, value in entry.items() if lang.startswith("zh"))
    for entry in STRINGS.values():
        for lang, value in entry.items():
            if lang.startswith("en"):
                english.update(WORD.findall(value))
    return {word for word in english if word not in chinese and word not in ALLOWED_IN_ZH}


# (label, keys pressed from the title screen)
WALK = [
    ("title", []),
    ("help", ["question_mark"]),
    ("palette", ["ctrl+p"]),
    ("load", ["l"]),
    ("gallery", ["e"]),
    ("continue without autosave", ["c"]),
    ("play", ["n"]),
    ("play after a flag", ["n", "1"]),
    ("locked choice", ["n", "1", "3", "2"]),  # ask a friend, then the locked choice: its reason is shown
    ("save", ["n", "s"]),
    ("history", ["n", "1", "h"]),
    ("ending", ["n", "1", "1"]),
    ("undo at the start", ["n", "b"]),
]


def walk(lang: str, keys: list[str], make_save: bool = False) -> list[str]:
    screens: list[str] = []

    async def run() -> None:
        if make_save:
            story = resolve_stories(str(TUTORIAL)).entries[0].story
            assert story is not None
            saves.write_save(Playthrough(story, "en"), "s1", "en")  # made in English, listed in either language
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang=lang, settings=Settings())
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
                await pilot.pause(0.1)
            await pilot.pause(0.3)
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            notes = [f"{n.title} {n.message}" for n in app._notifications]
            screens.append("\n".join(lines + notes))

    asyncio.run(run())
    return screens


@pytest.mark.parametrize(("label", "keys"), WALK, ids=[label for label, _ in WALK])
def test_no_english_in_the_chinese_ui(label: str, keys: list[str]) -> None:
    words = english_words()
    (screen,) = walk("zh", keys, make_save=label == "load")
    leaked = sorted({word for word in WORD.findall(screen) if word in words})
    assert not leaked, f"{label}: {leaked}\n{screen}"


@pytest.mark.parametrize(("label", "keys"), WALK, ids=[label for label, _ in WALK])
def test_no_chinese_in_the_english_ui(label: str, keys: list[str]) -> None:
    (screen,) = walk("en", keys, make_save=label == "load")
    for name in LANGUAGE_NAMES.values():
        screen = screen.replace(name, "")
    assert not CJK.search(screen), f"{label}:\n{screen}"


def test_the_english_word_list_is_not_empty() -> None:
    words = english_words()
    assert {"Load", "Back", "History", "locked"} <= words
    assert "PgUp" not in words


def test_plurals_in_english_and_one_form_in_chinese() -> None:
    assert tr("n_endings", "en", n=1) == "1 ending"
    assert tr("n_endings", "en", n=2) == "2 endings"
    assert tr("n_scenes", "en", n=0) == "0 scenes"
    assert tr("undone", "en", n=1) == "Went back one step."
    assert tr("undone", "en", n=3) == "Went back 3 steps."
    assert tr("n_endings", "zh", n=1) == "1 个结局"


def test_the_too_small_notice_speaks_both_languages() -> None:
    async def run() -> str:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang="zh", settings=Settings())
        async with app.run_test(size=(40, 12)) as pilot:
            await pilot.pause(0.2)
            assert isinstance(app.screen, TooSmallScreen)
            return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

    text = asyncio.run(run())
    assert "终端窗口太小" in text and "too small" in text


def test_after_f2_and_a_relaunch_a_locked_choice_gives_its_reason_in_the_new_language() -> None:
    async def first_run() -> None:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang="en")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("n", "1", "3")  # to the friend's scene, autosaved in English
            await pilot.pause()
            await pilot.press("f2")  # Chinese from now on (kept in the settings)
            await pilot.pause()

    async def second_run() -> list[str]:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries)  # language from the settings
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("c")  # continue from the autosave made in English
            await pilot.pause()
            assert app.play is not None and app.play.scene.id == "friend"
            await pilot.press("2")  # the locked choice
            await pilot.pause()
            return [n.message for n in app._notifications]

    asyncio.run(first_run())
    assert asyncio.run(second_run()) == ["你的警觉还不够（需要达到 2）。"]


def test_a_damaged_autosave_is_reported_in_chinese(crossroads_home) -> None:
    folder = crossroads_home / "saves" / "tutorial"
    folder.mkdir(parents=True)
    (folder / "autosave.json").write_text("{not json", encoding="utf-8")

    async def run() -> list[str]:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang="zh", settings=Settings())
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("c")
            await pilot.pause()
            return [n.message for n in app._notifications]

    (message,) = asyncio.run(run())
    assert message.startswith("无法读档：存档“自动存档”已损坏")
    assert "autosave.json.bad" in message
    words = WORD.findall(message.replace("autosave.json.bad", ""))  # the file's own name may stay
    assert not {word for word in words if word in english_words()}


def test_the_exported_debrief_uses_chinese_punctuation(crossroads_home) -> None:
    async def run() -> None:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang="zh", settings=Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("n", "1", "1", "e")  # the bad ending, then export its debrief
            await pilot.pause()

    asyncio.run(run())
    (exported,) = (crossroads_home / "debriefs").glob("*.md")
    text = exported.read_text(encoding="utf-8")
    assert "**结局**：上当受骗（糟糕）" in text
    assert "结局: " not in text and "(糟糕" not in text
