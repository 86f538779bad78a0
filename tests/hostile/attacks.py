"""Generated hostile inputs for the corpus: JSON attacks per per-user file type, and large story files.

Each JSON attack is a function of the file type (its format name) that returns the bytes to write; ``located``
attacks are damage the reader must locate (``path:line:col``), the others are well-formed JSON with the wrong
shape or dangerous strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from game.persist import safejson

ESCAPES = "\u001b]52;c;aGk=\u0007\u001b]0;retitled\u0007\u001b[2J\u009b31m\u007f"


@dataclass(frozen=True)
class FileType:
    """A per-user file Crossroads reads back: its format name, version, path in the data folder, a valid body."""

    name: str
    kind: str
    relative: str
    body: Callable[[str], dict]


def _save_body(text: str) -> dict:
    return {
        "name": f"slot{text}",
        "saved_at": f"2026-01-01{text}",
        "scene": "message",
        "scene_title": f"Title{text}",
        "steps": 0,
        "snapshot": {
            "version": 1,
            "story_id": "tutorial",
            "story_hash": "x",
            "lang": "en",
            "choices": [],
            "state": {"scene": "message", "vars": {"suspicion": 0}, "visits": {}, "used": []},
        },
    }


FILE_TYPES = {
    "save": FileType("save", "crossroads-save", "saves/tutorial/autosave.json", _save_body),
    "settings": FileType(
        "settings", "crossroads-settings", "settings.json", lambda t: {"lang": f"en{t}", "theme": t, "hold_flags": 1}
    ),
    "endings": FileType(
        "endings", "crossroads-endings", "endings.json", lambda t: {"stories": {"tutorial": {f"scam{t}": 1}}}
    ),
    "records": FileType("records", "crossroads-record", "records.jsonl", lambda t: {"id": t}),
}


def document(file_type: FileType, extra: str) -> bytes:
    """A document of ``file_type`` with a field holding the raw JSON text ``extra``."""
    head = json.dumps({"format": file_type.kind, "version": 1, **file_type.body("")})
    return (head[:-1] + ',\n  "x": ' + extra + "}").encode()


def _oversized(file_type: FileType) -> bytes:
    limit = safejson.size_limit("record-line" if file_type.name == "records" else file_type.kind)
    padding = '"' + "x" * (limit + 1) + '"'
    return document(file_type, padding)


JSON_ATTACKS: dict[str, tuple[Callable[[FileType], bytes], bool]] = {
    "deep-nesting": (lambda f: document(f, "[" * 100_000 + "]" * 100_000), True),
    "5000-digits": (lambda f: document(f, "9" * 5000), True),
    "1e400": (lambda f: document(f, "1e400"), True),
    "nan": (lambda f: document(f, "NaN"), True),
    "infinity": (lambda f: document(f, "-Infinity"), True),
    "truncated": (lambda f: document(f, "1")[:-20], True),
    "not-utf8": (lambda f: document(f, '"x"')[:-3] + b'\xff"}', True),
    "oversized": (_oversized, True),
    "wrong-types": (lambda f: json.dumps({"format": f.kind, "version": 1, **_wrong(f.body(""))}).encode(), False),
    "escapes": (lambda f: json.dumps({"format": f.kind, "version": 1, **f.body(ESCAPES)}).encode(), False),
}


def _wrong(body: dict) -> dict:
    """Every field of ``body`` replaced by a value of another type (lists for strings, strings for the rest)."""
    return {key: (["a"] if isinstance(value, str) else {"kind": ["a"]}) for key, value in body.items()}


def deep_story(depth: int = 100_000) -> str:
    """A story whose title nests flow lists ``depth`` deep."""
    return "crossroads: 1\nid: deep\ntitle: " + "[" * depth + "]" * depth + "\n"


def digits_story(digits: int = 5000) -> str:
    """A story whose title is a number of ``digits`` digits."""
    return (
        "crossroads: 1\nid: digits\ntitle: " + "9" * digits + "\nstart: a\nscenes:\n  a:\n    title: A\n"
        "    ending: {kind: safe, title: E}\n"
    )


def choices_story(count: int = 100_000) -> str:
    """A story with one scene of ``count`` choices."""
    lines = ["crossroads: 1", "id: wide", "title: Wide", "start: a", "scenes:", "  a:", "    title: A", "    choices:"]
    lines += [f"      - {{say: 'option {i}', go: end}}" for i in range(count)]
    lines += ["  end:", "    title: End", "    ending: {kind: safe, title: E}"]
    return "\n".join(lines) + "\n"
