"""The generated facilitator guide: every decision point and ending, the lesson plan, offline HTML, guide.yaml."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.classroom.guide import build_guide, read_extras
from game.classroom.guide_render import inline_html, render_html, render_markdown
from game.cli import main
from game.loader import load_story
from tests.conftest import CLASS_MONITOR, TUTORIAL

STORIES = [TUTORIAL, CLASS_MONITOR]


@pytest.mark.parametrize("path", STORIES, ids=lambda p: p.name)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_guide_contains_every_decision_point_and_ending(path: Path, lang: str) -> None:
    story = load_story(path)
    guide = build_guide(story, lang)
    fb = story.default_language
    for render in (render_markdown, render_html):
        text = render(guide, fb)
        for scene in story.scenes.values():
            if len(scene.choices) >= 2:
                assert f"{scene.id}" in text
                title = scene.title.get(lang, fb)
                assert (title if render is render_markdown else inline_html(title)) in text
                for choice in scene.choices:
                    say = choice.say.get(lang, fb)
                    assert (say if render is render_markdown else inline_html(say)) in text
        for scene in story.endings():
            ending = scene.ending
            assert ending is not None
            title = ending.title.get(lang, fb)
            assert (title if render is render_markdown else inline_html(title)) in text
            if scene.debrief and scene.debrief.now_what:
                now_what = scene.debrief.now_what.get(lang, fb).strip()
                assert (now_what if render is render_markdown else inline_html(now_what)) in text
    assert [d.scene_id for d in guide.decisions] == [s.id for s in story.scenes.values() if len(s.choices) >= 2]
    for scene in story.scenes.values():  # every scene is on the map
        assert f"`{scene.id}`" in render_markdown(guide, fb)
    assert [e.scene_id for e in guide.endings] == [s.id for s in story.endings()]


def test_markdown_guide_sections_in_lesson_order() -> None:
    story = load_story(TUTORIAL)
    text = render_markdown(build_guide(story, "en"), "en")
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert headings == [
        "Learning objectives",
        "A 45-minute lesson plan",
        "Content note",
        "Before you start: the safe container (read aloud)",
        "Story map",
        "Red flags",
        "Decision points",
        "Endings",
        "The law and where to report",
    ]
    assert "| 0–5 min | Brief" in text and "| 5–25 min | Play" in text and "| 25–45 min | Debrief" in text
    assert "Recognise the red flags in the story: Artificial urgency, A request for personal data." in text
    assert "⚑ Red flag: Artificial urgency" in text and "⇢ Safe exit: Checking the source" in text
    assert "(only if `suspicion >= 2`)" in text
    assert "- What in this message is meant to make you hurry?" in text
    # a decision point without its own prompts gets the default questions
    assert "Where was the first red flag, and who noticed it?" in text


def test_html_guide_is_offline_escaped_and_printable(write_story) -> None:
    folder = write_story(
        """
crossroads: 1
id: esc
title: "<script>alert(1)</script>"
start: a
scenes:
  a:
    title: "A & <b>"
    text: hi
    choices:
      - {say: "**Bold** <img src=x>", go: b}
      - {say: "Other", go: b}
  b:
    title: End
    text: bye
    ending: {kind: safe, title: Done}
"""
    )
    html = render_html(build_guide(load_story(folder)), "en")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "<strong>Bold</strong> &lt;img src=x&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@media print" in html


def test_guide_yaml_adds_objectives_law_and_channels(write_story) -> None:
    story_text = (TUTORIAL / "story.yaml").read_text(encoding="utf-8")
    folder = write_story(
        {
            "story.yaml": story_text,
            "guide.yaml": """
objectives:
  - {en: Spot urgency, zh: 识别催促}
law: {en: "Fraud is a crime: **report it**.", zh: 诈骗是犯罪。}
channels: [{en: Call the police, zh: 报警}]
""",
        }
    )
    story = load_story(folder)
    extras, problems = read_extras(story)
    assert problems == []
    text = render_markdown(build_guide(story, "zh", extras), "en")
    assert "1. 识别催促" in text and "诈骗是犯罪。" in text and "- 报警" in text
    html = render_html(build_guide(story, "en", extras), "en")
    assert "<strong>report it</strong>" in html


def test_bad_guide_yaml_is_located_and_fails_the_command(write_story, capsys) -> None:
    story_text = (TUTORIAL / "story.yaml").read_text(encoding="utf-8")
    folder = write_story({"story.yaml": story_text, "guide.yaml": "objectives: 3\nlaww: x\n"})
    assert main(["guide", str(folder)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"guide\.yaml:1:13: CR801: expected a list", err)
    assert re.search(r"guide\.yaml:2:1: CR802: unknown key 'laww'", err)


def test_guide_command_formats_and_errors(tmp_path: Path, capsys, write_story) -> None:
    out = tmp_path / "guide.html"
    assert main(["guide", str(TUTORIAL), "--format", "html", "--lang", "zh", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "教师指南" in html
    assert main(["guide", str(TUTORIAL), "--lang", "fr"]) == 2
    assert "has no language 'fr'" in capsys.readouterr().err
    assert main(["guide", str(tmp_path / "none")]) == 2
    broken = write_story("crossroads: 1\nid: x\n")
    assert main(["guide", str(broken)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"story\.yaml:\d+:\d+: CR\d{3}: ", err) and "has errors" in err
