"""The flagship story "The Class Monitor" (班长): faithful to the published case, complete in both languages,
careful about the law, and with every required ending reachable by a scripted playthrough."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from game.engine import Playthrough
from game.loader import check_story, load_story
from game.model import Story, Text
from tests.conftest import CLASS_MONITOR

LANGS = ("en", "zh")


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(CLASS_MONITOR)


def play(story: Story, targets: list[str], lang: str = "en") -> Playthrough:
    """Play by naming, at each step, the scene the wanted choice leads to (robust to option order)."""
    p = Playthrough(story, lang)
    for target in targets:
        options = p.choices()
        assert len(options) <= 4, f"{p.scene.id!r} offers {len(options)} options"
        matches = [o.choice.index for o in options if o.target == target and o.enabled]
        assert matches, f"in {p.scene.id!r} no enabled choice leads to {target!r}: {[o.target for o in options]}"
        p.choose(matches[0])
    return p


# The case path: the published events, in the published order (see shared/seed/case-article.txt).
CASE_PATH = [
    "monitor",  # 2006: admitted abroad, becomes class monitor; meets Kaidi
    "friendship",  # friendship with the school leader Kaidi
    "introduction",  # third year: Kaidi introduces Exxon and Eason, "Zhang can help"
    "first-request",  # paid request for information about Chinese students
    "more-requests",  # escalation
    "confide",
    "reveal",  # they reveal who they are; threat built from what he gave
    "puppet",  # regular "help", psychological burden fades
    "career-fair",  # graduation; "all grades must be A"
    "transcript-deal",  # changed transcript + recommendation for cooperation after return
    "homecoming",  # research institute job; does not report
    "zealous",  # becomes a "zealous person"
    "li-desk",  # colleague Li's desk and computer
    "wang-files",  # colleague Wang's files due for destruction
    "investigation",  # the national security authorities investigate
    "caught",  # severely punished
]
# Overrides where the case path is not the first option leading to the next scene.
CASE_CHOICES = {"homecoming": "zealous"}

# Markers that must appear, in this order, in the scene texts along the case path.
CASE_MARKERS = {
    "en": [
        "2006",
        "monitor",
        "Kaidi",
        "help you with your work",
        "Exxon",
        "Eason",
        "envelope",
        "little bigger than the last",
        "foreign intelligence agency",
        "all course grades must be",
        "Grades can be corrected",
        "recommendation",
        "institute",
        "told no one",
        "helpful",
        "Li's phone rings",
        "Wang",
        "destroyed",
        "national security authorities",
        "severely",
    ],
    "zh": [
        "2006",
        "班长",
        "凯迪",
        "帮你们做点事",
        "埃克森",
        "伊森",
        "信封",
        "大一点点",
        "境外间谍情报机关",
        "所有课程成绩须为A",
        "成绩嘛，是可以更正的",
        "推荐信",
        "研究所",
        "还没跟任何人说过",
        "热心人",
        "老李",
        "老王",
        "销毁",
        "国家安全机关",
        "严惩",
    ],
}

# One scripted path (scene after scene) to each required ending.
ENDING_PATHS = {
    "declined-early": ["monitor", "friendship", "introduction", "declined-early"],
    "returned-money": ["monitor", "friendship", "introduction", "first-request", "more-requests", "returned-money"],
    "embassy": [
        "monitor",
        "friendship",
        "introduction",
        "first-request",
        "more-requests",
        "confide",
        "reveal",
        "embassy",
    ],
    "clean-start": [
        "monitor",
        "friendship",
        "introduction",
        "first-request",
        "more-requests",
        "confide",
        "reveal",
        "silent-months",
        "career-fair",
        "transcript-deal",
        "clean-start",
    ],
    "embassy-late": [*CASE_PATH[: CASE_PATH.index("puppet") + 1], "embassy-late"],
    "silent-refusal": [
        "monitor",
        "friendship",
        "introduction",
        "first-request",
        "more-requests",
        "confide",
        "reveal",
        "silent-months",
        "career-fair",
        "transcript-deal",
        "quiet-return",
        "silent-refusal",
    ],
    "reported-12339": [*CASE_PATH[:10], "homecoming", "reported-12339"],
    "through-employer": [*CASE_PATH[:10], "homecoming", "zealous", "through-employer"],
    "self-surrender": [*CASE_PATH[:14], "self-surrender"],
    "stopped-too-late": [*CASE_PATH[:14], "stopped-too-late"],
    "caught": CASE_PATH,
}
REQUIRED_KINDS = {
    "declined-early": "safe",
    "returned-money": "safe",
    "embassy": "safe",
    "silent-refusal": "mixed",
    "reported-12339": "safe",
    "self-surrender": "mixed",
    "embassy-late": "mixed",
    "caught": "bad",
}


def all_texts(story: Story) -> Iterator[tuple[str, Text]]:
    """Every localized text in the story, with a label saying where it is."""
    for label, text in (("title", story.title), ("blurb", story.blurb), ("content_note", story.content_note)):
        if text is not None:
            yield label, text
    for name, var in story.variables.items():
        if var.label is not None:
            yield f"var {name}", var.label
    for tag in story.tags.values():
        yield f"tag {tag.id}", tag.title
        if tag.explain is not None:
            yield f"tag {tag.id} explain", tag.explain
    for scene in story.scenes.values():
        where = f"scene {scene.id}"
        yield f"{where} title", scene.title
        if scene.chapter is not None:
            yield f"{where} chapter", scene.chapter
        for i, block in enumerate(scene.blocks):
            yield f"{where} block {i}", block.text
        for i, prompt in enumerate(scene.discuss):
            yield f"{where} discuss {i}", prompt
        for choice in scene.choices:
            yield f"{where} choice {choice.index + 1}", choice.say
            if choice.locked is not None:
                yield f"{where} choice {choice.index + 1} locked", choice.locked
        if scene.ending is not None:
            yield f"{where} ending title", scene.ending.title
            if scene.ending.summary is not None:
                yield f"{where} ending summary", scene.ending.summary
        if scene.debrief is not None:
            for part in ("what", "so_what", "now_what"):
                value = getattr(scene.debrief, part)
                if value is not None:
                    yield f"{where} debrief {part}", value


# -- loading -----------------------------------------------------------------------------------------------


def test_story_is_clean_in_strict_mode() -> None:
    result = check_story(CLASS_MONITOR)
    assert result.story is not None
    assert [str(d) for d in result.diagnostics] == []


def test_entry_file_points_editors_at_the_schema() -> None:
    first = (CLASS_MONITOR / "story.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../game/schema/story-v1.schema.json"


def test_metadata(story: Story) -> None:
    assert story.id == "class-monitor"
    assert story.languages == LANGS
    assert story.title.get("en", "en") == "The Class Monitor"
    assert story.title.get("zh", "en") == "班长"
    assert story.content_note is not None and story.blurb is not None


# -- the case path -----------------------------------------------------------------------------------------


def test_case_path_follows_the_published_events_in_order(story: Story) -> None:
    for lang in LANGS:
        p = Playthrough(story, lang)
        shown = [p.text()]
        for target in CASE_PATH:
            wanted = CASE_CHOICES.get(p.scene.id, target)
            options = p.choices()
            index = next(o.choice.index for o in options if o.target == wanted and o.enabled)
            p.choose(index)
            shown.append(p.text())
        assert p.path == ["arrival", *CASE_PATH]
        assert p.is_ending and p.scene.id == "caught"
        assert p.ending is not None and p.ending.kind == "bad"
        text = " ".join("\n".join(shown).split())
        position = 0
        for marker in CASE_MARKERS[lang]:
            found = text.find(marker, position)
            assert found >= 0, f"{lang}: {marker!r} missing or out of order"
            position = found


def test_case_path_walks_into_red_flags_and_money_buys_nothing(story: Story) -> None:
    p = play(story, CASE_PATH)
    met = {tag.id for tag in p.tags_met("red-flag")}
    assert len(met) >= 8, met
    assert p.vars["money"] > 0 and p.vars["leverage"] == story.variables["leverage"].maximum
    assert p.ending is not None and p.ending.kind == "bad"


def test_leverage_grows_at_every_step_of_the_institute(story: Story) -> None:
    """Li's desk and Wang's files move the meter: it is not already at its maximum when the player gets there."""
    seen = []
    for scene in ("zealous", "wang-files", "investigation"):  # after entering; Li and Wang are the steps between
        p = play(story, CASE_PATH[: CASE_PATH.index(scene) + 1])
        seen.append(p.vars["leverage"])
    assert seen == sorted(set(seen)), seen  # strictly rising from zealous to the investigation
    assert seen[-1] == story.variables["leverage"].maximum


def test_unease_falls_while_the_trap_works(story: Story) -> None:
    p = play(story, CASE_PATH[: CASE_PATH.index("reveal") + 1])
    before = p.vars["unease"]
    p = play(story, CASE_PATH[: CASE_PATH.index("puppet") + 1])
    assert p.vars["unease"] < before


# -- structure ---------------------------------------------------------------------------------------------


def test_enough_decision_points_each_with_discussion_prompts(story: Story) -> None:
    decisions = [s for s in story.scenes.values() if len(s.choices) >= 2]
    assert len(decisions) >= 10
    for scene in decisions:
        assert scene.discuss, f"{scene.id} has no discussion prompts"
    on_case_path = [s for s in CASE_PATH if len(story.scenes[s].choices) >= 2]
    assert len(on_case_path) >= 10


def test_endings_cover_every_kind_and_have_full_debriefs(story: Story) -> None:
    endings = story.endings()
    assert len(endings) >= 8
    assert {e.ending.kind for e in endings} == {"safe", "mixed", "bad"}
    for scene in endings:
        assert not scene.choices
        assert scene.ending.summary is not None, scene.id
        assert scene.debrief is not None, scene.id
        for part in (scene.debrief.what, scene.debrief.so_what, scene.debrief.now_what):
            assert part is not None, scene.id
            for lang in LANGS:
                assert part.values.get(lang, "").strip(), f"{scene.id} debrief lacks {lang}"
    for ending_id, kind in REQUIRED_KINDS.items():
        assert story.scenes[ending_id].ending.kind == kind


@pytest.mark.parametrize("ending", sorted(ENDING_PATHS))
def test_required_endings_are_reachable(story: Story, ending: str) -> None:
    p = play(story, ENDING_PATHS[ending])
    assert p.is_ending and p.scene.id == ending


def test_meters_are_shown_with_bounds(story: Story) -> None:
    shown = [v for v in story.variables.values() if v.show]
    assert {v.name for v in shown} >= {"money", "leverage", "unease"}
    for var in shown:
        assert var.type == "int" and var.minimum is not None and var.maximum is not None


# -- tags --------------------------------------------------------------------------------------------------


def test_red_flag_and_safe_exit_catalog(story: Story) -> None:
    red = story.tags_of_kind("red-flag")
    assert len(red) >= 8
    assert len(story.tags_of_kind("safe-exit")) >= 3
    used = {tag for scene in story.scenes.values() for choice in scene.choices for tag in choice.tags}
    for tag in story.tags.values():
        assert tag.id in used, f"catalog tag {tag.id} is never used"
        assert tag.explain is not None


def test_every_choice_tag_is_in_the_catalog(story: Story) -> None:
    for scene in story.scenes.values():
        for choice in scene.choices:
            for tag in choice.tags:
                assert tag in story.tags, f"{scene.id}: unknown tag {tag}"


def test_choices_that_step_off_the_trap_are_safe_exits(story: Story) -> None:
    safe_endings = {s.id for s in story.endings() if s.ending.kind == "safe"} | {"self-surrender"}
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.target in safe_endings:
                kinds = {story.tags[t].kind for t in choice.tags}
                assert "safe-exit" in kinds, f"{scene.id} → {choice.target} is not tagged as a safe exit"


def test_the_exit_visibly_narrows(story: Story) -> None:
    p = play(story, [*CASE_PATH[:10], "homecoming"])
    embassy = [o for o in p.choices() if o.target == "embassy"]
    assert embassy and not embassy[0].enabled and embassy[0].reason
    p = play(story, CASE_PATH[:14])
    locked = [o for o in p.choices() if not o.enabled]
    assert locked and "self-surrender" in locked[0].reason
    assert any(o.target == "self-surrender" and o.enabled for o in p.choices())


# -- language, law and content rules -----------------------------------------------------------------------


def test_every_text_is_in_both_languages(story: Story) -> None:
    for where, text in all_texts(story):
        for lang in LANGS:
            assert text.values.get(lang, "").strip(), f"{where} has no {lang} text"


def test_chinese_text_uses_chinese_punctuation(story: Story) -> None:
    for where, text in all_texts(story):
        zh = text.values["zh"]
        if re.search(r"[\u4e00-\u9fff]", zh):
            assert not re.search(r"[\u4e00-\u9fff][,.;:?!]", zh), f"{where}: ASCII punctuation after Chinese"


def test_the_law_says_may_never_will(story: Story) -> None:
    for where, text in all_texts(story):
        en = text.values["en"].replace("*", "")
        zh = text.values["zh"].replace("*", "")
        assert not re.search(r"\b(will|won't|shall) not be (held )?(accountable|prosecuted|punished)", en), where
        assert "will not be held" not in en and "won't be held" not in en, where
        assert "不会被追究" not in zh and "不会追究" not in zh, where
        for match in re.finditer("不予追究", zh):
            assert zh[max(0, match.start() - 2) : match.start()] == "可以", f"{where}: 不予追究 without 可以"
        assert "一定不予追究" not in zh and "必然" not in zh, where


def test_the_law_and_channels_are_stated(story: Story) -> None:
    everything = {lang: "\n".join(t.values[lang] for _, t in all_texts(story)) for lang in LANGS}
    assert "**may** not be held accountable" in everything["en"]
    assert "可以不予追究" in everything["zh"]
    assert "lightened, reduced or waived" in everything["en"]
    assert "可以从轻、减轻或者免除处罚" in everything["zh"]
    for lang in LANGS:
        assert "12339" in everything[lang] and "12339.gov.cn" in everything[lang]
    assert "embassy or consulate" in everything["en"] and "驻外使领馆" in everything["zh"]
    assert "kept confidential" in everything["en"] and "保密" in everything["zh"]


def test_countries_stay_unnamed(story: Story) -> None:
    names = [
        "America",
        "United States",
        "USA",
        "Britain",
        "England",
        "United Kingdom",
        "Canada",
        "Australia",
        "Japan",
        "Korea",
        "Germany",
        "France",
        "Russia",
        "India",
        "Taiwan",
        "美国",
        "英国",
        "加拿大",
        "澳大利亚",
        "日本",
        "韩国",
        "德国",
        "法国",
        "俄罗斯",
        "印度",
        "台湾",
    ]
    for where, text in all_texts(story):
        for lang in LANGS:
            for name in names:
                assert name not in text.values[lang], f"{where} names a country: {name}"


def test_legitimate_contact_is_acknowledged(story: Story) -> None:
    note = story.content_note
    assert "Most international friendships" in note.values["en"]
    assert "绝大多数" in note.values["zh"]
    assert story.tags["legit-contact"].kind == "info"
