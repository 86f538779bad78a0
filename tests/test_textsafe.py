"""Terminal-safe text: every C0 control but newline and tab, DEL and every C1 control removed; nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from game.textsafe import clean_strings, first_control, has_control, is_control, terminal_safe

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\n\t"]
C1 = [chr(c) for c in range(0x80, 0xA0)]


def test_every_control_character_is_removed_and_newline_and_tab_kept() -> None:
    text = "a" + "".join(C0) + "\x7f" + "".join(C1) + "\n\tb"
    assert terminal_safe(text) == "a\n\tb"
    assert all(is_control(c) for c in [*C0, "\x7f", *C1])


def test_printable_text_is_untouched() -> None:
    for text in ("plain", "中文，标点。", "emoji 🙂", "nbsp\u00a0here", "\u00a0\u00ff", "line\nbreak\ttab", ""):
        assert terminal_safe(text) == text and not has_control(text) and first_control(text) is None


def test_the_issues_sequences_are_defused() -> None:
    for attack in ("\x1b]52;c;aGk=\x07", "\x1b]0;title\x07", "\x1b[2J", "\x9b31m", "\x1bc"):
        assert "\x1b" not in terminal_safe(attack) and "\x9b" not in terminal_safe(attack)
        assert has_control(attack) and first_control("ok" + attack) == 2


def test_clean_strings_walks_keys_and_values() -> None:
    assert clean_strings({"k\x1b": ["v\x9b", 1, None, {"x": "\x07y"}]}) == {"k": ["v", 1, None, {"x": "y"}]}


@given(st.text())
def test_the_result_never_holds_a_control_and_is_idempotent(text: str) -> None:
    cleaned = terminal_safe(text)
    assert not has_control(cleaned) and terminal_safe(cleaned) == cleaned
    assert len(cleaned) == len(text) - sum(1 for c in text if is_control(c))
