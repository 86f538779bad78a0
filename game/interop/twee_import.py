"""Twee 3 → Crossroads: passages become scenes, the story format's links become choices.

The story format comes from StoryData's ``format`` (Harlowe, SugarCube or Chapbook; any other is read for
plain ``[[links]]`` only). Special passages (``StoryInit``, ``StoryCaption``, ``StoryMenu``, ...) and
passages tagged ``widget``, ``startup``, ``header``, ``footer``, ``script`` or ``stylesheet`` are not scenes;
the simple assignments of ``StoryInit`` (SugarCube), ``startup`` passages (Harlowe) and the start passage's
vars section (Chapbook, when nothing links back to it) become variable defaults. Whatever cannot be mapped
is kept as text and reported once per kind, with a count and each passage's ``file:line``. Every message is
a :class:`~game.diagnostics.Diagnostic` at the ``file:line:col`` of the thing it is about.
"""

from __future__ import annotations

import ast
import re
import uuid
from dataclasses import dataclass, field

from game.diagnostics import Diagnostic, Severity
from game.expr import RESERVED, ExprError, compile_expr
from game.ids import is_id, is_var_name
from game.interop.twee_formats import LINK_CLOSE, LINK_OPEN, MAX_NESTING, Piece, reader_for
from game.interop.twee_parse import Passage, Source, TweeFile, decode, parse_twee
from game.loader import MAX_CHOICES

IFID_PATTERN = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
ENDING_TAGS = {"ending-safe": "safe", "ending-mixed": "mixed", "ending-bad": "bad"}
SPECIAL_PASSAGES = frozenset(
    {
        "StoryInit",
        "StoryCaption",
        "StoryMenu",
        "PassageReady",
        "PassageDone",
        "StoryBanner",
        "StoryAuthor",
        "StorySubtitle",
        "StoryInterface",
        "StoryShare",
        "PassageHeader",
        "PassageFooter",
        "StorySettings",
    }
)
SPECIAL_TAGS = frozenset(
    {
        "widget",
        "startup",
        "header",
        "footer",
        "script",
        "stylesheet",
        "debug-startup",
        "debug-header",
        "debug-footer",
        "Twine.private",
        "Twine.audio",
        "Twine.image",
        "Twine.video",
        "Twine.vtt",
        "init",
    }
)
INIT_PASSAGE = "StoryInit"
INIT_TAG = "startup"
MAX_PLACES_LISTED = 12


MAX_NAME_SHOWN = 80
"""A passage name longer than this is cut in messages (a damaged link can make a name of the rest of a file)."""


def _short(name: str) -> str:
    return name if len(name) <= MAX_NAME_SHOWN else name[: MAX_NAME_SHOWN - 1] + "…"


class _EmbeddedChoices:
    """The choices a passage brings where it is embedded: its own, and those of the passages it embeds in
    turn (a page embeds a menu that embeds its items). Each passage is worked out once; embeds nested more
    than MAX_NESTING deep, or in a cycle, add nothing more."""

    def __init__(self, pieces: dict[str, list[Piece]]) -> None:
        self.pieces = pieces
        self.done: dict[str, list[Piece]] = {}
        self.open: set[str] = set()

    def of(self, name: str, depth: int = 0) -> list[Piece]:
        if name in self.done:
            return self.done[name]
        if name in self.open or depth > MAX_NESTING:
            return []
        self.open.add(name)
        found: list[Piece] = []
        for piece in self.pieces[name]:
            if piece.kind == "choice":
                found.append(piece)
            elif piece.kind == "embed" and piece.target in self.pieces and piece.target != name:
                found.extend(self.of(piece.target, depth + 1))
        self.open.discard(name)
        self.done[name] = found
        return found


@dataclass(slots=True)
class TweeImport:
    """The result of an import: the story as a YAML-ready dict, warnings, and why it looks broken (if so)."""

    story: dict[str, object]
    warnings: list[Diagnostic] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    format: str = "plain"


def story_format(data: dict[str, object], text: str) -> tuple[str, bool]:
    """(harlowe|sugarcube|chapbook|plain, guessed) from StoryData's ``format``, else from the text."""
    name = data.get("format")
    if isinstance(name, str) and name.strip():
        lowered = name.lower()
        return next((fmt for fmt in ("harlowe", "sugarcube", "chapbook") if fmt in lowered), "plain"), False
    if "<<" in text and ">>" in text:
        return "sugarcube", True
    if "(link-goto:" in text or "(set:" in text or "(go-to:" in text or "(if:" in text:
        return "harlowe", True
    if "\n--\n" in text or "{back link" in text or "{link to:" in text:
        return "chapbook", True
    return "plain", False


def import_file(raw: bytes, path: str) -> TweeImport:
    """Import the bytes of a Twee file (size and encoding checked first); raises :class:`TweeError`."""
    return import_twee(decode(raw, path), path)


def import_twee(text: str, path: str = "story.twee") -> TweeImport:
    """Convert Twee 3 text into a format v1 story dict; raises :class:`TweeError` when it cannot."""
    twee = parse_twee(text, path)
    return _Importer(twee).run()


class _Importer:
    """One import: reads every passage once, then builds variables, scenes and messages."""

    def __init__(self, twee: TweeFile) -> None:
        self.twee = twee
        self.source: Source = twee.source
        self.warnings: list[Diagnostic] = list(twee.warnings)
        self.notes: dict[str, list[int]] = {}
        self.verdicts: dict[tuple[str, str | None], str | None] = {}
        self.lost: set[str] = set()  # variables changed by assignments that do not carry over
        self.lost_noted: set[tuple[str, int]] = set()
        self.lost_in: dict[str, list[str]] = {}  # each condition's lost variables, worked out once
        self.embedded: set[str] = set()
        self.fmt, guessed = story_format(twee.data, twee.source.text)
        if guessed:
            self.warn("CR405", f"StoryData names no story format; read as {self.fmt.capitalize()}", twee.data_offset)

    def warn(self, code: str, message: str, offset: int) -> None:
        self.warnings.append(self.source.warning(code, message, offset))

    def note(self, kind: str, offset: int) -> None:
        self.notes.setdefault(kind, []).append(offset)

    def run(self) -> TweeImport:
        scenes_in, init, skipped = self.sort_passages()
        if not scenes_in:
            raise self.source.error("CR403", "no story passages found (a passage starts with a line ':: name')", 0)
        self.ids = _scene_ids([p.name for p in scenes_in])
        self.ids_by_id = {scene_id: scene_id for scene_id in self.ids.values()}
        self.start = self.start_passage(scenes_in)
        names = set(self.ids)
        read = reader_for(self.fmt)
        pieces = {p.name: read(p.text, p.offset, names, self.ids) for p in scenes_in}
        defaults: dict[str, tuple[str, int]] = {}
        for passage in init:
            for piece in read(passage.text, passage.offset, names, self.ids):
                self.init_piece(piece, defaults)
        self.lost = {p.text for found in pieces.values() for p in found if p.kind == "lost"}
        self.resolve_links(pieces)
        if self.fmt == "chapbook":
            self.chapbook_defaults(pieces, defaults)
        self.types = self.variable_types(pieces, defaults)
        self.from_menus(skipped, read, names)
        scenes_in = self.without_embedded_only(scenes_in, pieces)
        scenes = {self.ids[p.name]: self.scene(p, pieces[p.name]) for p in scenes_in}
        self.report_skipped(skipped)
        self.report_notes()
        story = self.story(scenes)
        return TweeImport(story, self.warnings, self.sanity(story), self.fmt)

    # -- passages ----------------------------------------------------------------------------------------

    def sort_passages(self) -> tuple[list[Passage], list[Passage], list[Passage]]:
        scenes: list[Passage] = []
        init: list[Passage] = []
        skipped: list[Passage] = []
        for passage in self.twee.passages:
            if passage.name == INIT_PASSAGE or INIT_TAG in passage.tags:
                init.append(passage)
            elif passage.name in SPECIAL_PASSAGES or any(tag in SPECIAL_TAGS for tag in passage.tags):
                skipped.append(passage)
            else:
                scenes.append(passage)
        return scenes, init, skipped

    def start_passage(self, passages: list[Passage]) -> str:
        start = self.twee.data.get("start")
        if isinstance(start, str) and start in self.ids:
            return start
        return "Start" if "Start" in self.ids else passages[0].name

    def report_skipped(self, skipped: list[Passage]) -> None:
        if skipped:
            places = [p.header for p in skipped]
            names = ", ".join(f"'{p.name}'" for p in skipped[:MAX_PLACES_LISTED])
            self.warn(
                "CR412",
                f"{_count(len(skipped), 'special passage')} not made into scenes ({names}); at {self.places(places)}",
                skipped[0].header,
            )

    def places(self, offsets: list[int]) -> str:
        """``file:line`` of each offset's passage, at most :data:`MAX_PLACES_LISTED`, then a count."""
        seen: dict[str, None] = {}  # ordered, and a set's speed: a file may give thousands of places
        for offset in offsets:
            location = self.source.location(offset)
            seen[f"{location.path}:{location.line}"] = None
        listed = list(seen)
        more = len(listed) - MAX_PLACES_LISTED
        return ", ".join(listed[:MAX_PLACES_LISTED]) + (f" and {more} more" if more > 0 else "")

    def report_notes(self) -> None:
        for kind, offsets in self.notes.items():
            self.warn(
                "CR410",
                f"{kind} ({_count(len(offsets), 'time')}): {self.places(offsets)}",
                offsets[0],
            )

    # -- variables ---------------------------------------------------------------------------------------

    def init_piece(self, piece: Piece, defaults: dict[str, tuple[str, int]]) -> None:
        if piece.kind == "set" and _literal_value(piece.target) is not None and piece.text not in defaults:
            defaults[piece.text] = (piece.target, piece.offset)
        elif piece.kind in ("set", "choice", "note"):
            self.note(f"{piece.note or piece.kind} in a start-up passage (left out)", piece.offset)

    def chapbook_defaults(self, pieces: dict[str, list[Piece]], defaults: dict[str, tuple[str, int]]) -> None:
        """A Chapbook start passage's first literal assignments are defaults when nothing links back to it."""
        if any(p.kind == "choice" and p.target == self.start for found in pieces.values() for p in found):
            return
        kept = []
        for piece in pieces[self.start]:
            if piece.kind == "set" and piece.text not in defaults and _literal_value(piece.target) is not None:
                defaults[piece.text] = (piece.target, piece.offset)
            else:
                kept.append(piece)
        pieces[self.start] = kept

    def variable_types(self, pieces: dict[str, list[Piece]], defaults: dict[str, tuple[str, int]]) -> dict[str, str]:
        """Each variable's type: from its default, else its first literal assignment, else how it is used."""
        self.defaults: dict[str, object] = {}
        types: dict[str, str] = {}
        for name, (value, _offset) in defaults.items():
            literal = _literal_value(value)
            types[name] = _type_name(literal)
            self.defaults[name] = literal
        assigned = [(p.text, p.target) for found in pieces.values() for p in found if p.kind == "set"]
        assigned += [effect for found in pieces.values() for p in found if p.kind == "choice" for effect in p.effects]
        for name, value in assigned:
            literal = _literal_value(value)
            if name not in types and literal is not None:
                types[name] = _type_name(literal)
        for name, value in assigned:
            types.setdefault(name, _guess_type(value))
        conditions = dict.fromkeys(p.condition for found in pieces.values() for p in found if p.condition)
        for source in conditions:
            for name, kind in _names_in(source).items():
                types.setdefault(name, kind)
        for name, kind in types.items():
            self.defaults.setdefault(name, {"bool": False, "int": 0, "str": ""}[kind])
        return {name: kind for name, kind in types.items() if is_var_name(name) and name not in RESERVED}

    def checked(self, source: str | None, expected: str | None, what: str, offset: int) -> str | None:
        """The expression when Crossroads accepts it, else None with a warning (the condition or effect is lost)."""
        if source is None:
            return None
        key = (source, expected)
        lost = self.lost_in.get(source) if self.lost and expected == "bool" else []
        if lost is None:
            lost = self.lost_in[source] = sorted(set(_names_in(source)) & self.lost)
        if lost:  # some changes to this variable were left out: the condition would lie, so it stays text
            if (source, offset) not in self.lost_noted:
                self.lost_noted.add((source, offset))
                self.note(f"condition on '{lost[0]}', whose changes do not all carry over, kept as text", offset)
            return None
        if key not in self.verdicts:
            try:
                compile_expr(source, self.types, self.ids_by_id, expected)
                self.verdicts[key] = source
            except ExprError as exc:
                self.warn("CR415", f"{what} '{source}' does not carry over and is left out ({exc.message})", offset)
                self.verdicts[key] = None
        return self.verdicts[key]

    def from_menus(self, skipped: list[Passage], read, names: set[str]) -> None:
        """Remember the passages that special passages (StoryMenu, StoryCaption...) link to: menu pages; and
        the ones they embed (a sidebar's <<include "Avatar">>), which are parts of the sidebar, not scenes."""
        self.menu_pages: set[str] = set()
        for passage in skipped:
            if passage.name in SPECIAL_PASSAGES:
                pieces = read(passage.text, passage.offset, names, self.ids)
                self.menu_pages |= {p.target for p in pieces if p.kind == "choice"}
                self.embedded |= {p.target for p in pieces if p.kind == "embed"}

    def without_embedded_only(self, passages: list[Passage], pieces: dict[str, list[Piece]]) -> list[Passage]:
        """Passages only embedded in others ((display:), <<include>>, {embed passage}) or only reached from a
        special passage (a StoryMenu page) are not scenes."""
        linked = {p.target for name, found in pieces.items() for p in found if p.kind == "choice" and p.target != name}
        dropped = {}
        for passage in passages:
            if passage.name in linked or passage.name == self.start:
                continue
            if passage.name in self.embedded:
                dropped[passage.name] = "a passage only embedded in others, not made a scene"
            elif passage.name in self.menu_pages:
                dropped[passage.name] = "a passage reached only from a special passage (a menu page), not made a scene"
        for passage in passages:
            if passage.name in dropped:
                self.note(dropped[passage.name], passage.header)
        return [p for p in passages if p.name not in dropped]

    # -- links -------------------------------------------------------------------------------------------

    def resolve_links(self, pieces: dict[str, list[Piece]]) -> None:
        """Turn back/restart links into choices, copy embedded passages' choices, drop links that go nowhere."""
        incoming: dict[str, set[str]] = {}
        for name, found in pieces.items():
            for piece in found:
                if piece.kind == "choice":
                    incoming.setdefault(piece.target, set()).add(name)
        for name, found in pieces.items():
            out: list[Piece] = []
            for piece in found:
                if piece.kind == "back":
                    sources = incoming.get(name, set())
                    if len(sources) == 1:
                        back = next(iter(sources))
                        out.append(Piece("choice", piece.offset, piece.text, back, piece.condition))
                    else:
                        self.note("{back link} in a passage with several ways in (left out)", piece.offset)
                elif piece.kind == "restart":
                    out.append(Piece("choice", piece.offset, piece.text, self.start, piece.condition))
                else:
                    out.append(piece)
            pieces[name] = out
        embedded_choices = _EmbeddedChoices(dict(pieces))
        for name, found in pieces.items():
            out = []
            for piece in found:
                if piece.kind == "embed" and piece.target in pieces and piece.target != name:
                    self.embedded.add(piece.target)
                    out.extend(embedded_choices.of(piece.target))
                else:
                    out.append(piece)
            pieces[name] = out
        for name, found in pieces.items():
            kept = []
            for piece in found:
                if piece.kind == "note":
                    self.note(piece.note, piece.offset)
                elif piece.kind == "choice" and piece.target not in self.ids:
                    self.warn(
                        "CR409",
                        f"passage '{_short(name)}' links to '{_short(piece.target)}', which does not exist; "
                        "the link is left out",
                        piece.offset,
                    )
                else:
                    kept.append(piece)
            pieces[name] = kept

    # -- scenes ------------------------------------------------------------------------------------------

    def scene(self, passage: Passage, pieces: list[Piece]) -> dict[str, object]:
        blocks: list[tuple[str | None, list[str]]] = []
        choices: list[dict[str, object]] = []
        on_enter: dict[str, str] = {}
        for piece in pieces:
            if piece.kind in ("text", "var"):
                condition = self.checked(piece.condition, "bool", "a condition", piece.offset)
                if not blocks or blocks[-1][0] != condition:
                    blocks.append((condition, []))
                if piece.kind == "var" and piece.text in self.types:
                    blocks[-1][1].append("{" + piece.text + "}")
                elif piece.kind == "var":
                    blocks[-1][1].append(
                        _literal("{" + piece.text + "}" if self.fmt == "chapbook" else "$" + piece.text)
                    )
                else:
                    blocks[-1][1].append(_literal(piece.text))
            elif piece.kind == "set":
                value = self.checked(piece.target, self.types.get(piece.text), f"'{piece.text}' set to", piece.offset)
                if value is not None and piece.text in self.types:
                    on_enter[piece.text] = value
            elif piece.kind == "choice":
                choices.append(self.choice(piece))
        if len(choices) > MAX_CHOICES:
            self.warn(
                "CR416",
                f"passage '{passage.name}' has {len(choices):,} links; the first {MAX_CHOICES} are kept "
                "(the most a scene may offer)",
                passage.header,
            )
            del choices[MAX_CHOICES:]
        texts = [(condition, self.markup("".join(parts))) for condition, parts in blocks]
        title = passage.name
        if texts and texts[0][0] is None:
            first, _, rest = texts[0][1].partition("\n")
            heading = "!! " if self.fmt == "sugarcube" else "## "
            if first.startswith(heading) and first[3:].strip():
                title = first[3:].strip().replace("{{", "{").replace("}}", "}")
                texts[0] = (None, rest.strip("\n"))
        texts = [(condition, text) for condition, text in texts if text.strip()]
        scene: dict[str, object] = {"title": _literal(title)}
        if len(texts) == 1 and texts[0][0] is None:
            scene["text"] = texts[0][1]
        elif texts:
            scene["text"] = [{"if": c, "en": t} if c else t for c, t in texts]
        if on_enter:
            scene["set"] = on_enter
        ending = next((ENDING_TAGS[tag] for tag in passage.tags if tag in ENDING_TAGS), None)
        if choices and ending is None:
            scene["choices"] = choices
        else:
            if choices:
                self.warn(
                    "CR413", f"passage '{passage.name}' is tagged as an ending; its links are left out", passage.header
                )
            scene["ending"] = {"kind": ending or "mixed", "title": _literal(title)}
        return scene

    def choice(self, piece: Piece) -> dict[str, object]:
        out: dict[str, object] = {"say": _literal(piece.text or piece.target), "go": self.ids[piece.target]}
        condition = self.checked(piece.condition, "bool", "a choice's condition", piece.offset)
        if condition is not None:
            out["if"] = condition
        effects: dict[str, str] = {}
        for name, value in piece.effects:
            checked = self.checked(value, self.types.get(name), f"'{name}' set to", piece.offset)
            if checked is not None and name in self.types:
                effects[name] = checked
        if effects:
            out["set"] = effects
        return out

    def markup(self, text: str) -> str:
        """Scene text: links' lines dropped when only links, the format's emphasis as Markdown, tidy blank lines."""
        lines: list[str] = []
        for line in text.split("\n"):
            if LINK_OPEN in line:
                rest = _without_links(line)
                if not rest.strip():
                    continue
                line = line.replace(LINK_OPEN, "").replace(LINK_CLOSE, "")
            line = line.rstrip()
            if self.fmt in ("harlowe", "sugarcube"):
                line = _emphasis(line)
            if line or (lines and lines[-1]):
                lines.append(line)
        return "\n".join(lines).strip("\n")

    # -- the story ---------------------------------------------------------------------------------------

    def story(self, scenes: dict[str, object]) -> dict[str, object]:
        title = self.twee.title or "Imported story"
        story_id = re.sub(r"[^A-Za-z0-9_.-]+", "-", title.lower()).strip("-._") or "imported"
        if not is_id(story_id):
            story_id = "imported"
        ifid = self.twee.data.get("ifid")
        if not (isinstance(ifid, str) and IFID_PATTERN.match(ifid)):
            if ifid is not None:
                self.warn("CR405", "StoryData's ifid is not a UUID; a new one is made", self.twee.data_offset)
            ifid = str(uuid.uuid4()).upper()
        story: dict[str, object] = {
            "crossroads": 1,
            "id": story_id,
            "title": _literal(title),
            "ifid": ifid,
            "languages": ["en"],
            "start": self.ids[self.start],
        }
        if self.types:
            story["vars"] = {name: self.defaults[name] for name in self.types}
        story["scenes"] = scenes
        return story

    def sanity(self, story: dict[str, object]) -> list[Diagnostic]:
        """Why the result looks broken: most scenes unreachable, or most passages endings (exit 1 unless --force)."""
        scenes: dict[str, dict] = story["scenes"]  # type: ignore[assignment]
        seen = {story["start"]}
        queue = [story["start"]]
        while queue:
            for choice in scenes[queue.pop()].get("choices", []):
                if choice["go"] not in seen:
                    seen.add(choice["go"])
                    queue.append(choice["go"])
        problems = []
        total = len(scenes)
        endings = sum(1 for scene in scenes.values() if "ending" in scene)
        if total - len(seen) > total / 2:
            problems.append(
                f"only {len(seen)} of {_count(total, 'scene')} can be reached from the start: the links of this "
                f"story format ({self.fmt}) were mostly not recognised (see the warnings above)"
            )
        if total > 1 and endings > total / 2:
            problems.append(
                f"{endings} of {_count(total, 'passage')} became endings (a passage without links is an ending): "
                f"its links were mostly not recognised"
            )
        return [Diagnostic("CR414", problem, self.source.location(0), Severity.ERROR) for problem in problems]


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _literal_value(source: str) -> bool | int | str | None:
    """The value of a literal expression (``true``, ``-3``, ``"text"``), or None."""
    try:
        node = ast.parse(source.strip(), mode="eval").body
    except (SyntaxError, ValueError, RecursionError):
        return None
    if isinstance(node, ast.Name) and node.id in ("true", "false"):
        return node.id == "true"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        node = ast.Constant(-node.operand.value) if type(node.operand.value) is int else node
    if isinstance(node, ast.Constant) and type(node.value) in (int, str):
        return node.value
    return None


def _type_name(value: object) -> str:
    return "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "str"


def _guess_type(source: str) -> str:
    """The likely type of a non-literal assignment's value."""
    found = set(re.findall(r"==|!=|>=|<=|[<>]|\band\b|\bor\b|\bnot\b|\btrue\b|\bfalse\b|\"", source))
    if found & {"==", "!=", ">=", "<=", "<", ">", "and", "or", "not", "true", "false"}:
        return "bool"
    return "str" if '"' in found else "int"


def _names_in(source: str | None) -> dict[str, str]:
    """Variables a condition reads, each typed bool when used as a truth value, str when compared with text,
    else int."""
    if not source:
        return {}
    try:
        tree = ast.parse(source, mode="eval").body
    except (SyntaxError, RecursionError):
        return {}
    out: dict[str, str] = {}
    truthy: set[int] = {id(tree)} if isinstance(tree, ast.Name) else set()
    text: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BoolOp):
            truthy |= {id(v) for v in node.values}
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            truthy.add(id(node.operand))
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(side, ast.Constant) and isinstance(side.value, str) for side in sides):
                text |= {id(side) for side in sides}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in ("true", "false"):
            out.setdefault(node.id, "bool" if id(node) in truthy else "str" if id(node) in text else "int")
    return out


def _without_links(line: str) -> str:
    out = []
    pos = 0
    while True:
        start = line.find(LINK_OPEN, pos)
        if start < 0:
            out.append(line[pos:])
            return "".join(out)
        out.append(line[pos:start])
        end = line.find(LINK_CLOSE, start)
        pos = len(line) if end < 0 else end + 1


_ENTITIES = (("&#123;", "{"), ("&#125;", "}"), ("&lbrace;", "{"), ("&rbrace;", "}"))


def _literal(text: str) -> str:
    """Twine text as Crossroads text: brace entities decoded, then braces doubled (``{{`` shows ``{``)."""
    for entity, char in _ENTITIES:
        text = text.replace(entity, char)
    return text.replace("{", "{{").replace("}", "}}")


def _emphasis(line: str) -> str:
    """Harlowe/SugarCube ``''strong''`` and ``//em//`` as Markdown ``**strong**`` and ``*em*`` (URLs kept)."""
    line = _pairs(line, "''", "**")
    masked = line.replace("://", "\x02")
    return _pairs(masked, "//", "*").replace("\x02", "://")


def _pairs(line: str, mark: str, markdown: str) -> str:
    parts = line.split(mark)
    if len(parts) < 3:
        return line
    out = [parts[0]]
    for index, part in enumerate(parts[1:], start=1):
        closing = index == len(parts) - 1 and index % 2 == 1
        out.append((mark if closing else markdown) + part)
    return "".join(out)


def _scene_ids(names: list[str]) -> dict[str, str]:
    """A valid, unique scene id for each passage name (valid names are kept as they are)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if is_id(name) and name not in taken:
            out[name] = name
            taken.add(name)
    for number, name in enumerate(names, start=1):
        if name in out:
            continue
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-._")
        base = slug if slug and is_id(slug) else f"passage-{number}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        out[name] = candidate
        taken.add(candidate)
    return out


def to_yaml(story: dict[str, object], schema_ref: str | None = None) -> str:
    """A format v1 story dict as YAML text (multi-line text in block style), with the schema comment on top."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, text)
    body = yaml.dump(story, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    header = f"# yaml-language-server: $schema={schema_ref}\n" if schema_ref else ""
    return header + "# Imported from Twee 3 by 'crossroads import'; check it with 'crossroads check'.\n" + body
