"""Facilitator mode teaching a lesson (``play --facilitator --lesson ID``): it starts at the lesson's start point
with the recap, says which decisions are the class decisions, shows each decision's question and a lesson
clock, and records only what the class played."""

from __future__ import annotations

import asyncio
import json

import pytest
from textual.app import App
from textual.widgets import Static

from game.classroom.records import records_path
from game.loader import load_story
from game.tui.screens.facilitator import FacilitatorScreen
from game.tui.widgets.markdown_text import MarkdownText
from tests.conftest import CLASS_MONITOR


class LessonApp(App[None]):
    def __init__(self, lang: str, lesson_id: str | None, resume: bool = False) -> None:
        super().__init__()
        self.story = load_story(CLASS_MONITOR)
        self.story_lang = lang
        self.lesson_id = lesson_id
        self.resume = resume

    def on_mount(self) -> None:
        self.push_screen(FacilitatorScreen(self.story, self.story_lang, lesson_id=self.lesson_id, resume=self.resume))


async def class_votes_for(pilot, screen: FacilitatorScreen, target: str) -> None:
    """The class votes for the option leading to ``target``; Enter follows the majority, Enter goes on."""
    option = next(o for o in screen.play.choices(screen.lang) if o.enabled and o.choice.target == target)
    screen.vote.tally.clear()
    screen.vote.tally.set(option.choice.index, 9)
    await pilot.press("enter", "enter")
    await pilot.pause()


def text_of(screen: FacilitatorScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


@pytest.mark.parametrize(
    ("lang", "clock", "kind", "ahead", "recap"),
    [
        ("en", "Lesson: 0 of 25 min played", "class decision 1 of 3", "class decisions still ahead: 2", "Recap"),
        ("zh", "本课：已玩0分钟，共25分钟", "全班决策（第1个，共3个）", "后面还有2个全班决策", "前情提要"),
    ],
)
def test_a_lesson_starts_at_its_start_point_with_recap_question_and_clock(
    lang: str, clock: str, kind: str, ahead: str, recap: str
) -> None:
    async def run() -> None:
        app = LessonApp(lang, "class-45")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, FacilitatorScreen)
            story = app.story
            assert screen.play.scene.id == "transcript-deal"
            line = text_of(screen, "#fac-lesson")
            assert clock in line and kind in line and ahead in line
            assert text_of(screen, "#fac-ask") == story.scenes["transcript-deal"].ask.get(lang, "en").strip()
            box = screen.query_one("#fac-recap", MarkdownText)
            assert box.display and recap in str(box.border_title)
            # the class refuses the deal (option 3 is offered: the replay agreed at the reveal) and reaches an ending
            await class_votes_for(pilot, screen, "embassy-late")
            assert screen.play.is_ending and not screen.query_one("#fac-recap").display
            assert not screen.query_one("#fac-ask").display
        (record,) = [json.loads(line) for line in records_path().read_text(encoding="utf-8").splitlines()]
        assert [c["scene"] for c in record["choices"]] == ["transcript-deal"]  # the replayed ten are not in it
        assert record["mode"] == "facilitator" and record["ending"]["scene"] == "embassy-late"

    asyncio.run(run())


def test_without_a_lesson_there_is_no_clock_and_no_recap() -> None:
    async def run() -> None:
        app = LessonApp("en", None)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert screen.play.scene.id == "arrival"
            assert not screen.query_one("#fac-lesson").display and not screen.query_one("#fac-recap").display

    asyncio.run(run())


# The route through every class decision of the flagship's lesson: (scene, the target the class votes for).
ROUTE = [
    ("transcript-deal", "homecoming"),
    ("homecoming", "zealous"),
    ("zealous", "li-desk"),  # a quick decision between two class decisions
    ("li-desk", None),
]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_question_prompts_and_whole_vote_panel_are_on_screen_at_every_class_decision(lang: str, size) -> None:
    async def run() -> None:
        app = LessonApp(lang, "class-45")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, FacilitatorScreen)
            lesson = app.story.lesson("class-45")
            seen = []
            for scene_id, target in ROUTE:
                assert screen.play.scene.id == scene_id
                if scene_id in lesson.class_scenes:
                    seen.append(scene_id)
                    usable = app.screen.region.height - 1  # the footer's line
                    for selector in ("#fac-ask", "#fac-votes", "#fac-status") + (
                        ("#fac-discuss",) if screen.play.scene.discuss else ()
                    ):
                        widget = screen.query_one(selector)
                        region = widget.region
                        assert widget.display and region.height > 0, (scene_id, selector)
                        assert region.y >= 0 and region.bottom <= usable, (scene_id, selector, region, usable)
                    panel = screen.query_one("#fac-votes")
                    assert panel.region.height >= len(screen.tally.options) + 2  # every option, inside its border
                    await pilot.press("pagedown", "down")  # the text scrolls; the arrows still move the selection
                    assert screen.vote.selected == 1  # a position in the options
                if target is None:
                    break
                await class_votes_for(pilot, screen, target)
            assert seen == list(lesson.class_scenes)

    asyncio.run(run())


def test_esc_asks_before_leaving_counts_say_when_capped_and_b_steps_back_from_the_ending() -> None:
    async def run() -> None:
        app = LessonApp("en", "class-45")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen  # the first Esc only asks
            assert any("Press Esc again" in str(n.message) for n in app._notifications)
            await pilot.press(*"99999")
            assert screen.tally.counts[screen.tally.options[0]] == 9999
            assert any("At most 9999 votes per option" in str(n.message) for n in app._notifications)
            await class_votes_for(pilot, screen, "embassy-late")
            assert screen.play.is_ending
            await pilot.press("b")  # back from the ending to the class decision, never into the replayed start
            await pilot.pause()
            assert screen.play.scene.id == "transcript-deal" and screen.play.start_index == 10
            await pilot.press("b")
            await pilot.pause()
            assert screen.play.scene.id == "transcript-deal"

    asyncio.run(run())


def test_m_rewinds_to_the_last_class_decision_to_follow_the_minority() -> None:
    async def run() -> None:
        app = LessonApp("zh", "class-45")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            for scene_id, target in ROUTE[:3]:  # transcript deal, homecoming (class), zealous (quick)
                assert screen.play.scene.id == scene_id
                await class_votes_for(pilot, screen, target)
            assert screen.play.scene.id == "li-desk"
            await pilot.press("m")  # back past the quick decision to the homecoming, the last class decision passed
            await pilot.pause()
            assert screen.play.scene.id == "homecoming" and screen.phase.name == "VOTE"
            await pilot.press("m", "m", "m")  # never into the replayed start
            await pilot.pause()
            assert screen.play.scene.id == "transcript-deal" and screen.play.start_index == 10

    asyncio.run(run())


def test_the_pair_timer_says_when_it_is_paused() -> None:
    async def run() -> None:
        app = LessonApp("en", "class-45")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            timer = screen.query_one("#fac-timer")
            await pilot.press("t")
            await pilot.pause()
            assert str(timer.query_one("#timer-label", Static).render()).startswith("▶ ")
            timer.tick()  # a second passes
            await pilot.press("t")
            await pilot.pause()
            assert str(timer.query_one("#timer-label", Static).render()).startswith("⏸ ")

    asyncio.run(run())


def test_a_class_session_left_midway_resumes_with_continue() -> None:
    async def first() -> None:
        app = LessonApp("en", "class-45")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await class_votes_for(pilot, app.screen, "homecoming")
            assert app.screen.play.scene.id == "homecoming"
            app.screen.close_session()

    async def second() -> None:
        app = LessonApp("en", None, resume=True)  # as `play --facilitator --continue`: the lesson comes from the save
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert screen.play.scene.id == "homecoming" and screen.play.start_index == 10
            assert screen.lesson is not None and screen.query_one("#fac-lesson").display
            await pilot.press("m")
            await pilot.pause()
            assert screen.play.scene.id == "transcript-deal"

    asyncio.run(first())
    asyncio.run(second())


def test_h_switches_the_high_contrast_projector_look() -> None:
    async def run() -> None:
        app = LessonApp("en", "class-45")
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            await pilot.press("h")
            await pilot.pause()
            assert screen.has_class("-contrast")
            text = screen.query_one("#fac-text")
            assert text.styles.color.rgb == (255, 255, 255) and screen.query_one("#fac-dock").styles.background.rgb == (
                0,
                0,
                0,
            )
            await pilot.press("h")
            assert not screen.has_class("-contrast")

    asyncio.run(run())
