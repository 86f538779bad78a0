"""Records a teacher controls: ``--class LABEL`` stamps them, ``--rehearse`` skips them, ``results clear`` deletes
them after asking (``--yes`` for scripts), keeping other classes' records and lines it cannot read."""

from __future__ import annotations

import json
from pathlib import Path

from game.classroom.records import clear_records, count_records, validate_record
from tests.conftest import TUTORIAL
from tests.test_plain import crossroads


def records(home: Path) -> list[dict]:
    path = Path(crossroads(home, "results", "path").stdout.strip())
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_class_labels_stamp_records_and_a_rehearsal_writes_none(crossroads_home: Path) -> None:
    assert (
        crossroads(crossroads_home, "play", "--plain", "--class", "10B", str(TUTORIAL), stdin="1\n1\n").returncode == 0
    )
    assert (
        crossroads(
            crossroads_home, "play", "--plain", "--class", "高一（3）班", str(TUTORIAL), stdin="1\n1\n"
        ).returncode
        == 0
    )
    assert crossroads(crossroads_home, "play", "--plain", "--rehearse", str(TUTORIAL), stdin="1\n1\n").returncode == 0
    assert crossroads(crossroads_home, "play", "--plain", str(TUTORIAL), stdin="1\n1\n").returncode == 0
    found = records(crossroads_home)
    assert [r.get("class") for r in found] == ["10B", "高一（3）班", None]  # the rehearsal left nothing
    assert all(validate_record(r) is None for r in found)


def test_a_bad_class_label_is_refused(crossroads_home: Path) -> None:
    result = crossroads(crossroads_home, "play", "--plain", "--class", "x" * 41, str(TUTORIAL))
    assert result.returncode == 2 and "a class label is 1 to 40 printable characters" in result.stderr
    assert crossroads(crossroads_home, "serve", "--class", " ").returncode == 2


def test_results_clear_asks_keeps_other_classes_and_takes_yes(crossroads_home: Path) -> None:
    for label in ("10B", "10C", "10B"):
        crossroads(crossroads_home, "play", "--plain", "--class", label, str(TUTORIAL), stdin="1\n1\n")
    path = Path(crossroads(crossroads_home, "results", "path").stdout.strip())
    with path.open("a", encoding="utf-8") as handle:
        handle.write("not a record\n")
    refused = crossroads(crossroads_home, "results", "clear", "--class", "10B")  # no terminal to ask on
    assert refused.returncode == 2 and "2 records of class '10B' would be deleted; add --yes" in refused.stderr
    done = crossroads(crossroads_home, "results", "clear", "--class", "10B", "--yes")
    assert done.returncode == 0 and done.stdout.strip() == "deleted 2 records of class '10B'"
    assert [r.get("class") for r in records_or_text(path)] == ["10C", "not a record"]
    assert crossroads(crossroads_home, "results", "clear", "--yes").stdout.strip() == "deleted 1 record"
    assert crossroads(crossroads_home, "results", "clear", "--yes").stdout.startswith("no records to delete")


def records_or_text(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append({"class": line})
    return out


def test_clear_records_removes_the_file_when_nothing_is_left(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    line = {
        "format": "crossroads-record", "version": 1, "id": "a", "story": {"id": "s", "hash": "h"},
        "lang": "en", "mode": "solo", "choices": [], "ending": None,
    }  # fmt: skip
    path.write_text(json.dumps(line) + "\n" + json.dumps({**line, "id": "b", "class": "9A"}) + "\n", encoding="utf-8")
    assert count_records(path) == 2 and count_records(path, "9A") == 1
    assert clear_records(path, "9A") == 1 and count_records(path) == 1
    assert clear_records(path) == 1 and not path.exists()
    assert clear_records(path) == 0


def test_serve_passes_a_lesson_to_facilitator_sessions_and_refuses_one_without(crossroads_home: Path) -> None:
    from game.serve import play_command

    command = play_command("/tmp/story", "zh", True, "class-45; rm")
    assert command.endswith("--lang zh --facilitator --lesson 'class-45; rm'")
    assert "--lesson" not in play_command("/tmp/story", "zh", False, "class-45")
    refused = crossroads(crossroads_home, "serve", "--lesson", "class-45")
    assert refused.returncode == 2 and "--lesson needs --facilitator" in refused.stderr
    refused = crossroads(crossroads_home, "play", "--lesson", "class-45", str(TUTORIAL))
    assert refused.returncode == 2 and "--lesson needs --facilitator" in refused.stderr
