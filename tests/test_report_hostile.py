"""Hostile and damaged report input: a table of attacks, each run through every output format.

Each bad line sits at line 2 of a file whose line 1 is a good record. For every format the command must exit
0, name the file and line 2 on stderr with the reason, count the good record, print no traceback, and leave
the file where it was, unchanged. A file of nothing but bad lines exits 1; a device, a folder or an oversized
file is refused before anything is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.classroom import report_input
from game.classroom.report import ReportBuilder
from game.classroom.report_html import render_html
from game.classroom.report_render import render_csv, render_json, render_markdown
from game.cli import main

FORMATS = ("md", "html", "csv", "csv-wide", "json")
HASH = "a" * 64


def record(**fields: object) -> dict:
    body = {
        "format": "crossroads-record",
        "version": 1,
        "id": "good-1",
        "story": {"id": "tutorial", "hash": HASH},
        "lang": "en",
        "mode": "solo",
        "choices": [{"scene": "message", "choice": 1, "seconds": 4.5, "tags": ["check-source"], "exit": True}],
        "ending": {"scene": "checked", "kind": "safe"},
    }
    body.update(fields)
    return body


def line(**fields: object) -> bytes:
    return json.dumps(record(id="bad-1", **fields)).encode()


def raw_record(replace: str, by: str) -> bytes:
    text = json.dumps(record(id="bad-1"))
    assert replace in text
    return text.replace(replace, by, 1).encode()


GOOD = json.dumps(record()).encode()
STEP = '"seconds": 4.5'

ATTACKS = [
    ("ending kind of wrong type", line(ending={"scene": "checked", "kind": ["a"]}), "a text 'kind'"),
    ("seconds 1e400", raw_record(STEP, '"seconds": 1e400'), "is too large"),
    ("seconds Infinity", raw_record(STEP, '"seconds": Infinity'), "'Infinity' is not a number JSON allows"),
    ("seconds -Infinity", raw_record(STEP, '"seconds": -Infinity'), "'-Infinity' is not a number JSON allows"),
    ("seconds NaN", raw_record(STEP, '"seconds": NaN'), "'NaN' is not a number JSON allows"),
    ("integer of 5,000 digits", raw_record(STEP, '"seconds": 1' + "0" * 5000), "over the limit of 4,300"),
    ("nesting 30,000 deep", raw_record('"tags": ["check-source"]', '"tags": ' + "[" * 30000 + "]" * 30000), "nested"),
    ("line over 64 KiB", raw_record('"mode": "solo"', '"mode": "solo", "pad": "' + "x" * 70_000 + '"'), "64 KiB"),
    ("invalid UTF-8", GOOD[:40] + b"\xff\xfe" + GOOD[40:], "not valid JSON"),
    ("truncated line", GOOD[:57], "not valid JSON"),
    ("NUL bytes", b"\x00" * 100, "not valid JSON"),
    ("a JSON array", b"[1, 2, 3]", "not a JSON object"),
    ("a JSON string", b'"hello"', "not a JSON object"),
    ("choice as text", line(choices=[{"scene": "message", "choice": "1", "seconds": 1}]), "choice is malformed"),
    ("negative choice", line(choices=[{"scene": "message", "choice": -1, "seconds": 1}]), "out of range"),
    ("negative seconds", line(choices=[{"scene": "message", "choice": 0, "seconds": -5}]), "choice is malformed"),
    ("seconds past the cap", line(choices=[{"scene": "message", "choice": 0, "seconds": 1e12}]), "out of range"),
    (
        "tags of numbers",
        line(choices=[{"scene": "message", "choice": 0, "seconds": 1, "tags": [1]}]),
        "choice is malformed",
    ),
    ("scene of HTML", line(choices=[{"scene": "<img src=x onerror=alert(1)>", "choice": 0, "seconds": 1}]), "scene"),
    ("story id of HTML", line(story={"id": "<script>alert(1)</script>", "hash": HASH}), "'story'"),
    ("story hash with a backtick", line(story={"id": "tutorial", "hash": "a`b"}), "story hash"),
    ("ending scene as a list", line(ending={"scene": ["x"]}), "'ending'"),
    ("lang as a number", line(lang=5), "'lang'"),
    ("lang as markup", line(lang="<b>"), "'lang'"),
    ("class as a list", line(**{"class": ["10B"]}), "'class'"),
    ("vote counts malformed", line(mode="facilitator", votes=[{"scene": "m", "counts": [[0]], "chosen": 0}]), "vote"),
    (
        "unknown vote decision",
        line(mode="facilitator", votes=[{"scene": "m", "counts": [], "chosen": 0, "decision": 5}]),
        "decision",
    ),
    (
        "huge vote count",
        line(mode="facilitator", votes=[{"scene": "m", "counts": [[0, 10**15]], "chosen": 0}]),
        "range",
    ),
    ("unknown version", line(version=99), "version 99"),
]


@pytest.mark.parametrize(("name", "bad", "message"), ATTACKS, ids=[a[0] for a in ATTACKS])
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_hostile_line_is_skipped_and_listed(tmp_path: Path, capsys, name: str, bad: bytes, message: str, fmt: str):
    path = tmp_path / "hand-in.jsonl"
    content = GOOD + b"\n" + bad + b"\n"
    path.write_bytes(content)
    out = tmp_path / f"report.{fmt}"
    assert main(["report", str(path), "--format", fmt, "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{path}:2: " in err and message in err
    assert "Traceback" not in err and f"{path}:1:" not in err
    assert path.read_bytes() == content and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["hand-in.jsonl", out.name]
    )
    text = out.read_text(encoding="utf-8-sig")
    assert "<script" not in text and "onerror=" not in text
    if fmt == "json":
        data = json.loads(text)
        assert data["groups"][0]["playthroughs"] == 1 and data["skipped"][0]["line"] == 2
    elif fmt == "csv-wide":
        assert len(text.strip().splitlines()) == 2  # header and the one good record


@pytest.mark.parametrize(("name", "bad", "message"), ATTACKS[:8], ids=[a[0] for a in ATTACKS[:8]])
def test_only_bad_lines_exit_1_naming_the_line(tmp_path: Path, capsys, name: str, bad: bytes, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(bad + b"\n")
    assert main(["report", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{path}:1: " in err and message in err and "no valid records found" in err


def test_the_tui_report_of_hostile_input_does_not_crash(tmp_path: Path, monkeypatch) -> None:
    import importlib

    shown: list[str] = []
    for name in ("game.tui.screens.markdown_view", "game.tui.screens.facilitator"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "show_markdown"):
            monkeypatch.setattr(module, "show_markdown", lambda text, title: shown.append(text))
    path = tmp_path / "hand-in.jsonl"
    path.write_bytes(GOOD + b"\n" + b"\n".join(bad for _, bad, _ in ATTACKS) + b"\n")
    assert main(["report", str(path), "--tui"]) == 0
    (text,) = shown
    assert f"{path}:{len(ATTACKS) + 1}:" in text.replace("\\_", "_") and "\x1b" not in text


def test_a_device_is_refused_at_once(capsys) -> None:
    began = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "game", "report", "/dev/zero"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and time.monotonic() - began < 30
    assert "/dev/zero: not a regular file" in result.stderr and "Traceback" not in result.stderr


def test_a_file_over_the_size_limit_is_refused_with_exit_1(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(report_input, "MAX_FILE_BYTES", 2 * len(GOOD))
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    small.write_bytes(GOOD + b"\n")
    big.write_bytes((GOOD + b"\n") * 3)
    assert main(["report", str(small)]) == 0
    capsys.readouterr()
    assert main(["report", str(small), str(big)]) == 1
    err = capsys.readouterr().err
    assert f"{big}: larger than" in err and "Traceback" not in err
    assert big.read_bytes() == (GOOD + b"\n") * 3


def test_the_size_limit_holds_while_reading_a_growing_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(report_input, "MAX_FILE_BYTES", 3 * len(GOOD))
    path = tmp_path / "grows.jsonl"
    path.write_bytes(GOOD + b"\n")
    lines = report_input.read_lines(path)
    next(lines)
    path.write_bytes((GOOD + b"\n") * 10)  # the file grew after the size check
    with pytest.raises(report_input.InputTooLarge):
        list(lines)


def test_an_over_long_line_is_never_held_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as handle:
        handle.write(GOOD + b"\n")
        for _ in range(80):  # one 20 MiB line
            handle.write(b"x" * (256 * 1024))
        handle.write(b"\n" + GOOD.replace(b"good-1", b"good-2") + b"\n")
    builder = ReportBuilder()
    tracemalloc.start()
    builder.read(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 2 * 1024 * 1024
    assert [(p.line, "64 KiB" in p.message) for p in builder.skipped] == [(2, True)]
    assert builder.report().groups[0].playthroughs == 2


def test_memory_does_not_grow_with_the_number_of_figures(tmp_path: Path) -> None:
    """Aggregating keeps counters, not records: 20,000 records take little more than 2,000 (ids aside)."""

    def peak_for(count: int) -> int:
        path = tmp_path / f"{count}.jsonl"
        with path.open("wb") as handle:
            for n in range(count):
                handle.write(GOOD.replace(b"good-1", f"r{n}".encode()) + b"\n")
        builder = ReportBuilder()
        tracemalloc.start()
        builder.read(path)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert builder.report().groups[0].playthroughs == count
        return peak

    small, large = peak_for(2_000), peak_for(20_000)
    assert large - small < 18_000 * 200  # under 200 bytes per extra record: the duplicate check's fingerprint


def test_more_distinct_scenes_than_the_report_can_hold_are_skipped(tmp_path: Path, monkeypatch, capsys) -> None:
    import game.classroom.report as report_module

    monkeypatch.setattr(report_module, "MAX_CELLS", 40)
    path = tmp_path / "many.jsonl"
    lines = [json.dumps(record(id=f"r{n}", choices=[{"scene": f"s{n}", "choice": 0, "seconds": n}])) for n in range(30)]
    path.write_text("\n".join(lines) + "\n")
    assert main(["report", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["groups"][0]["playthroughs"] < 30 and data["skipped"]
    assert "more different scenes" in data["skipped"][0]["message"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_in_a_class_label_never_reach_the_output(tmp_path: Path, capsys, fmt: str) -> None:
    path = tmp_path / "hand-in.jsonl"
    path.write_bytes(GOOD + b"\n" + line(**{"class": "10B\x1b]52;c;aGk=\x07\x9b2J"}) + b"\n")
    assert main(["report", str(path), "--format", fmt]) == 0
    captured = capsys.readouterr()
    assert not any(c in captured.out + captured.err for c in "\x1b\x07\x9b")
    assert "10B" in captured.out


def test_more_story_versions_than_the_limit_are_skipped_and_leave_no_empty_group(tmp_path: Path, monkeypatch) -> None:
    import game.classroom.report as report_module

    monkeypatch.setattr(report_module, "MAX_VERSIONS", 2)
    path = tmp_path / "versions.jsonl"
    lines = [json.dumps(record(id=f"r{n}", story={"id": "tutorial", "hash": f"{n:x}" * 8})) for n in range(4)]
    path.write_text("\n".join(lines) + "\n")
    builder = ReportBuilder()
    builder.read(path)
    assert [(p.line, "more than 2 story versions" in p.message) for p in builder.skipped] == [(3, True), (4, True)]
    assert [g.playthroughs for g in builder.report().groups] == [1, 1]
    monkeypatch.setattr(report_module, "MAX_CELLS", 1)  # a new version whose record does not fit adds no group
    builder = ReportBuilder()
    builder.read(path)
    assert builder.report().groups == [] and builder.skipped_total == 4


def test_the_report_never_overwrites_a_records_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "hand-in.jsonl"
    path.write_bytes(GOOD + b"\n")
    assert main(["report", str(path), "--format", "csv", "-o", str(path)]) == 2
    assert "never overwrites its input" in capsys.readouterr().err and path.read_bytes() == GOOD + b"\n"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
FIELDS = ["id", "story", "lang", "mode", "choices", "ending", "votes", "class", "version", "format"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    changes=st.lists(st.tuples(st.sampled_from([*FIELDS, "choices.0", "ending.kind"]), JSON_VALUES), max_size=4),
    mode=st.sampled_from(["solo", "facilitator"]),
)
def test_any_field_of_any_json_value_never_crashes_the_report(tmp_path: Path, changes, mode: str) -> None:
    body = record(id="fuzzed", mode=mode)
    if mode == "facilitator":
        body["votes"] = [{"scene": "message", "counts": [[0, 3], [1, 2]], "chosen": 0, "decision": "majority"}]
    for where, value in changes:
        if where == "choices.0":
            body["choices"] = [value]
        elif where == "ending.kind":
            body["ending"] = {"scene": "checked", "kind": value}
        else:
            body[where] = value
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(GOOD + b"\n" + json.dumps(body).encode() + b"\n")
    builder = ReportBuilder()
    builder.read(path)
    report = builder.report()
    counted = sum(g.playthroughs + g.sessions for g in report.groups)
    assert counted >= 1 and builder.skipped_total + counted + builder.duplicates == 2
    render_markdown(report), render_html(report), render_csv(report), render_json(report)
    for problem in builder.skipped:
        assert str(problem).startswith(f"{path}:2: ")
