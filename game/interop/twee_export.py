"""Crossroads → Twee 3, for Twine 2, in Harlowe, SugarCube or Chapbook.

Writes ``StoryTitle``, ``StoryData`` (the story's own ``ifid``, else a new random v4 UUID; the story
format and its version; the start passage), the variables' defaults (Harlowe: a ``startup`` passage;
SugarCube: ``StoryInit``; Chapbook: the start passage's vars section), and one passage per scene named by
the scene id: a title line, the on-enter assignments, the text one line per paragraph (through the prose
module, emphasis in the format's own marks), conditional text, and one link per choice (a choice with a
condition or effects becomes the format's conditional / setter link). Endings carry the tag
``ending-safe``, ``ending-mixed`` or ``ending-bad``; passages are laid out by depth from the start.

Literal braces are written as ``&#123;`` / ``&#125;`` (every format shows them as braces, and import reads
them back), so ``export`` → ``import`` → ``export`` gives the same bytes. What a format cannot say (Chapbook
has no setter links; Harlowe and Chapbook no ``visits()``; no format here has ``//`` or ``%``) is left out
with a warning.
"""

from __future__ import annotations

import itertools
import json
import re
import uuid
from dataclasses import dataclass, field

from game.diagnostics import Diagnostic, Location, Severity
from game.interop.twee_expr import from_crossroads
from game.interop.twee_parse import escape_name
from game.model import Choice, Scene, Story
from game.prose import CHAPBOOK, HARLOWE, SUGARCUBE, to_paragraphs

FORMATS = {
    "harlowe": ("Harlowe", "3.3.9"),
    "sugarcube": ("SugarCube", "2.37.3"),
    "chapbook": ("Chapbook", "2.2.0"),
}
MARKS = {"harlowe": HARLOWE, "sugarcube": SUGARCUBE, "chapbook": CHAPBOOK}
"""How each story format writes emphasis, links and lists (presets of :mod:`game.prose`)."""
_INTERPOLATION = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
paragraphs = to_paragraphs
"""One line per paragraph, heading or list item: the prose module's, the one place Markdown becomes output."""


@dataclass(slots=True)
class TweeExport:
    """Twee text, and warnings about what the target story format could not carry."""

    text: str
    warnings: list[Diagnostic] = field(default_factory=list)


class _Writer:
    """One export: the story, the language, the target format, and the warnings found."""

    def __init__(self, story: Story, lang: str | None, fmt: str) -> None:
        self.story = story
        self.lang = lang if lang in story.languages else story.default_language
        self.fmt = fmt
        self.warnings: list[Diagnostic] = []

    def warn(self, message: str, location: Location | None) -> None:
        where = location or Location(self.story.files[0] if self.story.files else self.story.id)
        self.warnings.append(Diagnostic("CR420", message, where, Severity.WARNING))

    def get(self, text) -> str:
        return text.get(self.lang, self.story.default_language)

    def expr(self, source: str, what: str, location: Location | None) -> str | None:
        written = from_crossroads(source, self.fmt)
        if written is None:
            self.warn(f"{what} '{source}' cannot be written in {FORMATS[self.fmt][0]}; it is left out", location)
        return written

    def text(self, text: str) -> str:
        """Scene text as the format's text: paragraphs one per line, variables and literal braces converted."""
        lines = paragraphs(text, MARKS[self.fmt])
        body = "\n\n".join(self.inline(line) for line in lines)
        protected = ["\\" + line if line.startswith("::") else line for line in body.split("\n")]
        return "\n".join(protected).replace("[[", "[ [")

    def inline(self, text: str) -> str:
        def convert(match: re.Match[str]) -> str:
            token = match.group(0)
            if token in ("{{", "{"):
                return "&#123;"
            if token in ("}}", "}"):
                return "&#125;"
            name = match.group(1)
            return "{" + name + "}" if self.fmt == "chapbook" else "$" + name

        return _INTERPOLATION.sub(convert, text)

    def say(self, choice: Choice) -> str:
        text = " ".join(self.get(choice.say).split()).replace("{{", "{").replace("}}", "}")
        return (
            text.replace("]]", "] ]").replace("<-", "< -").replace("->", "- >").replace("|", "/").replace("][", "] [")
        )

    def assignment(self, name: str, source: str, location: Location | None) -> str | None:
        value = self.expr(source, f"'{name}' set to", location)
        if value is None:
            return None
        if self.fmt == "chapbook":
            return f"{name}: {value}"
        return f"${name} to {value}"

    def run(self) -> str:
        name, version = FORMATS[self.fmt]
        data = {
            "ifid": self.story.ifid or str(uuid.uuid4()).upper(),
            "format": name,
            "format-version": version,
            "start": self.story.start,
            "zoom": 1,
        }
        parts = [
            ":: StoryTitle\n" + " ".join(self.get(self.story.title).split()),
            ":: StoryData\n" + json.dumps(data, indent=2),
        ]
        defaults = [
            line
            for var in self.story.variables.values()
            if (line := self.assignment(var.name, _literal_source(var.default), var.location))
        ]
        if defaults and self.fmt == "harlowe":
            # A startup passage's text is shown atop the first page: { } collapses its line breaks to nothing
            sets = "\n".join(f"(set: {line})" for line in defaults)
            parts.append(":: StoryInit [startup]\n{\n" + sets + "\n}")
        elif defaults and self.fmt == "sugarcube":
            parts.append(":: StoryInit\n" + "\n".join(f"<<set {line}>>" for line in defaults))
        positions = _layout(self.story)
        for scene_id, scene in self.story.scenes.items():
            tags = f" [ending-{scene.ending.kind}]" if scene.ending is not None else ""
            x, y = positions[scene_id]
            meta = json.dumps({"position": f"{x},{y}", "size": "100,100"}, separators=(",", ":"))
            start_vars = defaults if self.fmt == "chapbook" and scene_id == self.story.start else []
            parts.append(f":: {escape_name(scene_id)}{tags} {meta}\n" + self.passage(scene, start_vars))
        return "\n\n\n".join(parts) + "\n"

    def passage(self, scene: Scene, start_vars: list[str]) -> str:
        sets = [
            line for effect in scene.on_enter
            if (line := self.assignment(effect.variable, effect.expr.source, scene.location))
        ]  # fmt: skip
        heading = ("!! " if self.fmt == "sugarcube" else "## ") + " ".join(self.get(scene.title).split())
        # (text, carries its own separator): Harlowe and SugarCube show every line break, so a section that may
        # show nothing (a (set:), a false (if:)) holds the blank line after it, and leaves no gap on the page.
        sections: list[tuple[str, bool]] = [(heading, False)]
        if self.fmt == "chapbook" and (sets or start_vars):
            sections = [("\n".join([*start_vars, *sets, "--", heading]), False)]
        elif sets and self.fmt == "harlowe":
            sections.append(("".join(f"(set: {line})" for line in sets), True))
        elif sets and self.fmt == "sugarcube":
            sections.append(("".join(f"<<set {line}>>" for line in sets), True))
        for block in scene.blocks:
            text = self.get(block.text)
            if not text.strip():
                continue
            written = self.text(text)
            condition = self.expr(block.condition.source, "a condition", scene.location) if block.condition else None
            if condition:
                sections.append((self.conditional(condition, written, "\n\n"), self.fmt != "chapbook"))
            else:
                sections.append((written, False))
        if scene.choices:
            sections.append((_joined([self.link(choice) for choice in scene.choices], "\n"), False))
        return _joined(sections, "\n\n")

    def conditional(self, condition: str, text: str, separator: str) -> str:
        """Text shown only when ``condition`` holds; in Harlowe and SugarCube it ends with the ``separator``
        from what follows, so that it goes too when the text is not shown (see :func:`_joined`)."""
        if self.fmt == "harlowe":
            return f"(if: {condition})[{text}{separator}]"
        if self.fmt == "sugarcube":
            return f"<<if {condition}>>{text}{separator}<</if>>"
        return f"[if {condition}]\n{text}\n[continue]"

    def link(self, choice: Choice) -> tuple[str, bool]:
        """The choice as a link, and whether it carries its own line break (a link shown only at times)."""
        say = self.say(choice)
        target = choice.target
        effects = [
            line for effect in choice.effects
            if (line := self.assignment(effect.variable, effect.expr.source, choice.location))
        ]  # fmt: skip
        if effects and self.fmt == "harlowe":
            sets = "".join(f"(set: {line})" for line in effects)
            written = f"(link: {json.dumps(say, ensure_ascii=False)})[{sets}(go-to: {json.dumps(target)})]"
        elif effects and self.fmt == "sugarcube":
            written = f"[[{say}|{target}][{', '.join(effects)}]]"
        else:
            if effects:
                self.warn(
                    f"the effects of choice '{say}' cannot be written in Chapbook; they are left out", choice.location
                )
            written = f"[[{say}->{target}]]"
        condition = None
        if choice.condition is not None:
            condition = self.expr(choice.condition.source, "a choice's condition", choice.location)
        if condition is None:
            return written, False
        return self.conditional(condition, written, "\n"), self.fmt != "chapbook"


def _joined(sections: list[tuple[str, bool]], separator: str) -> str:
    """Sections joined by ``separator``, except after one that carries its own (it may show nothing: a
    Harlowe or SugarCube (set:) or false (if:) hook, whose line breaks would otherwise stay on the page)."""
    out = sections[0][0] if sections else ""
    for (_, carries), (section, _) in itertools.pairwise(sections):
        out += section if carries else separator + section
    return out


def _literal_source(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _layout(story: Story) -> dict[str, tuple[int, int]]:
    """Grid positions: rows by breadth-first depth from the start, unreached scenes in a last row."""
    depth = {story.start: 0}
    order = [story.start]
    for scene_id in order:
        for choice in story.scenes[scene_id].choices:
            if choice.target not in depth:
                depth[choice.target] = depth[scene_id] + 1
                order.append(choice.target)
    last = max(depth.values(), default=0) + 1
    for scene_id in story.scenes:
        if scene_id not in depth:
            depth[scene_id] = last
            order.append(scene_id)
    column: dict[int, int] = {}
    out = {}
    for scene_id in order:
        row = depth[scene_id]
        out[scene_id] = (100 + 150 * column.get(row, 0), 100 + 150 * row)
        column[row] = column.get(row, 0) + 1
    return out


def export_twee(story: Story, lang: str | None = None, story_format: str = "harlowe") -> TweeExport:
    """The story as Twee 3 for ``story_format`` (harlowe, sugarcube or chapbook), with warnings."""
    writer = _Writer(story, lang, story_format)
    return TweeExport(writer.run(), writer.warnings)
