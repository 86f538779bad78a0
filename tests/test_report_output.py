"""What the teacher shows the principal: whole option labels, marks and kinds in words, class sessions apart,
language names and plurals in both languages, CSV bytes (BOM, CRLF, neutralised cells), the wide CSV,
``--title`` and ``--class``, and Markdown/HTML that no record field can inject markup into."""

from __future__ import annotations

import csv
import io
import json
import re
from html import escape
from pathlib import Path

import pytest

from game.classroom.report import ReportBuilder
from game.classroom.report_html import render_html
from game.classroom.report_input import to_play_record
from game.classroom.report_render import csv_cell, md_text, render_markdown
from game.cli import main
from game.loader import load_story
from game.model import Story
from game.paths import bundled_stories


@pytest.fixture(scope="module")
def stories() -> dict[str, Story]:
    loaded = [load_story(entry) for entry in bundled_stories()]
    return {story.id: story for story in loaded}


def record(story: Story, rid: str, steps: list[tuple[str, int]], **fields: object) -> dict:
    tags = {s.id: s.choices for s in story.scenes.values()}
    body = {
        "format": "crossroads-record",
        "version": 1,
        "id": rid,
        "story": {"id": story.id, "hash": story.content_hash},
        "lang": "en",
        "mode": "solo",
        "choices": [
            {"scene": scene, "choice": index, "seconds": 5.0, "tags": list(tags[scene][index].tags)}
            for scene, index in steps
        ],
        "ending": None,
    }
    body.update(fields)
    return body


def every_option_report(stories: dict[str, Story], lang: str):
    builder = ReportBuilder()
    for story in stories.values():
        for scene in story.scenes.values():
            for choice in scene.choices:
                builder.add(to_play_record(record(story, f"{scene.id}-{choice.index}", [(scene.id, choice.index)])))
    return builder.report(stories, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_option_label_of_both_stories_appears_whole(stories, lang: str) -> None:
    report = every_option_report(stories, lang)
    html, markdown = render_html(report), render_markdown(report)
    texts = [
        choice.say.get(lang, story.default_language)
        for story in stories.values()
        for scene in story.scenes.values()
        for choice in scene.choices
    ]
    assert len(texts) > 50
    for text in texts:
        assert escape(text) in html and md_text(text) in markdown
    assert "…" not in html
    # each figure ("1 · 100%") sits in its own column beside the bar, so it cannot run past the chart
    assert len(re.findall(r'<td class="num">\d+ · \d+%</td>', html)) >= len(texts)


def test_options_are_marked_as_red_flags_and_safe_exits_in_words(stories) -> None:
    story = stories["tutorial"]
    kinds = {tag.id: tag.kind for tag in story.tags.values()}
    flagged = [
        (s.id, c) for s in story.scenes.values() for c in s.choices if any(kinds[t] == "red-flag" for t in c.tags)
    ]
    exits = [
        (s.id, c) for s in story.scenes.values() for c in s.choices if any(kinds[t] == "safe-exit" for t in c.tags)
    ]
    assert flagged and exits
    report = every_option_report({"tutorial": story}, "en")
    markdown, html = render_markdown(report), render_html(report)
    for _, choice in flagged:
        assert re.search(
            rf"\| {choice.index + 1}\. {re.escape(md_text(choice.say.get('en', 'en')))} \| ⚑ red flag", markdown
        )
    for _, choice in exits:
        assert f"{choice.index + 1}. {md_text(choice.say.get('en', 'en'))} | ✓ safe exit" in markdown
    assert html.count("⚑ red flag") >= len(flagged) and html.count("✓ safe exit") >= len(exits)
    zh = render_markdown(every_option_report({"tutorial": story}, "zh"))
    assert "⚑ 危险信号" in zh and "✓ 安全出口" in zh


def test_endings_are_marked_by_kind_in_words(stories) -> None:
    story = stories["tutorial"]
    builder = ReportBuilder()
    for n, ending in enumerate(story.endings()):
        builder.add(to_play_record(record(story, f"e{n}", [], ending={"scene": ending.id, "kind": ending.ending.kind})))
    markdown = render_markdown(builder.report(stories, "en"))
    for ending in story.endings():
        word = {"safe": "✓ safe ending", "mixed": "◐ mixed ending", "bad": "✗ bad ending"}[ending.ending.kind]
        assert f"| {md_text(ending.ending.title.get('en', 'en'))} | {word} |" in markdown
    assert "✗ 糟糕结局" in render_html(builder.report(stories, "zh"))


def sessions_report(stories, lang: str = "en"):
    story = stories["tutorial"]
    builder = ReportBuilder()
    builder.add(to_play_record(record(story, "s1", [("message", 1)], ending={"scene": "checked", "kind": "safe"})))
    for n, chosen in enumerate([0, 0, 1]):
        votes = [{"scene": "message", "counts": [[0, 12], [1, 8], [2, 2]], "chosen": chosen, "decision": "majority"}]
        builder.add(
            to_play_record(
                record(
                    story,
                    f"class-{n}",
                    [("message", chosen)],
                    mode="facilitator",
                    votes=votes,
                    ending={"scene": "scammed", "kind": "bad"},
                )
            )
        )
    return builder.report(stories, lang)


def test_class_sessions_are_reported_apart_and_not_counted_as_students(stories) -> None:
    group = sessions_report(stories).groups[0]
    assert (group.playthroughs, group.sessions) == (1, 3)
    assert {e.scene_id: e.count for e in group.endings}["scammed"] == 0  # the classes' ending is not a student's
    assert [(e.scene_id, e.count) for e in group.session_endings] == [("scammed", 3)]
    (table,) = group.votes
    assert (table.held, table.total_votes) == (3, 66)
    assert [(o.votes, o.followed) for o in table.options] == [(36, 2), (24, 1), (6, 0)]
    markdown = render_markdown(sessions_report(stories))
    assert "Class sessions (facilitator mode)" in markdown and "- 3 class sessions (finished 3)" in markdown
    assert "voted on in 3 sessions, 66 votes (majority 3)" in markdown
    assert markdown.count("| 1\\. ") >= 1 or markdown.count("| 1. ") >= 2


def test_plurals_and_language_names_in_both_languages(stories) -> None:
    en = render_markdown(sessions_report(stories, "en"))
    assert "1 playthrough (1 finished) and 3 class sessions" in en
    assert "Languages: English 1" in en and "Languages: en" not in en
    zh = render_markdown(sessions_report(stories, "zh"))
    assert "学生个人游玩 1 次（完成 1 次），3 场课堂引导" in zh
    assert "语言：英语 1" in zh and "语言：en" not in zh
    assert "- 学生个人游玩：**1**（已完成 1，中途放弃 0）" in zh and "- 3 场课堂引导（已完成 3）" in zh
    assert "在 3 场中投票，66 票（多数决定 3）" in zh
    story = stories["tutorial"]
    builder = ReportBuilder()
    builder.add(to_play_record(record(story, "a", [("message", 0)], lang="zh")))
    builder.add(to_play_record(record(story, "b", [("message", 0)], lang="en")))
    two = render_markdown(builder.report(stories, "en"))
    assert "2 playthroughs (0 finished)" in two and "Simplified Chinese 1" in two
    assert "语言：简体中文 1、英语 1" in render_markdown(builder.report(stories, "zh"))
    one_session = render_markdown(_single_session(stories))
    assert "voted on in 1 session, 1 vote (" in one_session and "1 class session (" in one_session


def _single_session(stories):
    story = stories["tutorial"]
    builder = ReportBuilder()
    votes = [{"scene": "message", "counts": [[0, 1]], "chosen": 0, "decision": "majority"}]
    builder.add(to_play_record(record(story, "c", [("message", 0)], mode="facilitator", votes=votes)))
    return builder.report(stories, "en")


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "' =1"),
        ("   =1", "'   =1"),
        ("10B", "10B"),
        ("a=b", "a=b"),
        (12, 12),
    ],
)
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(cell: object, written: object) -> None:
    assert csv_cell(cell) == written


def test_csv_bytes_have_a_bom_crlf_and_neutral_cells(tmp_path: Path, stories) -> None:
    story = stories["tutorial"]
    path = tmp_path / "records.jsonl"
    lines = [record(story, "r1", [("message", 0)], **{"class": "=cmd|' /C calc'!A0"})]
    lines.append(record(story, "r2", [("message", 1)], **{"class": "=cmd|' /C calc'!A0"}))
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    for fmt in ("csv", "csv-wide"):
        out = tmp_path / f"out-{fmt}.csv"
        assert main(["report", str(path), "--format", fmt, "-o", str(out)]) == 0
        data = out.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data.count(b"\r\n") == data.count(b"\n") > 1
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert all(not str(cell).lstrip(" ").startswith(("=", "+", "-", "@")) for row in rows for cell in row)
        assert any(cell == "'=cmd|' /C calc'!A0" for row in rows for cell in row)


def test_the_wide_csv_has_one_row_per_playthrough_and_a_column_per_decision(tmp_path: Path, stories) -> None:
    story = stories["tutorial"]
    first = story.scenes[story.start]
    second_id = first.choices[0].target
    path = tmp_path / "records.jsonl"
    records = [
        record(story, "r1", [(first.id, 0), (second_id, 0)], ending=None),
        record(story, "r2", [(first.id, 1)], lang="zh", ending={"scene": "checked", "kind": "safe"}),
        record(story, "r1", [(first.id, 0)]),  # a duplicate: counted once
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    out = tmp_path / "wide.csv"
    assert main(["report", str(path), "--format", "csv-wide", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    assert [r["record"] for r in rows] == ["r1", "r2"]
    first_column = f"{first.title.get('en', 'en')} ({first.id})"
    assert rows[0][first_column] == f"1. {first.choices[0].say.get('en', 'en')}"
    assert rows[1][first_column] == f"2. {first.choices[1].say.get('en', 'en')}"
    assert rows[1]["language"] == "Simplified Chinese" and rows[1]["ending_kind"] == "✓ safe ending"
    assert rows[0]["ending"] == "abandoned" and rows[0]["choices"] == "2"


def test_title_date_summary_and_class_filter(tmp_path: Path, stories, capsys) -> None:
    story = stories["tutorial"]
    path = tmp_path / "records.jsonl"
    records = [
        record(story, "a", [("message", 1)], ending={"scene": "checked", "kind": "safe"}, **{"class": "10B"}),
        record(story, "b", [("message", 0)], ending={"scene": "scammed", "kind": "bad"}, **{"class": "10B"}),
        record(story, "c", [("message", 0)], **{"class": "10C"}),
        record(story, "d", [("message", 0)]),
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert main(["report", str(path), "--title", "Class 10B", "--class", "10B"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "# Class 10B"
    assert re.fullmatch(r"Class report · Date: \d{4}-\d\d-\d\d · Class: 10B", lines[2])
    assert "“The Prize Message”: 2 playthroughs (2 finished). 50% of the playthroughs reached a safe ending" in out
    assert "2 records of other classes left out" in out
    assert main(["report", str(path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"][0]["classes"] == {"10B": 2, "10C": 1}


def test_markup_from_a_record_field_never_reaches_markdown_or_html(tmp_path: Path, stories, capsys) -> None:
    story = stories["tutorial"]
    # class labels are at most 40 characters (records.class_label_problem): one attack per record
    attacks = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![i](http://e/x.png)",
    ]
    path = tmp_path / "records.jsonl"
    lines = [json.dumps(record(story, f"a{n}", [("message", 0)], **{"class": a})) for n, a in enumerate(attacks)]
    path.write_text("\n".join(lines) + "\n")
    assert main(["report", str(path), "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert "<script" not in markdown and "<img" not in markdown
    assert not re.search(r"(?<!\\)\]\(", markdown) and "![" not in markdown
    assert "\\[x\\](javascript" in markdown  # shown as text, not a link
    assert "&lt;script&gt;" in markdown
    assert main(["report", str(path), "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "<script" not in html and "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
