"""Facilitator (projector) mode driven through Textual's pilot: a vote, a tie, an override, the timer, records."""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Digits

from game.classroom.records import records_path
from game.loader import load_story
from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.widgets.markdown_text import MarkdownText
from game.tui.widgets.timer import PairTimer
from game.tui.widgets.vote_panel import VotePanel
from tests.conftest import TUTORIAL

SIZE = (110, 40)


class FacilitatorApp(App[None]):
    """A bare app that shows only the facilitator screen (as ``play --facilitator`` does over the game)."""

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.story = load_story(TUTORIAL)
        self.story_lang = lang

    def on_mount(self) -> None:
        self.push_screen(FacilitatorScreen(self.story, self.story_lang))


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async pilot test with asyncio (no async pytest plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def records() -> list[dict]:
    path = records_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def screen_of(app: App) -> FacilitatorScreen:
    screen = app.screen
    assert isinstance(screen, FacilitatorScreen)
    return screen


def status(app: App) -> str:
    return str(app.screen.query_one("#fac-status").render())


@sync
async def test_vote_follows_the_majority_and_reveals_flags_only_after() -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        panel = screen.query_one(VotePanel)
        assert panel.flags == {} and screen.phase == "vote"  # nothing revealed before the vote
        await pilot.press("1", "2", "down", "8", "down", "plus", "plus", "minus")
        assert screen.tally is not None and screen.tally.as_mapping() == {0: 12, 1: 8, 2: 1}
        assert status(app) == "Majority: Tap the link before time runs out"
        assert panel.border_title == "Class vote · 21 votes"
        await pilot.press("enter")
        assert screen.phase == "reveal" and screen.followed == (0, "majority")
        assert panel.flags == {0: ["Artificial urgency"]} and panel.exits == {1: ["Checking the source"]}
        assert screen.play is not None and screen.play.scene.id == "message"  # waits for the teacher
        await pilot.press("enter")
        assert screen.play.scene.id == "form" and screen.phase == "vote"
        assert screen.tally.total == 0


@sync
async def test_tie_needs_the_teacher_and_is_recorded_as_a_tie_break() -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("3", "down", "3")
        assert "Tie between options 1 and 2: select one and press F" in status(app)
        await pilot.press("enter")  # no majority: Enter does nothing
        assert screen.phase == "vote"
        await pilot.press("f", "enter")  # follow the selected (second) option
        assert screen.play is not None and screen.play.scene.id == "checked" and screen.phase == "ending"
    (record,) = records()
    assert record["mode"] == "facilitator" and record["ending"] == {"scene": "checked", "kind": "safe"}
    assert record["votes"] == [
        {
            "scene": "message",
            "counts": [[0, 3], [1, 3], [2, 0]],
            "chosen": 1,
            "decision": "tie-break",
            "override": False,
        }
    ]
    assert [(c["scene"], c["choice"], c["exit"]) for c in record["choices"]] == [("message", 1, True)]


@sync
async def test_override_follows_a_minority_and_the_debrief_shows_the_path(crossroads_home: Path) -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("9", "down", "down", "2", "f")
        assert screen.followed == (2, "override")
        assert "teacher's override" in status(app)
        await pilot.press("enter")
        assert screen.play is not None and screen.play.scene.id == "deleted"
        debrief = screen.query_one("#fac-debrief", MarkdownText)
        assert debrief.display and "1. **A message at midnight** — you chose: Delete the message" in debrief.markdown
        assert "⇢ Exit not taken: Wait, and look the company up yourself" in debrief.markdown
        await pilot.press("e")
        exported = list((crossroads_home / "debriefs").glob("tutorial-deleted-*.md"))
        assert len(exported) == 1 and "## Now what?" in exported[0].read_text(encoding="utf-8")
        await pilot.press("n")  # a new session starts with a new record
        assert screen.play.scene.id == "message" and screen.phase == "vote"
    first, second = records()
    assert first["votes"][0]["decision"] == "override" and first["votes"][0]["override"] is True
    assert first["ending"]["scene"] == "deleted"
    assert second["ending"] is None and second["id"] != first["id"]  # the new session, abandoned on exit


@sync
async def test_pair_timer_counts_down_pauses_and_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PairTimer, "TICK_SECONDS", 24 * 3600.0)  # the test is the clock: only its ticks count
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        timer = app.screen.query_one(PairTimer)
        assert not timer.display  # hidden until the teacher uses it
        await pilot.press("t")
        assert timer.display and timer.running and timer.remaining == 60
        for _ in range(3):
            timer.tick()
        assert timer.remaining == 57
        await pilot.pause()
        assert timer.query_one(Digits).value == "0:57"  # shown in big digits
        await pilot.press("t")
        timer.tick()
        assert not timer.running and timer.remaining == 57
        await pilot.press("left_square_bracket")
        assert timer.remaining == 42 and timer.length == 45
        await pilot.press("t")
        for _ in range(50):
            timer.tick()
        assert timer.remaining == 0 and not timer.running and timer.has_class("-done")
        await pilot.press("t")  # starting again rewinds to the full length
        assert timer.remaining == 45 and timer.running


@sync
async def test_leaving_mid_game_records_an_abandoned_session() -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "enter", "enter", "escape")
    (record,) = records()
    assert record["ending"] is None and [c["scene"] for c in record["choices"]] == ["message"]
    assert record["votes"][0]["counts"] == [[0, 4], [1, 0], [2, 0]]


@sync
async def test_back_undoes_the_reveal_and_the_last_decision() -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("5", "enter")
        await pilot.press("b")
        assert screen.phase == "vote" and screen.followed is None
        await pilot.press("enter", "enter", "b")
        assert screen.play is not None and screen.play.scene.id == "message"
        await pilot.press("escape")  # leave: the abandoned record on disk holds neither the vote nor the choice
    (record,) = records()
    assert record["ending"] is None and record["votes"] == [] and record["choices"] == []


@sync
async def test_typing_replaces_then_appends_and_backspace_erases() -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await pilot.press("4", "2", "backspace", "7")
        assert screen.tally is not None and screen.tally.counts[0] == 47
        await pilot.press("down", "up", "3")  # re-selecting starts a fresh number
        assert screen.tally.counts[0] == 3


@sync
async def test_chinese_words_on_the_projector() -> None:
    app = FacilitatorApp("zh")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert status(app) == "多数：赶紧点开链接"
        assert app.screen.query_one(VotePanel).border_title == "全班投票 · 2 票"


@sync
async def test_over_the_full_game_app_it_uses_the_apps_story_and_language() -> None:
    from game.tui.app import CrossroadsApp

    app = CrossroadsApp(load_story(TUTORIAL), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(FacilitatorScreen())
        await pilot.pause()
        screen = screen_of(app)
        assert str(screen.query_one("#fac-title").render()) == "A message at midnight"
        await pilot.press("f2")
        assert str(screen.query_one("#fac-title").render()) == "午夜的短信"


def test_vote_screen_snapshot(snap_compare) -> None:
    assert snap_compare(FacilitatorApp(), press=["1", "2", "down", "8", "down", "3"], terminal_size=SIZE)


def test_reveal_screen_snapshot_zh(snap_compare) -> None:
    assert snap_compare(FacilitatorApp("zh"), press=["2", "down", "9", "f"], terminal_size=SIZE)


def test_narrow_terminal_snapshot(snap_compare) -> None:
    assert snap_compare(FacilitatorApp(), press=["5"], terminal_size=(60, 20))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ending_debrief_snapshot(snap_compare, lang: str) -> None:
    assert snap_compare(FacilitatorApp(lang), press=["1", "enter", "enter", "1", "enter", "enter"], terminal_size=SIZE)


@sync
async def test_report_key_shows_the_class_report_of_this_machine() -> None:
    from game.tui.screens.markdown_view import MarkdownScreen

    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, MarkdownScreen) and "No records on this machine yet." in app.screen.markdown
        await pilot.press("escape", "1", "f", "enter", "f", "enter")  # a whole session, recorded at its ending
        assert records() and records()[0]["ending"] is not None
        await pilot.press("r")
        assert isinstance(app.screen, MarkdownScreen)
        assert "# Class report" in app.screen.markdown and "1 class session" in app.screen.markdown
        await pilot.press("escape")
        assert isinstance(app.screen, FacilitatorScreen)


@sync
async def test_quitting_the_app_mid_game_records_an_abandoned_session() -> None:
    app = FacilitatorApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "enter", "enter", "ctrl+q")
    (record,) = records()
    assert record["ending"] is None and record["mode"] == "facilitator" and len(record["choices"]) == 1


@sync
async def test_the_scenes_question_is_put_to_the_class() -> None:
    from tests.conftest import ROOT

    app = FacilitatorApp()
    app.story = load_story(ROOT / "tests/stories/lessons/timed.yaml")
    async with app.run_test(size=SIZE) as pilot:
        ask = app.screen.query_one("#fac-ask")
        assert not ask.display  # the gate asks nothing
        await pilot.press("enter")  # one way on
        assert screen_of(app).play.scene.id == "hall"
        assert ask.display and str(ask.render()) == "Do you take them?"
