"""The Twee 3 container: passages, headers, StoryTitle and StoryData, read in linear time.

This module knows nothing about story formats (Harlowe, SugarCube, Chapbook): it splits a Twee 3 file into
:class:`Passage` s with absolute offsets, so every later message can name the exact ``file:line:col``.
It follows the Twee 3 specification's advice: malformed passage metadata and a StoryData that is not valid
JSON are warnings (the import goes on without them), not errors. Control characters (C0 other than newline
and tab, DEL, C1) are removed with a warning, so they cannot reach a terminal. No regular expression here can
backtrack: scanning is by ``str.find`` and single-character classes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from game.diagnostics import Diagnostic, Location, Severity
from game.persist import safejson

MAX_TWEE_BYTES = 8 * 1024 * 1024
"""The largest Twee file ``crossroads import`` reads (8 MiB; Twine's own stories are far smaller)."""
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MAX_CONTROL_WARNINGS = 10


class TweeError(ValueError):
    """A Twee file that cannot be imported; ``diagnostic`` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


@dataclass(slots=True)
class Source:
    """The text of one Twee file and the offsets of its lines, to turn an offset into ``path:line:col``."""

    path: str
    text: str
    line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        at = find("\n")
        while at >= 0:
            starts.append(at + 1)
            at = find("\n", at + 1)
        self.line_starts = starts

    def location(self, offset: int) -> Location:
        """The 1-based line and column of an offset in the text."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return Location(self.path, index + 1, offset - self.line_starts[index] + 1)

    def error(self, code: str, message: str, offset: int) -> TweeError:
        """A fatal import problem at ``offset``."""
        return TweeError(Diagnostic(code, message, self.location(offset)))

    def warning(self, code: str, message: str, offset: int) -> Diagnostic:
        """A warning at ``offset``."""
        return Diagnostic(code, message, self.location(offset), Severity.WARNING)


@dataclass(slots=True)
class Passage:
    """One passage: unescaped name, tags, metadata, its text, and where its header and text start."""

    name: str
    tags: list[str]
    metadata: dict[str, object]
    text: str
    header: int
    offset: int


@dataclass(slots=True)
class TweeFile:
    """A parsed Twee file: passages in order, StoryTitle and StoryData, and the warnings found so far."""

    source: Source
    passages: list[Passage]
    title: str | None
    data: dict[str, object]
    warnings: list[Diagnostic]
    data_offset: int = 0


def decode(raw: bytes, path: str) -> str:
    """Twee bytes as text: UTF-8 only, within :data:`MAX_TWEE_BYTES`; raises :class:`TweeError`."""
    if len(raw) > MAX_TWEE_BYTES:
        message = f"the file is larger than {MAX_TWEE_BYTES // (1024 * 1024)} MiB, the most 'crossroads import' reads"
        raise TweeError(Diagnostic("CR401", message, Location(path)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TweeError(
            Diagnostic("CR402", "not valid UTF-8; save the Twee file as UTF-8", Location(path, line, col))
        ) from None


def strip_controls(text: str, path: str) -> tuple[str, list[Diagnostic]]:
    """The text without control characters, and a warning per line that had any (at most ten, then a count)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not _CONTROL.search(text):
        return text, []
    source = Source(path, text)
    warnings: list[Diagnostic] = []
    lines_seen: set[int] = set()
    for match in _CONTROL.finditer(text):
        location = source.location(match.start())
        if location.line in lines_seen:
            continue
        lines_seen.add(location.line)
        if len(warnings) < MAX_CONTROL_WARNINGS:
            warnings.append(
                Diagnostic(
                    "CR408",
                    f"control character U+{ord(match.group()):04X} removed (it could rewrite the terminal)",
                    location,
                    Severity.WARNING,
                )
            )
    if len(lines_seen) > MAX_CONTROL_WARNINGS:
        more = len(lines_seen) - MAX_CONTROL_WARNINGS
        warnings.append(
            Diagnostic(
                "CR408",
                f"control characters removed on {more} more line{'s' if more != 1 else ''}",
                warnings[-1].location,
                Severity.WARNING,
            )
        )
    return _CONTROL.sub("", text), warnings


def load_json(text: str) -> tuple[object, str | None, int]:
    """Parse StoryData or passage metadata through the one safe JSON reader (:mod:`game.persist.safejson`):
    (value, None, 0), or (None, reason, offset of the problem in ``text``)."""
    try:
        return safejson.loads(text, "StoryData", "twee-storydata"), None, 0
    except safejson.DamagedJSON as exc:
        lines = text.split("\n")
        offset = sum(len(line) + 1 for line in lines[: exc.line - 1]) + exc.col - 1
        return None, exc.problem, min(max(offset, 0), len(text))


def _header(source: Source, start: int, end: int, warnings: list[Diagnostic]) -> tuple[str, list[str], dict]:
    """Name, tags and metadata of the header between ``start`` (after ``::``) and ``end``."""
    text = source.text
    name_chars: list[str] = []
    i = start
    while i < end:
        char = text[i]
        if char == "\\" and i + 1 < end:
            name_chars.append(text[i + 1])
            i += 2
            continue
        if char in "[{":
            break
        name_chars.append(char)
        i += 1
    name = "".join(name_chars).strip()
    if not name:
        raise source.error("CR403", "a passage header needs a name after '::'", start)
    tags: list[str] = []
    metadata: dict[str, object] = {}
    while i < end and text[i] == " ":
        i += 1
    if i < end and text[i] == "[":
        close = text.find("]", i, end)
        if close < 0:
            raise source.error("CR403", "passage tags '[' are not closed with ']'", i)
        tags = text[i + 1 : close].split()
        i = close + 1
        while i < end and text[i] == " ":
            i += 1
    if i < end:
        raw = text[i:end].rstrip()
        value, problem, at = load_json(raw) if raw.startswith("{") else (None, "expected '{' or '['", 0)
        if problem is None and isinstance(value, dict):
            metadata = value
        else:
            reason = problem or "it is not a JSON object"
            warnings.append(source.warning("CR406", f"passage metadata ignored: {reason}", i + at))
    return name, tags, metadata


def parse_twee(text: str, path: str) -> TweeFile:
    """Split Twee text into passages (text before the first header is ignored, as Twee 3 specifies)."""
    text, warnings = strip_controls(text, path)
    source = Source(path, text)
    passages: list[Passage] = []
    headers = [start for start in source.line_starts if text.startswith("::", start)]
    for number, start in enumerate(headers):
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        name, tags, metadata = _header(source, start + 2, line_end, warnings)
        body_end = headers[number + 1] if number + 1 < len(headers) else len(text)
        body_start = min(line_end + 1, body_end)
        while body_start < body_end and text[body_start] == "\n":
            body_start += 1
        body = text[body_start:body_end].rstrip()
        passages.append(Passage(name, tags, metadata, body, start, body_start))
    title: str | None = None
    data: dict[str, object] = {}
    data_offset = 0
    seen: dict[str, Passage] = {}
    kept: list[Passage] = []
    for passage in passages:
        first = seen.get(passage.name)
        if first is not None:
            line = source.location(first.header).line
            raise source.error(
                "CR404", f"passage '{passage.name}' is defined twice (first at line {line})", passage.header
            )
        seen[passage.name] = passage
        if passage.name == "StoryTitle":
            title = " ".join(passage.text.split()) or None
        elif passage.name == "StoryData":
            data = _story_data(source, passage, warnings)
            data_offset = passage.offset
        else:
            kept.append(passage)
    return TweeFile(source, kept, title, data, warnings, data_offset)


def _story_data(source: Source, passage: Passage, warnings: list[Diagnostic]) -> dict[str, object]:
    if not passage.text.strip():
        return {}
    value, problem, at = load_json(passage.text)
    if problem is None and not isinstance(value, dict):
        problem = "it is not a JSON object"
    if problem is not None:
        warnings.append(
            source.warning(
                "CR407", f"StoryData ignored (its IFID, format and start are lost): {problem}", passage.offset + at
            )
        )
        return {}
    return value  # type: ignore[return-value]


def escape_name(name: str) -> str:
    """A passage name with Twee 3's escapes for ``\\ [ ] { }``."""
    out = []
    for char in name:
        out.append("\\" + char if char in "\\[]{}" else char)
    return "".join(out)
