"""Anonymous playthrough records: one JSON line per finished or abandoned playthrough.

A record holds the story id and content hash, the language, the mode (``solo`` or ``facilitator``), each
choice with the seconds spent on it, the tags it carried and whether it was a safe exit, class votes (facilitator
mode), the ending (or ``null`` when abandoned) and a random anonymous id. It holds no name, no user or host
name, no IP address and no clock time beyond the day, so a student can hand the file in without revealing
anything but their choices.

Records are appended to ``records/records-v1.jsonl`` under :func:`game.paths.data_dir` with a single
``write`` of the whole line under a lock file, then fsync, so a line is either whole or absent. What a record
says is built by :func:`build_record` from the playthrough's own history at the moment it is written (see
:mod:`game.session`), so undo, continue, load and reload cannot make it drift.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.model import Story
from game.persist import safejson

RECORD_FORMAT = "crossroads-record"
RECORD_VERSION = 1
RECORDS_FOLDER = "records"
RECORDS_FILE = f"records-v{RECORD_VERSION}.jsonl"
MODES = ("solo", "facilitator")
MAX_LINE_BYTES = 1_000_000


RECORDS_ENV = "CROSSROADS_RECORDS"  # set by ``crossroads serve``: every browser's records go to the teacher's file


def records_path() -> Path:
    """The JSONL file this machine's records are appended to (``$CROSSROADS_RECORDS`` when set)."""
    override = os.environ.get(RECORDS_ENV)
    if override:
        return Path(override)
    from game.paths import data_dir

    return data_dir() / RECORDS_FOLDER / RECORDS_FILE


def new_anonymous_id() -> str:
    """A random id (128 bits, hex) that links nothing but the lines of one playthrough."""
    return secrets.token_hex(16)


def append_line(path: Path, line: str) -> None:
    """Append ``line`` plus a newline with one ``write`` call, then fsync, under the file's lock.

    If the file ends in a torn line (a crash mid-write), a newline is put first so the new line stays whole.
    The folder's creation is made durable too.
    """
    from game.persist.atomic import make_dirs
    from game.persist.lock import locked

    make_dirs(path.parent)
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    with locked(path):
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and _last_byte(fd, size) != b"\n":  # a torn line from a crash: never glue onto it
                data = b"\n" + data
            written = os.write(fd, data)
            if written != len(data):  # pragma: no cover - only on a full disk
                raise OSError(f"short write to {path}")
            os.fsync(fd)
        finally:
            os.close(fd)


def _last_byte(fd: int, size: int) -> bytes:
    os.lseek(fd, size - 1, os.SEEK_SET)  # portable (os.pread is POSIX only); O_APPEND writes go to the end anyway
    return os.read(fd, 1)


@dataclass(frozen=True, slots=True)
class StepTaken:
    """One decision as the record tells it: where, which choice (source index) and the seconds it took."""

    scene: str
    choice: int
    seconds: float


def build_record(
    story: Story,
    record_id: str,
    lang: str,
    mode: str,
    steps: Iterable[StepTaken],
    ending_scene_id: str | None,
    votes: Iterable[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """The record of a playthrough: its steps (derived from the playthrough's history by the caller, silent
    replays left out), the ending (``None`` = abandoned) and, in facilitator mode, the class votes."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    choices = []
    for step in steps:
        scene = story.scenes.get(step.scene)
        tags: list[str] = []
        if scene is not None and 0 <= step.choice < len(scene.choices):
            tags = list(scene.choices[step.choice].tags)
        is_exit = any(t in story.tags and story.tags[t].kind == "safe-exit" for t in tags)
        choices.append(
            {
                "scene": step.scene,
                "choice": int(step.choice),
                "seconds": round(max(0.0, float(step.seconds)), 1),
                "tags": tags,
                "exit": is_exit,
            }
        )
    ending = None
    if ending_scene_id is not None:
        scene = story.scenes.get(ending_scene_id)
        kind = scene.ending.kind if scene is not None and scene.ending is not None else None
        ending = {"scene": ending_scene_id, "kind": kind}
    body: dict[str, Any] = {
        "format": RECORD_FORMAT,
        "version": RECORD_VERSION,
        "id": record_id,
        "story": {"id": story.id, "hash": story.content_hash},
        "lang": lang,
        "mode": mode,
        "choices": choices,
        "ending": ending,
    }
    if mode == "facilitator":
        body["votes"] = [dict(vote) for vote in votes]
    return body


def vote_entry(scene: str, counts: Mapping[int, int], chosen: int, decision: str) -> dict[str, Any]:
    """A class vote as records keep it: counts per choice index, the choice followed and how it was decided
    (``majority``, ``tie-break``, ``override`` or ``no-votes``; see :mod:`game.classroom.votes`)."""
    return {
        "scene": scene,
        "counts": [[int(index), int(count)] for index, count in sorted(counts.items())],
        "chosen": int(chosen),
        "decision": decision,
        "override": decision == "override",
    }


def append_record(body: Mapping[str, Any], path: Path | None = None) -> None:
    """Append one record line (fsynced); raises OSError, which the caller must report, never swallow."""
    append_line(path or records_path(), safejson.dumps(body, compact=True))


# -- reading ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """A line that was skipped, with where it is and why (``path:line: message``)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(slots=True)
class RecordSet:
    """Records read from files: the valid ones (duplicates by id dropped) and the skipped lines."""

    records: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: int = 0


class RecordsFileError(OSError):
    """A records file cannot be read at all (missing, a folder, unreadable)."""


def validate_record(data: object) -> str | None:
    """Why ``data`` is not a valid version-1 record, or ``None`` when it is."""
    if not isinstance(data, dict):
        return "not a JSON object"
    if data.get("format") != RECORD_FORMAT:
        return "not a Crossroads playthrough record"
    if data.get("version") != RECORD_VERSION:
        return f"record version {data.get('version')!r} is not supported (this Crossroads reads {RECORD_VERSION})"
    if not isinstance(data.get("id"), str) or not data["id"]:
        return "'id' is missing"
    story = data.get("story")
    if not isinstance(story, dict) or not isinstance(story.get("id"), str) or not isinstance(story.get("hash"), str):
        return "'story' must have a string 'id' and 'hash'"
    if not isinstance(data.get("lang"), str) or data.get("mode") not in MODES:
        return "'lang' or 'mode' is missing or wrong"
    choices = data.get("choices")
    if not isinstance(choices, list):
        return "'choices' must be a list"
    for item in choices:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("scene"), str)
            and _is_int(item.get("choice"))
            and _is_number(item.get("seconds"))
            and item["seconds"] >= 0
            and isinstance(item.get("tags", []), list)
            and all(isinstance(tag, str) for tag in item.get("tags", []))
            and isinstance(item.get("exit", False), bool)
        ):
            return "a choice is malformed (needs scene, choice, seconds)"
    ending = data.get("ending")
    if ending is not None and not (
        isinstance(ending, dict) and isinstance(ending.get("scene"), str) and isinstance(ending.get("kind"), str | None)
    ):
        return "'ending' must be null or have a 'scene' (and a text 'kind')"
    votes = data.get("votes", [])
    if not isinstance(votes, list):
        return "'votes' must be a list"
    for vote in votes:
        if not (
            isinstance(vote, dict)
            and isinstance(vote.get("scene"), str)
            and _is_int(vote.get("chosen"))
            and isinstance(vote.get("counts"), list)
            and all(
                isinstance(pair, list) and len(pair) == 2 and _is_int(pair[0]) and _is_int(pair[1]) and pair[1] >= 0
                for pair in vote["counts"]
            )
        ):
            return "a vote is malformed (needs scene, counts, chosen)"
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_records(paths: Iterable[Path], into: RecordSet | None = None) -> RecordSet:
    """Read JSONL record files; bad lines are skipped and listed, a repeated record id counts once.

    A playthrough keeps its id when it is resumed (an abandoned record, then the finished one): the latest
    line of an id stands, in the place of the first. Raises :class:`RecordsFileError` when a file cannot be
    read at all.
    """
    result = into or RecordSet()
    seen = {record["id"]: position for position, record in enumerate(result.records)}
    for path in paths:
        shown = str(path)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise RecordsFileError(f"{shown}: file not found") from None
        except IsADirectoryError:
            raise RecordsFileError(f"{shown}: is a folder, not a records file") from None
        except OSError as exc:
            raise RecordsFileError(f"{shown}: cannot read: {exc.strerror or exc}") from None
        for number, line in enumerate(raw.split(b"\n"), start=1):
            if not line.strip():
                continue
            if len(line) > MAX_LINE_BYTES:
                result.problems.append(Problem(shown, number, "line too long; skipped"))
                continue
            try:
                data = safejson.loads(line, shown, "record-line", line=number)
            except safejson.DamagedJSON as exc:
                result.problems.append(Problem(shown, number, safejson.line_problem(exc)))
                continue
            why = validate_record(data)
            if why is not None:
                result.problems.append(Problem(shown, number, f"{why}; skipped"))
                continue
            if data["id"] in seen:
                result.duplicates += 1
                result.records[seen[data["id"]]] = data
                continue
            seen[data["id"]] = len(result.records)
            result.records.append(data)
    return result


def export_records(source: Path, target: Path, story_id: str | None = None) -> tuple[int, list[Problem]]:
    """Copy the valid records of ``source`` (optionally of one story) to ``target`` atomically.

    Returns how many records were written and the lines skipped.
    """
    from game.persist.atomic import write_atomic

    found = read_records([source]) if source.exists() else RecordSet()
    chosen = [r for r in found.records if story_id is None or r["story"]["id"] == story_id]
    text = "".join(safejson.dumps(r, compact=True) + "\n" for r in chosen)
    write_atomic(target, text.encode("utf-8"))
    return len(chosen), found.problems
