"""Lesson declarations: the loader's checks, the checker's route and fit codes, and the engine's start point.

The fixture tests/stories/lessons/timed.yaml is small enough to count by hand; each case below changes one
thing in it and names the code that must follow.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.analysis.lesson import time_lesson
from game.engine import ChoiceError, Playthrough
from game.loader import check_story, load_story

TIMED = Path(__file__).parent / "stories" / "lessons" / "timed.yaml"
BASE = TIMED.read_text(encoding="utf-8")
WHOLE_CLASS = "    class_minutes: 3\n    quick_minutes: 1\n    class: [hall]\n"
FROM_OFFICE_REPLAY = "        - {scene: hall, choice: 1}\n"
PHASES = "    minutes: 30\n    brief: 5\n    debrief: 10"


def phases(minutes: int, brief: int, debrief: int) -> str:
    """The fixture with the first lesson's length, brief and debrief changed."""
    return BASE.replace(PHASES, f"    minutes: {minutes}\n    brief: {brief}\n    debrief: {debrief}")


def replay(step: str) -> str:
    """The fixture with the second replayed choice of 'from-office' changed."""
    return BASE.replace(FROM_OFFICE_REPLAY, f"        - {step}\n")


def codes(write_story, text: str) -> list[str]:
    """Loader diagnostics plus the lesson checker's findings, as codes."""
    result = check_story(write_story(text))
    found = [d.code for d in result.diagnostics]
    if result.story is not None:
        for lesson in result.story.lessons:
            found += [f.code for f in time_lesson(result.story, lesson).findings]
    return found


def test_the_fixture_is_clean() -> None:
    result = check_story(TIMED)
    assert result.diagnostics == []
    story = result.story
    whole = story.lesson("whole")
    assert (whole.minutes, whole.brief, whole.debrief, whole.play_budget) == (30, 5, 10, 15)
    assert whole.class_scenes == ("hall",) and whole.pace == {"en": 10, "zh": 20}
    assert [q.question.get("zh", "en") for q in whole.exit_ticket] == ["危险信号是什么？"]
    start = story.lesson("from-office").start
    assert [(r.scene, r.choice) for r in start.replay] == [("gate", 0), ("hall", 0)]  # 1-based in YAML
    for lesson in story.lessons:
        assert time_lesson(story, lesson).findings == []


def test_defaults_fill_brief_debrief_pace_and_minutes(write_story) -> None:
    text = BASE.replace(
        "    brief: 5\n    debrief: 10\n    pace: {en: 10, zh: 20}\n" + WHOLE_CLASS, "    class: [hall]\n"
    )
    lesson = load_story(write_story(text)).lesson("whole")
    assert (lesson.brief, lesson.debrief, lesson.class_minutes, lesson.quick_minutes) == (5, 10, 4, 1)
    assert (lesson.pace_for("en"), lesson.pace_for("zh")) == (140, 220)


CASES = [
    ("unknown class scene", BASE.replace("class: [hall]\n    objectives", "class: [hal]\n    objectives", 1), "CR071"),
    ("unknown replay scene", BASE.replace("{scene: gate, choice: 1}", "{scene: gates, choice: 1}"), "CR071"),
    ("class decision is an ending", BASE.replace(WHOLE_CLASS, WHOLE_CLASS.replace("[hall]", "[caught]")), "CR072"),
    ("debrief under a third", BASE.replace("    debrief: 10\n    pace", "    debrief: 9\n    pace", 1), "CR073"),
    (
        "no time to play",
        BASE.replace(
            "    minutes: 30\n    brief: 5\n    debrief: 10", "    minutes: 30\n    brief: 20\n    debrief: 10"
        ),
        "CR074",
    ),
    ("replay position past the end", BASE.replace("{scene: hall, choice: 1}", "{scene: hall, choice: 4}"), "CR075"),
    ("no handouts", BASE.replace("    objectives: [{en: Spot the cash, zh: 识别现金}]\n", "", 1), "CR076"),
    ("zero pace", BASE.replace("pace: {en: 10, zh: 20}", "pace: {en: 0, zh: 20}", 1), "CR077"),
    ("pace for a language the story lacks", BASE.replace("pace: {en: 10, zh: 20}", "pace: {fr: 10}", 1), "CR022"),
    ("duplicate lesson id", BASE.replace("id: from-office", "id: whole"), "CR013"),
    ("unknown lesson key", BASE.replace("    quick_minutes: 1\n", "    quick_minute: 1\n", 1), "CR010"),
    # the checker: replay, route, fit, loop
    (
        "replay of a choice not offered",
        BASE.replace(FROM_OFFICE_REPLAY, "        - {scene: hall, choice: 3}\n"),
        "CR301",
    ),
    (
        "replay at another scene than declared",
        BASE.replace(FROM_OFFICE_REPLAY, "        - {scene: office, choice: 1}\n"),
        "CR301",
    ),
    (
        "class decision off the route",
        BASE.replace("    class: [hall]\n    start:", "    class: [gate]\n    start:"),
        "CR302",
    ),
    (
        "cannot fit",
        BASE.replace("    minutes: 30\n    brief: 5\n    debrief: 10", "    minutes: 15\n    brief: 5\n    debrief: 5"),
        "CR303",
    ),
    (
        "a path over budget",
        BASE.replace(
            "    minutes: 30\n    brief: 5\n    debrief: 10", "    minutes: 28\n    brief: 5\n    debrief: 10"
        ),
        "CR304",
    ),
    ("a loop inside the lesson", BASE.replace("        go: hall\n        once: true\n", "        go: hall\n"), "CR305"),
]


@pytest.mark.parametrize(("case", "text", "code"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_gets_its_code(write_story, case: str, text: str, code: str) -> None:
    assert text != BASE, f"{case}: the replacement did not apply"
    assert code in codes(write_story, text)


def test_over_budget_warning_names_the_path_and_the_language(write_story) -> None:
    text = dict(CASES_BY_NAME)["a path over budget"]
    story = load_story(write_story(text))
    timing = time_lesson(story, story.lesson("whole"))
    (finding,) = timing.findings  # only English is over: zh's longest path is 11.65 min of the 13
    assert finding.code == "CR304" and not finding.is_error
    assert "in en: the path to 'caught' takes 13.8 min" in finding.message
    assert finding.path == (("gate", 0), ("hall", 0), ("office", 1), ("hall", 0), ("office", 0))
    assert timing.fits("zh") and not timing.fits("en")


def test_a_loop_has_no_longest_time(write_story) -> None:
    story = load_story(write_story(dict(CASES_BY_NAME)["a loop inside the lesson"]))
    timing = time_lesson(story, story.lesson("whole"))
    assert timing.loop is not None and set(timing.loop[0]) == {"office", "hall"}
    assert timing.longest == {} and not timing.fits("en")
    assert "unbounded" in timing.summary()


CASES_BY_NAME = [(c[0], c[1]) for c in CASES]


# -- the engine's start point ---------------------------------------------------------------------------


def test_a_lesson_start_replays_silently_and_counts_nothing() -> None:
    story = load_story(TIMED)
    play = Playthrough.for_lesson(story, "from-office", "zh")
    straight = Playthrough(story)
    straight.choose(0)
    straight.choose(0)
    assert play.state == straight.state  # exactly as if played
    assert play.scene.id == "office" and play.start_index == 2
    assert [s.replayed for s in play.history] == [True, True] and play.played == []
    assert play.tags_met() == [] and play.exits_passed() == []  # the replayed red flag and passed exit: not counted
    assert straight.tags_met()[0].id == "cash" and straight.exits_passed()
    assert play.undo() == 0 and play.scene.id == "office"  # undo stops at the start point
    play.choose(1)  # go back to the hall
    play.choose(1)  # refuse this time
    assert [t.id for t in play.tags_met()] == ["leave"]
    play.restart()
    assert play.scene.id == "office" and play.start_index == 2


def test_a_lesson_playthrough_survives_a_snapshot() -> None:
    story = load_story(TIMED)
    play = Playthrough.for_lesson(story, "from-office")
    play.choose(1)
    snap = json.loads(json.dumps(play.snapshot()))
    assert snap["lesson"] == "from-office"
    restored, notice = Playthrough.restore(story, snap)
    assert notice is None and restored.state == play.state
    assert [s.replayed for s in restored.history] == [True, True, False] and restored.lesson_id == "from-office"


def test_a_bad_replay_raises_a_choice_error(write_story) -> None:
    story = load_story(write_story(replay("{scene: office, choice: 1}")))
    with pytest.raises(ChoiceError, match="declared at scene 'office'"):
        Playthrough.for_lesson(story, "from-office")
    with pytest.raises(KeyError):
        Playthrough.for_lesson(story, "nope")


def test_check_prints_a_line_per_lesson_and_json_has_the_detail() -> None:
    run = [sys.executable, "-m", "game", "check"]
    text = subprocess.run([*run, str(TIMED)], capture_output=True, text=True, check=False)
    assert text.returncode == 0, text.stdout + text.stderr
    assert "lesson whole: 30 min = brief 5 + play 15 + debrief 10" in text.stderr
    assert "en 5.5–13.8 min, zh 4.8–11.7 min; fits" in text.stderr
    data = json.loads(subprocess.run([*run, "--json", str(TIMED)], capture_output=True, text=True, check=False).stdout)
    whole = data[0]["lessons"][0]
    assert whole["longest"]["en"]["units"] == 68 and whole["longest"]["zh"]["units"] == 93
    assert [c["scene"] for c in whole["longest"]["en"]["choices"]] == ["gate", "hall", "office", "hall", "office"]
