"""Anonymous playthrough records: one whole line per finished or abandoned game, nothing personal, export."""

from __future__ import annotations

import getpass
import json
import socket
from pathlib import Path

import pytest

from game.classroom.records import (
    RECORD_VERSION,
    RecordsFileError,
    read_records,
    records_path,
    validate_record,
)
from game.cli import main
from game.engine import Playthrough
from game.loader import load_story
from game.session import GameSession
from tests.conftest import TUTORIAL

KEYS = {"format", "version", "id", "story", "lang", "mode", "choices", "ending"}


@pytest.fixture(scope="module")
def story():
    return load_story(TUTORIAL)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def session(story, lang: str = "en", mode: str = "solo", clock: Clock | None = None) -> GameSession:
    game = GameSession(story, lang, mode, clock=clock or Clock())
    game.autosave()
    return game


def test_finished_game_appends_one_line_under_crossroads_home(story, crossroads_home: Path) -> None:
    clock = Clock()
    game = session(story, clock=clock)
    clock.now += 3.26
    game.choose(0)
    clock.now += 12
    game.choose(0)
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
    game.close()
    assert len(lines(records_path())) == 1  # closing a finished game writes nothing more


def test_abandoned_game_records_null_ending_once(story) -> None:
    game = session(story, "zh")
    game.choose(0)
    game.choose(2)  # form -> friend
    game.close()
    game.close()
    (record,) = lines(records_path())
    assert record["ending"] is None and record["lang"] == "zh"
    assert [c["choice"] for c in record["choices"]] == [0, 2]


def test_each_playthrough_gets_its_own_random_id_and_nothing_personal(story) -> None:
    for _ in range(3):
        session(story).close()
    raw = records_path().read_text(encoding="utf-8")
    ids = {r["id"] for r in lines(records_path())}
    assert len(ids) == 3 and all(len(i) == 32 for i in ids)
    for secret in {socket.gethostname(), getpass.getuser(), str(Path.home())}:
        if len(secret) > 3:
            assert secret not in raw


def test_undo_forgets_choices_and_facilitator_records_carry_votes(story) -> None:
    game = session(story, mode="facilitator")
    game.vote({0: 4, 1: 1, 2: 0}, 0, "majority")
    game.choose(0)
    game.undo(1)  # the vote that led there goes with the choice
    game.vote({0: 3, 1: 5, 2: 0}, 1, "majority")
    game.choose(1)
    (record,) = lines(records_path())
    assert [c["choice"] for c in record["choices"]] == [1]
    assert record["votes"] == [
        {"scene": "message", "counts": [[0, 3], [1, 5], [2, 0]], "chosen": 1, "decision": "majority", "override": False}
    ]


def test_a_line_is_whole_even_after_a_torn_write(story) -> None:
    path = records_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"format":"crossroads-record","vers')  # a previous crash mid-line, no newline
    session(story).close()
    found = read_records([path])
    assert len(found.records) == 1
    assert [p.line for p in found.problems] == [1]


def test_records_written_replay_to_their_ending(story) -> None:
    """The recorded choices replay to the recorded ending (what the report relies on)."""
    game = session(story)
    game.choose(0)
    game.choose(1)
    (record,) = lines(records_path())
    replay = Playthrough.replay(story, [(c["scene"], c["choice"]) for c in record["choices"]])
    assert replay.scene.id == record["ending"]["scene"] == "checked"


def test_a_resumed_playthroughs_latest_record_stands_in_reports(story, tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    first = {"format": "crossroads-record", "version": 1, "id": "a", "story": {"id": "t", "hash": "h"}}
    first |= {"lang": "en", "mode": "solo", "choices": [], "ending": None}
    other = first | {"id": "b"}
    later = first | {"ending": {"scene": "checked", "kind": "safe"}}
    path.write_text("".join(json.dumps(r) + "\n" for r in (first, other, later)), encoding="utf-8")
    found = read_records([path])
    assert [(r["id"], r["ending"]) for r in found.records] == [("a", later["ending"]), ("b", None)]
    assert found.duplicates == 1


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
    session(story).choose(1)
    session(story).close()
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
    game = session(story, "zh")
    game.choose(0)
    game.choose(0)
    session(story).close()  # a later, abandoned game is not the one debriefed
    assert main(["results", "debrief"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 复盘：中奖短信\n")
    assert "赶紧点开链接" in out and "人为制造的紧迫感" in out
    target = tmp_path / "debrief.md"
    assert main(["results", "debrief", "--lang", "en", "-o", str(target)]) == 0
    assert "## What?" in target.read_text(encoding="utf-8")
