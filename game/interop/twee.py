"""Twine interop: export a story as Twee 3, and import a Twee 3 story as format v1 YAML.

Export writes ``StoryTitle``, ``StoryData`` (with an IFID that is a UUID5 of the story id, so it is stable
from one export to the next) and one passage per scene, named by the scene id: a ``## title`` line, the
scene's text in one language, and one link ``[[what the player says->target]]`` per choice. Endings carry
the tag ``ending-safe``, ``ending-mixed`` or ``ending-bad``. Passages get grid positions by depth from the
start, so Twine 2's map opens laid out. Conditions, effects, variables and other languages do not travel:
Twee is for reshaping the graph.

Import reads Twee 3 (passage headers ``:: name [tags] {metadata}``, with the ``\\``-escapes of ``[ ] { } \\``
in names) and recognises the plain link forms ``[[target]]``, ``[[text->target]]``, ``[[target<-text]]`` and
``[[text|target]]``. Story-format macros (Harlowe ``(set:)``, SugarCube ``<<if>>``, Snowman ``<% %>``...)
are kept as text, with one warning per passage that has any.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field

from game.model import Story

IFID_NAMESPACE = uuid.UUID("5b4c1b36-52b4-4f5e-9d7e-63726f737372")
ENDING_TAG = re.compile(r"^ending-(safe|mixed|bad)$")
SPECIAL_PASSAGES = ("StoryTitle", "StoryData")
IGNORED_TAGS = ("script", "stylesheet", "Twine.private")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_LINK = re.compile(r"\[\[((?:[^\]]|\](?!\]))+)\]\]")
_MACRO = re.compile(
    r"\((?:[A-Za-z][\w-]*):"  # Harlowe (set: ...)
    r"|<<\s*/?[A-Za-z]"  # SugarCube <<if ...>>
    r"|<%"  # Snowman <% ... %>
    r"|\{(?:embed|reveal|restart|back|cycling|dropdown|text input|link to)\b"  # Chapbook inserts
    r"|\$[A-Za-z_]\w*"  # story-format variables
)


def ifid_for(story_id: str) -> str:
    """The stable IFID of a story: an uppercase UUID5 of its id."""
    return str(uuid.uuid5(IFID_NAMESPACE, story_id)).upper()


# -- export ----------------------------------------------------------------------------------------------


def escape_name(name: str) -> str:
    """A passage name with Twee 3's escapes for ``\\ [ ] { }``."""
    return re.sub(r"([\\\[\]{}])", r"\\\1", name)


def _link_text(text: str) -> str:
    """Choice text that cannot be mistaken for link syntax."""
    text = " ".join(text.split())
    return text.replace("]]", "] ]").replace("<-", "< -").replace("->", "- >").replace("|", "/").replace("][", "] [")


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


def export_twee(story: Story, lang: str | None = None) -> str:
    """The story as Twee 3 text."""
    lang = lang if lang in story.languages else story.default_language
    fallback = story.default_language
    data = {
        "ifid": ifid_for(story.id),
        "format": "Harlowe",
        "format-version": "3.3.9",
        "start": story.start,
        "zoom": 1,
    }
    parts = [
        ":: StoryTitle\n" + " ".join(story.title.get(lang, fallback).split()),
        ":: StoryData\n" + json.dumps(data, indent=2),
    ]
    positions = _layout(story)
    for scene_id, scene in story.scenes.items():
        tags = f" [ending-{scene.ending.kind}]" if scene.ending is not None else ""
        x, y = positions[scene_id]
        meta = json.dumps({"position": f"{x},{y}", "size": "100,100"}, separators=(",", ":"))
        body = [f"## {' '.join(scene.title.get(lang, fallback).split())}"]
        text = "\n\n".join(b.text.get(lang, fallback).strip() for b in scene.blocks if b.text.get(lang, fallback))
        if text:
            body.append(_protect_passage_text(text))
        links = [f"[[{_link_text(c.say.get(lang, fallback))}->{c.target}]]" for c in scene.choices]
        if links:
            body.append("\n".join(links))
        parts.append(f":: {escape_name(scene_id)}{tags} {meta}\n" + "\n\n".join(body))
    return "\n\n\n".join(parts) + "\n"


def _protect_passage_text(text: str) -> str:
    """Scene text that cannot start a new passage (a line beginning ``::``) or hold a link."""
    lines = [("\\" + line) if line.startswith("::") else line for line in text.splitlines()]
    return "\n".join(lines).replace("[[", "[ [")


# -- import ----------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Passage:
    """One Twee passage: its (unescaped) name, tags, metadata, text, and the line its header is on."""

    name: str
    tags: list[str]
    metadata: dict[str, object]
    text: str
    line: int


@dataclass(slots=True)
class TweeImport:
    """The result of an import: the story as a YAML-ready dict, and warnings (``line: message``)."""

    story: dict[str, object] | None
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class TweeError(ValueError):
    """A Twee file that cannot be imported; the message names the line."""


def parse_header(header: str, line: int) -> tuple[str, list[str], dict[str, object]]:
    """Split a passage header (after ``::``) into its unescaped name, tags and metadata."""
    name_chars: list[str] = []
    i = 0
    while i < len(header):
        char = header[i]
        if char == "\\" and i + 1 < len(header):
            name_chars.append(header[i + 1])
            i += 2
            continue
        if char in "[{":
            break
        name_chars.append(char)
        i += 1
    name = "".join(name_chars).strip()
    rest = header[i:].strip()
    tags: list[str] = []
    metadata: dict[str, object] = {}
    if rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            raise TweeError(f"line {line}: passage tags '[' are not closed")
        tags = rest[1:end].split()
        rest = rest[end + 1 :].strip()
    if rest.startswith("{"):
        try:
            loaded = json.loads(rest)
        except json.JSONDecodeError:
            loaded = None
        metadata = loaded if isinstance(loaded, dict) else {}
    if not name:
        raise TweeError(f"line {line}: a passage header needs a name")
    return name, tags, metadata


def parse_passages(text: str) -> list[Passage]:
    """Split Twee 3 text into passages (text before the first header is ignored, as Twee specifies)."""
    passages: list[Passage] = []
    current: tuple[str, list[str], dict[str, object], int] | None = None
    body: list[str] = []
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if raw.startswith("::"):
            if current is not None:
                passages.append(Passage(current[0], current[1], current[2], "\n".join(body).strip("\n"), current[3]))
            name, tags, metadata = parse_header(raw[2:], number)
            current = (name, tags, metadata, number)
            body = []
        elif current is not None:
            body.append(raw[1:] if raw.startswith("\\::") else raw)
    if current is not None:
        passages.append(Passage(current[0], current[1], current[2], "\n".join(body).strip("\n"), current[3]))
    return passages


def parse_link(inner: str) -> tuple[str, str]:
    """(text, target) of a link's inside, following Twine 2's rules for ``->``, ``<-`` and ``|``."""
    inner = re.sub(r"\]\[.*$", "", inner)  # a [[link][setter]] setter is dropped
    left = re.match(r"^((?:[^<]|<(?!-))+)<-(.*)$", inner)
    if left:
        return left.group(2).strip(), left.group(1).strip()
    right = re.match(r"^(.*)->((?:[^>]|>(?!>))+)$", inner)
    if right:
        return right.group(1).strip(), right.group(2).strip()
    if "|" in inner:
        text, _, target = inner.rpartition("|")
        return text.strip(), target.strip()
    return inner.strip(), inner.strip()


def _scene_ids(names: list[str]) -> dict[str, str]:
    """A valid, unique scene id for each passage name (valid names are kept as they are)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if ID_PATTERN.match(name) and name not in taken:
            out[name] = name
            taken.add(name)
    for number, name in enumerate(names, start=1):
        if name in out:
            continue
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-._")
        base = slug if slug and ID_PATTERN.match(slug) else f"passage-{number}"
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        out[name] = candidate
        taken.add(candidate)
    return out


def import_twee(text: str, source: str = "story.twee") -> TweeImport:
    """Convert Twee 3 text into a format v1 story dict; raises :class:`TweeError` when it cannot."""
    passages = parse_passages(text)
    warnings: list[str] = []
    title = "Imported story"
    data: dict[str, object] = {}
    story_passages: list[Passage] = []
    seen: dict[str, int] = {}
    for passage in passages:
        if passage.name in seen:
            raise TweeError(
                f"{source}:{passage.line}: passage '{passage.name}' is defined twice (first at line "
                f"{seen[passage.name]})"
            )
        seen[passage.name] = passage.line
        if passage.name == "StoryTitle":
            title = " ".join(passage.text.split()) or title
        elif passage.name == "StoryData":
            try:
                loaded = json.loads(passage.text or "{}")
            except json.JSONDecodeError as exc:
                raise TweeError(
                    f"{source}:{passage.line + exc.lineno}: StoryData is not valid JSON: {exc.msg}"
                ) from None
            data = loaded if isinstance(loaded, dict) else {}
        elif any(tag in IGNORED_TAGS for tag in passage.tags):
            warnings.append(f"{source}:{passage.line}: passage '{passage.name}' ({', '.join(passage.tags)}) skipped")
        else:
            story_passages.append(passage)
    if not story_passages:
        raise TweeError(f"{source}: no story passages found (a passage starts with a line ':: name')")
    ids = _scene_ids([p.name for p in story_passages])
    start_name = data.get("start") if isinstance(data.get("start"), str) else None
    if start_name not in ids:
        start_name = "Start" if "Start" in ids else story_passages[0].name
    scenes: dict[str, object] = {}
    for passage in story_passages:
        scenes[ids[passage.name]] = _scene(passage, ids, warnings, source)
    story_id = re.sub(r"[^A-Za-z0-9_.-]+", "-", title.lower()).strip("-._") or "imported"
    if not ID_PATTERN.match(story_id):
        story_id = "imported"
    story = {
        "crossroads": 1,
        "id": story_id,
        "title": _literal(title),
        "languages": ["en"],
        "start": ids[start_name],  # type: ignore[index]
        "scenes": scenes,
    }
    return TweeImport(story, warnings)


def _scene(passage: Passage, ids: dict[str, str], warnings: list[str], source: str) -> dict[str, object]:
    lines = passage.text.splitlines()
    title = passage.name
    if lines and lines[0].startswith("## "):
        title = lines[0][3:].strip() or title
        lines = lines[1:]
    choices: list[dict[str, object]] = []
    kept: list[str] = []
    for line in lines:
        found = list(_LINK.finditer(line))
        for match in found:
            say, target = parse_link(match.group(1))
            if target not in ids:
                warnings.append(
                    f"{source}:{passage.line}: passage '{passage.name}' links to '{target}', which does not exist; "
                    "the link is left out"
                )
                continue
            choices.append({"say": _literal(say or target), "go": ids[target]})
        rest = _LINK.sub(lambda m: parse_link(m.group(1))[0], line)
        if found and not _LINK.sub("", line).strip():
            continue  # a line of links only: they became choices
        kept.append(rest)
    body = "\n".join(kept).strip()
    macro = _MACRO.search(body)
    if macro:
        warnings.append(
            f"{source}:{passage.line}: passage '{passage.name}' uses story-format code (e.g. "
            f"'{macro.group(0)}'), kept as plain text; rewrite it with Crossroads 'if' and 'set'"
        )
    scene: dict[str, object] = {"title": _literal(title)}
    if body:
        scene["text"] = _literal(body)
    ending_kind = next((m.group(1) for t in passage.tags if (m := ENDING_TAG.match(t))), None)
    if choices and ending_kind is None:
        scene["choices"] = choices
    else:
        if choices:
            warnings.append(
                f"{source}:{passage.line}: passage '{passage.name}' is tagged as an ending; its links are left out"
            )
        scene["ending"] = {"kind": ending_kind or "mixed", "title": _literal(title)}
    return scene


def _literal(text: str) -> str:
    """Twee text as Crossroads text: braces doubled, since ``{name}`` would interpolate a variable."""
    return text.replace("{", "{{").replace("}", "}}")


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
