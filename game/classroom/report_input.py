"""Reading the class report's input: record files streamed line by line, each line checked field by field.

The files are the ones a teacher names on the command line (hand-ins), so they may be damaged, huge or hostile.
Nothing here ever holds a whole file: lines are read one at a time, a line longer than
:data:`MAX_LINE_BYTES` is skipped without being kept, and a file over :data:`MAX_FILE_BYTES` is refused with
:class:`InputTooLarge`. Each line is parsed by :func:`parse_record_line` (the one place the report decodes
JSON), checked by :func:`game.classroom.records.validate_record` and then by :func:`to_play_record`, which
turns it into a small typed :class:`PlayRecord` or says why the line is skipped (a
:class:`~game.classroom.records.Problem`). Files are only ever read: never renamed, moved or written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.classroom.records import Problem, validate_record
from game.persist import safejson

MAX_LINE_BYTES = 64 * 1024
MAX_FILE_BYTES = 1024 * 1024 * 1024
MAX_ID_CHARS = 200
MAX_CLASS_CHARS = 100
MAX_SECONDS = 1e9
MAX_CHOICE_INDEX = 9_999
MAX_VOTE_COUNT = 1_000_000
VOTE_DECISIONS = ("majority", "tie-break", "override", "no-votes")
ENDING_KINDS = ("safe", "mixed", "bad")

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_HASH = re.compile(r"[0-9A-Za-z]{1,128}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class InputError(Exception):
    """A file the report cannot use at all (missing, not a regular file, unreadable, over the size limit)."""


class InputTooLarge(InputError):
    """A file over :data:`MAX_FILE_BYTES`."""


class BadLine(ValueError):
    """Why one line is skipped (the message is English and names no content of the line)."""


@dataclass(slots=True)
class Step:
    """One choice of a playthrough: the scene, the option (0-based, source order), seconds (and their
    histogram bucket, see :func:`time_bucket`), tags, and whether it was a safe exit."""

    scene: str
    choice: int
    seconds: float
    bucket: float
    tags: tuple[str, ...]
    exit: bool


@dataclass(slots=True)
class Vote:
    """One class vote of a facilitator session: votes per option, the option followed and how it was decided."""

    scene: str
    counts: tuple[tuple[int, int], ...]
    chosen: int
    decision: str


@dataclass(slots=True)
class PlayRecord:
    """A record line reduced to the typed fields the report uses."""

    id: str
    story_id: str
    story_hash: str
    lang: str
    mode: str
    class_label: str | None
    steps: tuple[Step, ...]
    ending: str | None
    ending_kind: str | None
    votes: tuple[Vote, ...]


def parse_record_line(raw: bytes, source: str = "", line: int = 1) -> object:
    """Decode one record line with the safe JSON reader, or raise :class:`BadLine` saying why not.

    The one place the report decodes JSON (:func:`game.persist.safejson.loads`): non-finite numbers
    (``Infinity``, ``NaN``, ``1e400``), integers past Python's digit limit and deep nesting become a
    :class:`BadLine`, never a traceback.
    """
    try:
        return safejson.loads(raw, source, "record-line", limit=MAX_LINE_BYTES, line=line)
    except safejson.DamagedJSON as exc:
        raise BadLine(safejson.line_problem(exc).removesuffix("; skipped")) from None


def check_file(path: Path) -> int:
    """The size of a records file, or :class:`InputError` when it cannot be used (checked before reading)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    import stat

    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a records file, .jsonl, is needed)")
    if info.st_size > MAX_FILE_BYTES:
        raise InputTooLarge(_too_large(path))
    return info.st_size


def _too_large(path: Path) -> str:
    return f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the most a records file may be; not read"


def read_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line number, line bytes)`` for each non-blank line; ``None`` for a line over the length limit.

    Memory stays bounded: an over-long line is consumed in chunks and never kept. Raises :class:`InputError`
    when the file cannot be opened and :class:`InputTooLarge` as soon as more than :data:`MAX_FILE_BYTES` were read.
    """
    check_file(path)
    total = 0
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        number = 0
        while True:
            line = handle.readline(MAX_LINE_BYTES + 1)
            if not line:
                return
            number += 1
            total += len(line)
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while line and not line.endswith(b"\n"):  # the rest of the over-long line, chunk by chunk
                    line = handle.readline(MAX_LINE_BYTES)
                    total += len(line)
                    if total > MAX_FILE_BYTES:
                        raise InputTooLarge(_too_large(path))
                yield number, None
                continue
            if total > MAX_FILE_BYTES:
                raise InputTooLarge(_too_large(path))
            if line.strip():
                yield number, line


_KNOWN_GOOD: set[str] = set()  # ids already checked (scene ids and tags repeat on every line); bounded


def _text(value: object, pattern: re.Pattern[str], limit: int, what: str) -> str:
    if type(value) is str and value in _KNOWN_GOOD:
        return value
    if not isinstance(value, str) or len(value) > limit or not pattern.fullmatch(value):
        raise BadLine(f"'{what}' is not a valid id")
    if pattern is _ID and len(_KNOWN_GOOD) < 10_000:
        _KNOWN_GOOD.add(value)
    return value


def time_bucket(seconds: float) -> float:
    """Seconds rounded for the median histograms: 0.1 s under a minute, 1 s under ten minutes, else 2 digits.

    Records store tenths of a second, so medians of real records are exact; a hostile file cannot make the
    histogram grow past a few thousand buckets per decision.
    """
    if seconds < 60:
        return round(seconds, 1)
    if seconds < 600:
        return float(round(seconds))
    return float(f"{seconds:.2g}")


def _steps(choices: list[Any]) -> tuple[Step, ...]:
    steps = []
    for item in choices:
        choice, seconds = item["choice"], item["seconds"]
        if not 0 <= choice <= MAX_CHOICE_INDEX:
            raise BadLine("a choice number is out of range")
        if not 0 <= seconds <= MAX_SECONDS:
            raise BadLine("a choice's seconds are out of range")
        tags = item.get("tags", [])
        steps.append(
            Step(
                _text(item["scene"], _ID, MAX_ID_CHARS, "scene"),
                choice,
                seconds,
                time_bucket(seconds),
                tuple([_text(tag, _ID, MAX_ID_CHARS, "tags") for tag in tags]),
                item.get("exit", False),
            )
        )
    return tuple(steps)


def _votes(data: dict[str, Any]) -> tuple[Vote, ...]:
    votes = []
    for vote in data.get("votes", []) or []:
        decision = vote.get("decision", "majority")
        if decision not in VOTE_DECISIONS:
            raise BadLine("a vote's 'decision' is not one of " + ", ".join(VOTE_DECISIONS))
        counts = tuple((index, count) for index, count in vote["counts"])
        if any(not 0 <= i <= MAX_CHOICE_INDEX or count > MAX_VOTE_COUNT for i, count in counts):
            raise BadLine("a vote count is out of range")
        if not 0 <= vote["chosen"] <= MAX_CHOICE_INDEX:
            raise BadLine("a vote's chosen option is out of range")
        votes.append(Vote(_text(vote["scene"], _ID, MAX_ID_CHARS, "scene"), counts, vote["chosen"], decision))
    return tuple(votes)


def to_play_record(data: object) -> PlayRecord:
    """Check a decoded line field by field (types, ranges, id syntax) and keep what the report uses.

    Raises :class:`BadLine` naming the first field that is wrong; the line is then skipped.
    """
    why = validate_record(data)
    if why is not None:
        raise BadLine(why)
    assert isinstance(data, dict)
    story = data["story"]
    ending = data.get("ending")
    kind = None
    if ending is not None:
        kind = ending.get("kind") if ending.get("kind") in ENDING_KINDS else None
    class_label = data.get("class")
    if class_label is not None and (
        not isinstance(class_label, str)
        or not class_label.strip()
        or len(class_label) > MAX_CLASS_CHARS
        or _CONTROL.search(class_label)
    ):
        raise BadLine(f"'class' must be a label of at most {MAX_CLASS_CHARS} characters")
    if len(data["id"]) > MAX_ID_CHARS:
        raise BadLine("'id' is too long")
    return PlayRecord(
        id=data["id"],
        story_id=_text(story["id"], _ID, MAX_ID_CHARS, "story"),
        story_hash=_text(story["hash"], _HASH, 128, "story hash"),
        lang=_text(data["lang"], _LANG, 35, "lang"),
        mode=data["mode"],
        class_label=class_label.strip() if class_label is not None else None,
        steps=_steps(data["choices"]),
        ending=_text(ending["scene"], _ID, MAX_ID_CHARS, "ending") if ending is not None else None,
        ending_kind=kind,
        votes=_votes(data),
    )


def read_play_records(path: Path) -> Iterator[tuple[int, PlayRecord | Problem]]:
    """Stream one records file: ``(line number, PlayRecord)`` per good line, ``(line number, Problem)`` per bad one."""
    shown = str(path)
    for number, line in read_lines(path):
        if line is None:
            yield number, Problem(shown, number, f"line longer than {MAX_LINE_BYTES // 1024} KiB; skipped")
            continue
        try:
            yield number, to_play_record(parse_record_line(line, shown, number))
        except BadLine as exc:
            yield number, Problem(shown, number, f"{exc}; skipped")
