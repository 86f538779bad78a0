"""The rules for ids: story ids, scene ids, tag ids and variable names, in one place.

A story id names a folder (``saves/<story id>/``) and travels in saves and records, so it is a slug:
ASCII letters and digits, then letters, digits, ``-``, ``_`` or ``.``, at most :data:`MAX_ID_LENGTH`
characters. No path separators, no spaces, no control characters (a trailing newline included: the whole
string must match). Scene and tag ids follow the same pattern. The loader reports a broken rule as
``CR014``; the compiled cache and the save folders check the same rules.
"""

from __future__ import annotations

import hashlib
import re

MAX_ID_LENGTH = 64
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
VAR_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LANG_PATTERN = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
ID_RULE = f"letters, digits, '-', '_' or '.', starting with a letter or digit, at most {MAX_ID_LENGTH} characters"


def is_id(text: object) -> bool:
    """True for a valid story, scene or tag id (the whole string matches, within the length limit)."""
    return isinstance(text, str) and len(text) <= MAX_ID_LENGTH and ID_PATTERN.fullmatch(text) is not None


def is_var_name(text: object) -> bool:
    """True for a valid variable name (reserved words are the expression language's business)."""
    return isinstance(text, str) and len(text) <= MAX_ID_LENGTH and VAR_PATTERN.fullmatch(text) is not None


def is_language(text: object) -> bool:
    """True for a language code such as ``en``, ``zh`` or ``zh-Hans``."""
    return isinstance(text, str) and len(text) <= MAX_ID_LENGTH and LANG_PATTERN.fullmatch(text) is not None


def folder_name(story_id: str) -> str:
    """A folder name for ``story_id``: the id itself when valid, else a fixed name derived from its hash.

    Whatever the id, the result has no separator and is not ``.`` or ``..``, so a folder built from it stays
    inside its parent.
    """
    if is_id(story_id) and story_id not in (".", ".."):
        return story_id
    digest = hashlib.sha256(story_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"invalid-id-{digest}"
