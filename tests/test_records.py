"""Anonymous playthrough records: one whole line per finished or abandoned game, nothing personal, export."""

from __future__ import annotations

import getpass
import json
import socket
from pathlib import Path

import pytest

from game.classroom.records import (
    RECORD_VERSION,
    RecordKeeper,
    RecordsFileError,
    read_records,
    records_path,
    validate_record,
)
from game.cli import main
from game.engine import Playthrough
from game.loader import load_story
from tests.conftest import TUTORIAL

KEYS = {"format", "version", "id", "story", "lang", "mode", "choices", "ending"}


@pytest.fixture(scope="module")
def story():
    return load_story(TUTORIAL)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_finished_game_appends_one_line_under_crossroads_home(story, crossroads_home: Path) -> None:
    keeper = RecordKeeper(story, "en")
    keeper.choice_made("message", 0, 3.26)
    keeper.choice_made("form", 0, 12)
    keeper.finish("scammed")
    assert records_path() == crossroads_home / "records" / f"records-v{RECORD_VERSION}.jsonl"
    (record,) = lines(records_path())
    assert set(record) == KEYS
    assert record["story"] == {"id": "tutorial", "hash": story.content_hash}
    assert record["lang"] == "en" and record["mode"] == "solo"
    assert record["choices"] == [
        {"scene": "message", "choice": 0, "seconds": 3.3, "tags": ["urgency"], "exit": False},
        {"scene": "form", "choice": 0, "seconds": 12.0, "tags": ["asks-for-data"], "exit": False},
    ]
    assert record["ending"] == {"scene": "scammed", "kind": "bad"}
    assert validate_record(record) is None


def test_abandoned_game_records_null_ending_and_finish_is_once_only(story) -> None:
    keeper = RecordKeeper(story, "zh")
    keeper.choice_made("message", 1, 1.0)
    assert keeper.finish(None) is not None
    assert keeper.finish("checked") is None  # a later call never writes a second line
    (record,) = lines(records_path())
    assert record["ending"] is None
    assert record["choices"][0]["exit"] is True


def test_each_playthrough_gets_its_own_random_id_and_nothing_personal(story) -> None:
    for _ in range(3):
        RecordKeeper(story, "en").finish(None)
    raw = records_path().read_text(encoding="utf-8")
    ids = {r["id"] for r in lines(records_path())}
    assert len(ids) == 3 and all(len(i) == 32 for i in ids)
    for secret in {socket.gethostname(), getpass.getuser(), str(Path.home())}:
        if len(secret) > 3:
            assert secret not in raw


def test_undo_forgets_choices_and_facilitator_records_carry_votes(story) -> None:
    keeper = RecordKeeper(story, "en", mode="facilitator")
    keeper.choice_made("message", 0, 1)
    keeper.undone(1)
    keeper.vote("message", {0: 3, 1: 5}, 1, "majority")
    keeper.choice_made("message", 1, 2)
    keeper.finish("checked")
    (record,) = lines(records_path())
    assert [c["choice"] for c in record["choices"]] == [1]
    assert record["votes"] == [
        {"scene": "message", "counts": [[0, 3], [1, 5]], "chosen": 1, "decision": "majority", "override": False}
    ]


def test_a_line_is_whole_even_after_a_torn_write(story) -> None:
    path = records_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"format":"crossroads-record","vers')  # a previous crash mid-line, no newline
    RecordKeeper(story, "en").finish(None)
    found = read_records([path])
    assert len(found.records) == 1
    assert [p.line for p in found.problems] == [1]


def test_records_written_by_the_game_engine_path_replay(story) -> None:
    """The recorded choices replay to the recorded ending (what the report relies on)."""
    play = Playthrough(story, "en")
    keeper = RecordKeeper(story, "en")
    for number in (0, 1):
        scene = play.scene.id
        option = play.choices()[number]
        play.choose(number)
        keeper.choice_made(scene, option.choice.index, 1)
    keeper.finish(play.scene.id)
    (record,) = lines(records_path())
    replay = Playthrough.replay(story, [(c["scene"], c["choice"]) for c in record["choices"]])
    assert replay.scene.id == record["ending"]["scene"] == "checked"


BAD_RECORDS = [
    ([], "not a JSON object"),
    ({"format": "other"}, "not a Crossroads playthrough record"),
    ({"format": "crossroads-record", "version": 9}, "version 9 is not supported"),
    ({"format": "crossroads-record", "version": 1, "id": ""}, "'id' is missing"),
    ({"format": "crossroads-record", "version": 1, "id": "x", "story": "t"}, "'story' must have"),
    (
        {
            "format": "crossroads-record",
            "version": 1,
            "id": "x",
            "story": {"id": "t", "hash": "h"},
            "lang": "en",
            "mode": "spy",
            "choices": [],
            "ending": None,
        },
        "'lang' or 'mode'",
    ),
    (
        {
            "format": "crossroads-record",
            "version": 1,
            "id": "x",
            "story": {"id": "t", "hash": "h"},
            "lang": "en",
            "mode": "solo",
            "choices": [{"scene": "a", "choice": True, "seconds": 1}],
            "ending": None,
        },
        "a choice is malformed",
    ),
    (
        {
            "format": "crossroads-record",
            "version": 1,
            "id": "x",
            "story": {"id": "t", "hash": "h"},
            "lang": "en",
            "mode": "solo",
            "choices": [{"scene": "a", "choice": 0, "seconds": -1}],
            "ending": None,
        },
        "a choice is malformed",
    ),
    (
        {
            "format": "crossroads-record",
            "version": 1,
            "id": "x",
            "story": {"id": "t", "hash": "h"},
            "lang": "en",
            "mode": "solo",
            "choices": [],
            "ending": "end",
        },
        "'ending' must be null",
    ),
    (
        {
            "format": "crossroads-record",
            "version": 1,
            "id": "x",
            "story": {"id": "t", "hash": "h"},
            "lang": "en",
            "mode": "facilitator",
            "choices": [],
            "ending": None,
            "votes": [{"scene": "a", "counts": [[0, -2]], "chosen": 0}],
        },
        "a vote is malformed",
    ),
]


@pytest.mark.parametrize(("data", "message"), BAD_RECORDS)
def test_bad_records_are_named(data: object, message: str) -> None:
    assert message in (validate_record(data) or "")


def test_read_records_reports_bad_lines_with_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_bytes(b'\n{"broken\n\xff\xfe\n[1]\n')
    found = read_records([path])
    assert [(p.line, p.message.split(";")[0]) for p in found.problems] == [
        (2, "not valid JSON (damaged or truncated line)"),
        (3, "not valid JSON (damaged or truncated line)"),
        (4, "not a JSON object"),
    ]
    assert str(found.problems[0]).startswith(f"{path}:2: ")
    with pytest.raises(RecordsFileError, match="file not found"):
        read_records([tmp_path / "missing.jsonl"])


def test_results_export_bundles_records_for_handing_in(story, tmp_path: Path, capsys) -> None:
    RecordKeeper(story, "en").finish("checked")
    RecordKeeper(story, "en").finish(None)
    target = tmp_path / "hand-in.jsonl"
    assert main(["results", "export", str(target)]) == 0
    assert "exported 2 playthrough record(s)" in capsys.readouterr().out
    assert len(read_records([target]).records) == 2
    assert main(["results", "export", str(target)]) == 2  # exists: refuse without --force
    assert "already exists" in capsys.readouterr().err
    assert main(["results", "export", str(target), "--force", "--story", "other"]) == 0
    assert target.read_text() == ""
    capsys.readouterr()
    assert main(["results", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(records_path())


def test_results_export_with_no_records_writes_an_empty_file(tmp_path: Path, capsys) -> None:
    target = tmp_path / "out.jsonl"
    assert main(["results", "export", str(target)]) == 0
    assert target.exists() and target.read_text() == ""
    assert main(["results", "export", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_results_debrief_rebuilds_the_latest_finished_playthrough(story, tmp_path: Path, capsys) -> None:
    assert main(["results", "debrief"]) == 1
    assert "no playthrough records yet" in capsys.readouterr().err
    keeper = RecordKeeper(story, "zh")
    keeper.choice_made("message", 0, 2)
    keeper.choice_made("form", 0, 3)
    keeper.finish("scammed")
    RecordKeeper(story, "en").finish(None)  # a later, abandoned game is not the one debriefed
    assert main(["results", "debrief"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 复盘：中奖短信") or out.startswith("# 复盘: 中奖短信")
    assert "赶紧点开链接" in out and "人为制造的紧迫感" in out
    target = tmp_path / "debrief.md"
    assert main(["results", "debrief", "--lang", "en", "-o", str(target)]) == 0
    assert "## What?" in target.read_text(encoding="utf-8")
