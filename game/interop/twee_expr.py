"""Expressions between Crossroads and the Twine story formats, both ways, for the simple cases.

Import: :func:`to_crossroads` reads a Harlowe, SugarCube or Chapbook (JavaScript) expression token by token
and writes the Crossroads expression, or returns None when a token has no Crossroads meaning (Harlowe's
``contains``, SugarCube temporary ``_variables``, function calls other than ``visited()``...). Export:
:func:`from_crossroads` writes a compiled Crossroads expression in the target format's syntax, or None
(integer division, remainder, and ``visits()`` in Harlowe and Chapbook). Both are linear in the length of
their input; tokens are read with one ``re.Match`` at a time, never a backtracking pattern.
"""

from __future__ import annotations

import ast
import json
import re

FORMATS = ("harlowe", "sugarcube", "chapbook")
_TOKEN = re.compile(
    r"\s+|(?P<str>\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')|(?P<num>\d+)"
    r"|(?P<var>[$_][A-Za-z_]\w*)|(?P<word>[A-Za-z]\w*)|(?P<op>===|!==|==|!=|>=|<=|&&|\|\||\+=|-=|[-+*/%<>!=(),])"
)
_WORDS = {
    "harlowe": {"is": "==", "and": "and", "or": "or", "not": "not", "true": "true", "false": "false"},
    "sugarcube": {
        "is": "==",
        "isnot": "!=",
        "eq": "==",
        "neq": "!=",
        "gt": ">",
        "gte": ">=",
        "lt": "<",
        "lte": "<=",
        "and": "and",
        "or": "or",
        "not": "not",
        "true": "true",
        "false": "false",
    },
    "chapbook": {"true": "true", "false": "false"},
}
_OPS = {
    "===": "==",
    "==": "==",
    "!==": "!=",
    "!=": "!=",
    "&&": "and",
    "||": "or",
    "!": "not",
    ">=": ">=",
    "<=": "<=",
    ">": ">",
    "<": "<",
    "+": "+",
    "-": "-",
    "*": "*",
    "(": "(",
    ")": ")",
}
_FUNCTIONS = {
    "sugarcube": {"visited": "visits", "hasVisited": "visited"},
    "harlowe": {"visits": "visits", "visited": "visited"},
}
_HARLOWE_VISITED = re.compile(r"\(history:\)\s*contains\s*(\"(?:[^\"\\\n]|\\.)*\")")
_HARLOWE_VISITS = re.compile(r"\(count:\s*\(history:\)\s*,\s*(\"(?:[^\"\\\n]|\\.)*\")\s*\)")


def tokens(source: str) -> list[tuple[str, str]] | None:
    """(kind, text) tokens of a format expression, or None if a character has no token."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            return None
        pos = match.end()
        if match.lastgroup:
            out.append((match.lastgroup, match.group(match.lastgroup)))
    return out


def string_value(literal: str) -> str:
    """The value of a quoted string token (backslash escapes kept simple: ``\\x`` is ``x``)."""
    body = literal[1:-1]
    out = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            i += 1
        out.append(body[i])
        i += 1
    return "".join(out)


def variable_name(token: str, fmt: str) -> str | None:
    """The Crossroads name of a format variable token (``$gold`` → ``gold``), or None for temporaries."""
    if fmt == "chapbook":
        return token if token[0] not in "$_" else None
    return token[1:] if token.startswith("$") else None


def to_crossroads(source: str, fmt: str, scene_ids: dict[str, str] | None = None, it: str | None = None) -> str | None:
    """The Crossroads form of a format expression, or None when it does not map.

    ``it`` is the variable a Harlowe ``(set: $x to it + 1)`` is assigning (Harlowe's ``it``).
    """
    if fmt == "harlowe" and "(history:)" in source:
        source = _HARLOWE_VISITS.sub(r"visits(\1)", _HARLOWE_VISITED.sub(r"visited(\1)", source))
    found = tokens(source)
    if not found:
        return None
    words = _WORDS.get(fmt, {})
    functions = _FUNCTIONS.get(fmt, {})
    out: list[str] = []
    i = 0
    while i < len(found):
        kind, text = found[i]
        nxt = found[i + 1] if i + 1 < len(found) else ("", "")
        if kind == "str":
            out.append(json.dumps(string_value(text), ensure_ascii=False))
        elif kind == "num":
            out.append(text)
        elif kind == "var" or (kind == "word" and fmt == "chapbook" and text not in words):
            if kind == "word" and nxt == ("op", "("):
                return None
            name = variable_name(text, fmt)
            if name is None:
                return None
            out.append(name)
        elif kind == "word" and text in functions and nxt == ("op", "("):
            call = _call(found, i, functions[text], scene_ids)
            if call is None:
                return None
            out.append(call)
            i += 4
            continue
        elif kind == "word" and text == "it" and fmt == "harlowe" and it:
            out.append(it)
        elif kind == "word" and text in words:
            if fmt == "harlowe" and text == "is" and nxt == ("word", "not"):
                out.append("!=")
                i += 2
                continue
            out.append(words[text])
        elif kind == "op" and text in _OPS:
            out.append(_OPS[text])
        else:
            return None
        i += 1
    return _join(out)


def _call(found: list[tuple[str, str]], i: int, name: str, scene_ids: dict[str, str] | None) -> str | None:
    """``visited("Passage")`` and friends, with the passage name turned into its scene id."""
    if i + 3 >= len(found) or found[i + 2][0] != "str" or found[i + 3] != ("op", ")"):
        return None
    passage = string_value(found[i + 2][1])
    scene = (scene_ids or {}).get(passage)
    return None if scene is None else f"{name}({json.dumps(scene)})"


def _join(parts: list[str]) -> str:
    text = " ".join(parts)
    return text.replace("( ", "(").replace(" )", ")")


def split_top(source: str, separator: str = ",") -> list[str]:
    """Split at top-level separators (outside strings and parentheses), in one pass."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    i = 0
    while i < len(source):
        char = source[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    parts.append(source[start:])
    return [part.strip() for part in parts if part.strip()]


def assignment(source: str, fmt: str, scene_ids: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(variable, Crossroads expression) of one Harlowe/SugarCube assignment (``$x to 1``, ``$x += 2``...)."""
    found = tokens(source)
    if not found or len(found) < 2 or found[0][0] != "var":
        if found and len(found) >= 3 and fmt == "harlowe" and found[-2] == ("word", "into") and found[-1][0] == "var":
            name = variable_name(found[-1][1], fmt)
            value = to_crossroads(source[: source.rfind("into")], fmt, scene_ids)
            return (name, value) if name and value else None
        return None
    name = variable_name(found[0][1], fmt)
    if name is None:
        return None
    operator = found[1][1]
    rest = source[source.find(operator, len(found[0][1])) + len(operator) :]
    if found[1] in (("word", "to"), ("op", "=")):
        value = to_crossroads(rest, fmt, scene_ids, it=name)
    elif found[1] in (("op", "+="), ("op", "-=")):
        inner = to_crossroads(rest, fmt, scene_ids)
        simple = inner is not None and len(tokens(inner) or []) == 1
        value = None if inner is None else f"{name} {operator[0]} {inner if simple else f'({inner})'}"
    else:
        return None
    return (name, value) if value else None


# -- export ---------------------------------------------------------------------------------------------

_HARLOWE_COMPARE = {ast.Eq: "is", ast.NotEq: "is not", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_SUGAR_COMPARE = {ast.Eq: "is", ast.NotEq: "isnot", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_JS_COMPARE = {ast.Eq: "===", ast.NotEq: "!==", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}


class _Unsupported(Exception):
    """The expression uses something the target format cannot say."""


def from_crossroads(source: str, fmt: str) -> str | None:
    """A Crossroads expression in Harlowe, SugarCube or Chapbook syntax, or None when it does not carry."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
        return _emit(tree, fmt)[0]
    except (SyntaxError, _Unsupported, RecursionError):
        return None


_PRECEDENCE = {ast.Or: 1, ast.And: 2, ast.Not: 3, ast.Add: 5, ast.Sub: 5, ast.Mult: 6, ast.USub: 7}


def _wrap(child: tuple[str, int], least: int) -> str:
    """The child's text, in parentheses when it binds less tightly than ``least``."""
    return child[0] if child[1] >= least else f"({child[0]})"


def _emit(node: ast.AST, fmt: str) -> tuple[str, int]:
    """(text, precedence) of ``node`` in the target format."""
    js = fmt == "chapbook"
    if isinstance(node, ast.Constant) and isinstance(node.value, bool | int | str):
        if isinstance(node.value, bool):
            return ("true" if node.value else "false"), 9
        return (json.dumps(node.value, ensure_ascii=False) if isinstance(node.value, str) else str(node.value)), 9
    if isinstance(node, ast.Name):
        if node.id in ("true", "false"):
            return node.id, 9
        return (node.id if js else f"${node.id}"), 9
    if isinstance(node, ast.BoolOp):
        level = _PRECEDENCE[type(node.op)]
        word = {ast.And: "&&" if js else "and", ast.Or: "||" if js else "or"}[type(node.op)]
        return f" {word} ".join(_wrap(_emit(value, fmt), level + 1) for value in node.values), level
    if isinstance(node, ast.UnaryOp) and type(node.op) in _PRECEDENCE:
        level = _PRECEDENCE[type(node.op)]
        sign = ("!" if js else "not ") if isinstance(node.op, ast.Not) else "-"
        return sign + _wrap(_emit(node.operand, fmt), 8), level
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        level = _PRECEDENCE[type(node.op)]
        left = _wrap(_emit(node.left, fmt), level)
        return f"{left} {_ARITH[type(node.op)]} {_wrap(_emit(node.right, fmt), level + 1)}", level
    if isinstance(node, ast.Compare):
        table = {"harlowe": _HARLOWE_COMPARE, "sugarcube": _SUGAR_COMPARE}.get(fmt, _JS_COMPARE)
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if type(op) not in table:
                raise _Unsupported
            parts.append(f"{_wrap(_emit(left, fmt), 5)} {table[type(op)]} {_wrap(_emit(right, fmt), 5)}")
            left = right
        if len(parts) == 1:
            return parts[0], 4
        return (" && " if js else " and ").join(parts), 2
    if isinstance(node, ast.Call) and fmt == "harlowe" and isinstance(node.func, ast.Name) and _one_string(node):
        passage = json.dumps(node.args[0].value, ensure_ascii=False)  # type: ignore[attr-defined]
        if node.func.id == "visited":
            return f"(history:) contains {passage}", 4
        return f"(count: (history:), {passage})", 9
    if isinstance(node, ast.Call) and fmt == "sugarcube" and isinstance(node.func, ast.Name):
        name = {"visits": "visited", "visited": "hasVisited"}.get(node.func.id)
        if name and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
            return f"{name}({json.dumps(node.args[0].value, ensure_ascii=False)})", 9
    raise _Unsupported


def _one_string(node: ast.Call) -> bool:
    return len(node.args) == 1 and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
