"""Safe YAML reading: bytes to a composed node tree, with limits and located errors.

Only PyYAML's safe machinery is used: the C ``CSafeLoader`` where libyaml is present, else the pure-Python
``SafeLoader``. Files are composed (not constructed), so no Python object is ever built from a tag; scalars
are resolved here with the safe constructor, and every node keeps its line and column.

Limits keep hostile input in bounded time and memory: a file-size cap, a nesting-depth cap and a cap on how
far aliases may multiply the document (the "billion laughs" attack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from game.diagnostics import Diagnostic, Location, Severity
from game.textsafe import has_control, is_control, terminal_safe

try:  # libyaml is much faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANSION_FACTOR = 8
MAX_EXPANSION_FLOOR = 200_000

STR_TAG = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    STR_TAG,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:null",
}
_constructor = SafeConstructor()


@dataclass(frozen=True, slots=True)
class Document:
    """A composed YAML document: the root node (or None for an empty file) and the decoded text."""

    path: str
    root: Node | None
    text: str


def node_location(path: str, node: Node) -> Location:
    """The 1-based location of a node's first character."""
    mark = node.start_mark
    return Location(path, mark.line + 1, mark.column + 1)


def scalar_value(node: ScalarNode) -> object:
    """The Python value of a resolved scalar node (str, int, bool, float or None)."""
    if node.tag == STR_TAG:
        return node.value
    return _constructor.yaml_constructors[node.tag](_constructor, node)


def kind_name(node: Node) -> str:
    """A human name for a node's type, for 'expected X, got Y' messages."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    value = scalar_value(node) if isinstance(node, ScalarNode) else None
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    return "a string"


def read_document(path: str, data: bytes) -> tuple[Document | None, list[Diagnostic]]:
    """Decode and compose one YAML file; on failure return None and the diagnostics that say why."""
    if len(data) > MAX_FILE_BYTES:
        return None, [
            Diagnostic(
                "CR003",
                f"file is {len(data):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
                Location(path),
            )
        ]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Diagnostic(
                "CR002",
                f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
                Location(path, line, col),
            )
        ]
    text = text.removeprefix("\ufeff")
    try:
        loader = _SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_diagnostic(path, exc, text)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic("CR001", f"YAML error: {exc}", Location(path))]
    except RecursionError:
        return None, [Diagnostic("CR004", f"nesting deeper than {MAX_DEPTH} levels", Location(path))]
    if root is not None:
        problem = _check_shape(path, root)
        if problem:
            return None, [problem]
        return Document(path, root, text), _remove_controls(path, root, text)
    return Document(path, root, text), []


def _syntax_diagnostic(path: str, exc: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    problem = (exc.problem or "syntax error").strip()
    if "maximum nesting depth" in problem or "exceeded maximum" in problem:
        return Diagnostic("CR004", f"nesting deeper than the YAML parser allows ({problem})", location)
    context = (exc.context or "").strip()
    if "expected a single document" in context:
        return Diagnostic("CR001", "a story file holds one YAML document; remove the extra '---'", location)
    hint, line, col = _explain_syntax_error(exc, text.splitlines())
    if line is not None and col is not None:
        location = Location(path, line, col)
    detail = f"{problem} ({context})" if context else problem
    message = f"{hint} [YAML: {detail}]" if hint else f"YAML syntax error: {detail}"
    return Diagnostic("CR001", message, location)


_KEY_AND_VALUE = re.compile(r"^(\s*(?:- )?[^\s:#][^:#]*?:\s+)(\S)")


def _explain_syntax_error(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[str | None, int | None, int | None]:
    """A newcomer's explanation of a YAML parser error, and a better position where one is known.

    Returns (hint, line, col) with 1-based positions, or Nones where the parser's own words and position
    are the best there is.
    """
    problem = exc.problem or ""
    context = exc.context or ""
    pmark, cmark = exc.problem_mark, exc.context_mark

    def line_text(mark: yaml.Mark | None) -> str:
        return lines[mark.line] if mark is not None and mark.line < len(lines) else ""

    here = line_text(pmark)
    if pmark is not None and ("\t" in here[: pmark.column + 1] or "tab" in problem):
        if "\t" in here:
            return "a tab is used for indentation; YAML needs spaces", pmark.line + 1, here.index("\t") + 1
    if "scanning an alias" in context or "scanning an anchor" in context or "scanning a tag" in context:
        symbol = {"alias": "*", "anchor": "&", "tag": "!"}[context.rsplit(" ", 1)[-1]]
        at = cmark or pmark
        return (
            f"text starting with '{symbol}' must be in quotes, e.g. text: \"{symbol}...\" "
            f"(YAML reads a leading '{symbol}' as special syntax)",
            at.line + 1 if at else None,
            at.column + 1 if at else None,
        )
    if "could not find expected ':'" in problem and cmark is not None:
        return (
            "this line needs ':' after its key (or, if it is text, put it in quotes)",
            cmark.line + 1,
            cmark.column + 1,
        )
    if "mapping values are not allowed" in problem:
        match = _KEY_AND_VALUE.match(here)
        col = len(match.group(1)) + 1 if match else (pmark.column + 1 if pmark else None)
        return (
            "text that contains ': ' must be in quotes, e.g. text: \"Note: ...\"",
            (pmark.line + 1 if pmark else None),
            col,
        )
    if "flow mapping" in context or "flow sequence" in context:
        return "inside { } or [ ], text that contains ': ' or ',' must be in quotes", None, None
    if pmark is not None and "block mapping" in context:
        match = _KEY_AND_VALUE.match(here)
        if match and match.group(2) in "{[" and pmark.column >= len(match.group(1)):
            return (
                f"text starting with '{match.group(2)}' must be in quotes, e.g. text: \"{match.group(2)}...\"",
                pmark.line + 1,
                len(match.group(1)) + 1,
            )
    if "expected '-' indicator" in problem or "expected <block end>" in problem or "expected key" in problem:
        return "check the indentation: keys of one mapping line up, and list items start with '- '", None, None
    return None, None, None


def _check_shape(path: str, root: Node) -> Diagnostic | None:
    """Reject documents nested too deeply, expanded too far by aliases, or using unsafe tags.

    Walks the node graph iteratively; a node reached twice (through an alias) is sized once and counted at
    every use, so the expanded size is known without expanding anything.
    """
    expanded: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            total = 1
            for child in _children(node):
                total += expanded[id(child)]
            expanded[key] = total
            continue
        if key in expanded:
            continue
        if depth > MAX_DEPTH:
            return Diagnostic("CR004", f"nesting deeper than {MAX_DEPTH} levels", node_location(path, node))
        distinct += 1
        if isinstance(node, ScalarNode):
            if node.tag not in _SCALAR_TAGS:
                return Diagnostic(
                    "CR006",
                    f"YAML tag '{node.tag}' is not allowed in a story file",
                    node_location(path, node),
                )
            if node.tag != STR_TAG:
                try:
                    scalar_value(node)
                except (ValueError, OverflowError):
                    return Diagnostic(
                        "CR008",
                        f"the number {node.value[:12]}… ({len(node.value):,} characters) is too long to read; "
                        "put it in quotes if it is text",
                        node_location(path, node),
                    )
            expanded[key] = 1
            continue
        if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            return Diagnostic(
                "CR006", f"YAML tag '{node.tag}' is not allowed in a story file", node_location(path, node)
            )
        expanded[key] = 0  # in progress; a cycle through aliases sizes as zero here and is caught below
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in expanded:
                stack.append((child, depth + 1, False))
    total = expanded[id(root)]
    limit = max(MAX_EXPANSION_FLOOR, distinct * MAX_EXPANSION_FACTOR)
    if total > limit:
        return Diagnostic(
            "CR005",
            f"aliases expand this document to {total:,} nodes from {distinct:,} written ones; "
            "remove the alias chain (anchors '&' and aliases '*')",
            node_location(path, root),
        )
    return None


def _remove_controls(path: str, root: Node, text: str) -> list[Diagnostic]:
    """Remove terminal control characters from every scalar (keys included); one CR007 warning per scalar."""
    warnings: list[Diagnostic] = []
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if not isinstance(node, ScalarNode):
            stack.extend(_children(node))
            continue
        if isinstance(node.value, str) and has_control(node.value):
            warnings.append(
                Diagnostic(
                    "CR007",
                    "control characters (such as ESC, which can start a terminal escape sequence) were removed "
                    "from this text",
                    _control_location(path, node, text),
                    Severity.WARNING,
                )
            )
            node.value = terminal_safe(node.value)
    return warnings


_ESCAPE_LENGTHS = {"x": 2, "u": 4, "U": 8}
_SIMPLE_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "v": "\v", "f": "\f", "r": "\r", "N": "\x85"}


def _control_location(path: str, node: ScalarNode, text: str) -> Location:
    """Where the first control character of a scalar is written in the source: raw, or as a ``\\`` escape."""
    mark = node.start_mark
    line, col = mark.line + 1, mark.column + 1
    index = mark.index
    end = min(node.end_mark.index, len(text))
    while index < end:
        char = text[index]
        width = 1
        produced = char
        if char == "\\" and node.style == '"' and index + 1 < end:
            kind = text[index + 1]
            if kind in _ESCAPE_LENGTHS:
                digits = text[index + 2 : index + 2 + _ESCAPE_LENGTHS[kind]]
                produced = chr(int(digits, 16)) if _is_hex(digits) else ""
                width = 2 + len(digits)
            else:
                produced = _SIMPLE_ESCAPES.get(kind, kind)
                width = 2
        if produced and is_control(produced[0]):
            return Location(path, line, col)
        for consumed in text[index : index + width]:
            if consumed == "\n":
                line, col = line + 1, 1
            else:
                col += 1
        index += width
    return node_location(path, node)


def _is_hex(digits: str) -> bool:
    return bool(digits) and all(c in "0123456789abcdefABCDEF" for c in digits) and int(digits, 16) <= 0x10FFFF


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        out: list[Node] = []
        for key, value in node.value:
            out.append(key)
            out.append(value)
        return out
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


__all__ = [
    "ConstructorError",
    "Document",
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "kind_name",
    "node_location",
    "read_document",
    "scalar_value",
]
