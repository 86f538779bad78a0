"""Story-format recognition: what a Harlowe, SugarCube or Chapbook passage says, as a list of pieces.

Each reader walks one passage's text once (linear time: tokens are found with ``re.search`` on patterns
that cannot backtrack, closers with ``str.find``; a closer that is missing once is never searched for
again) and returns :class:`Piece` s in order: text, choices (with their condition and effects), on-enter
assignments, variable prints, and notes about what could not be mapped (kept as text). Conditions and
assignments are already Crossroads expressions (see :mod:`game.interop.twee_expr`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from game.interop.twee_expr import assignment, split_top, string_value, to_crossroads, tokens, variable_name

_ASSIGNED = re.compile(r"\$([A-Za-z_]\w*)\s*(?:to\b|[-+*/]?=(?!=))|\binto\s+\$([A-Za-z_]\w*)")
"""A variable being assigned in Harlowe or SugarCube code: ``$a to``, ``$a =``, ``$a += ``, ``into $a``."""

LINK_OPEN = "\x00"
"""Marks the start of a link's text kept inline in scene text (control characters never survive parsing)."""
LINK_CLOSE = "\x01"
MAX_NESTING = 40
"""Hooks and container macros nested deeper than this are read as text (nobody writes 40 levels by hand)."""


@dataclass(slots=True)
class Piece:
    """One thing a passage says. ``kind``: text, choice, set, var, note, back, restart, embed, or lost (a
    variable changed by an assignment that does not carry over)."""

    kind: str
    offset: int
    text: str = ""
    target: str = ""
    condition: str | None = None
    effects: list[tuple[str, str]] = field(default_factory=list)
    note: str = ""


@dataclass(slots=True)
class _Context:
    """What a reader knows while it walks: the format, passage names, and the condition in force."""

    fmt: str
    names: set[str]
    scene_ids: dict[str, str]
    pieces: list[Piece] = field(default_factory=list)

    def text(self, text: str, offset: int, condition: str | None) -> None:
        if text:
            self.pieces.append(Piece("text", offset, text=text, condition=condition))

    def note(self, kind: str, offset: int, raw: str, condition: str | None) -> None:
        """Something that does not map: reported by kind, and kept as text."""
        self.pieces.append(Piece("note", offset, note=f"{kind} kept as text"))
        self.text(raw, offset, condition)

    def choice(self, say: str, target: str, offset: int, condition: str | None, effects=(), inline=False) -> None:
        if is_url(target):  # a link to a web page is text, not a passage
            self.text(say, offset, condition)
            return
        self.pieces.append(Piece("choice", offset, text=say, target=target, condition=condition, effects=list(effects)))
        if inline:
            self.text(LINK_OPEN + say + LINK_CLOSE, offset, condition)

    def expr(self, source: str) -> str | None:
        return to_crossroads(source, self.fmt, self.scene_ids)

    def lost(self, source: str, offset: int) -> None:
        """The variables an assignment that does not carry over would change: conditions on them cannot be
        trusted any more (see ``lost`` pieces in :mod:`game.interop.twee_import`)."""
        for match in _ASSIGNED.finditer(source):
            name = match.group(1) or match.group(2)
            self.pieces.append(Piece("lost", offset, text=name))

    def assignments(self, source: str) -> list[tuple[str, str]] | None:
        out = []
        parts = split_top(source, ";") if self.fmt == "sugarcube" else [source]
        for part in (piece for chunk in parts for piece in split_top(chunk)):
            found = assignment(part, self.fmt, self.scene_ids)
            if found is None:
                return None
            out.append(found)
        return out or None


def parse_link(inner: str) -> tuple[str, str, str | None]:
    """(text, target, setter) of a ``[[...]]`` link's inside, by Twine 2's rules, in linear time.

    ``[[text|target][setter]]``: the setter follows ``][``. The leftmost ``<-`` divides ``target<-text``;
    else the rightmost ``->`` divides ``text->target``; else the rightmost ``|`` divides ``text|target``.
    """
    setter = None
    cut = inner.find("][")
    if cut >= 0:
        setter = inner[cut + 2 :].removesuffix("]")
        inner = inner[:cut]
    left = inner.find("<-")
    if left >= 0:
        return inner[left + 2 :].strip(), inner[:left].strip(), setter
    right = inner.rfind("->")
    if right >= 0:
        return inner[:right].strip(), inner[right + 2 :].strip(), setter
    bar = inner.rfind("|")
    if bar >= 0:
        return inner[:bar].strip(), inner[bar + 1 :].strip(), setter
    return inner.strip(), inner.strip(), setter


def parse_sugarcube_link(inner: str) -> tuple[str, str, str | None]:
    """(text, target, setter) of a SugarCube ``[[...]]`` link's inside, by SugarCube's own rules.

    SugarCube takes the *first* ``|``, ``->`` or ``<-`` outside double quotes, so a quoted component may
    hold them: ``[["Shop | Home"]]`` goes to the passage ``Shop | Home`` (see :func:`sugarcube_component`).
    One pass over the text.
    """
    setter = None
    quoted = False
    delimiter: tuple[int, int, bool] | None = None  # (start, end, target first)
    core = inner
    for pos, char in enumerate(inner):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "]" and inner.startswith("[", pos + 1):
            core, setter = inner[:pos], inner[pos + 2 :].removesuffix("]")
            break
        elif delimiter is not None:
            continue
        elif char == "|":
            delimiter = (pos, pos + 1, False)
        elif char in "-<" and inner.startswith(">" if char == "-" else "-", pos + 1):
            delimiter = (pos, pos + 2, char == "<")
    if delimiter is None:
        text = target = core
    elif delimiter[2]:
        target, text = core[: delimiter[0]], core[delimiter[1] :]
    else:
        text, target = core[: delimiter[0]], core[delimiter[1] :]
    return text.strip(), target.strip(), setter


def sugarcube_component(component: str, names: set[str] | None = None) -> str:
    """A SugarCube link component as SugarCube reads it: a passage name as written when there is such a
    passage (names may hold quotes), else a component written as one double-quoted string is its value."""
    if names is not None and component in names:
        return component
    if len(component) >= 2 and component[0] == component[-1] == '"' and '"' not in component[1:-1]:
        return string_value(component)
    return component


def is_url(target: str) -> bool:
    """True for a link to a web page (``https://…``, ``mailto:``), which is not a passage."""
    head = target[:12].lower()
    return "://" in target[:16] or head.startswith(("mailto:", "www."))


def _simple(condition: str) -> bool:
    return " " not in condition or (condition.startswith("not ") and " " not in condition[4:])


def _not(condition: str | None) -> str | None:
    if condition is None:
        return None
    if condition.startswith("not ") and _simple(condition):
        return condition[4:]
    return f"not {condition}" if _simple(condition) else f"not ({condition})"


def _none_of(conditions: list[str]) -> str | None:
    """True when none of ``conditions`` holds (None when there are none)."""
    guard = None
    for condition in conditions:
        guard = _both(guard, _not(condition))
    return guard


def _both(outer: str | None, inner: str | None) -> str | None:
    if outer is None:
        return inner
    if inner is None:
        return outer
    wrap = [part if " or " not in part else f"({part})" for part in (outer, inner)]
    return f"{wrap[0]} and {wrap[1]}"


def _link_piece(ctx: _Context, inner: str, offset: int, condition: str | None, inline: bool) -> None:
    if ctx.fmt == "sugarcube":
        say, target, setter = parse_sugarcube_link(inner)
        say, target = sugarcube_component(say), sugarcube_component(target, ctx.names)
    else:
        say, target, setter = parse_link(inner)
    effects: list[tuple[str, str]] = []
    if setter is not None:
        mapped = ctx.assignments(setter)
        if mapped is None:
            note = f"setter link [[…][{setter.strip()[:40]}]] left out (it has no Crossroads 'set')"
            ctx.lost(setter, offset)
            ctx.pieces.append(Piece("note", offset, note=note))
        else:
            effects = mapped
    ctx.choice(say or target, target, offset, condition, effects, inline=inline)


@dataclass(slots=True)
class _Scan:
    """A reading position in a passage's text, and the closers known to be missing (never searched for again)."""

    text: str
    pos: int = 0
    missing: set[str] = field(default_factory=set)

    def next_token(self, pattern: re.Pattern[str], current: list) -> re.Match[str] | None:
        """The next token, after adding the text before it to ``current`` (all the rest when there is none)."""
        match = pattern.search(self.text, self.pos)
        current.append(self.text[self.pos : len(self.text) if match is None else match.start()])
        self.pos = len(self.text) if match is None else match.end()
        return match

    def until(self, closer: str) -> str | None:
        """The text up to the next ``closer``, moving past it; None (and remembered) when there is none."""
        close = -1 if closer in self.missing else self.text.find(closer, self.pos)
        if close < 0:
            self.missing.add(closer)
            return None
        inner = self.text[self.pos : close]
        self.pos = close + len(closer)
        return inner


def _link_or_variable(ctx: _Context, item: tuple[str, str, int], condition: str | None) -> None:
    """A ``("link", inner, offset)`` or ``("var", "$name", offset)`` token of a Harlowe or SugarCube tree."""
    kind, text, offset = item
    if kind == "link":
        _link_piece(ctx, text, offset, condition, inline=True)
        return
    name = variable_name(text, ctx.fmt)
    if name:
        ctx.pieces.append(Piece("var", offset, text=name, condition=condition))
    else:
        ctx.note("temporary variable", offset, text, condition)


# -- Harlowe ----------------------------------------------------------------------------------------------

_HARLOWE_TOKEN = re.compile(r"\[\[|\((?=[A-Za-z][\w-]*:)|[\[\]`]|\$[A-Za-z_]\w*")
_HARLOWE_EXPR_TOKEN = re.compile(r"[()\"']")


@dataclass(slots=True)
class _Macro:
    """A Harlowe macro call: name, raw arguments, where it is, and the hook attached to it."""

    name: str
    args: str
    start: int
    end: int
    hook: list | None = None


@dataclass(slots=True)
class _Hook:
    items: list
    start: int


def _harlowe_tree(text: str, base: int) -> list:
    """Harlowe text as a tree of strings, ``("link", inner, offset)``, ``("var", name, offset)``, macros, hooks."""
    root: list = []
    stack: list[_Hook] = []
    current = root
    suppressed = 0
    scan = _Scan(text)
    while (match := scan.next_token(_HARLOWE_TOKEN, current)) is not None:
        start = match.start()
        token = match.group()
        if token == "[[" and _after_bare_macro(current, base + start):
            token = "["  # (if: x)[[[link]]]: the first '[' opens the macro's hook
            scan.pos = start + 1
        if token in ("[[", "`"):
            inner = scan.until("]]" if token == "[[" else "`")
            if inner is None:
                current.append(token)
            else:
                current.append(("link", inner, base + start) if token == "[[" else inner)
        elif token.startswith("$"):
            current.append(("var", token, base + start))
        elif token == "(":
            end = _harlowe_macro_end(text, scan.pos, scan.missing)
            if end < 0:
                current.append(text[start:])
                scan.pos = len(text)
                continue
            colon = text.find(":", scan.pos)
            current.append(_Macro(text[scan.pos : colon], text[colon + 1 : end - 1], base + start, base + end))
            scan.pos = end
        elif token == "[" and len(stack) >= MAX_NESTING:
            suppressed += 1
            current.append(token)
        elif token == "[":
            hook = _Hook([], base + start)
            if _after_bare_macro(current, base + start):
                current[-1 if current[-1] != "" else -2].hook = hook.items
            else:
                current.append(hook)
            stack.append(hook)
            current = hook.items
        elif token == "]":
            if suppressed:
                suppressed -= 1
                current.append(token)
            elif stack:
                stack.pop()
                current = stack[-1].items if stack else root
            else:
                current.append(token)
    return root


def _after_bare_macro(current: list, offset: int) -> bool:
    """True when the last thing read is a macro without a hook that ends right at ``offset``."""
    previous = next((item for item in reversed(current[-2:]) if item != ""), None)
    return isinstance(previous, _Macro) and previous.hook is None and previous.end == offset


def _harlowe_macro_end(text: str, pos: int, missing: set[str]) -> int:
    """The offset just after the ``)`` closing a macro whose name starts at ``pos``, or -1."""
    depth = 1
    while True:
        match = _HARLOWE_EXPR_TOKEN.search(text, pos)
        if match is None:
            return -1
        char = match.group()
        pos = match.end()
        if char in "\"'":
            close = _string_end(text, pos, char, missing)
            if close < 0:
                return -1
            pos = close + 1
        elif char == "(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return pos


def _string_end(text: str, pos: int, quote: str, missing: set[str]) -> int:
    """The offset of the quote closing a string that starts before ``pos`` (backslash escapes skipped)."""
    while True:
        close = -1 if quote in missing else text.find(quote, pos)
        if close < 0:
            missing.add(quote)
            return -1
        backslashes = 0
        at = close - 1
        while at >= pos and text[at] == "\\":
            backslashes += 1
            at -= 1
        if backslashes % 2 == 0:
            return close
        pos = close + 1


def _strings(args: str) -> list[str] | None:
    """The values of a macro's arguments when they are all string literals."""
    out = []
    for part in split_top(args):
        found = tokens(part)
        if not found or len(found) != 1 or found[0][0] != "str":
            return None
        out.append(string_value(found[0][1]))
    return out


def _macro_key(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "")


def read_harlowe(text: str, base: int, names: set[str], scene_ids: dict[str, str]) -> list[Piece]:
    """The pieces of a Harlowe passage."""
    ctx = _Context("harlowe", names, scene_ids)
    _harlowe_walk(ctx, _harlowe_tree(text, base), text, base, None)
    return ctx.pieces


def _raw(text: str, base: int, macro: _Macro) -> str:
    return text[macro.start - base : macro.end - base]


def _harlowe_walk(ctx: _Context, items: list, text: str, base: int, condition: str | None) -> None:
    chain: list[str | None] | None = None  # conditions of the (if:)/(else-if:) chain so far
    for item in items:
        if isinstance(item, str):
            if item.strip():
                chain = None
            ctx.text(item, base, condition)
        elif isinstance(item, tuple):
            _link_or_variable(ctx, item, condition)
        elif isinstance(item, _Hook):
            ctx.text("[", item.start, condition)
            _harlowe_walk(ctx, item.items, text, base, condition)
            ctx.text("]", item.start, condition)
        else:
            chain = _harlowe_macro(ctx, item, text, base, condition, chain)


def _harlowe_macro(
    ctx: _Context, macro: _Macro, text: str, base: int, condition: str | None, chain: list[str | None] | None
) -> list[str | None] | None:
    key = _macro_key(macro.name)
    raw = _raw(text, base, macro)
    if key in ("if", "unless", "elseif", "else") and macro.hook is not None:
        if key in ("elseif", "else") and (chain is None or None in chain):
            kind = "without (if:)" if chain is None else "after a condition that does not carry over"
            ctx.note(f"({macro.name}:) {kind}", macro.start, raw, condition)
            _harlowe_walk(ctx, macro.hook, text, base, condition)
            return chain if key == "elseif" else None
        if key == "else":
            own = "true"
        else:
            own = ctx.expr(macro.args)
            if own is not None and key == "unless":
                own = f"not ({own})"
        if own is None:  # kept as text, and so are the (else-if:)/(else:) hooks after it (chain marked unknown)
            ctx.note(f"({macro.name}:) condition", macro.start, raw, condition)
            _harlowe_walk(ctx, macro.hook, text, base, condition)
            return [None]
        previous = chain if key in ("elseif", "else") else []
        guard = own if key != "else" else None
        for earlier in previous or []:
            guard = _both(_not(earlier), guard) if guard is not None else _not(earlier)
        _harlowe_walk(ctx, macro.hook, text, base, _both(condition, guard))
        return [*(previous or []), own] if key != "else" else None
    if key in ("linkgoto", "linkrevealgoto", "clickgoto", "mouseovergoto"):
        values = _strings(macro.args)
        parts = split_top(macro.args)
        if values and len(values) in (1, 2):
            ctx.choice(values[0], values[-1], macro.start, condition)
        elif key in ("clickgoto", "mouseovergoto") and len(parts) == 2 and _strings(parts[1]):
            target = (_strings(parts[1]) or [""])[0]
            ctx.choice(target, target, macro.start, condition)
        else:
            ctx.note(f"({macro.name}:) with computed arguments", macro.start, raw, condition)
        return None
    if key == "goto":
        values = _strings(macro.args)
        if values and len(values) == 1:
            ctx.choice(values[0], values[0], macro.start, condition)
        else:
            ctx.note("(go-to:) with a computed passage", macro.start, raw, condition)
        return None
    if key in ("link", "linkreveal", "linkrepeat", "linkrerun", "linkreplace") and macro.hook is not None:
        values = _strings(macro.args)
        found = _harlowe_link_body(ctx, macro.hook) if values else None
        if values and found is not None:
            ctx.choice(values[0], found[0], macro.start, condition, found[1])
            return None
        ctx.note(f"({macro.name}:) that does not go to a passage", macro.start, raw, condition)
        _harlowe_walk(ctx, macro.hook, text, base, condition)
        return None
    if key in ("set", "put"):
        mapped = ctx.assignments(macro.args)
        if mapped is not None and condition is None:
            for variable, value in mapped:
                ctx.pieces.append(Piece("set", macro.start, text=variable, target=value))
        else:
            kind = f"({macro.name}:) inside a condition" if mapped is not None else f"({macro.name}:) value"
            ctx.note(kind, macro.start, raw, condition)
            ctx.lost(macro.args, macro.start)
        return None
    if key == "print":
        values = tokens(macro.args)
        name = variable_name(values[0][1], "harlowe") if values and len(values) == 1 and values[0][0] == "var" else None
        if name:
            ctx.pieces.append(Piece("var", macro.start, text=name, condition=condition))
        else:
            ctx.note("(print:)", macro.start, raw, condition)
        return None
    if key == "display":
        values = _strings(macro.args)
        if values and len(values) == 1:
            ctx.pieces.append(Piece("embed", macro.start, target=values[0]))
    ctx.note(f"({macro.name}:)", macro.start, raw, condition)
    if macro.hook is not None:
        _harlowe_walk(ctx, macro.hook, text, base, condition)
    return None


def _harlowe_link_body(ctx: _Context, hook: list) -> tuple[str, list[tuple[str, str]]] | None:
    """(target, effects) when a (link:) hook holds only (set:)s and one (go-to:)."""
    target = None
    effects: list[tuple[str, str]] = []
    for item in hook:
        if isinstance(item, str):
            if item.strip():
                return None
            continue
        if not isinstance(item, _Macro) or item.hook is not None:
            return None
        key = _macro_key(item.name)
        if key == "goto" and target is None:
            values = _strings(item.args)
            if not values or len(values) != 1:
                return None
            target = values[0]
        elif key == "set" and target is None:
            mapped = ctx.assignments(item.args)
            if mapped is None:
                return None
            effects.extend(mapped)
        else:
            return None
    return (target, effects) if target is not None else None


# -- SugarCube --------------------------------------------------------------------------------------------

_SUGAR_TOKEN = re.compile(r"\[\[|<<|\$[A-Za-z_]\w*")
_SUGAR_CONTAINERS = frozenset(
    {
        "if",
        "link",
        "button",
        "nobr",
        "silently",
        "for",
        "switch",
        "linkappend",
        "linkprepend",
        "linkreplace",
        "append",
        "prepend",
        "replace",
        "widget",
        "type",
        "timed",
        "repeat",
        "capture",
        "done",
        "script",
        "createplaylist",
        "cycle",
        "listbox",
        "do",
    }
)


@dataclass(slots=True)
class _Tag:
    """A SugarCube macro: name, arguments, where it is, and (for containers) its sections of children."""

    name: str
    args: str
    start: int
    end: int
    sections: list[tuple[str, list]] = field(default_factory=list)
    closed: bool = False


_SUGAR_NOT_LINKS = frozenset(
    {"if", "elseif", "set", "unset", "run", "print", "=", "-", "switch", "case", "for", "capture", "widget"}
    | {"option", "cycle", "audio", "cacheaudio", "type", "timed", "repeat", "replace", "append", "prepend"}
    | {"remove", "addclass", "removeclass", "toggleclass", "copy", "nobr", "silently", "script"}
)
"""SugarCube's own macros whose string arguments are never passage names (a custom macro's may be links)."""


_SUGAR_INPUTS = frozenset({"cycle", "listbox", "textbox", "textarea", "numberbox", "checkbox", "radiobutton"})
"""SugarCube's input macros: their first argument names the variable the player's answer goes into."""


def _sugar_tree(text: str, base: int) -> list:
    root: list = []
    stack: list[_Tag] = []
    current = root
    suppressed: dict[str, int] = {}
    scan = _Scan(text)
    while (match := scan.next_token(_SUGAR_TOKEN, current)) is not None:
        start = match.start()
        token = match.group()
        if token.startswith("$"):
            current.append(("var", token, base + start))
            continue
        inner = scan.until("]]" if token == "[[" else ">>")
        if inner is None:
            current.append(token)
            continue
        pos = scan.pos
        if token == "[[":
            current.append(("link", inner, base + start))
            continue
        names = [tag.name for tag in stack]
        if inner[:3].lower() == "end" and (
            inner[3:].strip().lower() in names or suppressed.get(inner[3:].strip().lower())
        ):
            inner = "/" + inner[3:]  # SugarCube's older closing tag: <<endif>> closes <<if>>
        if inner.startswith("/"):
            name = inner[1:].strip().lower()
            if suppressed.get(name):
                suppressed[name] -= 1
                current.append(text[start:pos])
            elif name in names:
                while stack:
                    tag = stack.pop()
                    tag.closed = True
                    if tag.name == name:
                        break
                current = stack[-1].sections[-1][1] if stack else root
            else:
                current.append(text[start:pos])
            continue
        inner = inner.strip()
        if inner[:1] in ("=", "-"):
            name, args = inner[0], inner[1:]
        else:  # a macro's name ends at any white space: <<widget\n  "arg">> is the macro 'widget'
            parts = inner.split(None, 1)
            name, args = (parts[0].lower(), parts[1] if len(parts) > 1 else "") if parts else ("", "")
        if name in ("elseif", "else") and stack and stack[-1].name == "if":
            stack[-1].sections.append((args if name == "elseif" else "", []))
            current = stack[-1].sections[-1][1]
            continue
        tag = _Tag(name, args.strip(), base + start, base + pos)
        current.append(tag)
        if name in _SUGAR_CONTAINERS and len(stack) >= MAX_NESTING:
            suppressed[name] = suppressed.get(name, 0) + 1
        elif name in _SUGAR_CONTAINERS:
            tag.sections.append((tag.args, []))
            stack.append(tag)
            current = tag.sections[-1][1]
    return root


def read_sugarcube(text: str, base: int, names: set[str], scene_ids: dict[str, str]) -> list[Piece]:
    """The pieces of a SugarCube passage."""
    ctx = _Context("sugarcube", names, scene_ids)
    _sugar_walk(ctx, _sugar_tree(text, base), text, base, None)
    return ctx.pieces


def _sugar_walk(ctx: _Context, items: list, text: str, base: int, condition: str | None) -> None:
    for item in items:
        if isinstance(item, str):
            ctx.text(item, base, condition)
        elif isinstance(item, tuple):
            _link_or_variable(ctx, item, condition)
        else:
            _sugar_macro(ctx, item, text, base, condition)


def _sugar_args(args: str) -> list[tuple[str, str]]:
    """A macro's arguments: ("str", value), ("link", inner) or ("other", text), read left to right once."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(args):
        char = args[pos]
        if char.isspace():
            pos += 1
        elif char in "\"'":
            close = _string_end(args, pos + 1, char, set())
            if close < 0:
                out.append(("other", args[pos:]))
                break
            out.append(("str", string_value(args[pos : close + 1])))
            pos = close + 1
        elif args.startswith("[[", pos):
            close = args.find("]]", pos)
            if close < 0:
                out.append(("other", args[pos:]))
                break
            out.append(("link", args[pos + 2 : close]))
            pos = close + 2
        else:
            end = pos
            while end < len(args) and not args[end].isspace():
                end += 1
            out.append(("other", args[pos:end]))
            pos = end
    return out


def _sugar_macro(ctx: _Context, tag: _Tag, text: str, base: int, condition: str | None) -> None:
    raw = text[tag.start - base : tag.end - base]
    name = tag.name
    if name == "if" and tag.closed:
        earlier: list[str] = []
        for index, (args, children) in enumerate(tag.sections):
            own = ctx.expr(args) if args else None
            if args and own is None:
                # A condition that does not carry over: this branch and every later one are kept (as text,
                # their links as choices), so nothing the player could reach is lost.
                rest = _both(condition, _none_of(earlier))
                ctx.note("<<if>> condition", tag.start, raw if index == 0 else f"<<elseif {args}>>", rest)
                for later_index, (later_args, later) in enumerate(tag.sections[index:]):
                    if later_index:
                        ctx.text(f"<<elseif {later_args}>>" if later_args else "<<else>>", tag.start, rest)
                    _sugar_walk(ctx, later, text, base, rest)
                return
            guard = own
            for before in earlier:
                guard = _both(_not(before), guard) if guard is not None else _not(before)
            _sugar_walk(ctx, children, text, base, _both(condition, guard))
            if own is not None:
                earlier.append(own)
        return
    if name in ("link", "button") and tag.closed:
        args = _sugar_args(tag.args)
        children = tag.sections[0][1]
        body = _sugar_link_body(ctx, children)
        if args and args[0][0] == "link":
            say, target, setter = parse_sugarcube_link(args[0][1])
            say, target = sugarcube_component(say), sugarcube_component(target, ctx.names)
            effects = (ctx.assignments(setter) or []) if setter else []
            if body is not None:
                effects += body[1]
            else:
                ctx.pieces.append(Piece("note", tag.start, note=f"<<{name}>> body left out (it is not <<set>>)"))
            ctx.choice(say, target, tag.start, condition, effects)
            return
        if args and args[0][0] == "str":
            named = args[1][1] if len(args) > 1 and args[1][0] == "str" else None
            target = named or (body[0] if body is not None else None)
            if target:
                if body is None:  # <<link "t" "p">><<custom>><</link>>: still a choice to p; the body is noted
                    ctx.pieces.append(Piece("note", tag.start, note=f"<<{name}>> body left out (it is not <<set>>)"))
                ctx.choice(args[0][1], target, tag.start, condition, body[1] if body is not None else [])
                return
        ctx.note(f"<<{name}>> that does not go to a passage", tag.start, raw, condition)
        _sugar_walk(ctx, children, text, base, condition)
        return
    if name == "goto":
        args = _sugar_args(tag.args)
        target = _sugar_target(args[0], ctx.names) if len(args) == 1 else None
        if target:
            ctx.choice(target, target, tag.start, condition)
        else:
            ctx.note("<<goto>> with a computed passage", tag.start, raw, condition)
        return
    if name in ("actions", "choice", "click"):
        args = _sugar_args(tag.args)
        if name == "choice" and len(args) == 2 and args[0][0] == "str" and args[1][0] == "str":
            ctx.choice(args[1][1], args[0][1], tag.start, condition)
            return
        for kind, value in args:
            if kind == "link":
                _link_piece(ctx, value, tag.start, condition, inline=False)
            elif kind == "str":
                ctx.choice(value, value, tag.start, condition)
        return
    if name == "set":
        mapped = ctx.assignments(tag.args)
        if mapped is not None and condition is None:
            for variable, value in mapped:
                ctx.pieces.append(Piece("set", tag.start, text=variable, target=value))
        else:
            kind = "<<set>> inside a condition" if mapped is not None else "<<set>> value"
            ctx.note(kind, tag.start, raw, condition)
            ctx.lost(tag.args, tag.start)
        return
    if name in ("print", "=", "-"):
        values = tokens(tag.args)
        var = (
            variable_name(values[0][1], "sugarcube") if values and len(values) == 1 and values[0][0] == "var" else None
        )
        if var:
            ctx.pieces.append(Piece("var", tag.start, text=var, condition=condition))
        else:
            ctx.note(f"<<{name}>>", tag.start, raw, condition)
        return
    if name in ("nobr", "silently") and tag.closed:
        _sugar_walk(ctx, tag.sections[0][1], text, base, condition)
        return
    if name in _SUGAR_INPUTS:  # <<cycle "$stance">>, <<textbox "$name" …>>: the player sets the variable
        receiver = _sugar_args(tag.args)[:1]
        if receiver and receiver[0][0] == "str":
            ctx.lost(receiver[0][1] + " =", tag.start)
    if name in ("include", "display"):
        args = _sugar_args(tag.args)
        target = _sugar_target(args[0], ctx.names) if len(args) == 1 else None
        if target:
            ctx.pieces.append(Piece("embed", tag.start, target=target))
    linked = False
    args = _sugar_args(tag.args) if name not in _SUGAR_NOT_LINKS else []
    labels = [value for kind, value in args if kind == "str" and value not in ctx.names]
    for kind, value in args:
        target = _sugar_target((kind, value), ctx.names)
        if target in ctx.names and name not in ("include", "display"):
            say = labels[0] if len(labels) == 1 and kind == "str" else target
            ctx.choice(say, target, tag.start, condition)
            linked = True
    if linked:
        ctx.pieces.append(Piece("note", tag.start, note=f"<<{name}>> whose argument names a passage, taken as a link"))
    else:
        ctx.note(f"<<{name}>>", tag.start, raw, condition)
    for _args, children in tag.sections:
        _sugar_walk(ctx, children, text, base, condition)


def _sugar_target(arg: tuple[str, str], names: set[str]) -> str | None:
    if arg[0] == "str":
        return arg[1]
    if arg[0] == "link":
        return sugarcube_component(parse_sugarcube_link(arg[1])[1], names)
    return None


def _sugar_link_body(ctx: _Context, children: list) -> tuple[str | None, list[tuple[str, str]]] | None:
    """(target or None, effects) when a <<link>> body holds only <<set>>s and at most one <<goto>>."""
    target = None
    effects: list[tuple[str, str]] = []
    for item in children:
        if isinstance(item, str):
            if item.strip():
                return None
            continue
        if not isinstance(item, _Tag):
            return None
        if item.name == "goto" and target is None:
            args = _sugar_args(item.args)
            target = _sugar_target(args[0], ctx.names) if len(args) == 1 else None
            if target is None:
                return None
        elif item.name == "set":
            mapped = ctx.assignments(item.args)
            if mapped is None:
                return None
            effects.extend(mapped)
        else:
            return None
    return target, effects


# -- Chapbook ---------------------------------------------------------------------------------------------

_CHAPBOOK_TOKEN = re.compile(r"\[\[|\{")
_CHAPBOOK_NAME = re.compile(r"[A-Za-z_$][\w$.]*")


def chapbook_vars_end(text: str) -> int:
    """The offset after a Chapbook vars section's ``--`` line, or 0 when the passage has none."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        if line == "--":
            return min(end + 1, len(text))
        if line:
            name = _CHAPBOOK_NAME.match(line)
            rest = line[name.end() :].lstrip() if name else ""
            if rest.startswith("("):
                close = rest.find(")")
                rest = rest[close + 1 :].lstrip() if close >= 0 else ""
            if not name or not rest.startswith(":"):
                return 0
        pos = end + 1
    return 0


def read_chapbook(text: str, base: int, names: set[str], scene_ids: dict[str, str]) -> list[Piece]:
    """The pieces of a Chapbook passage: vars section, modifiers, inserts and links."""
    ctx = _Context("chapbook", names, scene_ids)
    pos = chapbook_vars_end(text)
    if pos:
        _chapbook_vars(ctx, text[:pos], base)
    condition: str | None = None
    earlier: list[str] = []
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end + 1
        line = text[pos:end]
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]") and not stripped.startswith("[["):
            # one line may hold several modifiers: [if hasCloak; align center], and [else;] is [else]
            parts = [part.strip() for part in stripped[1:-1].split(";") if part.strip()] or [""]
            kept = len(ctx.pieces)
            for part in parts:
                condition = _chapbook_modifier(ctx, part, base + pos, condition, earlier, "")
            if any(piece.kind == "note" for piece in ctx.pieces[kept:]):
                ctx.text(line, base + pos, condition)
        else:
            _chapbook_line(ctx, line, base + pos, condition)
        pos = end
    return ctx.pieces


def _chapbook_vars(ctx: _Context, section: str, base: int) -> None:
    pos = 0
    for line in section.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and stripped != "--":
            name, _, value = stripped.partition(":")
            name = name.strip()
            variable = variable_name(name, "chapbook") if _CHAPBOOK_NAME.fullmatch(name) and "." not in name else None
            mapped = ctx.expr(value) if variable else None
            if variable and mapped:
                ctx.pieces.append(Piece("set", base + pos, text=variable, target=mapped))
            else:
                ctx.note("vars section line", base + pos, stripped + "\n", None)
                lost = _CHAPBOOK_NAME.match(stripped)
                if lost and "." not in lost.group():
                    ctx.pieces.append(Piece("lost", base + pos, text=lost.group()))
        pos += len(line)


_UNMAPPED = ""
"""Stands in ``earlier`` for an [if] whose condition does not carry over, so its [else] is reported as such."""


def _chapbook_modifier(
    ctx: _Context, words: str, offset: int, condition: str | None, earlier: list[str], line: str
) -> str | None:
    """One modifier (the words inside ``[…]``); returns the condition in force after it."""
    head, _, rest = words.partition(" ")
    head = head.lower()
    if head in ("if", "unless"):
        own = ctx.expr(rest)
        if own is None:
            ctx.note(f"[{head}] condition", offset, line, None)
            earlier[:] = [_UNMAPPED]
            return None
        earlier[:] = [own if head == "if" else f"not ({own})"]
        return earlier[0]
    if head == "else" and not rest:
        if earlier == [_UNMAPPED]:
            ctx.note("[else] after a condition that does not carry over", offset, line, None)
            earlier.clear()
            return None
        if not earlier:
            ctx.note("[else] without [if]", offset, line, None)
            return None
        guard = _not(earlier[0])
        earlier.clear()
        return guard
    if head in ("continue", "cont", "cont'd", "continued"):
        earlier.clear()
        return None
    ctx.note(f"[{head}] modifier", offset, line, condition)
    return condition


def _chapbook_line(ctx: _Context, line: str, base: int, condition: str | None) -> None:
    pos = 0
    missing: set[str] = set()
    while True:
        match = _CHAPBOOK_TOKEN.search(line, pos)
        if match is None:
            ctx.text(line[pos:], base + pos, condition)
            return
        start = match.start()
        ctx.text(line[pos:start], base + start, condition)
        token = match.group()
        closer = "]]" if token == "[[" else "}"
        close = -1 if closer in missing else line.find(closer, match.end())
        if close < 0:
            missing.add(closer)
            ctx.text(token, base + start, condition)
            pos = match.end()
            continue
        inner = line[match.end() : close]
        pos = close + len(closer)
        if token == "[[":
            _link_piece(ctx, inner, base + start, condition, inline=True)
        else:
            _chapbook_insert(ctx, inner, base + start, condition, line[start:pos])


def _chapbook_insert(ctx: _Context, inner: str, offset: int, condition: str | None, raw: str) -> None:
    head = inner.partition(":")[0].strip().lower()
    name = inner.strip()
    if _CHAPBOOK_NAME.fullmatch(name) and "." not in name and ":" not in inner:
        ctx.pieces.append(Piece("var", offset, text=name, condition=condition))
        return
    props = _chapbook_props(inner)
    if head == "link to":
        target = props.get("link to")
        if target:
            ctx.choice(props.get("label", target), target, offset, condition)
            return
    elif head.startswith("back link"):
        ctx.pieces.append(Piece("back", offset, text=props.get("label", "Back"), condition=condition))
        return
    elif head.startswith("restart link"):
        ctx.pieces.append(Piece("restart", offset, text=props.get("label", "Restart"), condition=condition))
        return
    elif head == "reveal link" and props.get("passage"):
        # {reveal link: '…', passage: 'P'} shows passage P in place of the link when clicked: a choice to P
        ctx.choice((props.get("reveal link") or "").strip() or props["passage"], props["passage"], offset, condition)
        return
    elif head == "embed passage" and props.get("embed passage"):
        ctx.pieces.append(Piece("embed", offset, target=props["embed passage"]))
    kind = "{" + (head.split(",")[0] or name[:20]) + "}"
    ctx.note(kind, offset, raw, condition)


def _chapbook_props(inner: str) -> dict[str, str]:
    """``{link to: 'Cloakroom', label: 'Hang it up'}`` as ``{"link to": "Cloakroom", "label": "Hang it up"}``."""
    out: dict[str, str] = {}
    for part in split_top(inner):
        key, _, value = part.partition(":")
        found = tokens(value.strip()) if value.strip() else None
        if found and len(found) == 1 and found[0][0] == "str":
            out[key.strip().lower()] = string_value(found[0][1])
        elif value.strip() and found and len(found) == 1 and found[0][0] == "word":
            out[key.strip().lower()] = found[0][1]
    return out


# -- any other format (Snowman, Paperthin, none) ---------------------------------------------------------

_CODE = re.compile(r"\((?:[A-Za-z][\w-]*):|<<\s*/?[A-Za-z]|<%|\$[A-Za-z_]\w*")


def read_plain(text: str, base: int, names: set[str], scene_ids: dict[str, str]) -> list[Piece]:
    """The pieces of a passage in an unknown format: ``[[links]]`` only; code is kept as text and noted."""
    ctx = _Context("plain", names, scene_ids)
    pos = 0
    while True:
        start = text.find("[[", pos)
        close = text.find("]]", start + 2) if start >= 0 else -1
        if close < 0:
            ctx.text(text[pos:], base + pos, None)
            break
        ctx.text(text[pos:start], base + pos, None)
        say, target, _setter = parse_link(text[start + 2 : close])
        ctx.choice(say or target, target, base + start, None, inline=True)
        pos = close + 2
    _snowman_embeds(ctx, text, base)
    code = _CODE.search(text)
    if code:
        kind = f"story-format code ({code.group().strip()}) kept as text"
        ctx.pieces.append(Piece("note", base + code.start(), note=kind))
    return ctx.pieces


def _snowman_embeds(ctx: _Context, text: str, base: int) -> None:
    """Snowman's ``story.render("Passage")`` shows another passage inside this one: an embed."""
    pos = text.find("render(")
    while pos >= 0:
        close = text.find(")", pos + 7)
        if close < 0:
            return  # no ')' after this one, so none after any later one either
        found = tokens(text[pos + 7 : close])
        if found and len(found) == 1 and found[0][0] == "str" and string_value(found[0][1]) in ctx.names:
            ctx.pieces.append(Piece("embed", base + pos, target=string_value(found[0][1])))
        pos = text.find("render(", pos + 7)


READERS = {"harlowe": read_harlowe, "sugarcube": read_sugarcube, "chapbook": read_chapbook}


def reader_for(fmt: str):
    """The passage reader for a story format name (``plain`` for any other)."""
    return READERS.get(fmt, read_plain)
