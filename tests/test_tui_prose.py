"""CJK-aware line breaking and the small Markdown renderer used for all story text in the UI."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from game.tui.prose import Prose, wrap_text

CHINESE = "手机屏幕亮了：“恭喜您！您获得了一台新笔记本电脑。请在 10 分钟内领取，否则奖品将转给下一位中奖者。”"


def render(renderable: object, width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return [line.rstrip() for line in capture.get().splitlines()]


def test_chinese_fills_lines_and_breaks_between_characters() -> None:
    lines = [line.plain for line in wrap_text(Text(CHINESE), 40)]
    assert lines[0] == "手机屏幕亮了：“恭喜您！您获得了一台新笔"
    assert all(cell_len(line) <= 40 for line in lines)
    assert "".join(lines).replace(" ", "") == CHINESE.replace(" ", "")


def test_closing_punctuation_never_starts_a_line_and_opening_never_ends_one() -> None:
    for width in range(6, 50):
        for line in wrap_text(Text(CHINESE), width):
            assert line.plain[:1] not in "。，、！？：；”）", (width, line.plain)
            assert line.plain[-1:] not in "“（", (width, line.plain)


def test_english_breaks_at_spaces_only() -> None:
    text = "Your phone lights up: Congratulations! You have won a new laptop."
    lines = [line.plain for line in wrap_text(Text(text), 20)]
    assert lines == ["Your phone lights", "up: Congratulations!", "You have won a new", "laptop."]


def test_soft_line_breaks_join_chinese_without_a_space_and_english_with_one() -> None:
    assert render(Prose("一台新笔记本电脑。\n请在十分钟内领取。"), 60) == ["一台新笔记本电脑。请在十分钟内领取。"]
    assert render(Prose("a new laptop.\nClaim it"), 60) == ["a new laptop. Claim it"]


def test_markdown_blocks() -> None:
    lines = render(Prose("### Heading\n\n- one\n- two\n\n1. first\n\n> **You chose:** this\n\n---\n\nend"), 30)
    assert lines == [
        "Heading",
        "",
        "• one",
        "• two",
        "",
        "1. first",
        "",
        "▌ You chose: this",
        "",
        "─" * 30,
        "",
        "end",
    ]


def test_emphasis_is_styled_not_printed() -> None:
    prose = Prose("plain **bold** and *italic*")
    text = prose.blocks[0].text
    assert text.plain == "plain bold and italic"
    styles = {text.plain[span.start : span.end]: span.style for span in text.spans}
    assert styles["bold"].bold and styles["italic"].italic


FRAGMENTS = st.sampled_from(["a", "b", " ", "中", "文", "，", "。", "“", "”", "word", "longerword", "长"])


@given(st.lists(FRAGMENTS, max_size=60).map("".join), st.integers(1, 50))
def test_lines_never_exceed_the_width_and_keep_every_character(source: str, width: int) -> None:
    lines = wrap_text(Text(source), width)
    for line in lines:
        assert cell_len(line.plain) <= width or len(line.plain) == 1
    assert "".join(line.plain for line in lines).replace(" ", "") == source.replace(" ", "")
