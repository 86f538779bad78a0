"""Line breaking that is right for Chinese as well as English, and a small Markdown renderer that uses it.

Rich and Textual break lines only at spaces, so a Chinese sentence (which has none) is folded at odd places
and a soft line break in the source becomes a stray space. Here a line may break between any two CJK
characters or at a space, closing punctuation (。，」…) never starts a line and opening punctuation (“「) never
ends one. :class:`Wrapped` and :class:`Prose` are Rich renderables, so any Textual ``Static`` can show them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

NO_LINE_START = set("。，、．：；！？）」』】》〉”’…—·％,.;:!?)]}%")
NO_LINE_END = set("（「『【《〈“‘([{")


def is_cjk(char: str) -> bool:
    """True for characters of scripts written without spaces (Han, kana, Hangul, full-width forms)."""
    if not char:
        return False
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or unicodedata.east_asian_width(char) in ("W", "F")
    )


def _units(plain: str) -> list[tuple[int, int]]:
    """Unbreakable units (start, end): a word with its trailing spaces, or one CJK character with its punctuation."""
    units: list[tuple[int, int]] = []
    i = 0
    n = len(plain)
    while i < n:
        start = i
        while i < n and plain[i] in NO_LINE_END:
            i += 1
        if i < n and is_cjk(plain[i]) and plain[i] not in NO_LINE_START:
            i += 1
        else:
            while i < n and not plain[i].isspace() and not (is_cjk(plain[i]) and plain[i] not in NO_LINE_START):
                i += 1
        while i < n and plain[i] in NO_LINE_START:
            i += 1
        if i == start:
            i += 1
        while i < n and plain[i] == " ":
            i += 1
        units.append((start, i))
    return units


def wrap_offsets(plain: str, width: int) -> list[int]:
    """Offsets at which to divide ``plain`` (without newlines) into lines of at most ``width`` cells."""
    width = max(1, width)
    breaks: list[int] = []
    line_cells = 0
    for start, end in _units(plain):
        chunk = plain[start:end]
        visible = cell_len(chunk.rstrip(" "))
        if line_cells and line_cells + visible > width:
            breaks.append(start)
            line_cells = 0
        if visible > width:  # a single unit wider than the line: fold it by characters
            position = start
            for index, char in enumerate(chunk.rstrip(" ")):
                cells = cell_len(char)
                if line_cells + cells > width and line_cells:
                    breaks.append(start + index)
                    line_cells = 0
                line_cells += cells
                position = start + index
            del position
            line_cells += cell_len(chunk) - cell_len(chunk.rstrip(" "))
            continue
        line_cells += cell_len(chunk)
    return breaks


def wrap_text(text: Text, width: int) -> list[Text]:
    """``text`` broken into lines of at most ``width`` cells (hard newlines kept), trailing spaces removed."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        if not paragraph.plain:
            lines.append(paragraph)
            continue
        for line in paragraph.divide(wrap_offsets(paragraph.plain, width)):
            line.rstrip()
            lines.append(line)
    return lines


@dataclass
class Block:
    """A paragraph-level piece of prose: its text, the prefix of its first line and of the others."""

    text: Text
    first: Text
    rest: Text
    gap: bool = True
    _cache: dict[int, list[Text]] = field(default_factory=dict, repr=False, compare=False)

    def lines(self, width: int) -> list[Text]:
        """The block laid out in ``width`` cells (cached per width: Textual renders a widget several times)."""
        cached = self._cache.get(width)
        if cached is None:
            cached = self._cache[width] = self._layout(width)
        return cached

    def _layout(self, width: int) -> list[Text]:
        inner = max(4, width - max(self.first.cell_len, self.rest.cell_len))
        out = []
        for number, line in enumerate(wrap_text(self.text, inner)):
            prefix = self.first if number == 0 else self.rest
            out.append(Text.assemble(prefix.copy(), line))
        return out


class Wrapped:
    """A Rich renderable of one ``Text`` wrapped with :func:`wrap_text`; ``hang`` indents each line's continuations."""

    def __init__(self, text: Text | str, hang: int = 0) -> None:
        self.text = Text(text) if isinstance(text, str) else text
        self.hang = hang
        indent = Text(" " * hang)
        self.blocks = [Block(part, Text(), indent) for part in self.text.split("\n", allow_blank=True)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for block in self.blocks:
            for line in block.lines(options.max_width) or [Text()]:
                yield from line.render(console)
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(part) for part in self.text.plain.split("\n")), default=0)
        return Measurement(min(4, longest), longest)


HEADING = Style(bold=True)
QUOTE = Style(italic=True)


class Prose:
    """Markdown (paragraphs, emphasis, lists, quotes, headings, rules) rendered with CJK-aware wrapping."""

    def __init__(self, markdown: str, heading_style: Style | str = HEADING, header: Iterable[Text] = ()) -> None:
        self.markdown = markdown
        self.heading_style = Style.parse(heading_style) if isinstance(heading_style, str) else heading_style
        self.blocks = [Block(text, Text(), Text()) for text in header if text.plain]
        self.blocks += _blocks(markdown, self.heading_style)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for number, block in enumerate(self.blocks):
            if number and block.gap:
                yield Segment.line()
            if block.text.plain == "\x00rule":
                yield Segment("─" * width, Style(dim=True))
                yield Segment.line()
                continue
            for line in block.lines(width):
                yield from line.render(console)
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(4, options.max_width)


_PARSER: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    """The Markdown parser, imported lazily: the title screen does not need it."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark")
    return _PARSER


def _join_soft(before: str, after: str) -> str:
    """What a soft line break becomes: nothing between two CJK characters, else a space."""
    return "" if is_cjk(before[-1:]) and is_cjk(after[:1]) else " "


def _inline(children: Iterable, base: Style | None = None) -> Text:
    text = Text(style=base or "")
    styles: list[Style] = []
    pending_soft = False
    for token in children:
        kind = token.type
        if kind in ("strong_open", "em_open", "s_open"):
            styles.append(Style(bold=kind == "strong_open", italic=kind == "em_open", strike=kind == "s_open"))
        elif kind in ("strong_close", "em_close", "s_close"):
            if styles:
                styles.pop()
        elif kind in ("text", "code_inline", "html_inline"):
            content = token.content
            if pending_soft:
                text.append(_join_soft(text.plain, content))
                pending_soft = False
            style = Style.combine(styles) if styles else Style()
            if kind == "code_inline":
                style += Style(bold=True)
            text.append(content, style)
        elif kind == "softbreak":
            pending_soft = True
        elif kind == "hardbreak":
            text.append("\n")
    return text


_MARKDOWN_SYNTAX = re.compile(r"[*_`#>\[\]<&\\|~]|^\s*(?:[-+]|\d+[.)])\s|^\s*(?:-{3,}|={3,})\s*$|^ {4}", re.M)


def warm_up() -> None:
    """Build the Markdown parser now (e.g. on a worker thread while the title screen is read)."""
    _parser()


def _plain_blocks(markdown: str) -> Iterator[Block]:
    """Paragraphs of text with no Markdown syntax, without the cost of loading the parser."""
    for paragraph in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            joined += _join_soft(joined, line) + line
        yield Block(Text(joined), Text(), Text())


def _blocks(markdown: str, heading_style: Style) -> Iterator[Block]:
    if not _MARKDOWN_SYNTAX.search(markdown):
        yield from _plain_blocks(markdown)
        return
    tokens = _parser().parse(markdown)
    prefixes: list[tuple[str, int]] = []  # ("quote"|"bullet"|"ordered", counter)
    item_first = False
    tight_item = False
    heading: Style | None = None
    for token in tokens:
        kind = token.type
        if kind == "blockquote_open":
            prefixes.append(("quote", 0))
        elif kind == "blockquote_close":
            prefixes.pop()
        elif kind == "bullet_list_open":
            prefixes.append(("bullet", 0))
        elif kind == "ordered_list_open":
            prefixes.append(("ordered", int(token.attrs.get("start", 1) or 1) - 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            prefixes.pop()
        elif kind == "list_item_open":
            list_kind, counter = prefixes[-1]
            prefixes[-1] = (list_kind, counter + 1)
            item_first = True
            tight_item = counter > 0
        elif kind == "heading_open":
            heading = heading_style
        elif kind == "heading_close":
            heading = None
        elif kind == "hr":
            yield Block(Text("\x00rule"), Text(), Text())
        elif kind in ("fence", "code_block"):
            first, rest = _prefix(prefixes, False)
            yield Block(Text(token.content.rstrip("\n"), style="bold"), first, rest)
        elif kind == "inline":
            in_quote = any(p[0] == "quote" for p in prefixes)
            text = _inline(token.children or [], heading or (QUOTE if in_quote else None))
            first, rest = _prefix(prefixes, item_first)
            yield Block(text, first, rest, gap=not (item_first and tight_item))
            item_first = False


def _prefix(prefixes: list[tuple[str, int]], item_first: bool) -> tuple[Text, Text]:
    first = Text()
    rest = Text()
    for depth, (kind, counter) in enumerate(prefixes):
        last = depth == len(prefixes) - 1
        if kind == "quote":
            first.append("▌ ", "dim")
            rest.append("▌ ", "dim")
        elif kind == "bullet":
            mark = "• " if last and item_first else "  "
            first.append(mark, "bold")
            rest.append("  ")
        else:
            label = f"{counter}. "
            first.append(label if last and item_first else " " * len(label), "bold")
            rest.append(" " * len(label))
    return first, rest
