"""Reading time against hand-counted text: the unit rule, every state's count, and whole paths exactly."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from game.analysis.lesson import reading_units, state_cost, time_lesson
from game.engine import Playthrough
from game.loader import load_story

TIMED = Path(__file__).parent / "stories" / "lessons" / "timed.yaml"


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("It's a well-known gate.", 4),  # apostrophe and hyphen inside a word do not split it
        ("A man offers you 12,000 coins.", 6),  # nor does a comma between digits
        ("Pi is 3.14, not 3.", 5),
        ("Mr. Lee asks for a list.", 6),  # a full stop after letters ends the word
        ("*Only* the **law**: Article 55 — paragraph 2!", 7),  # Markdown marks and punctuation are not read
        ("这是一扇有名的门。", 8),  # each Han character; the full stop is a pause
        ("一个男人给你12,000枚硬币。", 10),  # a number inside Chinese counts once
        ("“埃克森（Exxon）”说：12339。", 6),  # 埃 克 森 + Exxon + 说 + 12339; Chinese punctuation is none
        ("", 0),
    ],
)
def test_reading_units(text: str, units: int) -> None:
    assert reading_units(text) == units


@pytest.fixture(scope="module")
def story():
    return load_story(TIMED)


def test_each_state_costs_what_the_fixture_comments_say(story) -> None:
    lesson = story.lesson("whole")
    play = Playthrough(story)
    seen = []
    for choice in (0, 0, 1, 0, 0):  # gate → hall → office → back to hall → office → caught
        seen.append(tuple((state_cost(story, lesson, play.state, lang).units) for lang in ("en", "zh")))
        seen.append(state_cost(story, lesson, play.state, "en").decision)
        play.choose(choice)
    seen.append(tuple(state_cost(story, lesson, play.state, lang).units for lang in ("en", "zh")))
    assert seen == [
        (6, 10), "continue",
        (16, 23), "class",
        (14, 14), "quick",
        (20, 30), "class",  # the block "You took one before." now shows, and the safe is open
        (9, 11), "continue",  # the once-only way back is spent: one option left
        (3, 5),
    ]  # fmt: skip


def test_shortest_and_longest_paths_are_exact(story) -> None:
    timing = time_lesson(story, story.lesson("whole"))
    en_low, en_high = timing.shortest["en"], timing.longest["en"]
    zh_low, zh_high = timing.shortest["zh"], timing.longest["zh"]
    # shortest: gate 6 + hall 16 + refused 3 = 25 words at 10/min, plus one class decision of 3 min
    assert (en_low.units, en_low.class_decisions, en_low.quick_decisions) == (25, 1, 0)
    assert en_low.minutes == Fraction(25, 10) + 3 and en_low.ending == "refused"
    # zh: 10 + 23 + 4 = 37 characters at 20/min
    assert zh_low.units == 37 and zh_low.minutes == Fraction(37, 20) + 3
    # longest: 6 + 16 + 14 + 20 + 9 + 3 = 68 words; hall twice (class), office once (quick), once a continue
    assert (en_high.units, en_high.class_decisions, en_high.quick_decisions) == (68, 2, 1)
    assert en_high.minutes == Fraction(68, 10) + 2 * 3 + 1 == Fraction(138, 10)
    assert zh_high.units == 10 + 23 + 14 + 30 + 11 + 5 == 93 and zh_high.minutes == Fraction(93, 20) + 7
    assert en_high.explain(story.lesson("whole")) == "68 words at 10/min = 6.8 + 2 class × 3 + 1 quick × 1 = 13.8 min"
    assert zh_high.explain(story.lesson("whole")).startswith("93 characters at 20/min")
    assert timing.fits("en") and timing.fits("zh") and timing.budget == 15


def test_a_start_point_adds_its_recap_and_skips_the_replayed_part(story) -> None:
    timing = time_lesson(story, story.lesson("from-office"))
    assert timing.start_scene == "office"
    low = timing.shortest["en"]
    # recap 3 + office 14 (you took the coins, so no "took" line here, but both options) + caught 3
    assert (low.recap_units, low.units, low.quick_decisions, low.class_decisions) == (3, 20, 1, 0)
    high = timing.longest["zh"]
    assert high.units == 4 + 14 + 30 + 11 + 5 and high.path == (("office", 1), ("hall", 0), ("office", 0))
    assert "gate" not in timing.route and "hall" in timing.route
