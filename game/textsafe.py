"""Text that is safe to show in a terminal: no control characters that a terminal would act on.

A story, a save, a record or a cache entry could carry escape sequences: ``ESC ] 52`` writes the
clipboard, ``ESC ] 0`` sets the window title, ``ESC [ 2 J`` clears the screen, and the single C1 byte
``U+009B`` starts a sequence on some terminals. :func:`terminal_safe` removes every C0 control character
except newline and tab, DEL, and every C1 control character (``U+0080``–``U+009F``); what remains is
printable text. The loader removes them at load time (with a ``CR007`` warning naming the place), the
JSON readers when they read a file back, and the engine once more on everything it renders, so no
route leads a control sequence to the player's terminal.
"""

from __future__ import annotations

import re
from typing import Any

KEPT = frozenset("\n\t")
CONTROL_CODES = tuple(c for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) not in KEPT)
_TABLE = dict.fromkeys(CONTROL_CODES)
_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in CONTROL_CODES) + "]")


def is_control(char: str) -> bool:
    """True for a character :func:`terminal_safe` removes."""
    return ord(char) in _TABLE


def has_control(text: str) -> bool:
    """True when ``text`` holds a character :func:`terminal_safe` removes."""
    return not text.isprintable() and _CONTROL.search(text) is not None


def terminal_safe(text: str) -> str:
    """``text`` without C0 controls (newline and tab kept), DEL and C1 controls."""
    if text.isprintable():
        return text
    return text.translate(_TABLE)


def first_control(text: str) -> int | None:
    """The offset of the first character :func:`terminal_safe` would remove, or None."""
    found = None if text.isprintable() else _CONTROL.search(text)
    return None if found is None else found.start()


def clean_strings(value: Any) -> Any:
    """``value`` (decoded JSON) with :func:`terminal_safe` applied to every string in it, keys included."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, list):
        return [clean_strings(item) for item in value]
    if isinstance(value, dict):
        return {terminal_safe(k) if isinstance(k, str) else k: clean_strings(v) for k, v in value.items()}
    return value
