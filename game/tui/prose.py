"""Story text in the terminal UI: Rich renderables that wrap with :mod:`game.prose`'s line breaking.

Rich and Textual break lines only at spaces, so a Chinese sentence (which has none) is folded at odd places
and a soft line break in the source becomes a stray space. :class:`Wrapped` (one styled text) and
:class:`Prose` (Markdown, parsed by :func:`game.prose.parse`) break lines with :func:`game.prose.break_offsets`
instead: at a space or between CJK characters, closing punctuation (。，」…) never starting a line, opening
punctuation (“「) never ending one, non-breaking spaces holding. Both are Rich renderables, so any Textual
``Static`` can show them. Only the styling (bold, italic, list and quote marks) is decided here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from game import prose
from game.prose import NO_LINE_END, NO_LINE_START, break_offsets, is_cjk, join_soft

__all__ = [
    "NO_LINE_END",
    "NO_LINE_START",
    "Block",
    "Prose",
    "Wrapped",
    "is_cjk",
    "warm_up",
    "wrap_offsets",
    "wrap_text",
]


def wrap_offsets(plain: str, width: int) -> list[int]:
    """Offsets at which to divide ``plain`` (without newlines) into lines of at most ``width`` cells."""
    return break_offsets(plain, width)


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


_MARKDOWN_SYNTAX = re.compile(r"[*_`#>\[\]<&\\|~]|^\s*(?:[-+]|\d+[.)])\s|^\s*(?:-{3,}|={3,})\s*$|^ {4}", re.M)


def warm_up() -> None:
    """Build the Markdown parser now (e.g. on a worker thread while the title screen is read)."""
    prose.parse("*warm up*")


def _plain_blocks(markdown: str) -> Iterator[Block]:
    """Paragraphs of text with no Markdown syntax, without the cost of loading the parser."""
    for paragraph in re.split(r"\n\s*\n", markdown.strip()):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        joined = lines[0]
        for line in lines[1:]:
            joined += join_soft(joined, line) + line
        yield Block(Text(joined), Text(), Text())


def _inline(inline: prose.Inline, base: Style | None = None) -> Text:
    """Inline events of :func:`game.prose.parse` as styled text (links show their text)."""
    text = Text(style=base or "")
    styles: list[Style] = []
    for event in inline:
        kind = event[0]
        if kind == "text":
            text.append(event[1], Style.combine(styles) if styles else Style())
        elif kind == "soft":
            text.append(event[1])
        elif kind == "break":
            text.append("\n")
        elif kind == "open" and event[1] in _STYLES:
            styles.append(_STYLES[event[1]])
        elif kind == "close" and event[1] in _STYLES and styles:
            styles.pop()
    return text


_STYLES = {  # each mark sets all three, as Markdown emphasis replaces the quote's italic rather than adding to it
    "em": Style(bold=False, italic=True, strike=False),
    "strong": Style(bold=True, italic=False, strike=False),
    "strike": Style(bold=False, italic=False, strike=True),
    "code": Style(bold=True),
}


@dataclass
class _Walk:
    """Where the walk over the parsed blocks is: enclosing lists and quotes, and the list item just opened."""

    heading_style: Style
    prefixes: list[tuple[str, int]] = field(default_factory=list)  # ("quote"|"bullet"|"ordered", counter)
    item_first: bool = False
    later_item: bool = False


def _blocks(markdown: str, heading_style: Style) -> Iterator[Block]:
    if not _MARKDOWN_SYNTAX.search(markdown):
        yield from _plain_blocks(markdown)
        return
    yield from _walk(prose.parse(markdown), _Walk(heading_style))


def _walk(blocks: Iterable[prose.Block], state: _Walk) -> Iterator[Block]:
    for block in blocks:
        kind = block.kind
        if kind in ("paragraph", "heading"):
            in_quote = any(p[0] == "quote" for p in state.prefixes)
            base = state.heading_style if kind == "heading" else (QUOTE if in_quote else None)
            first, rest = _prefix(state.prefixes, state.item_first)
            yield Block(_inline(block.inline, base), first, rest, gap=not (state.item_first and state.later_item))
            state.item_first = False
        elif kind == "code":
            first, rest = _prefix(state.prefixes, False)
            yield Block(Text(block.text, style="bold"), first, rest)
        elif kind == "rule":
            yield Block(Text("\x00rule"), Text(), Text())
        elif kind == "quote":
            state.prefixes.append(("quote", 0))
            yield from _walk(block.children, state)
            state.prefixes.pop()
        elif kind in ("bullet", "ordered"):
            state.prefixes.append((kind, block.number - 1 if kind == "ordered" else 0))
            for number, item in enumerate(block.children):
                list_kind, counter = state.prefixes[-1]
                state.prefixes[-1] = (list_kind, counter + 1)
                state.item_first = True
                state.later_item = number > 0
                yield from _walk(item.children, state)
            state.prefixes.pop()


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
