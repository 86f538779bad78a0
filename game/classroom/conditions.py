"""Conditions in words: a story expression rendered for teachers, never as raw code.

``money > 0`` becomes "Envelopes accepted is more than 0" (English) or "“收下的信封”大于 0" (Chinese), using the
variables' labels (else their names, underscores as spaces) and the scenes' titles for ``visits()`` and
``visited()``. The expression's source is parsed with :mod:`ast` (it was compiled by :mod:`game.expr` at
load time, so it is known to be well formed); nothing is evaluated.
"""

from __future__ import annotations

import ast

from game.classroom.i18n import fill, ui_lang
from game.model import Story

_COMPARE = {
    "en": {
        ast.Gt: "is more than",
        ast.GtE: "is at least",
        ast.Lt: "is less than",
        ast.LtE: "is at most",
        ast.Eq: "is",
        ast.NotEq: "is not",
    },
    "zh": {ast.Gt: "大于", ast.GtE: "不少于", ast.Lt: "小于", ast.LtE: "不超过", ast.Eq: "等于", ast.NotEq: "不等于"},
}
_ARITHMETIC = {
    "en": {ast.Add: "plus", ast.Sub: "minus", ast.Mult: "times", ast.FloorDiv: "divided by", ast.Mod: "modulo"},
    "zh": {ast.Add: "加", ast.Sub: "减", ast.Mult: "乘以", ast.FloorDiv: "除以", ast.Mod: "除以后的余数"},
}
_WORDS = {
    "en": {
        "and": " and ",
        "or": " or ",
        "not": "not ({x})",
        "yes": "{x} is yes",
        "no": "{x} is no",
        "always": "always",
        "never": "never",
        "visits": "the number of visits to “{x}”",
        "visited": "“{x}” has been visited",
        "unvisited": "“{x}” has not been visited",
        "open": "(",
        "close": ")",
        "quote": "“{x}”",
        "label": "{x}",
        "space": " ",
    },
    "zh": {
        "and": "并且",
        "or": "或者",
        "not": "并非（{x}）",
        "yes": "{x}为“是”",
        "no": "{x}为“否”",
        "always": "始终",
        "never": "从不",
        "visits": "进入“{x}”的次数",
        "visited": "已经去过“{x}”",
        "unvisited": "还没去过“{x}”",
        "open": "（",
        "close": "）",
        "quote": "“{x}”",
        "label": "“{x}”",
        "space": "",
    },
}


def condition_words(source: str, story: Story, lang: str) -> str:
    """The condition ``source`` in words, in ``lang`` (English or Chinese)."""
    ui = ui_lang(lang)
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:  # pragma: no cover - the loader compiled it already
        return source
    return _Words(story, lang, ui).top(tree)


class _Words:
    """One rendering: the story (for labels and titles) and the languages to write in."""

    def __init__(self, story: Story, lang: str, ui: str) -> None:
        self.story = story
        self.lang = lang
        self.ui = ui
        self.w = _WORDS[ui]

    def top(self, node: ast.expr) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return self.w["always"] if node.value else self.w["never"]
        if isinstance(node, ast.Name) and node.id in ("true", "false"):
            return self.w["always"] if node.id == "true" else self.w["never"]
        return self.say(node)

    def label(self, name: str) -> str:
        variable = self.story.variables.get(name)
        if variable is not None and variable.label is not None:
            shown = variable.label.get(self.lang, self.story.default_language)
        else:
            shown = name.replace("_", " ")
        return fill(self.w["label"], x=shown)

    def group(self, node: ast.expr) -> str:
        """A sub-expression, in brackets when it is itself an ``and``/``or``."""
        said = self.say(node)
        if isinstance(node, ast.BoolOp):
            return f"{self.w['open']}{said}{self.w['close']}"
        return said

    def say(self, node: ast.expr) -> str:
        w = self.w
        if isinstance(node, ast.BoolOp):
            joiner = w["and"] if isinstance(node.op, ast.And) else w["or"]
            return joiner.join(self.group(value) for value in node.values)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            if isinstance(node.operand, ast.Name) and self.is_bool(node.operand.id):
                return fill(w["no"], x=self.label(node.operand.id))
            if isinstance(node.operand, ast.Call) and getattr(node.operand.func, "id", "") == "visited":
                return self.visit_words(node.operand, "unvisited")
            return fill(w["not"], x=self.say(node.operand))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return f"-{self.say(node.operand)}"
        if isinstance(node, ast.Name):
            if node.id in ("true", "false", "True", "False"):
                return self.top(node)
            if self.is_bool(node.id):
                return fill(w["yes"], x=self.label(node.id))
            return self.label(node.id)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return self.top(node)
            if isinstance(node.value, str):
                return fill(w["quote"], x=node.value)
            return str(node.value)
        if isinstance(node, ast.Compare):
            parts = []
            left = node.left
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts.append(self.compare(left, op, right))
                left = right
            return w["and"].join(parts)
        if isinstance(node, ast.BinOp):
            word = _ARITHMETIC[self.ui].get(type(node.op), "?")
            sp = w["space"]
            return f"{self.group(node.left)}{sp}{word}{sp}{self.group(node.right)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args:
            return self.visit_words(node, "visits" if node.func.id == "visits" else "visited")
        return ast.unparse(node)  # pragma: no cover - every allowed node is handled above

    def visit_words(self, call: ast.Call, key: str) -> str:
        arg = call.args[0] if call.args else None
        scene_id = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else "?"
        scene = self.story.scenes.get(scene_id)
        title = scene.title.get(self.lang, self.story.default_language) if scene else scene_id
        return fill(self.w[key], x=title)

    def compare(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> str:
        word = _COMPARE[self.ui].get(type(op), "?")
        if self.ui == "zh":
            return f"{self.say(left)}{word}{self.say(right)}"
        return f"{self.say(left)} {word} {self.say(right)}"

    def is_bool(self, name: str) -> bool:
        variable = self.story.variables.get(name)
        return variable is not None and variable.type == "bool"
