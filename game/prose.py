"""The one place where Markdown story text becomes any output: plain text, HTML, Markdown or Twee paragraphs.

Story text is parsed once (the parse is cached) with markdown-it-py into a small tree of blocks, and every
output is written from that tree, so the terminal UI, plain mode, the guide, the report, the debrief export
and the Twee export agree on what the text says.

Public functions:

- :func:`to_plain` ``(markdown, width=80, lang=None) -> str``: reflowed to ``width`` terminal cells; no
  Markdown markers are left. Emphasis (``*em*``, ``**strong**``, ``_em_``) is shown as its words alone,
  since plain text has no styling and a screen reader should read words, not marks; inline code as its text;
  a link as ``text (url)`` (just the URL when the text is the URL); headings as a line of their own; lists
  with ``•`` or ``1.`` and a hanging indent; block quotes indented by two spaces; a rule as ``· · ·``.
- :func:`to_html` ``(markdown, heading_offset=0) -> str``: escaped HTML (paragraphs, headings, lists, quotes,
  em/strong/code, links); a line break in the source is a space (or nothing between Chinese characters),
  never a ``<br>`` (only a Markdown hard break, two spaces or a backslash at the end of a line, is one).
- :func:`to_inline_html` ``(markdown) -> str``: the same without block tags, for inside a table cell or list item.
- :func:`to_markdown` ``(markdown) -> str``: normalised Markdown with one line per paragraph (for ``.md``).
- :func:`to_paragraphs` ``(markdown, marks=MARKDOWN) -> list[str]``: one string per paragraph, heading or list
  item, with emphasis, links and list marks written by a :class:`Marks` (presets :data:`HARLOWE`,
  :data:`SUGARCUBE`, :data:`CHAPBOOK`, :data:`MARKDOWN`, :data:`PLAIN`), for the Twee export.
- :func:`wrap` ``(text, width, lang=None) -> list[str]``: the line breaker underneath, for any text.
- :func:`break_offsets`, :func:`cell_width`, :func:`text_width`, :func:`min_width`, :func:`is_cjk`,
  :func:`join_soft`: the pieces the terminal UI's styled wrapping shares.

Line breaking: a line breaks at a space, or between two Chinese (CJK) characters, and a word is never split
(a single word wider than the whole line is folded by characters, as a last resort). Closing punctuation
(``，。、；：？！）」』”`` and the like) never starts a line and opening punctuation (``（「『“``) never ends one;
a non-breaking space (U+00A0, U+202F, U+2007) or word joiner (U+2060) holds its neighbours together. Widths
are terminal cells: East-Asian wide and full-width characters (``unicodedata.east_asian_width`` W or F)
take two, combining and format characters none. ``lang`` is accepted everywhere for the day a rule differs
between languages; today the rules are the same, since the Chinese rules concern only Chinese characters.

Pure Python: no Textual or Rich here. markdown-it-py is imported on first use.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

__all__ = [
    "CHAPBOOK",
    "HARLOWE",
    "MARKDOWN",
    "NO_LINE_END",
    "NO_LINE_START",
    "PLAIN",
    "SUGARCUBE",
    "Marks",
    "break_offsets",
    "cell_width",
    "is_cjk",
    "join_soft",
    "min_width",
    "parse",
    "text_width",
    "to_html",
    "to_inline_html",
    "to_markdown",
    "to_paragraphs",
    "to_plain",
    "wrap",
]

NO_LINE_START = frozenset("。，、．：；！？）」』】》〉”’…—·％,.;:!?)]}%")
"""Characters that may not begin a line (closing punctuation)."""
NO_LINE_END = frozenset("（「『【《〈“‘([{")
"""Characters that may not end a line (opening punctuation)."""
NO_BREAK = frozenset("\u00a0\u202f\u2007\u2060\ufeff")
"""Spaces and joiners that hold the characters on either side together."""

# ---------------------------------------------------------------------------------------------- widths


_CJK_RANGES = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
_OUTSIDE_RANGES = re.compile(f"[^\x00-\u9fff{_CJK_RANGES}]")


def is_cjk(char: str) -> bool:
    """True for characters of scripts written without spaces (Han, kana, Hangul, full-width forms)."""
    if not char:
        return False
    code = ord(char)
    if code < 0x2E80:
        return False
    return (
        code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or unicodedata.east_asian_width(char) in ("W", "F")
    )


@lru_cache(maxsize=4096)
def cell_width(char: str) -> int:
    """Terminal cells one character takes: 2 if East-Asian wide or full-width, 0 if combining or format."""
    if char.isascii():
        return 1 if char.isprintable() else 0
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Terminal cells ``text`` takes on one line."""
    if text.isascii():
        return len(text)
    return sum(map(cell_width, text))


def join_soft(before: str, after: str) -> str:
    """What a line break inside a paragraph becomes: nothing between two CJK characters, else a space."""
    return "" if is_cjk(before[-1:]) and is_cjk(after[:1]) else " "


# ---------------------------------------------------------------------------------------------- wrapping


def _class(chars: Iterable[str]) -> str:
    return "".join(re.escape(char) for char in sorted(chars))


@lru_cache(maxsize=64)
def _piece_pattern(extra_cjk: str) -> re.Pattern[str]:
    """One raw piece: opening punctuation, then a run of CJK characters (group ``run``) or of anything else
    but a breaking space, then closing punctuation (group 1, the visible part), then breaking spaces.

    ``extra_cjk``: the text's characters that :func:`is_cjk` counts although they lie outside the usual
    ranges (wide symbols, emoji), so that the pattern agrees with :func:`is_cjk` exactly.
    """
    cjk = f"[{_CJK_RANGES}{_class(extra_cjk)}]"
    start, end = f"[{_class(NO_LINE_START)}]", f"[{_class(NO_LINE_END)}]"
    space = f"[^\\S{_class(NO_BREAK)}]"
    opens = f"(?!{start}|\\s){cjk}"  # the ideographic space (U+3000) lies in the CJK range but is a space
    other = f"(?:(?!{space})(?:{start}|(?!{cjk}).))"
    return re.compile(f"({end}*(?:(?P<run>{opens}(?:(?!{end}){opens})*)|{other}*){start}*){space}*", re.S)


Piece = tuple[int, int, int, tuple[int, ...]]
"""``(start, visible end, end, cuts)``: a stretch of one line with the breaking spaces after it (visible end
to end), and the offsets inside it where a line may break (between the characters of a CJK run)."""


def _pieces(text: str) -> list[Piece]:
    """The stretches of one line between which a line may break (see :func:`units`)."""
    extra = "".join(sorted({char for char in _OUTSIDE_RANGES.findall(text) if is_cjk(char)}))
    pattern = _piece_pattern(extra)
    pieces: list[Piece] = []
    position = 0
    length = len(text)
    while position < length:
        match = pattern.match(text, position)
        assert match is not None  # the pattern can match the empty string
        visible, end = match.end(1), max(match.end(), position + 1)
        run_start, run_end = match.span("run")
        cuts = tuple(range(run_start + 1, run_end)) if run_end - run_start > 1 else ()
        if pieces and _holds(text, pieces[-1], position):
            before = pieces[-1]
            pieces[-1] = (before[0], visible if visible > position else before[1], end, before[3] + cuts)
        else:
            pieces.append((position, visible, end, cuts))
        position = end
    return pieces


# Punctuation kept with its word even across a space: Chinese punctuation and curly quotes. (An English dash
# or ellipsis after a space may begin a line, as in most English typesetting.)
_CLOSING_ACROSS_SPACE = frozenset(char for char in NO_LINE_START if is_cjk(char)) | frozenset("”’")
_OPENING_ACROSS_SPACE = frozenset(char for char in NO_LINE_END if is_cjk(char)) | frozenset("“‘")


def _holds(text: str, previous: Piece, start: int) -> bool:
    """True when no line may break between the piece ``previous`` and the piece starting at ``start``."""
    char = text[start]
    if char in NO_BREAK or char in _CLOSING_ACROSS_SPACE or text[previous[2] - 1] in NO_BREAK:
        return True
    return previous[1] > previous[0] and text[previous[1] - 1] in _OPENING_ACROSS_SPACE


def units(text: str) -> list[tuple[int, int]]:
    """Unbreakable pieces ``(start, end)`` of one line of ``text``, each with the breaking spaces after it.

    A piece is a word, or one CJK character, with the closing punctuation after it and the opening
    punctuation before it; pieces joined by a non-breaking space or word joiner are one piece, and so are a
    piece and Chinese closing punctuation or a closing curly quote after it across a space (likewise opening).
    """
    found = []
    for start, _visible_end, end, cuts in _pieces(text):
        bounds = [start, *cuts, end]
        found.extend(pairwise(bounds))
    return found


def _breaking_space(char: str) -> bool:
    return char.isspace() and char not in NO_BREAK


def _visible(text: str) -> str:
    end = len(text)
    while end and _breaking_space(text[end - 1]):
        end -= 1
    return text[:end]


def break_offsets(text: str, width: int) -> list[int]:
    """Offsets at which to divide ``text`` (one line, no newlines) into lines of at most ``width`` cells."""
    width = max(1, width)
    breaks: list[int] = []
    line = 0
    for start, visible_end, end, cuts in _pieces(text):
        cells = text_width(text[start:visible_end])
        if line + cells > width:
            bounds = [start, *cuts, visible_end]
            for sub_start, sub_end in pairwise(bounds):
                line = _place(text, sub_start, sub_end, line, width, breaks)
        else:
            line += cells
        line += text_width(text[visible_end:end])
    return breaks


def _place(text: str, start: int, end: int, line: int, width: int, breaks: list[int]) -> int:
    """Put the unbreakable ``text[start:end]`` on the line (``line`` cells used), or on the next; new width used."""
    cells = text_width(text[start:end])
    if line and line + cells > width:
        breaks.append(start)
        line = 0
    if cells <= width:
        return line + cells
    for index in range(start, end):  # wider than a whole line: fold it by characters, the last resort
        char_cells = cell_width(text[index])
        if line and line + char_cells > width:
            breaks.append(index)
            line = 0
        line += char_cells
    return line


def wrap(text: str, width: int, lang: str | None = None) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells; newlines in it are kept; no trailing spaces."""
    del lang  # the rules are the same in every language today (see the module docstring)
    lines: list[str] = []
    for hard_line in text.split("\n"):
        cuts = [0, *break_offsets(hard_line, width), len(hard_line)]
        lines.extend(_visible(hard_line[a:b]) for a, b in pairwise(cuts) if a < b or a == 0)
    return lines


def min_width(text: str) -> int:
    """The narrowest width at which ``text`` wraps without folding a word (its widest unbreakable piece)."""
    widest = 0
    for hard_line in text.split("\n"):
        for start, visible_end, _end, cuts in _pieces(hard_line):
            for sub_start, sub_end in pairwise([start, *cuts, visible_end]):
                widest = max(widest, text_width(hard_line[sub_start:sub_end]))
    return widest


# ---------------------------------------------------------------------------------------------- the tree

Inline = tuple[tuple[str, ...], ...]
"""Inline content as events: ``("text", s)``, ``("soft", s)`` (a source line break: a space, or nothing between
CJK characters), ``("open", kind, href)``, ``("close", kind)``, ``("break",)`` (a hard line break).

``kind`` is ``em``, ``strong``, ``code``, ``strike`` or ``link`` (with ``href``; empty for the others).
"""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of parsed text: a paragraph, heading, list, list item, quote, code block or rule."""

    kind: str  # paragraph | heading | bullet | ordered | item | quote | code | rule
    inline: Inline = ()
    children: tuple[Block, ...] = ()
    number: int = 0  # heading level, or an ordered list's first number
    tight: bool = False  # lists: items are not separated by blank lines
    text: str = ""  # code blocks


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark", {"html": False}).enable("strikethrough")
    return _PARSER


@lru_cache(maxsize=2048)
def parse(markdown: str) -> tuple[Block, ...]:
    """The blocks of ``markdown`` (cached: each text is parsed once however many outputs it goes to)."""
    root: list[list[Block]] = [[]]
    opened: list[Token] = []
    previous: Token | None = None
    for token in _parser().parse(markdown):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open"):
            opened.append(token)
            root.append([])
        elif kind in ("bullet_list_close", "ordered_list_close", "list_item_close", "blockquote_close"):
            children = tuple(root.pop())
            root[-1].append(_container(opened.pop(), children))
        elif kind == "inline" and previous is not None:
            inline = _inline(token.children or [])
            if previous.type == "heading_open":
                root[-1].append(Block("heading", inline, number=int(previous.tag[1:])))
            else:
                root[-1].append(Block("paragraph", inline, tight=previous.hidden))
        elif kind in ("fence", "code_block"):
            root[-1].append(Block("code", text=token.content.rstrip("\n")))
        elif kind == "hr":
            root[-1].append(Block("rule"))
        previous = token
    return tuple(root[0])


def _container(token: Token, children: tuple[Block, ...]) -> Block:
    if token.type == "bullet_list_open":
        return Block("bullet", children=children, tight=_tight(children))
    if token.type == "ordered_list_open":
        start = int(token.attrs.get("start", 1) or 1)
        return Block("ordered", children=children, number=start, tight=_tight(children))
    if token.type == "list_item_open":
        return Block("item", children=children)
    return Block("quote", children=children)


def _tight(items: tuple[Block, ...]) -> bool:
    """A list is tight when its items' paragraphs are (markdown-it hides their paragraph tags)."""
    return all(child.tight for item in items for child in item.children if child.kind == "paragraph")


_INLINE_MARKS = {"em": "em", "strong": "strong", "s": "strike", "link": "link"}


def _inline(children: Iterable[Token]) -> Inline:
    """Inline tokens as events; a soft line break becomes a space, or nothing between two CJK characters."""
    events: list[tuple[str, ...]] = []
    last = ""
    soft_at: int | None = None  # where a pending soft break's join goes (before any mark opened after it)
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline", "html_inline", "image"):
            content = token.content
            if not content:
                continue
            if soft_at is not None:
                events.insert(soft_at, ("soft", join_soft(last, content)))
                soft_at = None
            if kind == "code_inline":
                events += [("open", "code", ""), ("text", content), ("close", "code")]
            else:
                events.append(("text", content))
            last = content
        elif kind == "softbreak":
            soft_at = len(events)
        elif kind == "hardbreak":
            soft_at = None
            events.append(("break",))
        elif kind.endswith("_open") and kind.removesuffix("_open") in _INLINE_MARKS:
            href = str(token.attrs.get("href", "")) if kind == "link_open" else ""
            events.append(("open", _INLINE_MARKS[kind.removesuffix("_open")], href))
        elif kind.endswith("_close") and kind.removesuffix("_close") in _INLINE_MARKS:
            events.append(("close", _INLINE_MARKS[kind.removesuffix("_close")]))
    return tuple(events)


# ---------------------------------------------------------------------------------------------- marks


def _markdown_escape(text: str) -> str:
    text = re.sub(r"([\\`*_\[\]<])", r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)


def _text_and_url(text: str, url: str) -> str:
    return url if not text or text == url else f"{text} ({url})"


def _markdown_link(text: str, url: str) -> str:
    return f"<{url}>" if text == _markdown_escape(url) else f"[{text}]({url.replace(')', '%29').replace(' ', '%20')})"


def _html_link(text: str, url: str) -> str:
    return f'<a href="{html.escape(url)}">{text}</a>'


@dataclass(frozen=True, slots=True)
class Marks:
    """How one output writes emphasis, links, list items and headings on a single line of text.

    ``link(text, url)`` gets the already-marked text; ``escape`` is applied to the story's own text.
    """

    em: tuple[str, str] = ("*", "*")
    strong: tuple[str, str] = ("**", "**")
    code: tuple[str, str] = ("`", "`")
    strike: tuple[str, str] = ("~~", "~~")
    bullet: str = "- "
    number_suffix: str = ". "
    heading: str = "#"  # repeated level times, then a space; empty: no heading mark
    quote: str = "> "
    rule: str = "---"
    hard_break: str = "\n"
    link: Callable[[str, str], str] = _text_and_url
    escape: Callable[[str], str] = field(default=lambda text: text)


MARKDOWN = Marks(link=_markdown_link, escape=_markdown_escape, hard_break="\\\n")
"""CommonMark."""
CHAPBOOK = MARKDOWN
"""Chapbook passages are Markdown."""
HARLOWE = Marks(em=("//", "//"), strong=("''", "''"), strike=("~~", "~~"), link=_html_link, bullet="* ")
"""Harlowe 3 markup (external links as HTML anchors, which Harlowe passes through)."""
SUGARCUBE = Marks(
    em=("//", "//"),
    strong=("''", "''"),
    code=("{{{", "}}}"),
    strike=("==", "=="),
    bullet="* ",
    heading="!",
    rule="----",
    link=_html_link,
)
"""SugarCube 2 markup (its headings are ``!``; external links as HTML anchors)."""
PLAIN = Marks(
    em=("", ""), strong=("", ""), code=("", ""), strike=("", ""), bullet="• ", heading="", quote="  ", rule="· · ·"
)
"""Plain text: words only, links as ``text (url)``."""


def _marked(inline: Inline, marks: Marks) -> str:
    out: list[str] = []
    links: list[tuple[int, str]] = []
    for event in inline:
        kind = event[0]
        if kind == "text":
            out.append(marks.escape(event[1]))
        elif kind == "soft":
            out.append(event[1])
        elif kind == "break":
            out.append(marks.hard_break)
        elif kind == "open":
            if event[1] == "link":
                links.append((len(out), event[2]))
            else:
                out.append(getattr(marks, event[1])[0])
        elif kind == "close":
            if event[1] == "link":
                start, url = links.pop()
                text = "".join(out[start:])
                del out[start:]
                out.append(marks.link(text, url))
            else:
                out.append(getattr(marks, event[1])[1])
    return "".join(out)


# ---------------------------------------------------------------------------------------------- flat lines


@dataclass(frozen=True, slots=True)
class _Line:
    """One paragraph-level piece laid out flat: its text, the prefix of its first and other lines, a gap before."""

    text: str
    first: str
    rest: str
    gap: bool
    kind: str = "text"  # text | code (keeps its line breaks, no reflow) | rule


def _flat(blocks: Iterable[Block], marks: Marks, first: str = "", rest: str = "", gap: bool = True) -> Iterator[_Line]:
    """Every paragraph-level piece of ``blocks`` with the prefixes (list marks, quote marks) it carries."""
    for number, block in enumerate(blocks):
        block_gap = gap if number == 0 else True
        prefix = first if number == 0 else rest
        if block.kind == "paragraph":
            yield _Line(_marked(block.inline, marks), prefix, rest, block_gap)
        elif block.kind == "heading":
            mark = marks.heading * block.number + " " if marks.heading else ""
            yield _Line(mark + _marked(block.inline, marks), prefix, rest, block_gap)
        elif block.kind == "code":
            yield _Line(block.text, prefix, rest, block_gap, "code")
        elif block.kind == "rule":
            yield _Line(marks.rule, prefix, rest, block_gap, "rule")
        elif block.kind == "quote":
            yield from _flat(block.children, marks, prefix + marks.quote, rest + marks.quote, block_gap)
        elif block.kind in ("bullet", "ordered"):
            labels = _labels(block, marks)
            pad = max((len(label) for label in labels), default=0)
            for index, item in enumerate(block.children):
                label = labels[index].rjust(pad) if block.kind == "ordered" else labels[index]
                item_gap = block_gap if index == 0 else not block.tight
                inner_first = prefix + label
                inner_rest = rest + " " * text_width(label if block.kind == "bullet" else label.rjust(pad))
                if not item.children:
                    yield _Line("", inner_first, inner_rest, item_gap)
                for line_number, line in enumerate(_flat(item.children, marks, inner_first, inner_rest, item_gap)):
                    yield (
                        line
                        if line_number == 0 or not block.tight
                        else _Line(line.text, line.first, line.rest, False, line.kind)
                    )


def _labels(block: Block, marks: Marks) -> list[str]:
    if block.kind == "bullet":
        return [marks.bullet] * len(block.children)
    return [f"{block.number + index}{marks.number_suffix}" for index in range(len(block.children))]


# ---------------------------------------------------------------------------------------------- outputs


@lru_cache(maxsize=1024)
def to_plain(markdown: str, width: int = 80, lang: str | None = None) -> str:
    """``markdown`` as plain text reflowed to ``width`` cells (see the module docstring); ends without newline."""
    out: list[str] = []
    for line in _flat(parse(markdown), PLAIN):
        if out and line.gap:
            out.append("")
        inner = max(1, width - max(text_width(line.first), text_width(line.rest)))
        if line.kind == "code":
            body = [part for raw in line.text.split("\n") for part in wrap(raw, inner, lang)]
        else:
            body = wrap(line.text, inner, lang)
        for number, text in enumerate(body):
            prefix = line.first if number == 0 else line.rest
            out.append((prefix + text).rstrip() if text else prefix.rstrip())
    return "\n".join(out)


def to_markdown(markdown: str) -> str:
    """``markdown`` normalised: one line per paragraph, blank lines between blocks; ends without a newline."""
    out: list[str] = []
    for line in _flat(parse(markdown), MARKDOWN):
        if out and line.gap:
            out.append("")
        text = f"```\n{line.text}\n```" if line.kind == "code" else line.text
        parts = text.split("\n")
        out.append((line.first + parts[0]).rstrip())
        out.extend((line.rest + part).rstrip() for part in parts[1:])
    return "\n".join(out)


def to_paragraphs(markdown: str, marks: Marks = MARKDOWN) -> list[str]:
    """One string per paragraph, heading or list item of ``markdown``, marked up by ``marks``."""
    return [line.first + line.text for line in _flat(parse(markdown), marks)]


def to_html(markdown: str, heading_offset: int = 0) -> str:
    """``markdown`` as escaped HTML; headings are moved down by ``heading_offset`` levels (at most h6)."""
    return "\n".join(_html_blocks(parse(markdown), heading_offset, tight=False))


def _html_blocks(blocks: Iterable[Block], offset: int, tight: bool) -> Iterator[str]:
    for block in blocks:
        if block.kind == "paragraph":
            body = _html_inline(block.inline)
            yield body if tight else f"<p>{body}</p>"
        elif block.kind == "heading":
            level = min(6, block.number + offset)
            yield f"<h{level}>{_html_inline(block.inline)}</h{level}>"
        elif block.kind == "code":
            yield f"<pre><code>{html.escape(block.text, quote=False)}</code></pre>"
        elif block.kind == "rule":
            yield "<hr>"
        elif block.kind == "quote":
            yield "<blockquote>\n" + "\n".join(_html_blocks(block.children, offset, False)) + "\n</blockquote>"
        elif block.kind in ("bullet", "ordered"):
            tag = "ul" if block.kind == "bullet" else "ol"
            start = f' start="{block.number}"' if block.kind == "ordered" and block.number != 1 else ""
            items = [
                "<li>" + "\n".join(_html_blocks(item.children, offset, block.tight)) + "</li>"
                for item in block.children
            ]
            yield f"<{tag}{start}>\n" + "\n".join(items) + f"\n</{tag}>"


def to_inline_html(markdown: str) -> str:
    """``markdown`` as escaped HTML for inside another element (a table cell, a list item, a title): no block
    tags; its paragraphs, headings and list items are joined by spaces."""
    return " ".join(_html_pieces(parse(markdown)))


def _html_pieces(blocks: Iterable[Block]) -> Iterator[str]:
    for block in blocks:
        if block.kind in ("paragraph", "heading"):
            yield _html_inline(block.inline)
        elif block.kind == "code":
            yield f"<code>{html.escape(block.text, quote=False)}</code>"
        else:
            for child in block.children:
                yield from _html_pieces(child.children if child.kind == "item" else (child,))


_HTML_TAGS = {"em": "em", "strong": "strong", "code": "code", "strike": "s"}


def _html_inline(inline: Inline) -> str:
    out: list[str] = []
    for event in inline:
        kind = event[0]
        if kind in ("text", "soft"):
            out.append(html.escape(event[1], quote=False))
        elif kind == "break":
            out.append("<br>\n")
        elif kind == "open":
            if event[1] == "link":
                out.append(f'<a href="{html.escape(event[2])}">')
            else:
                out.append(f"<{_HTML_TAGS[event[1]]}>")
        elif kind == "close":
            out.append("</a>" if event[1] == "link" else f"</{_HTML_TAGS[event[1]]}>")
    return "".join(out)
