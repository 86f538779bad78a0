"""The explorer's state abstraction: which parts of an engine state can change what happens next.

An engine :class:`~game.engine.State` carries the visit count of every scene, which grows without bound in a
story with loops. Only the scenes that choice conditions and effects actually pass to ``visits()`` /
``visited()`` matter, and for most of them only up to a point: when every expression that reads a scene's
visits compares it against constants no larger than ``k``, counts above ``k`` behave alike and are capped at
``k + 1``. A scene whose visit count is assigned into a variable (or used in arithmetic) is kept exact.
Variables and used once-only choices are kept as they are.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from game.engine import State
from game.expr import Expr
from game.model import Story

Key = tuple[str, tuple[object, ...], tuple[int, ...], frozenset[tuple[str, int]]]


def story_exprs(story: Story, text: bool = False) -> Iterator[tuple[Expr, bool]]:
    """Every expression that can change what happens next, with True for effects (assignments).

    With ``text=True`` also the conditions of text blocks, which change only what is read (lesson timing).
    """
    for scene in story.scenes.values():
        if text:
            for block in scene.blocks:
                if block.condition is not None:
                    yield block.condition, False
        for effect in scene.on_enter:
            yield effect.expr, True
        for choice in scene.choices:
            if choice.condition is not None:
                yield choice.condition, False
            for effect in choice.effects:
                yield effect.expr, True


def _visit_cap(expr: Expr) -> int | None:
    """The cap for visit counts read by ``expr``: None when the exact count matters."""
    try:
        tree = ast.parse(expr.source.strip(), mode="eval")
    except SyntaxError:  # pragma: no cover - the loader compiled it already
        return None
    largest = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp | ast.UnaryOp) and _mentions_visits(node):
            return None  # arithmetic on a visit count: keep it exact
        if isinstance(node, ast.Compare) and _mentions_visits(node) and _mentions_variable(node):
            return None  # a visit count compared with a variable: keep it exact
        if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
            largest = max(largest, abs(node.value))
    return largest + 1


def _mentions_visits(node: ast.AST) -> bool:
    return any(
        isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id == "visits"
        for sub in ast.walk(node)
    )


def _mentions_variable(node: ast.AST) -> bool:
    return any(
        isinstance(sub, ast.Name) and sub.id not in ("visits", "visited", "true", "false", "True", "False")
        for sub in ast.walk(node)
    )


@dataclass(frozen=True, slots=True)
class Abstraction:
    """How to fold an engine state into a finite key: the tracked scenes and their visit caps."""

    var_names: tuple[str, ...]
    tracked: tuple[str, ...]
    caps: tuple[int | None, ...]

    @classmethod
    def of(cls, story: Story, text: bool = False) -> Abstraction:
        """The abstraction for ``story``, from the expressions it contains (and its text's, with ``text``)."""
        caps: dict[str, int | None] = {}
        for expr, is_effect in story_exprs(story, text):
            if not expr.scene_refs:
                continue
            cap = None if is_effect else _visit_cap(expr)
            for scene in expr.scene_refs:
                if scene in caps and (caps[scene] is None or cap is None):
                    caps[scene] = None
                else:
                    caps[scene] = cap if scene not in caps else max(caps[scene], cap)  # type: ignore[type-var]
        tracked = tuple(sorted(caps))
        return cls(tuple(story.variables), tracked, tuple(caps[s] for s in tracked))

    def canonical(self, state: State) -> State:
        """``state`` with untracked visit counts dropped and tracked ones capped."""
        visits = {}
        for scene, cap in zip(self.tracked, self.caps, strict=True):
            count = state.visits.get(scene, 0)
            if count:
                visits[scene] = count if cap is None else min(count, cap)
        return State(state.scene, state.vars, visits, state.used)

    def key(self, state: State) -> Key:
        """A hashable key equal for states that behave alike from here on (``state`` must be canonical)."""
        values = tuple(state.vars[name] for name in self.var_names)
        visits = tuple(state.visits.get(scene, 0) for scene in self.tracked)
        return (state.scene, values, visits, state.used)
