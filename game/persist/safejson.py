"""The one safe JSON reader for every file Crossroads reads back: saves, settings, endings, records, the cache.

``json.loads`` on its own lets a damaged or hostile file crash the program: an integer of more than 4,300
digits raises ``ValueError`` (Python's integer-digit limit), ``[`` nested 100,000 deep raises
``RecursionError``, ``1e400`` silently becomes infinity and ``NaN``/``Infinity`` are accepted (and later
written back as invalid JSON). :func:`loads` and :func:`read_file` turn every one of these into
:class:`DamagedJSON`, whose message names the file and the line and column, so callers take their ordinary
"damaged file" path. The limits, documented in ``docs/playing.md`` ("Limits"):

* size per kind of file (:data:`SIZE_LIMITS`): a larger file is damaged without being read whole;
* nesting: at most :data:`MAX_DEPTH` levels of ``[``/``{``;
* numbers: integers of at most :data:`MAX_INT_DIGITS` digits (Python's own limit), finite floats only.

Every string read (keys included) comes back without terminal control characters
(:func:`game.textsafe.terminal_safe`), so a file cannot bring an escape sequence to the screen.

:func:`typed` is the small per-field helper: a field's value when it has the expected type, else a default
(``bool`` never passes for ``int``). Writers use :func:`dumps` (``allow_nan=False``), so no file Crossroads
writes is invalid JSON.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, TypeVar

from game.textsafe import clean_strings

MAX_DEPTH = 64
MAX_INT_DIGITS = 4300

KiB = 1024
MiB = 1024 * KiB
SIZE_LIMITS: dict[str, int] = {
    "crossroads-save": 8 * MiB,
    "crossroads-settings": 64 * KiB,
    "crossroads-endings": 4 * MiB,
    "record-line": 1_000_000,
    "cache-header": 4 * KiB,
    "crossroads-compiled-story": 256 * MiB,
    "twee-storydata": 64 * KiB,
    "serve-message": 64 * KiB,
}
DEFAULT_SIZE_LIMIT = 8 * MiB

T = TypeVar("T")


class DamagedJSON(ValueError):
    """A JSON text is not valid, too large, too deep, or holds a number Crossroads does not accept.

    ``str()`` is ``source:line:col: what is wrong``; ``line`` and ``col`` are 1-based.
    """

    def __init__(self, source: str, line: int, col: int, problem: str) -> None:
        super().__init__(f"{source}:{line}:{col}: {problem}")
        self.source = source
        self.line = line
        self.col = col
        self.problem = problem


class _NumberRefused(ValueError):
    """Raised inside the decoder for a number that is not accepted (the position is found afterwards)."""


def _reject_constant(name: str) -> float:
    raise _NumberRefused(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NumberRefused(text)
    return value


# JSON strings cannot hold raw C0 controls; the others arrive escaped (\u00XX) or raw (DEL, C1 = \xc2\x80-\x9f).
_RAW_C1 = re.compile(r"[\x80-\x9f]")
_DECODER = json.JSONDecoder(parse_float=_finite_float, parse_constant=_reject_constant)


def size_limit(kind: str) -> int:
    """The documented size limit, in bytes, for a kind of file (:data:`SIZE_LIMITS`)."""
    return SIZE_LIMITS.get(kind, DEFAULT_SIZE_LIMIT)


def loads(
    data: bytes | str, source: str, kind: str = "", limit: int | None = None, line: int = 1, clean: bool = True
) -> Any:
    """Decode one JSON text; raise :class:`DamagedJSON` for anything outside the limits.

    ``source`` names the file in messages; ``line`` is the line the text starts on (for one line of a JSONL
    file); ``limit`` overrides the size limit of ``kind``. ``clean=False`` keeps control characters, for data
    that is never shown as text (the key presses a browser sends: arrows and function keys start with ESC).
    """
    cap = size_limit(kind) if limit is None else limit
    if len(data) > cap:
        raise DamagedJSON(source, line, 1, f"{len(data):,} bytes, over the limit of {cap:,} for this kind of file")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = data[: exc.start]
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            raise DamagedJSON(source, line + before.count(b"\n"), col, "not valid JSON (not UTF-8 text)") from None
    else:
        text = data
    text = text.removeprefix("\ufeff")
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise DamagedJSON(source, line + exc.lineno - 1, exc.colno, f"not valid JSON ({exc.msg})") from None
    except (RecursionError, _NumberRefused, ValueError, OverflowError, MemoryError):
        raise _locate(text, source, line) from None
    if text.count("[") + text.count("{") > MAX_DEPTH and _deeper_than(value, MAX_DEPTH):
        raise _locate(text, source, line)
    if clean and ("\\u00" in text or "\x7f" in text or (not text.isascii() and _RAW_C1.search(text))):
        value = clean_strings(value)
    return value


def read_file(path: Path, kind: str, source: str | None = None) -> Any:
    """Read and decode a whole file of ``kind``, never reading more than its size limit (plus one byte).

    Raises :class:`DamagedJSON` for damage and ``OSError`` when the file cannot be read at all.
    """
    cap = size_limit(kind)
    with path.open("rb") as handle:
        data = handle.read(cap + 1)
    if len(data) > cap:
        raise DamagedJSON(source or str(path), 1, 1, f"larger than the limit of {cap:,} bytes for this kind of file")
    return loads(data, source or str(path), kind)


def dumps(value: Any, *, indent: int | None = None, compact: bool = False) -> str:
    """Encode for writing: never NaN or Infinity (``ValueError``), non-ASCII kept as is."""
    separators = (",", ":") if compact else None
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent, separators=separators)


def typed(value: object, kind: type[T], default: T) -> T:
    """``value`` when it is a ``kind`` (``True``/``False`` never count as ``int``), else ``default``."""
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    return default


def _deeper_than(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[\[\]{}]|NaN|-?Infinity', re.DOTALL)


def _locate(text: str, source: str, first_line: int) -> DamagedJSON:
    """Find the first place a decode failed for a limit (depth, digits, non-finite number): one linear scan."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        problem = None
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                problem = f"nested deeper than {MAX_DEPTH} levels"
        elif token in ("]", "}"):
            depth -= 1
        elif token[0] == '"':
            continue
        elif token.endswith(("NaN", "Infinity")):
            problem = f"'{token}' is not a number JSON allows"
        else:
            digits = len(token.split(".")[0].split("e")[0].split("E")[0].lstrip("-"))
            if digits > MAX_INT_DIGITS:
                problem = f"a number of {digits:,} digits, over the limit of {MAX_INT_DIGITS:,}"
            elif any(c in token for c in ".eE") and math.isinf(float(token)):
                problem = f"the number {token[:20]}{'…' if len(token) > 20 else ''} is too large"
        if problem is not None:
            start = match.start()
            row = text.count("\n", 0, start)
            col = start - (text.rfind("\n", 0, start) + 1) + 1
            return DamagedJSON(source, first_line + row, col, problem)
    return DamagedJSON(source, first_line, 1, "not valid JSON")


def line_problem(exc: DamagedJSON) -> str:
    """How a skipped line of a JSONL file is described (``path:line:`` is printed in front of it)."""
    if exc.problem.startswith("not valid JSON"):
        return "not valid JSON (damaged or truncated line); skipped"
    return f"{exc.problem} (column {exc.col}); skipped"
