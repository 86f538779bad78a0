"""The guide as a lesson kit: the card, checklist, safeguarding, source, handouts and exit ticket, both languages.

Timeline minutes are checked against the hand-counted fixture (tests/stories/lessons/timed.yaml); conditions
in words against a small story with labelled variables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.classroom.conditions import condition_words
from game.classroom.guide import build_guide, read_extras
from game.classroom.guide_render import render_html, render_markdown
from game.classroom.lesson_kit import build_kit, choose_lesson
from game.cli import main
from game.loader import load_story
from tests.conftest import CLASS_MONITOR

TIMED = Path(__file__).parent / "stories" / "lessons" / "timed.yaml"


def kit_for(story, lang: str, lesson_id: str | None = None):
    extras, problems = read_extras(story)
    assert problems == []
    guide = build_guide(story, lang, extras)
    return guide, build_kit(story, choose_lesson(story, lesson_id), lang, extras, guide.objectives, "STORY")


def test_timeline_minutes_follow_the_longest_route() -> None:
    story = load_story(TIMED)
    _, kit = kit_for(story, "en", "whole")
    rows = [(r.start, r.end, r.what) for r in kit.timeline]
    # longest en route: gate 0.6 min, hall 1.6 + 3, office 1.4 + 1, hall 2.0 + 3, office 0.9, caught 0.3 (from 5)
    assert rows == [
        (0, 5, "Brief: read the content note and the safe container aloud; state the objectives."),
        (5, 6, "Read on: Gate."),
        (6, 11, "Class decision: Hall (pair talk, vote)."),
        (11, 13, "Read on: Office. 1 quick decision: a short vote or your pick."),
        (13, 18, "Class decision: Hall (pair talk, vote)."),
        (18, 19, "Read on: Office."),
        (19, 19, "An ending: Caught."),
        (19, 20, "Spare time: a second ending, or a longer debrief."),
        (20, 30, "Debrief on the ending screen: What? So what? Now what? Last 5 minutes: the exit ticket."),
    ]
    assert [d.ask for d in kit.class_decisions] == ["Do you take them?"]
    assert kit.exit_ticket == [("What was the red flag?", "The coins.")]
    assert "play takes 5.5–13.8 min in this language (budget 15 min; read aloud at 10 words a minute" in kit.timing_note


def test_a_start_point_puts_the_recap_in_the_timeline_and_the_route_in_the_checklist() -> None:
    story = load_story(TIMED)
    _, kit = kit_for(story, "zh", "from-office")
    recap = kit.timeline[1]
    assert (recap.start, recap.end, recap.what, recap.lines) == (5, 6, "朗读前情提要：", ("你进去了。",))
    assert any("本课从“办公室”开始" in item and "1. 进去 → 2. 收下" in item for item in kit.checklist)


@pytest.fixture(scope="module")
def flagship():
    return load_story(CLASS_MONITOR)


SECTIONS = {
    "en": [
        "Lesson card: One lesson: the transcript deal and the institute",
        "Timeline",
        "Class decisions: one question each",
        "If the class exits early",
        "If time runs short",
        "Preparation checklist",
        "Safeguarding",
        "The source of the case",
        "Vocabulary",
        "Handouts",
        "Red-flag card",
        "Student worksheet",
        "Exit ticket",
        "Answer key (for the teacher)",
        "Reference",
    ],
    "zh": [
        "课堂卡片：一节课：成绩单交易与研究所",
        "时间安排",
        "全班决策：每处一个问题",
        "如果全班提前走到结局",
        "如果时间不够",
        "课前准备清单",
        "学生保护",
        "案例来源",
        "词汇表",
        "讲义",
        "危险信号卡",
        "学生学习单",
        "出门条",
        "参考答案（教师用）",
        "参考资料",
    ],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_flagship_guide_opens_with_the_kit_in_order(flagship, lang: str) -> None:
    guide, kit = kit_for(flagship, lang)
    text = render_markdown(guide, "en", kit)
    headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    positions = [headings.index(h) for h in SECTIONS[lang]]
    assert positions == sorted(positions), headings[:20]
    lesson = flagship.lesson("class-45")
    for scene_id in lesson.class_scenes:  # each class decision with its question, on the card and the worksheet
        ask = flagship.scenes[scene_id].ask.get(lang, "en").strip()
        assert text.count(ask) >= 2
    for question in lesson.exit_ticket:
        assert text.count(question.question.get(lang, "en")) == 2  # on the ticket and in the answer key
        assert question.answer.get(lang, "en") in text
    source = {"en": ("Global Times", "7 February\n2024"), "zh": ("《环球时报》", "2024年2月7日")}[lang]
    extras, _ = read_extras(flagship)
    assert source[0] in text and source[1].replace("\n", " ") in text
    assert all(term[lang] in text for term, _ in extras.vocabulary)
    assert ("family, friends or plans abroad" if lang == "en" else "家人、朋友在国外") in text
    html = render_html(guide, "en", kit)
    assert html.count('class="sheet') >= 4 and 'class="lesson-card"' in html
    for heading in SECTIONS[lang][:9] + SECTIONS[lang][10:]:  # in HTML each handout is a printed page of its own
        assert heading.replace("“", "").replace("”", "") in html.replace("“", "").replace("”", "")


def test_the_chinese_kit_uses_chinese_punctuation(flagship) -> None:
    guide, kit = kit_for(flagship, "zh")
    text = render_markdown(guide, "en", kit)
    card = text.split("# 参考资料")[0]
    prose = re.sub(r"`[^`]*`", "", card)  # commands stay as typed
    prose = re.sub(r"\d+(?:\.\d+)?[–～]\d+(?:\.\d+)?|\d+\.\d+|12339\.gov\.cn|\*\*|<br>|\|", " ", prose)
    prose = re.sub(r"^(#+|-|\d+\.|- \[ \]|---)\s", "", prose, flags=re.MULTILINE)
    for mark in (",", ";", "(", ")", "?", "!", ": "):
        assert mark not in prose, f"half-width {mark!r} in: " + prose[max(0, prose.find(mark) - 40) :][:80]
    assert "（仅当" in text and "(only if" not in text


def test_guide_command_takes_a_lesson_and_refuses_an_unknown_one(tmp_path: Path, capsys) -> None:
    out = tmp_path / "guide.html"
    assert main(["guide", str(CLASS_MONITOR), "--lesson", "class-45", "--format", "html", "-o", str(out)]) == 0
    assert "One lesson: the transcript deal and the institute" in out.read_text(encoding="utf-8")
    assert main(["guide", str(CLASS_MONITOR), "--lesson", "nope"]) == 2
    assert "has no lesson 'nope' (its lessons: class-45)" in capsys.readouterr().err


LABELLED = """\
crossroads: 1
id: words
title: {en: Words, zh: 词}
languages: [en, zh]
start: a
vars:
  money: {type: int, default: 0, label: {en: Envelopes accepted, zh: 收下的信封}}
  told_someone: false
scenes:
  a:
    title: {en: The office, zh: 办公室}
    choices:
      - {say: {en: x, zh: x}, go: a, if: "money > 0 and told_someone", set: {money: "money + 1"}}
      - {say: {en: y, zh: y}, go: b, if: 'not visited("b") or (money >= 2 and money < 5)'}
  b:
    title: {en: The bus, zh: 公交车}
    ending: {kind: safe, title: {en: End, zh: 终}}
"""


@pytest.mark.parametrize(
    ("source", "en", "zh"),
    [
        ("money > 0", "Envelopes accepted is more than 0", "“收下的信封”大于0"),
        ("not told_someone", "told someone is no", "“told someone”为“否”"),
        (
            'not visited("b") or (money >= 2 and money < 5)',
            "“The bus” has not been visited or (Envelopes accepted is at least 2 and "
            "Envelopes accepted is less than 5)",
            "还没去过“公交车”或者（“收下的信封”不少于2并且“收下的信封”小于5）",
        ),
        ('visits("a") + money == 3', "the number of visits to “The office” plus Envelopes accepted is 3",
         "进入“办公室”的次数加“收下的信封”等于3"),
        ("false", "never", "从不"),
    ],
)  # fmt: skip
def test_conditions_in_words(write_story, source: str, en: str, zh: str) -> None:
    story = load_story(write_story(LABELLED))
    assert condition_words(source, story, "en") == en
    assert condition_words(source, story, "zh") == zh
