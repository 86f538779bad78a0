"""The class report, checked against figures computed by hand for tests/fixtures/records/class.jsonl.

The fixture holds six records of story version A (five students' playthroughs, four finished and one abandoned,
and one facilitator session, r5, with two votes), two of version B, a truncated line (8), a duplicate of record
r1 (10) and a version-2 record (11). The class session is reported apart and never counted as a student.

Hand computation for version A (students r1 r2 r3 r4 r6):
- endings: checked 2 (r2, r3), deleted 1, scammed 1, abandoned 1 → 2/5 = 40%.
- message: option 0 taken by r1 r3 r6 (3/5), option 1 by r2, option 2 by r4; seconds 10 30 5 8 12 → median 10.
- form: options 0 and 2 once each (r1, r3); seconds 20 15 → median 17.5.
- all decisions: 10 20 30 5 15 25 8 12 → median (12 + 15) / 2 = 13.5.
- first exit: r2 at message, r3 at friend; r1 r4 r6 never.
- class session r5: ending checked; votes at message 12/8/2 (followed 0, majority),
  at form 5/5/0 (followed 1, tie-break).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from game.classroom.records import read_records, records_path
from game.classroom.report import build_report
from game.classroom.report_html import render_html
from game.classroom.report_render import render_csv, render_json, render_markdown
from game.cli import main
from game.loader import load_story
from game.session import GameSession
from tests.conftest import TUTORIAL

FIXTURE = Path(__file__).parent / "fixtures" / "records" / "class.jsonl"


@pytest.fixture(scope="module")
def report():
    return build_report(read_records([FIXTURE]), {}, "en")


def test_versions_are_reported_apart(report) -> None:
    assert [(g.story_hash[0], g.current, g.playthroughs, g.sessions) for g in report.groups] == [
        ("a", True, 5, 1),
        ("b", False, 2, 0),
    ]


def test_counts_and_ending_distribution(report) -> None:
    group = report.groups[0]
    assert (group.playthroughs, group.finished, group.abandoned) == (5, 4, 1)
    assert group.languages == {"en": 4, "zh": 1} and group.session_languages == {"en": 1}
    endings = {(e.scene_id, e.kind): (e.count, round(e.share, 4)) for e in group.endings}
    assert endings == {
        ("checked", "safe"): (2, 0.4),
        ("deleted", "mixed"): (1, 0.2),
        ("scammed", "bad"): (1, 0.2),
        (None, None): (1, 0.2),
    }
    assert [(e.scene_id, e.count) for e in group.session_endings] == [("checked", 1)]


def test_option_shares_and_median_times(report) -> None:
    group = report.groups[0]
    decisions = {d.scene_id: d for d in group.decisions}
    assert list(decisions) == ["message", "form", "friend"]
    message = decisions["message"]
    assert message.total == 5 and message.median_seconds == 10.0
    assert [(o.index, o.count, round(o.share, 4)) for o in message.options] == [(0, 3, 0.6), (1, 1, 0.2), (2, 1, 0.2)]
    assert decisions["form"].median_seconds == 17.5
    assert [(o.index, o.count) for o in decisions["form"].options] == [(0, 1), (2, 1)]
    assert group.median_decision_seconds == 13.5


def test_where_players_first_stepped_off_the_trap(report) -> None:
    group = report.groups[0]
    assert [(s, c) for s, _, c in group.first_off_trap] == [("message", 1), ("friend", 1)]
    assert group.never_off_trap == 3


def test_facilitator_votes_one_compact_table_per_decision(report) -> None:
    votes = report.groups[0].votes
    assert [(v.scene_id, v.held, v.total_votes, v.decisions) for v in votes] == [
        ("message", 1, 22, {"majority": 1}),
        ("form", 1, 10, {"tie-break": 1}),
    ]
    assert [(o.votes, o.followed) for o in votes[0].options] == [(12, 1), (8, 0), (2, 0)]
    assert [(o.votes, o.followed) for o in votes[1].options] == [(5, 0), (5, 1), (0, 0)]


def test_corrupt_line_and_unsupported_version_are_skipped_and_reported(report) -> None:
    assert [(p.line, p.message) for p in report.problems] == [
        (8, "not valid JSON (damaged or truncated line); skipped"),
        (11, "record version 2 is not supported (this Crossroads reads 1); skipped"),
    ]
    assert report.duplicates == 1
    text = render_markdown(report)
    # the path is Markdown-escaped in the report (a folder named a_b shows as a\_b): match from the file name on
    assert f"{FIXTURE.name}:8: not valid JSON" in text and "Duplicate records ignored: 1" in text


def test_other_version_figures_are_not_mixed(report) -> None:
    old = report.groups[1]
    assert (old.playthroughs, old.finished, old.abandoned) == (2, 1, 1)
    assert old.median_decision_seconds == 8.0
    markdown = render_markdown(report)
    assert markdown.index("Records from another version") > markdown.index("**5**")


def test_json_and_csv_carry_the_same_figures(report) -> None:
    data = json.loads(render_json(report))
    current = data["groups"][0]
    assert current["story"]["current"] is True and current["playthroughs"] == 5
    assert current["class_sessions"]["sessions"] == 1
    assert current["decisions"][0]["options"][0] == {
        "choice": 0,
        "label": "Option 1",
        "count": 3,
        "share": 0.6,
        "tags": ["urgency"],
        "marks": [],  # the records' story is unknown here, so only the records' own safe-exit flag marks
    }
    assert len(data["skipped"]) == 2
    rows = list(csv.DictReader(io.StringIO(render_csv(report).removeprefix("\ufeff"), newline="")))
    option_rows = [r for r in rows if r["section"] == "option" and r["current"] == "yes" and r["scene"] == "message"]
    assert [(r["choice"], r["count"], r["share"], r["value"]) for r in option_rows] == [
        ("0", "3", "0.6000", ""),
        ("1", "1", "0.2000", "safe-exit"),
        ("2", "1", "0.2000", ""),
    ]
    (median,) = [r for r in rows if r["section"] == "median_decision_seconds" and r["current"] == "yes"]
    assert median["value"] == "13.5"


def test_html_is_offline_and_printable(report) -> None:
    html = render_html(report)
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "url(" not in html
    # one bar per row: current endings 4, options 3+2+1, first exit 2+1, class-session endings 1;
    # other version: endings 2, options 2, first exit 1+1
    assert html.count("<svg") == (4 + 6 + 3 + 1) + (2 + 2 + 2)
    assert "@media print" in html
    assert "Records from another version of this story" in html


def test_labels_come_from_the_story_when_the_version_matches() -> None:
    story = load_story(TUTORIAL)
    game = GameSession(story, "zh")
    game.autosave()
    game.choose(1)
    report = build_report(read_records([records_path()]), {story.id: story}, "zh")
    group = report.groups[0]
    assert group.title == "中奖短信"
    assert [o.label for o in group.decisions[0].options] == [
        "赶紧点开链接",
        "先不急，自己查一下这家公司",
        "直接删除短信",
    ]
    assert [e.title for e in group.endings] == ["没有上当", "安全，但没看清", "上当受骗"]  # unreached endings shown too
    text = render_markdown(report)
    assert "# 班级报告" in text and "玩家第一次走出陷阱的地方" in text


def test_cli_report_formats_and_exit_codes(tmp_path: Path, capsys) -> None:
    assert main(["report", str(FIXTURE), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["groups"][0]["playthroughs"] == 5
    assert f"crossroads: warning: {FIXTURE}:8: not valid JSON" in captured.err
    out = tmp_path / "report.html"
    assert main(["report", str(FIXTURE.parent), "--format", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("garbage\n")
    assert main(["report", str(bad)]) == 1
    assert f"{bad}:1: not valid JSON" in capsys.readouterr().err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert main(["report", str(empty)]) == 0
    assert "No records." in capsys.readouterr().out
    assert main(["report", str(FIXTURE), "--story", str(tmp_path / "missing")]) == 2
