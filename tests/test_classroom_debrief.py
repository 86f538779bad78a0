"""The debrief: What? (a timeline with flags walked past and exits not taken), So what?, Now what?; Markdown export."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.classroom.debrief import build_debrief, default_export_path, export_markdown, play_debrief_markdown
from game.engine import Playthrough
from game.loader import load_story
from tests.conftest import TUTORIAL


@pytest.fixture(scope="module")
def story():
    return load_story(TUTORIAL)


def scammed(story, lang: str = "en") -> Playthrough:
    play = Playthrough(story, lang)
    play.choose(0)  # tap the link (urgency), passing up "look the company up" (a safe exit)
    play.choose(0)  # fill in everything (asks-for-data), passing up "check the real website"
    return play


def test_timeline_of_a_known_path(story) -> None:
    data = build_debrief(scammed(story))
    assert [(e.number, e.scene_id, e.choice_text) for e in data.timeline] == [
        (1, "message", "Tap the link before time runs out"),
        (2, "form", "Fill in everything"),
    ]
    assert [[f.id for f in e.red_flags] for e in data.timeline] == [["urgency"], ["asks-for-data"]]
    assert [e.exits_passed for e in data.timeline] == [
        ("Wait, and look the company up yourself",),
        ("Close the page and check the company's real website",),
    ]
    assert data.ending_id == "scammed" and data.ending_kind == "bad"
    assert [t.id for t in data.red_flags] == ["urgency", "asks-for-data"]
    assert [t.id for t in data.safe_exits] == ["check-source"]


def test_markdown_has_the_three_parts_in_order_with_explanations(story) -> None:
    text = play_debrief_markdown(scammed(story))
    what, so_what, now_what = text.index("## What?"), text.index("## So what?"), text.index("## Now what?")
    assert what < so_what < now_what
    assert "1. **A message at midnight** — you chose: Tap the link before time runs out" in text
    assert "⚑ Red flag: Artificial urgency" in text
    assert "⇢ Exit not taken: Wait, and look the company up yourself" in text
    assert "Scammers rush you" in text[so_what:now_what]  # the flag explained under So what?
    assert "Call your bank at once" in text[now_what:]
    assert "Checking the source" in text[now_what:]


def test_safe_path_says_no_exit_was_missed_and_chinese_labels(story) -> None:
    play = Playthrough(story, "zh")
    play.choose(1)
    text = play_debrief_markdown(play)
    assert "## 发生了什么？" in text and "你没有错过任何出口" in text and "这条路径上你没有越过任何危险信号" in text
    assert "没有上当" in text


def test_export_writes_markdown_under_the_data_folder(story, crossroads_home: Path) -> None:
    play = scammed(story)
    first = export_markdown(play, default_export_path(play))
    second = export_markdown(play, default_export_path(play))
    assert first.parent == crossroads_home / "debriefs" and first != second
    assert first.read_text(encoding="utf-8") == play_debrief_markdown(play)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exported_story_text_is_one_line_per_paragraph(lang: str) -> None:
    from game import prose
    from tests.conftest import CLASS_MONITOR

    play = Playthrough(load_story(CLASS_MONITOR), lang)
    while not play.is_ending:
        play.choose(0)
    text = play_debrief_markdown(play, lang)
    debrief = play.scene.debrief
    sources = [s.get(lang, "en").strip() for s in (debrief.what, debrief.so_what, debrief.now_what) if s]
    if lang == "en":  # the English source wraps its lines; the Chinese is one line per paragraph already
        assert any("\n" in source.replace("\n\n", "") for source in sources)
    for source in sources:
        for paragraph in prose.to_paragraphs(source):
            assert paragraph in text.split("\n"), paragraph


def test_the_class_debrief_shows_the_route_as_the_class_voted_it() -> None:
    from game.classroom.debrief import class_votes_markdown
    from game.classroom.records import vote_entry
    from game.engine import Playthrough
    from game.loader import load_story
    from tests.conftest import TUTORIAL

    story = load_story(TUTORIAL)
    play = Playthrough(story, "en")
    first = play.scene
    play.choose(0)
    votes = {0: vote_entry(first.id, {0: 1, 1: 12, 2: 3}, 0, "override")}
    text = class_votes_markdown(play, votes, "en")
    say = [choice.say.get("en", "en") for choice in first.choices]
    assert "## How the class voted" in text
    assert f"the class followed: {say[0]} (the teacher's choice over the vote)" in text
    assert f"{say[0]}: 1 vote" in text and f"{say[1]}: 12 votes" in text
    chinese = class_votes_markdown(play, votes, "zh")
    assert "全班怎么投的票" in chinese and "12 票" in chinese and "老师没有按投票结果" in chinese
    assert class_votes_markdown(play, {}, "en") == ""
