"""The story expression language: safe, typed, compiled once at load time.

Expressions use Python's syntax, parsed with :mod:`ast` and then compiled, node by node from a whitelist,
into small closures. There is no ``eval`` or ``exec``: a node outside the whitelist (attribute access,
subscripts, lambdas, comprehensions, arbitrary calls...) is an error at load time.

Allowed: declared variable names; integer and string literals; ``true``/``false``; ``+ - * // %``;
comparisons (chains included); ``and or not``; parentheses; and the story functions ``visits("scene")``
(how many times a scene was entered) and ``visited("scene")``. ``and``/``or``/``not`` take booleans only.
Integer division or remainder by zero gives 0, so no story can crash at run time. Values stay bounded:
arithmetic is clamped to ±10^12 (:data:`INT_LIMIT`) and text built with ``+`` is cut to 1,000 characters
(:data:`STRING_LIMIT`), so no loop can grow a value, a save or the explorer's state without bound.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

Value = bool | int | str
TYPE_NAMES = ("bool", "int", "str")
FUNCTIONS = {"visits": "int", "visited": "bool"}
RESERVED = frozenset({"true", "false", "and", "or", "not", "visits", "visited", "True", "False", "None"})
MAX_SOURCE_LENGTH = 2000
MAX_NODES = 500


class Env(Protocol):
    """What an expression reads while it runs: variable values and scene visit counts."""

    @property
    def vars(self) -> Mapping[str, Value]: ...

    @property
    def visits(self) -> Mapping[str, int]: ...


class ExprError(Exception):
    """A problem in an expression; ``offset`` is the 0-based column within the expression text."""

    def __init__(self, code: str, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset


@dataclass(frozen=True, slots=True, eq=False)
class Expr:
    """A compiled expression: its source, its static type, and the closure that evaluates it."""

    source: str
    type: str
    run: Callable[[Env], Value] = field(repr=False)
    names: frozenset[str] = frozenset()
    scene_refs: frozenset[str] = frozenset()

    def __call__(self, env: Env) -> Value:
        return self.run(env)


def type_of(value: object) -> str | None:
    """The expression type of a Python value, or None if it has none."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, str):
        return "str"
    return None


def compile_expr(
    source: str,
    variables: Mapping[str, str],
    scenes: Mapping[str, object] | None = None,
    expected: str | None = None,
) -> Expr:
    """Parse, check and compile ``source``.

    ``variables`` maps declared names to type names; ``scenes`` (if given) is used to check the scene ids
    passed to ``visits``/``visited``; ``expected`` is the type the caller needs. Raises :class:`ExprError`.
    """
    if len(source) > MAX_SOURCE_LENGTH:
        raise ExprError("CR030", f"expression is longer than {MAX_SOURCE_LENGTH} characters")
    stripped = source.strip()
    if not stripped:
        raise ExprError("CR030", "expression is empty")
    lead = len(source) - len(source.lstrip())
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        offset = min(max((exc.offset or 1) - 1, 0), len(stripped)) + lead
        hint = _syntax_hint(stripped)
        if hint is not None:
            message, position = hint
            raise ExprError("CR030", message, position + lead) from None
        raise ExprError("CR030", f"expression syntax error: {exc.msg}", offset) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("CR030", "expression is too deeply nested") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise ExprError("CR030", f"expression has more than {MAX_NODES} parts; split it up")
    compiler = _Compiler(variables, scenes, lead)
    try:
        run, kind = compiler.compile(tree.body)
    except RecursionError:
        raise ExprError("CR030", "expression is too deeply nested") from None
    if expected is not None and kind != expected:
        hint = " (compare it, e.g. 'x > 0')" if expected == "bool" and kind == "int" else ""
        raise ExprError("CR032", f"expected {_type_word(expected)} here, got {_type_word(kind)}{hint}", lead)
    return Expr(source, kind, run, frozenset(compiler.names), frozenset(compiler.scene_refs))


_SYNTAX_HINTS = (
    (re.compile(r"&&"), "write 'and' instead of '&&'"),
    (re.compile(r"\|\|"), "write 'or' instead of '||'"),
    (re.compile(r"!(?!=)"), "write 'not' instead of '!'"),
    (re.compile(r"(?<![=!<>])=(?!=)"), "use '==' to compare ('=' is not allowed in expressions)"),
)


def _syntax_hint(source: str) -> tuple[str, int] | None:
    """A precise message for the syntax slips authors from other languages make, with its offset."""
    for pattern, message in _SYNTAX_HINTS:
        found = pattern.search(source)
        if found:
            return message, found.start()
    return None


def _type_word(kind: str) -> str:
    return {"bool": "true/false", "int": "a whole number", "str": "text"}.get(kind, kind)


_Compiled = tuple[Callable[[Env], Value], str]


def _safe_floordiv(a: int, b: int) -> int:
    return a // b if b else 0


def _safe_mod(a: int, b: int) -> int:
    return a % b if b else 0


_ARITH: dict[type, tuple[str, Callable[[int, int], int]]] = {
    ast.Add: ("+", lambda a, b: a + b),
    ast.Sub: ("-", lambda a, b: a - b),
    ast.Mult: ("*", lambda a, b: a * b),
    ast.FloorDiv: ("//", _safe_floordiv),
    ast.Mod: ("%", _safe_mod),
}
_COMPARE: dict[type, tuple[str, Callable[[Value, Value], bool]]] = {
    ast.Eq: ("==", lambda a, b: a == b),
    ast.NotEq: ("!=", lambda a, b: a != b),
    ast.Lt: ("<", lambda a, b: a < b),  # type: ignore[operator]
    ast.LtE: ("<=", lambda a, b: a <= b),  # type: ignore[operator]
    ast.Gt: (">", lambda a, b: a > b),  # type: ignore[operator]
    ast.GtE: (">=", lambda a, b: a >= b),  # type: ignore[operator]
}
_OPERATOR_SYMBOLS = {
    "Pow": "**",
    "Div": "/",
    "MatMult": "@",
    "LShift": "<<",
    "RShift": ">>",
    "BitOr": "|",
    "BitAnd": "&",
    "BitXor": "^",
}
INT_LIMIT = 10**12
"""Integers built by arithmetic are clamped to [-INT_LIMIT, INT_LIMIT]."""
STRING_LIMIT = 1000
"""Text built by expressions (``+`` on text) keeps its first STRING_LIMIT characters; the rest is cut."""
_INT_LIMIT = INT_LIMIT


def _clamp_int(value: int) -> int:
    """Keep arithmetic in a sane range so hostile expressions cannot build huge integers."""
    return max(-_INT_LIMIT, min(_INT_LIMIT, value))


def cap_string(value: str) -> str:
    """Text cut to :data:`STRING_LIMIT` characters, so a story cannot grow a string without bound."""
    return value if len(value) <= STRING_LIMIT else value[:STRING_LIMIT]


def bounded(value: Value) -> Value:
    """A value within the language's limits: ints clamped to :data:`INT_LIMIT`, text cut to :data:`STRING_LIMIT`."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return _clamp_int(value)
    if isinstance(value, str):
        return cap_string(value)
    return value


class _Compiler:
    """Turns a whitelisted AST into closures, checking types as it goes."""

    def __init__(self, variables: Mapping[str, str], scenes: Mapping[str, object] | None, lead: int) -> None:
        self.variables = variables
        self.scenes = scenes
        self.lead = lead
        self.names: set[str] = set()
        self.scene_refs: set[str] = set()

    def fail(self, code: str, message: str, node: ast.AST) -> ExprError:
        return ExprError(code, message, getattr(node, "col_offset", 0) + self.lead)

    def compile(self, node: ast.AST) -> _Compiled:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.fail("CR034", f"{_describe(node)} is not allowed in story expressions", node)
        return method(node)

    def _Constant(self, node: ast.Constant) -> _Compiled:
        value = node.value
        kind = type_of(value)
        if kind is None:
            raise self.fail(
                "CR034", f"the literal {value!r} is not allowed (use whole numbers, text, true/false)", node
            )
        return (lambda env: value), kind

    def _Name(self, node: ast.Name) -> _Compiled:
        name = node.id
        if name in ("true", "True"):
            return (lambda env: True), "bool"
        if name in ("false", "False"):
            return (lambda env: False), "bool"
        kind = self.variables.get(name)
        if kind is None:
            from game.diagnostics import did_you_mean

            raise self.fail("CR031", f"unknown variable '{name}'{did_you_mean(name, self.variables)}", node)
        self.names.add(name)
        return (lambda env: env.vars[name]), kind

    def _UnaryOp(self, node: ast.UnaryOp) -> _Compiled:
        operand, kind = self.compile(node.operand)
        if isinstance(node.op, ast.Not):
            self.expect(kind, "bool", node.operand, "'not'")
            return (lambda env: not operand(env)), "bool"
        if isinstance(node.op, ast.USub):
            self.expect(kind, "int", node.operand, "'-'")
            return (lambda env: -operand(env)), "int"  # type: ignore[operator]
        if isinstance(node.op, ast.UAdd):
            self.expect(kind, "int", node.operand, "'+'")
            return operand, "int"
        raise self.fail("CR034", "the '~' operator is not allowed", node)

    def _BoolOp(self, node: ast.BoolOp) -> _Compiled:
        parts = []
        word = "'and'" if isinstance(node.op, ast.And) else "'or'"
        for value in node.values:
            run, kind = self.compile(value)
            self.expect(kind, "bool", value, word)
            parts.append(run)
        if isinstance(node.op, ast.And):
            return (lambda env: all(part(env) for part in parts)), "bool"
        return (lambda env: any(part(env) for part in parts)), "bool"

    def _BinOp(self, node: ast.BinOp) -> _Compiled:
        entry = _ARITH.get(type(node.op))
        if entry is None:
            symbol = _OPERATOR_SYMBOLS.get(type(node.op).__name__, type(node.op).__name__)
            raise self.fail("CR034", f"the operator '{symbol}' is not allowed (use + - * // %)", node)
        symbol, op = entry
        left, left_kind = self.compile(node.left)
        right, right_kind = self.compile(node.right)
        if symbol == "+" and left_kind == "str" and right_kind == "str":
            return (lambda env: cap_string(left(env) + right(env))), "str"  # type: ignore[operator]
        self.expect(left_kind, "int", node.left, f"'{symbol}'")
        self.expect(right_kind, "int", node.right, f"'{symbol}'")
        return (lambda env: _clamp_int(op(left(env), right(env)))), "int"  # type: ignore[arg-type]

    def _Compare(self, node: ast.Compare) -> _Compiled:
        operands = [self.compile(node.left), *(self.compile(c) for c in node.comparators)]
        nodes = [node.left, *node.comparators]
        checks = []
        for i, op_node in enumerate(node.ops):
            entry = _COMPARE.get(type(op_node))
            if entry is None:
                raise self.fail("CR034", "only == != < <= > >= comparisons are allowed", node)
            symbol, op = entry
            (_, left_kind), (_, right_kind) = operands[i], operands[i + 1]
            if left_kind != right_kind:
                hint = ""
                if "bool" in (left_kind, right_kind):
                    hint = " (test a true/false value directly: 'flag' or 'not flag')"
                raise self.fail(
                    "CR032",
                    f"cannot compare {_type_word(left_kind)} with {_type_word(right_kind)} using '{symbol}'{hint}",
                    nodes[i + 1],
                )
            if symbol not in ("==", "!=") and left_kind == "bool":
                raise self.fail("CR032", f"'{symbol}' needs numbers or text, not true/false", nodes[i])
            checks.append(op)
        runs = [run for run, _ in operands]

        def compare(env: Env) -> bool:
            left = runs[0](env)
            for index, check in enumerate(checks):
                right = runs[index + 1](env)
                if not check(left, right):
                    return False
                left = right
            return True

        return compare, "bool"

    def _Call(self, node: ast.Call) -> _Compiled:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else _describe(node.func)
            from game.diagnostics import did_you_mean

            raise self.fail("CR033", f"unknown function '{name}'{did_you_mean(str(name), FUNCTIONS)}", node)
        name = node.func.id
        arg = node.args[0] if len(node.args) == 1 else None
        if node.keywords or not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
            raise self.fail("CR033", f'{name}() takes one scene id in quotes, like {name}("intro")', node)
        scene = arg.value
        if self.scenes is not None and scene not in self.scenes:
            from game.diagnostics import did_you_mean

            raise self.fail("CR020", f"{name}() names unknown scene '{scene}'{did_you_mean(scene, self.scenes)}", arg)
        self.scene_refs.add(scene)
        if name == "visits":
            return (lambda env: env.visits.get(scene, 0)), "int"
        return (lambda env: env.visits.get(scene, 0) > 0), "bool"

    def expect(self, kind: str, wanted: str, node: ast.AST, where: str) -> None:
        if kind != wanted:
            raise self.fail("CR032", f"{where} needs {_type_word(wanted)}, got {_type_word(kind)}", node)


def _describe(node: ast.AST) -> str:
    names = {
        "Attribute": "attribute access ('.')",
        "Subscript": "indexing ('[...]')",
        "Lambda": "lambda",
        "ListComp": "a list comprehension",
        "List": "a list",
        "Dict": "a dict",
        "Tuple": "a tuple",
        "Set": "a set",
        "IfExp": "an 'x if c else y' expression",
        "NamedExpr": "':='",
        "JoinedStr": "an f-string",
        "Starred": "'*'",
        "Await": "await",
        "Yield": "yield",
        "GeneratorExp": "a generator",
    }
    return names.get(type(node).__name__, type(node).__name__)
