"""game.prose: every bundled story text reflows cleanly, wrap's rules hold for any text, all outputs agree."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game import prose
from game.loader import load_story
from game.model import Text

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = (ROOT / "tests" / "fixtures" / "prose" / "golden.md").read_text(encoding="utf-8")
URL = "https://example.org/library"

FORBIDDEN_START = "，。、；：？！）」』”"
FORBIDDEN_END = "（「『“"
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
MARKDOWN_MARKER = re.compile(r"\*\*|__|(?<![\w*])[*_](?=\w)|(?<=\w)[*_](?![\w*])|\]\(|`|^\s*#+ |^\s*> |^\s*[-+] ", re.M)


def _texts(value: object, seen: set[int]) -> Iterator[Text]:
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, Text):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name), seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item, seen)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item, seen)


def _story_texts() -> list[tuple[str, str, str]]:
    """(story, lang, text) for every piece of text in both bundled stories."""
    found = []
    for name in ("class-monitor", "tutorial"):
        story = load_story(ROOT / "story" / name)
        for text in _texts(story, set()):
            for lang in story.languages:
                if text.values.get(lang):
                    found.append((name, lang, text.values[lang]))
    return found


STORY_TEXTS = _story_texts()


def test_the_corpus_is_every_scene_block_of_both_stories() -> None:
    stories = {(name, lang) for name, lang, _ in STORY_TEXTS}
    assert stories == {("class-monitor", "en"), ("class-monitor", "zh"), ("tutorial", "en"), ("tutorial", "zh")}
    story = load_story(ROOT / "story" / "class-monitor")
    blocks = [block.text.values["en"] for scene in story.scenes.values() for block in scene.blocks]
    assert blocks and set(blocks) <= {text for _, _, text in STORY_TEXTS}


def _problems(source: str, width: int, lang: str) -> list[str]:
    out = prose.to_plain(source, width, lang)
    wide = prose.to_plain(source, 100_000, lang)
    problems = []
    lines = out.split("\n")
    for line in lines:
        if prose.text_width(line) > width:
            problems.append(f"too long ({prose.text_width(line)}): {line!r}")
        body = re.sub(r"^\s*(?:• |\d+\. )?", "", line)
        if body[:1] and body[:1] in FORBIDDEN_START:
            problems.append(f"starts with closing punctuation: {line!r}")
        if line[-1:] and line[-1:] in FORBIDDEN_END:
            problems.append(f"ends with opening punctuation: {line!r}")
    if LATIN_WORD.findall(out) != LATIN_WORD.findall(wide):
        problems.append("a word was split across lines")
    if MARKDOWN_MARKER.search(out):
        problems.append(f"Markdown marker left: {MARKDOWN_MARKER.search(out)!r}")
    if re.sub(r"\s", "", out) != re.sub(r"\s", "", wide):
        problems.append("text was lost or changed by wrapping")
    return problems


@pytest.mark.parametrize("width", [40, 60, 80, 100])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_story_text_reflows_cleanly(width: int, lang: str) -> None:
    texts = [text for _, text_lang, text in STORY_TEXTS if text_lang == lang]
    assert len(texts) > 100
    problems = [(text[:40], problem) for text in texts for problem in _problems(text, width, lang)]
    assert problems == []


def test_plain_text_reflows_the_source_line_breaks() -> None:
    source = "several people in\nthis story walk\nhome."
    assert prose.to_plain(source, 100) == "several people in this story walk home."
    assert prose.to_plain("一台新笔记本\n电脑。", 100) == "一台新笔记本电脑。"


def test_chinese_punctuation_stays_with_its_neighbours() -> None:
    text = "他说：“你好。”我们走吧，好吗？（当然）"
    for width in range(6, 30):
        for line in prose.wrap(text, width, "zh"):
            assert line[:1] not in FORBIDDEN_START, (width, line)
            assert line[-1:] not in FORBIDDEN_END, (width, line)


def test_a_non_breaking_space_holds() -> None:
    assert prose.wrap("You walk 10\u00a0km today", 10) == ["You walk", "10\u00a0km", "today"]
    assert prose.wrap("走了10\u00a0公里", 6) == ["走了", "10\u00a0公", "里"]
    assert "10\u00a0km" in prose.to_plain("walk 10\u00a0km", 8).split("\n")


def test_a_word_wider_than_the_line_is_folded_only_as_a_last_resort() -> None:
    assert prose.wrap("a supercalifragilistic word", 10) == ["a", "supercalif", "ragilistic", "word"]


def test_widths_are_terminal_cells() -> None:
    assert prose.text_width("中文ab") == 6
    assert prose.text_width("e\u0301") == 1
    assert prose.wrap("中文中文中文", 5) == ["中文", "中文", "中文"]


def test_mixed_chinese_and_latin_break_between_them_not_inside_words() -> None:
    lines = prose.wrap("他用WhatsApp给你发了消息", 10)
    assert "WhatsApp" in "".join(lines) and any("WhatsApp" in line for line in lines)


def test_plain_blocks() -> None:
    source = "## Head\n\n- one long item that wraps\n- two\n\n3. three\n4. four\n\n> quoted\n\n---\n\nend"
    assert prose.to_plain(source, 16) == "\n".join(
        [
            "Head",
            "",
            "• one long item",
            "  that wraps",
            "• two",
            "",
            "3. three",
            "4. four",
            "",
            "  quoted",
            "",
            "· · ·",
            "",
            "end",
        ]
    )


def test_plain_links_and_emphasis() -> None:
    assert prose.to_plain("see [the site](https://x.org) or <https://y.org>", 80) == (
        "see the site (https://x.org) or https://y.org"
    )
    assert prose.to_plain("*a* **b** _c_ `d` 2 * 3", 80) == "a b c d 2 * 3"


def test_html_is_escaped_and_has_no_breaks_from_source_lines() -> None:
    out = prose.to_html("several people in\nthis <b>story</b> & more\n\n中文\n中文")
    assert out == "<p>several people in this &lt;b&gt;story&lt;/b&gt; &amp; more</p>\n<p>中文中文</p>"
    assert "<br>" in prose.to_html("a  \nb")
    assert prose.to_html("# T", heading_offset=2) == "<h3>T</h3>"
    assert prose.to_html('[x](javascript:alert(1)) [y](https://e.org/?a="b")') == (
        '<p>[x](javascript:alert(1)) <a href="https://e.org/?a=%22b%22">y</a></p>'
    )


def test_inline_html_has_no_block_tags() -> None:
    assert prose.to_inline_html("*a* <b>\nc\n\n- x\n- y") == "<em>a</em> &lt;b&gt; c x y"


def test_markdown_is_one_line_per_paragraph_and_round_trips() -> None:
    source = "one\ntwo *em*\n\n- a\n  b\n- c\n\n2 * 3 and a_b"
    out = prose.to_markdown(source)
    assert out == "one two *em*\n\n- a b\n- c\n\n2 \\* 3 and a\\_b"
    assert prose.to_plain(out, 80) == prose.to_plain(source, 80)


def test_paragraphs_use_the_given_marks() -> None:
    source = "*em* and **strong**\nsame paragraph\n\n- item\n\n[link](https://e.org)"
    assert prose.to_paragraphs(source, prose.HARLOWE) == [
        "//em// and ''strong'' same paragraph",
        "* item",
        '<a href="https://e.org">link</a>',
    ]
    assert prose.to_paragraphs("# H", prose.SUGARCUBE) == ["! H"]
    assert prose.to_paragraphs(source, prose.CHAPBOOK)[0] == "*em* and **strong** same paragraph"


# ---------------------------------------------------------------------------------------------- the golden text


def _words(text: str) -> list[str]:
    """Latin words and single Chinese characters, in order (the URL is left out: only some outputs show it)."""
    return re.findall(r"[A-Za-z0-9]+|[\u4e00-\u9fff]", text.replace(URL, ""))


def _tui(markdown: str, width: int) -> str:
    from rich.console import Console

    from game.tui.prose import Prose

    console = Console(width=width, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(Prose(markdown))
    return capture.get()


def _outputs() -> dict[str, str]:
    tags = re.compile(r"<[^>]+>")
    return {
        "plain 40": prose.to_plain(GOLDEN, 40, "en"),
        "plain 100": prose.to_plain(GOLDEN, 100, "zh"),
        "html": html.unescape(tags.sub(" ", prose.to_html(GOLDEN))),
        "inline html": html.unescape(tags.sub(" ", prose.to_inline_html(GOLDEN))),
        "markdown": prose.to_markdown(GOLDEN),
        "harlowe": html.unescape(tags.sub(" ", "\n".join(prose.to_paragraphs(GOLDEN, prose.HARLOWE)))),
        "sugarcube": html.unescape(tags.sub(" ", "\n".join(prose.to_paragraphs(GOLDEN, prose.SUGARCUBE)))),
        "tui 40": _tui(GOLDEN, 40),
        "tui 100": _tui(GOLDEN, 100),
    }


def test_every_output_of_the_golden_text_has_the_same_words_in_the_same_order() -> None:
    outputs = _outputs()
    expected = _words(outputs["plain 100"])
    assert expected[:4] == ["The", "golden", "text", "Mira"] and "米" in expected
    for name, text in outputs.items():
        assert _words(text) == expected, name


def test_the_golden_text_in_each_output() -> None:
    plain = prose.to_plain(GOLDEN, 40, "en")
    wide = prose.to_plain(GOLDEN, 100)
    assert "2 * 3" in wide and "the library (https://example.org/library)" in wide
    assert all("10\u00a0km" in prose.to_plain(GOLDEN, width) for width in range(20, 60))
    assert not MARKDOWN_MARKER.search(wide.replace("2 * 3", "2 x 3"))
    assert _problems(GOLDEN, 40, "zh") == []
    page = prose.to_html(GOLDEN)
    assert "<em>this is emphasis</em>" in page and "<em>this too</em>" in page and "<strong>没等你开口</strong>" in page
    assert "<ul>" in page and "<br>" not in page and "2 * 3" in page
    markdown = prose.to_markdown(GOLDEN)
    assert "*this too*" in markdown and "2 \\* 3" in markdown
    assert len(markdown.split("\n\n")) == 4  # heading, paragraph, list, paragraph: one line each
    assert prose.to_plain(markdown, 40) == plain
    harlowe = prose.to_paragraphs(GOLDEN, prose.HARLOWE)
    assert "//this is emphasis//" in harlowe[1] and "''this is strong''" in harlowe[1]


# ---------------------------------------------------------------------------------------------- wrap's properties

FRAGMENTS = st.sampled_from(
    [
        *("a", "bc", " ", " ", "\u00a0", "\u3000", "中", "文", "，", "。", "“", "”", "（", "）", "「", "」", "—", "…"),
        *("word", "longerword", "长", "！", "10", "é", "e\u0301", "😀", "(", ")"),
    ]
)


@given(st.lists(FRAGMENTS, max_size=60).map("".join), st.integers(2, 50))
def test_wrap_keeps_every_character_and_the_width(source: str, width: int) -> None:
    lines = prose.wrap(source, width)
    assert all(prose.text_width(line) <= width for line in lines)
    assert re.sub("[ \u3000]", "", "".join(lines)) == re.sub("[ \u3000]", "", source)
    assert all(line == line.rstrip(" ") for line in lines)


@given(st.lists(FRAGMENTS, max_size=60).map("".join), st.integers(1, 50))
def test_wrap_breaks_only_where_allowed_when_every_piece_fits(source: str, width: int) -> None:
    if prose.min_width(source) > width:
        width = prose.min_width(source)
    lines = [line for line in prose.wrap(source, width) if line.strip(" ")]
    for before, after in pairwise(lines):
        assert after[:1] not in FORBIDDEN_START, (before, after)
        assert before[-1:] not in FORBIDDEN_END, (before, after)
    assert LATIN_WORD.findall(" ".join(lines)) == LATIN_WORD.findall(source.replace("\u00a0", " "))
