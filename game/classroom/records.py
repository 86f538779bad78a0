"""Anonymous playthrough records: one JSON line per finished or abandoned playthrough.

A record holds the story id and content hash, the language, the mode (``solo`` or ``facilitator``), each
choice with the seconds spent on it, the tags it carried and whether it was a safe exit, class votes (facilitator
mode), the ending (or ``null`` when abandoned) and a random anonymous id. It holds no name, no user or host
name, no IP address and no clock time beyond the day, so a student can hand the file in without revealing
anything but their choices.

Records are appended to ``records/records-v1.jsonl`` under :func:`game.paths.data_dir` with a single
``write`` of the whole line, then flush and fsync, so a line is either whole or absent.
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


def records_path() -> Path:
    """The JSONL file this machine's records are appended to."""
    from game.paths import data_dir

    return data_dir() / RECORDS_FOLDER / RECORDS_FILE


def new_anonymous_id() -> str:
    """A random id (128 bits, hex) that links nothing but the lines of one playthrough."""
    return secrets.token_hex(16)


def append_line(path: Path, line: str) -> None:
    """Append ``line`` plus a newline with one ``write`` call, then fsync.

    If the file ends in a torn line (a crash mid-write), a newline is put first so the new line stays whole.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (line.rstrip("\n") + "\n").encode("utf-8")
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":  # a torn line from a crash: never glue onto it
            data = b"\n" + data
        written = os.write(fd, data)
        if written != len(data):  # pragma: no cover - only on a full disk
            raise OSError(f"short write to {path}")
        os.fsync(fd)
    finally:
        os.close(fd)


class RecordKeeper:
    """Collects one playthrough's choices (and votes) and appends its record when it ends.

    The UI calls :meth:`choice_made` after each decision, :meth:`vote` for a class vote in facilitator
    mode, and :meth:`finish` once, with the ending scene's id or ``None`` when the player gave up. Later
    calls to :meth:`finish` do nothing, so "finished" and "abandoned on quit" never both get written.
    """

    def __init__(self, story: Story, lang: str, mode: str = "solo", path: Path | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.story = story
        self.lang = lang
        self.mode = mode
        self.path = path
        self.anonymous_id = new_anonymous_id()
        self.choices: list[dict[str, Any]] = []
        self.votes: list[dict[str, Any]] = []
        self.finished = False
        self.written: dict[str, Any] | None = None

    def choice_made(self, step_scene: str, choice_index: int, seconds: float) -> None:
        """Note that choice ``choice_index`` (source order) of ``step_scene`` was taken after ``seconds``."""
        scene = self.story.scenes.get(step_scene)
        tags: list[str] = []
        if scene is not None and 0 <= choice_index < len(scene.choices):
            tags = list(scene.choices[choice_index].tags)
        is_exit = any(t in self.story.tags and self.story.tags[t].kind == "safe-exit" for t in tags)
        self.choices.append(
            {
                "scene": step_scene,
                "choice": int(choice_index),
                "seconds": round(max(0.0, float(seconds)), 1),
                "tags": tags,
                "exit": is_exit,
            }
        )

    def undone(self, steps: int = 1) -> None:
        """Forget the last ``steps`` choices (the player used undo)."""
        if steps > 0:
            del self.choices[-steps:]

    def vote(self, step_scene: str, counts: Mapping[int, int], chosen: int, decision: str = "majority") -> None:
        """Note a class vote at ``step_scene``: counts per choice index, the choice followed, and how it
        was decided (``majority``, ``tie-break``, ``override`` or ``no-votes``; see :mod:`game.classroom.votes`)."""
        self.votes.append(
            {
                "scene": step_scene,
                "counts": [[int(index), int(count)] for index, count in sorted(counts.items())],
                "chosen": int(chosen),
                "decision": decision,
                "override": decision == "override",
            }
        )

    def record(self, ending_scene_id: str | None) -> dict[str, Any]:
        """The record as it would be written for this ending (``None`` = abandoned)."""
        ending = None
        if ending_scene_id is not None:
            scene = self.story.scenes.get(ending_scene_id)
            kind = scene.ending.kind if scene is not None and scene.ending is not None else None
            ending = {"scene": ending_scene_id, "kind": kind}
        body: dict[str, Any] = {
            "format": RECORD_FORMAT,
            "version": RECORD_VERSION,
            "id": self.anonymous_id,
            "story": {"id": self.story.id, "hash": self.story.content_hash},
            "lang": self.lang,
            "mode": self.mode,
            "choices": list(self.choices),
            "ending": ending,
        }
        if self.mode == "facilitator":
            body["votes"] = list(self.votes)
        return body

    def finish(self, ending_scene_id: str | None) -> dict[str, Any] | None:
        """Append the record once; return it (or ``None`` if already finished). Errors are swallowed
        into ``None`` only for OS errors (a full disk must not crash the game)."""
        if self.finished:
            return None
        self.finished = True
        body = self.record(ending_scene_id)
        try:
            append_line(self.path or records_path(), safejson.dumps(body, compact=True))
        except OSError:
            return None
        self.written = body
        return body


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

    Raises :class:`RecordsFileError` when a file cannot be read at all.
    """
    result = into or RecordSet()
    seen = {record["id"] for record in result.records}
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
                continue
            seen.add(data["id"])
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
