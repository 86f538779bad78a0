"""Pilot tests of the Textual app: the whole loop in both languages, saves, alerts, reloads and launching."""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
from collections.abc import Callable, Coroutine
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import OptionList, Static

from game.classroom.records import records_path
from game.diagnostics import Diagnostic, Location
from game.loader import load_story
from game.persist import saves
from game.persist.progress import endings_reached
from game.session import CLOSE_TIMEOUT
from game.sources import resolve_stories
from game.tui.app import CrossroadsApp
from game.tui.launch import run_app
from game.tui.screens.ending import EndingScreen
from game.tui.screens.gallery import GalleryScreen
from game.tui.screens.help import HelpScreen
from game.tui.screens.history import HistoryScreen
from game.tui.screens.play import PlayScreen
from game.tui.screens.saves import SavesScreen
from game.tui.screens.story_error import StoryErrorScreen
from game.tui.screens.title import TitleScreen
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.flag_line import FlagLine
from game.tui.widgets.markdown_text import MarkdownText
from game.tui.widgets.side_panel import SidePanel
from tests.conftest import TUTORIAL

WORDS = {
    "en": {
        "new": "New game",
        "flag": "Red flag: Artificial urgency",
        "saved": "Saved as",
        "kind": "Bad ending",
        "gallery": "Endings gallery: 1 of 3 reached",
    },
    "zh": {
        "new": "新游戏",
        "flag": "危险信号：人为制造的紧迫感",
        "saved": "已保存为",
        "kind": "糟糕的结局",
        "gallery": "结局图鉴：已达成 1/3",
    },
}


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async pilot test with asyncio (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def make_app(lang: str = "en") -> CrossroadsApp:
    return CrossroadsApp(resolve_stories(str(TUTORIAL)).entries, lang=lang)


def shown(widget: Widget) -> str:
    """The text a widget draws on screen, lines joined (trailing spaces removed)."""
    return "\n".join(widget.render_line(y).text.rstrip() for y in range(widget.size.height))


def texts(app: CrossroadsApp) -> str:
    """Everything the current screen's Static widgets draw, plus the source of Markdown texts."""
    out = [shown(widget) for widget in app.screen.query(Static)]
    out += [widget.markdown for widget in app.screen.query(MarkdownText)]
    return "\n".join(out)


def notes(app: CrossroadsApp) -> list[str]:
    return [f"{n.title} {n.message}" for n in app._notifications]


@pytest.mark.parametrize("lang", ["en", "zh"])
@sync
async def test_whole_loop(lang: str, crossroads_home: Path) -> None:
    words = WORDS[lang]
    app = make_app(lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert words["new"] in shown(app.screen.query_one("#menu"))
        await pilot.press("enter")  # Enter starts a new game
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.play is not None and app.play.scene.id == "message"
        await pilot.press("1")  # digit: tap the link (a red flag)
        await pilot.pause()
        assert app.play.scene.id == "form"
        # The red flag is named on the line above the choices, not in a toast over them.
        assert words["flag"] in shown(app.screen.query_one(FlagLine))
        assert not any(words["flag"] in note for note in notes(app))
        await pilot.press("down", "down", "enter")  # arrows + Enter: ask a friend
        await pilot.pause()
        assert app.play.scene.id == "friend"
        await pilot.press("b", "backspace")  # undo two steps
        await pilot.pause()
        assert app.play.path == ["message"]
        await pilot.press("1", "3")
        await pilot.pause()
        assert app.play.path == ["message", "form", "friend"]
        await pilot.press("s")  # save to a named slot
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        await pilot.press(*"slot1", "enter")
        await pilot.pause()
        assert any(words["saved"] in note for note in notes(app))
        await pilot.press("1", "1")  # back to the form, fill everything in -> ending
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert words["kind"] in texts(app)
        await pilot.press("b")  # step back from the ending
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.play.scene.id == "form"
        await pilot.press("l")  # load the named slot
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        slots = app.screen.query_one("#slots")
        ids = [slots.get_option_at_index(i).id for i in range(slots.option_count)]
        assert ids[0] == "autosave" and "slot1" in ids
        slots.highlighted = ids.index("slot1")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.play.path == ["message", "form", "friend"]
        await pilot.press("1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("g")  # endings gallery
        await pilot.pause()
        assert isinstance(app.screen, GalleryScreen)
        gallery = texts(app)
        assert words["gallery"] in gallery
        await pilot.press("escape", "t")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
    assert endings_reached("tutorial") == {"scammed": 2}


@sync
async def test_mouse_picks_a_choice() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        await pilot.click(ChoiceList, offset=(4, choices.region.height - 2))
        await pilot.pause()
        assert app.play.scene.id == "deleted"
        assert isinstance(app.screen, EndingScreen)


@sync
async def test_language_switch_takes_effect_at_once() -> None:
    app = make_app("en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "A message at midnight" in shown(app.screen.query_one("#scene-text"))
        await pilot.press("f2")
        await pilot.pause()
        assert "午夜的短信" in shown(app.screen.query_one("#scene-text"))
        assert "1. 赶紧点开链接" in shown(app.screen.query_one(ChoiceList))
        descriptions = {active.binding.description for active in app.screen.active_bindings.values()}
        assert "后退" in descriptions and "经历" in descriptions
        assert app.settings.lang == "zh"
    assert json.loads((Path(app_home()) / "settings.json").read_text(encoding="utf-8"))["lang"] == "zh"


def app_home() -> str:
    import os

    return os.environ["CROSSROADS_HOME"]


@sync
async def test_held_red_flags_stay_hidden_until_the_ending() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "down", "down", "enter")  # Continue is disabled and skipped
        await pilot.pause()
        assert app.settings.hold_flags
        menu = app.screen.query_one("#menu")
        assert "Red-flag alerts: held until the ending" in shown(menu)
        await pilot.press("n", "1")
        await pilot.pause()
        assert notes(app) == []
        assert not app.screen.query_one(FlagLine).display
        assert "Shown at the ending." in shown(app.screen.query_one(SidePanel))
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        assert "Artificial urgency" in app.screen.query_one("#debrief", MarkdownText).markdown


@sync
async def test_history_help_and_palette_entries() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        transcript = app.screen.query_one("#transcript", MarkdownText).markdown
        assert "A message at midnight" in transcript and "Tap the link before time runs out" in transcript
        assert "The claim form" in transcript
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("New game", "Back", "History", "Save", "Load", "Endings gallery", "Help"):
            assert wanted in titles


@sync
async def test_side_panel_folds_away_when_narrow() -> None:
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert not app.screen.query_one(SidePanel).display
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.query_one(SidePanel).display
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(SidePanel).display


@sync
async def test_continue_from_autosave_and_corrupt_autosave_never_stops_the_game() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1", "3")
        await pilot.pause()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.play.path == ["message", "form", "friend"]
    autosave = saves.saves_dir("tutorial") / "autosave.json"
    autosave.write_text('{"format": "crossroads-save", "version": 1, "snap', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("set aside" in note for note in notes(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
    assert (autosave.parent / "autosave.json.bad").exists()


@sync
async def test_reload_story_keeps_place_or_as_much_as_fits() -> None:
    story = load_story(TUTORIAL)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1", "3")
        await pilot.pause()
        app.reload_story(replace(story, content_hash="v2"))
        await pilot.pause()
        assert app.play.path == ["message", "form", "friend"]
        form = story.scenes["form"]
        shorter = replace(story, scenes={**story.scenes, "form": replace(form, choices=form.choices[:2])})
        app.reload_story(shorter)
        await pilot.pause()
        assert app.play.path == ["message", "form"]
        assert "2. Close the page" in shown(app.screen.query_one(ChoiceList))
        assert any("dropped" in note for note in notes(app))


@sync
async def test_show_story_error_is_dismissable_and_keeps_the_game() -> None:
    app = make_app()
    diagnostic = Diagnostic("CR101", "goto target 'x' does not exist", Location("story/x/story.yaml", 12, 7))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1")
        await pilot.pause()
        app.show_story_error([diagnostic])
        await pilot.pause()
        assert isinstance(app.screen, StoryErrorScreen)
        assert "story/x/story.yaml:12:7: CR101: goto target 'x' does not exist" in texts(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.play.scene.id == "form"


def records() -> list[dict]:
    path = records_path()
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


@sync
async def test_start_story_api_and_the_record_on_disk_after_undo() -> None:
    story = load_story(TUTORIAL)
    app = CrossroadsApp(story)
    async with app.run_test(size=(100, 30)) as pilot:
        app.start_story(story, "zh")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.story_lang == "zh"
        await pilot.press("1", "b", "2")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
    (record,) = records()
    assert record["lang"] == "zh" and record["mode"] == "solo"
    assert [(c["scene"], c["choice"]) for c in record["choices"]] == [("message", 1)]
    assert record["ending"] == {"scene": "checked", "kind": "safe"}


@sync
async def test_quitting_mid_game_writes_the_abandoned_record() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1", "3", "ctrl+q")
        await pilot.pause()
    (record,) = records()
    assert record["ending"] is None and [c["scene"] for c in record["choices"]] == ["message", "form"]


@sync
async def test_a_failing_autosave_is_shown_to_the_player(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(path: Path, body: dict) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(saves, "write_prepared", fail)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1")
        assert app.session is not None and app.session.writer.flush(5)
        await pilot.pause()
        assert any("Autosave failed: [Errno 28] No space left on device" in note for note in notes(app))


@sync
async def test_quit_while_the_autosave_hangs_exits_within_two_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    release = threading.Event()
    monkeypatch.setattr(saves, "write_prepared", lambda path, body: release.wait(60))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1")
        started = time.monotonic()
        await pilot.press("ctrl+q")
        await pilot.pause()
        waited = time.monotonic() - started
    release.set()
    assert waited < CLOSE_TIMEOUT + 1.5  # the final flush gives up; it never waits for the stuck write
    assert app.exit_problems == ["the autosave was still being written after 2 s; the last one may be lost"]
    (record,) = records()  # the game was still recorded as abandoned
    assert record["ending"] is None


@sync
async def test_play_continue_opens_the_autosaved_game_and_new_game_says_what_it_keeps() -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1", "3")
        await pilot.pause()
    app = make_app()
    app.resume_at_start = True
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.play.path == ["message", "form", "friend"]
        await pilot.press("escape", "t")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        new = str(app.screen.query_one("#menu").get_option("new").prompt)
        assert new == "New game (your game at step 2 stays in Load as “Previous autosave”)"
        await pilot.press("n", "2")  # a new game, one choice
        await pilot.pause()
    infos, _ = saves.list_saves("tutorial")
    assert [(info.slot, info.steps) for info in infos] == [("autosave", 1), ("previous-autosave", 2)]
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, SavesScreen)
        listed = shown(app.screen.query_one(OptionList))
        assert "Autosave · " in listed and "Previous autosave · A second opinion · step 2" in listed


def test_run_app_reports_story_errors_without_starting(write_story, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_story("crossroads: 1\nid: broken\ntitle: Broken\nstart: nowhere\nscenes:\n  a:\n    title: A\n")
    args = argparse.Namespace(path=str(folder), lang=None, plain=False, facilitator=False, watch=False)
    assert run_app(args) == 1
    err = capsys.readouterr().err
    assert "story.yaml:" in err and ": CR" in err


def test_run_app_missing_path_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(path=str(tmp_path / "nope"), lang=None, plain=False, facilitator=False, watch=False)
    assert run_app(args) == 2
    assert "no such file or folder" in capsys.readouterr().err


@sync
async def test_bundled_title_screen_lists_stories_and_survives_a_broken_one(monkeypatch, write_story) -> None:
    good = write_story((TUTORIAL / "story.yaml").read_text(encoding="utf-8"), name="tutorial")
    bad = write_story("crossroads: 1\nid: x\n", name="broken")
    import game.paths

    monkeypatch.setattr(game.paths, "bundled_stories", lambda: [bad / "story.yaml", good / "story.yaml"])
    resolved = resolve_stories(None)
    assert resolved.exit_code is None and len(resolved.playable) == 1
    app = CrossroadsApp(resolved.entries, lang="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.story.id == "tutorial"
        stories = app.screen.query_one("#stories")
        assert stories.get_option_at_index(0).disabled
        assert "broken" in texts(app) and "CR" in texts(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


@sync
async def test_screens_opened_over_the_title_at_start_such_as_facilitator_mode() -> None:
    from game.tui.screens import facilitator as module

    app = make_app()
    app.after_title.append(module.FacilitatorScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, module.FacilitatorScreen)
        assert isinstance(app.screen_stack[-2], TitleScreen)


@sync
async def test_damaged_settings_are_reported_and_the_game_starts(crossroads_home: Path) -> None:
    crossroads_home.mkdir()
    (crossroads_home / "settings.json").write_text('{"format": "crossroads-settings", "vers', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen)
        assert any("settings.json" in note and "set aside" in note for note in notes(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)


@sync
async def test_theme_choice_is_remembered(crossroads_home: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((crossroads_home / "settings.json").read_text(encoding="utf-8"))["theme"] == "nord"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


@sync
async def test_ending_debrief_exports_as_markdown(crossroads_home: Path) -> None:
    app = make_app("zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("e")
        await pilot.pause()
    (exported,) = (crossroads_home / "debriefs").glob("tutorial-scammed-*.md")
    text = exported.read_text(encoding="utf-8")
    assert "上当受骗" in text and "人为制造的紧迫感" in text
