"""Load a story folder or file into the model, reporting every problem with its exact location.

The loader reads ``story.yaml`` (and the files it includes) through :mod:`game.yamlsource`, which composes
YAML safely, then walks the node tree with the schema of format v1 in hand. It never stops at the first
problem: it collects every diagnostic (unknown keys with suggestions, wrong types, missing fields, dangling
targets, expression errors, include paths that leave the folder...) and raises :class:`StoryError` with all
of them when any is an error. Warnings (missing translations, unreachable scenes) ride along on the result.
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from game import FORMAT_VERSION
from game.diagnostics import Diagnostic, Location, Severity, StoryError, did_you_mean, sort_diagnostics
from game.expr import RESERVED, STRING_LIMIT, TYPE_NAMES, Expr, ExprError, compile_expr, type_of
from game.ids import ID_RULE, is_id, is_language, is_var_name
from game.model import (
    DEFAULT_BRIEF,
    DEFAULT_CLASS_MINUTES,
    DEFAULT_QUICK_MINUTES,
    ENDING_KINDS,
    TAG_KINDS,
    Choice,
    Debrief,
    Effect,
    Ending,
    ExitQuestion,
    Lesson,
    LessonStart,
    ReplayStep,
    Scene,
    Story,
    Tag,
    Text,
    TextBlock,
    Variable,
    interpolation_names,
)
from game.paths import ENTRY_FILE, display_path
from game.yamlsource import (
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    kind_name,
    node_location,
    read_document,
    scalar_value,
)

_HAS_LETTER = re.compile(r"[^\W\d_]")
MAX_CHOICES = 50
"""The most choices one scene may offer (CR057): far above any real story, low enough to draw fast."""
IFID_PATTERN = re.compile(r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")

ROOT_KEYS = (
    "crossroads",
    "id",
    "title",
    "languages",
    "start",
    "blurb",
    "content_note",
    "authors",
    "ifid",
    "vars",
    "tags",
    "include",
    "scenes",
    "lessons",
)
INCLUDED_KEYS = ("vars", "tags", "scenes")
SCENE_KEYS = ("title", "chapter", "text", "ask", "set", "discuss", "choices", "ending", "debrief")
CHOICE_KEYS = ("say", "go", "if", "locked", "set", "tags", "once")
VAR_KEYS = ("type", "default", "min", "max", "label", "show")
TAG_KEYS = ("kind", "title", "explain")
ENDING_KEYS = ("kind", "title", "summary")
DEBRIEF_KEYS = ("what", "so_what", "now_what")
LESSON_KEYS = (
    "id",
    "title",
    "minutes",
    "brief",
    "debrief",
    "pace",
    "class_minutes",
    "quick_minutes",
    "class",
    "start",
    "objectives",
    "exit_ticket",
)
LESSON_START_KEYS = ("replay", "recap")
REPLAY_KEYS = ("scene", "choice")
EXIT_TICKET_KEYS = ("q", "a")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What :func:`check_story` returns: the story (None when errors stop it) and every diagnostic."""

    story: Story | None
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        """Error-level diagnostics only."""
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Warning-level diagnostics only."""
        return [d for d in self.diagnostics if not d.is_error]


def resolve_entry(path: str | Path) -> Path:
    """The story's entry file: ``path`` itself, or ``path/story.yaml`` for a folder."""
    candidate = Path(path)
    if candidate.is_dir():
        return candidate / ENTRY_FILE
    return candidate


def load_story(path: str | Path, cache: bool = False) -> Story:
    """Load a story, raising :class:`StoryError` (with every diagnostic) if it has errors.

    With ``cache=True`` an unchanged story is read from the compiled cache (:mod:`game.cache`), and a clean
    load from YAML is stored there; any cache problem silently falls back to the YAML.
    """
    if cache:
        from game import cache as compiled

        cached = compiled.load_cached(resolve_entry(path))
        if cached is not None:
            return cached
    result = check_story(path)
    if result.story is None or result.errors:
        raise StoryError(result.diagnostics)
    if cache:
        compiled.store(resolve_entry(path), result.story)
    return result.story


def check_story(path: str | Path) -> LoadResult:
    """Load a story and return it with all diagnostics; the story is None when there are errors."""
    entry = resolve_entry(path)
    collecting = gc.isenabled()
    gc.disable()  # a load builds a large, acyclic node tree: cyclic GC passes during it only cost time
    try:
        return _StoryLoader(entry).load()
    finally:
        if collecting:
            gc.enable()


class _StoryLoader:
    """One load of one story: holds the diagnostics and the declarations seen so far."""

    def __init__(self, entry: Path) -> None:
        self.entry = entry
        self.root_dir = entry.parent
        self.diagnostics: list[Diagnostic] = []
        self.languages: tuple[str, ...] = ("en",)
        self.languages_broken = False
        self.variables: dict[str, Variable] = {}
        self.var_types: dict[str, str] = {}
        self.tags: dict[str, Tag] = {}
        self.scene_nodes: dict[str, tuple[str, Node, Node]] = {}
        self.compiled: dict[tuple[str, str | None], Expr] = {}
        self.interpolated: set[str] = set()
        self.hash = hashlib.sha256()
        self.files: list[str] = []
        self.path = display_path(entry)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    # -- reporting ---------------------------------------------------------------------------------

    def error(self, code: str, message: str, node: Node | None = None, location: Location | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, location or self.where(node)))

    def warn(self, code: str, message: str, node: Node | None = None, location: Location | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, location or self.where(node), Severity.WARNING))

    def where(self, node: Node | None) -> Location:
        return node_location(self.path, node) if node is not None else Location(self.path)

    # -- the load ----------------------------------------------------------------------------------

    def load(self) -> LoadResult:
        root = self.read_file(self.entry)
        if root is None:
            return LoadResult(None, sort_diagnostics(self.diagnostics))
        items = self.mapping(root, "the story file")
        if items is None:
            return LoadResult(None, sort_diagnostics(self.diagnostics))
        fields = self.fields(items, ROOT_KEYS, ("crossroads", "id", "title", "start", "scenes"), root, "story")
        self.check_version(fields.get("crossroads"))
        self.languages = self.parse_languages(fields.get("languages"))
        sections: list[tuple[str, dict[str, Node]]] = [(self.path, fields)]
        root_path = self.path
        for include_path, _include_node in self.include_paths(fields.get("include")):
            included = self.read_file(include_path)
            if included is None:
                continue
            inc_items = self.mapping(included, "an included file")
            if inc_items is not None:
                sections.append((self.path, self.fields(inc_items, INCLUDED_KEYS, (), included, "included file")))
            self.path = root_path
        for path, section in sections:
            self.path = path
            self.declare_vars(section.get("vars"))
        for path, section in sections:
            self.path = path
            self.declare_tags(section.get("tags"))
        for path, section in sections:
            self.path = path
            self.collect_scenes(section.get("scenes"))
        self.path = root_path
        story_id = self.identifier(fields.get("id"), "story id")
        title = self.text(fields.get("title"))
        start = self.scalar_str(fields.get("start"), "start scene")
        if start is not None and start not in self.scene_nodes and "scenes" in fields:
            self.error(
                "CR020",
                f"start scene '{start}' does not exist{did_you_mean(start, self.scene_nodes)}",
                fields.get("start"),
            )
        blurb = self.text(fields["blurb"]) if "blurb" in fields else None
        note = self.text(fields["content_note"]) if "content_note" in fields else None
        authors = self.string_list(fields.get("authors"), "authors")
        ifid = self.ifid(fields.get("ifid"))
        scenes = {scene_id: self.parse_scene(scene_id, *info) for scene_id, info in self.scene_nodes.items()}
        self.path = root_path
        lessons = self.lessons(fields.get("lessons"), scenes)
        if start in scenes and not any(d.is_error for d in self.diagnostics):
            self.check_reachability(scenes, start)
            self.check_unused_variables()
            self.check_growing_text(scenes)
        diagnostics = sort_diagnostics(self.diagnostics)
        if any(d.is_error for d in diagnostics) or story_id is None or title is None or start is None:
            return LoadResult(None, diagnostics)
        story = Story(
            id=story_id,
            title=title,
            languages=self.languages,
            start=start,
            scenes=scenes,
            variables=self.variables,
            tags=self.tags,
            blurb=blurb,
            content_note=note,
            authors=tuple(authors),
            ifid=ifid,
            format_version=FORMAT_VERSION,
            content_hash=self.hash.hexdigest(),
            root=str(self.root_dir.resolve()),
            files=tuple(self.files),
            lessons=lessons,
        )
        return LoadResult(story, diagnostics)

    def read_file(self, path: Path) -> Node | None:
        self.path = display_path(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            self.error("CR041", "file not found" if path == self.entry else "included file not found")
            return None
        except IsADirectoryError:
            self.error("CR041", "expected a file, found a folder")
            return None
        except OSError as exc:
            self.error("CR041", f"cannot read file: {exc.strerror or exc}")
            return None
        relative = path.name if path == self.entry else str(path.relative_to(self.root_dir))
        self.hash.update(relative.encode() + b"\0" + data + b"\0")
        self.files.append(str(path))
        document, problems = read_document(self.path, data)
        self.diagnostics.extend(problems)
        if document is None:
            return None
        if document.root is None:
            self.error("CR012", "file is empty; a story file is a mapping with 'crossroads: 1', 'id', 'title'...")
            return None
        return document.root

    # -- generic node helpers --------------------------------------------------------------------

    def mapping(self, node: Node, what: str, example: str = "") -> list[tuple[str, Node, Node]] | None:
        if not isinstance(node, MappingNode):
            hint = f", e.g. {example}" if example else ""
            self.error("CR011", f"expected {what} to be a mapping (key: value){hint}, got {kind_name(node)}", node)
            return None
        seen: dict[str, Node] = {}
        items: list[tuple[str, Node, Node]] = []
        for key_node, value_node in node.value:
            key = scalar_value(key_node) if isinstance(key_node, ScalarNode) else None
            if isinstance(key, bool) or key is None or isinstance(key, float) or not isinstance(key_node, ScalarNode):
                self.error("CR011", f"keys must be plain names, got {kind_name(key_node)}", key_node)
                continue
            key = str(key)
            if key in seen:
                first = self.where(seen[key])
                self.error(
                    "CR013", f"duplicate key '{key}' (first at line {first.line}); YAML keeps only one", key_node
                )
                continue
            seen[key] = key_node
            items.append((key, key_node, value_node))
        return items

    def fields(
        self,
        items: list[tuple[str, Node, Node]],
        allowed: tuple[str, ...],
        required: tuple[str, ...],
        node: Node,
        what: str,
    ) -> dict[str, Node]:
        out: dict[str, Node] = {}
        suggested: set[str] = set()
        for key, key_node, value in items:
            if key not in allowed:
                hint = did_you_mean(key, allowed)
                if hint:
                    suggested.add(hint.split("'")[1])
                else:
                    hint = f" (expected one of: {', '.join(allowed)})"
                self.error("CR010", f"unknown key '{key}' in {what}{hint}", key_node)
                continue
            out[key] = value
        for key in required:
            if key not in out and key not in suggested:
                advice = " (add 'crossroads: 1' as the first line)" if key == "crossroads" else ""
                self.error("CR012", f"{what} is missing required key '{key}'{advice}", node)
        return out

    def scalar_str(self, node: Node | None, what: str) -> str | None:
        if node is None:
            return None
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, str) and value:
            return value
        self.error("CR011", f"expected {what} to be text, got {kind_name(node)}", node)
        return None

    def identifier(self, node: Node | None, what: str) -> str | None:
        value = self.scalar_str(node, what)
        if value is not None and not is_id(value):
            self.error("CR014", f"{what} {value[:80]!r} must be {ID_RULE}{_kept_saves(value)}", node)
            return None
        return value

    def ifid(self, node: Node | None) -> str | None:
        """The story's Interactive Fiction ID (kept through Twee export and import): a UUID, 8-4-4-4-12 hex digits."""
        value = self.scalar_str(node, "ifid")
        if value is not None and not IFID_PATTERN.fullmatch(value):
            self.error("CR400", f"ifid '{value}' is not a UUID (8-4-4-4-12 hexadecimal digits)", node)
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool:
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, bool):
            return value
        self.error("CR011", f"expected {what} to be true or false, got {kind_name(node)}", node)
        return False

    def integer(self, node: Node, what: str) -> int | None:
        value = scalar_value(node) if isinstance(node, ScalarNode) else None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.error("CR011", f"expected {what} to be a whole number, got {kind_name(node)}", node)
        return None

    def sequence(self, node: Node, what: str) -> list[Node]:
        if isinstance(node, SequenceNode):
            return list(node.value)
        self.error("CR011", f"expected {what} to be a list, got {kind_name(node)}", node)
        return []

    def string_list(self, node: Node | None, what: str) -> list[str]:
        if node is None:
            return []
        out = []
        for item in self.sequence(node, what):
            value = self.scalar_str(item, f"each entry of {what}")
            if value is not None:
                out.append(value)
        return out

    # -- metadata ----------------------------------------------------------------------------------

    def check_version(self, node: Node | None) -> None:
        if node is None:
            return
        version = self.integer(node, "'crossroads' (the format version)")
        if version is not None and version != FORMAT_VERSION:
            self.error(
                "CR100",
                f"format version {version} is not supported; this Crossroads reads version {FORMAT_VERSION}",
                node,
            )

    def parse_languages(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ("en",)
        languages: list[str] = []
        errors_before = len(self.diagnostics)
        if not isinstance(node, SequenceNode):
            self.error("CR011", f"expected languages to be a list like [en, zh], got {kind_name(node)}", node)
            self.languages_broken = True
            return ("en",)
        for item in self.sequence(node, "languages"):
            code = self.scalar_str(item, "a language code")
            if code is None:
                continue
            if not is_language(code):
                self.error("CR014", f"'{code}' is not a language code like 'en' or 'zh'", item)
            elif code in languages:
                self.error("CR013", f"language '{code}' is listed twice", item)
            else:
                languages.append(code)
        self.languages_broken = len(self.diagnostics) > errors_before
        if not languages:
            self.error("CR012", "languages must list at least one language code", node)
            self.languages_broken = True
            return ("en",)
        return tuple(languages)

    def include_paths(self, node: Node | None) -> Iterable[tuple[Path, Node]]:
        if node is None:
            return []
        out: list[tuple[Path, Node]] = []
        root = self.root_dir.resolve()
        seen: set[Path] = {self.entry.resolve()}
        for item in self.sequence(node, "include"):
            name = self.scalar_str(item, "an include path")
            if name is None:
                continue
            candidate = Path(name)
            try:
                resolved = (self.root_dir / candidate).resolve()
                found = resolved.is_file()
            except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL byte...
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                self.error("CR041", f"included file {name[:80]!r} cannot be read: {why}", item)
                continue
            if candidate.is_absolute() or not resolved.is_relative_to(root):
                self.error(
                    "CR040", f"include '{name}' is outside the story's folder; includes must stay inside it", item
                )
                continue
            if resolved in seen:
                self.error("CR042", f"'{name}' is included more than once", item)
                continue
            seen.add(resolved)
            if not found:
                self.error("CR041", f"included file '{name}' not found", item)
                continue
            out.append((self.root_dir / candidate, item))
        return out

    # -- text ----------------------------------------------------------------------------------------

    def text(self, node: Node | None, allow_if: bool = False) -> Text | None:
        """Parse a text value: a plain string (any language) or a map of language -> string."""
        if node is None:
            return None
        if isinstance(node, ScalarNode):
            value = scalar_value(node)
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                text = str(value)
                self.check_interpolation(text, node)
                if len(self.languages) > 1 and _HAS_LETTER.search(text):
                    self.warn(
                        "CR024",
                        f"untranslated text in a story with languages {', '.join(self.languages)}; "
                        f"write {{{self.languages[0]}: ..., {self.languages[1]}: ...}}",
                        node,
                    )
                return Text.plain(text)
            hint = ""
            if isinstance(value, bool) or value is None:
                hint = " (YAML reads yes/no/on/off/true/false/null as values, not text: put it in quotes)"
            self.error("CR011", f"expected text, got {kind_name(node)}{hint}", node)
            return None
        if not isinstance(node, MappingNode):
            self.error("CR011", f"expected text (a string or a map of language to string), got {kind_name(node)}", node)
            return None
        items = self.mapping(node, "text")
        if items is None:
            return None
        values: dict[str, str] = {}
        for key, key_node, value_node in items:
            if key == "if" and allow_if:
                continue
            if key not in self.languages and not self.languages_broken:
                extra = " ('if' belongs on a block in a scene's text list)" if key == "if" else ""
                if " " in key.strip():
                    extra = "; a comma inside { } ends the text early, so put the text in quotes"
                hint = did_you_mean(key, self.languages) or f" (this story's languages: {', '.join(self.languages)})"
                self.error("CR022", f"'{key}' is not one of the story's languages{hint}{extra}", key_node)
                continue
            value = scalar_value(value_node) if isinstance(value_node, ScalarNode) else None
            if not isinstance(value, str | int) or isinstance(value, bool):
                self.error(
                    "CR011", f"expected the '{key}' text to be a string, got {kind_name(value_node)}", value_node
                )
                continue
            values[key] = str(value)
            self.check_interpolation(str(value), value_node)
        if not values:
            self.error("CR012", "text has no language entries", node)
            return None
        missing = [lang for lang in self.languages if lang not in values]
        if missing and not self.languages_broken:
            shown = next((lang for lang in self.languages if lang in values), self.default_language)
            self.warn("CR023", f"missing translation: {', '.join(missing)} ({shown} is shown instead)", node)
        return Text(values)

    def check_interpolation(self, text: str, node: Node) -> None:
        if "{" not in text:
            return
        for name, offset in interpolation_names(text):
            self.interpolated.add(name)
            if name not in self.var_types:
                self.error(
                    "CR035",
                    f"'{{{name}}}' names no declared variable{did_you_mean(name, self.var_types)}"
                    " (write '{{' for a literal brace)",
                    node,
                    self.offset_location(node, offset),
                )

    def offset_location(self, node: Node, offset: int) -> Location:
        """The location of character ``offset`` inside a single-line scalar (else the scalar's start)."""
        base = self.where(node)
        if not isinstance(node, ScalarNode) or node.start_mark.line != node.end_mark.line:
            return base
        quote = 1 if node.style in ("'", '"') else 0
        return base.shifted(offset + quote)

    # -- expressions ---------------------------------------------------------------------------------

    def expr(self, node: Node, expected: str | None, what: str) -> Expr | None:
        if not isinstance(node, ScalarNode):
            self.error("CR011", f"expected {what} to be an expression in quotes, got {kind_name(node)}", node)
            return None
        value = scalar_value(node)
        if isinstance(value, bool):
            source = "true" if value else "false"
        elif isinstance(value, int | str):
            source = str(value)
        else:
            self.error("CR011", f"expected {what} to be an expression, got {kind_name(node)}", node)
            return None
        key = (source, expected)
        compiled = self.compiled.get(key)
        if compiled is not None:
            return compiled  # an Expr is immutable, so one compiled copy serves every use of the same source
        try:
            compiled = self.compiled[key] = compile_expr(source, self.var_types, self.scene_nodes, expected)
            return compiled
        except ExprError as exc:
            offset = exc.offset if isinstance(value, str) else 0
            self.error(exc.code, f"in {what}: {exc.message}", node, self.offset_location(node, offset))
            return None

    def effects(self, node: Node | None) -> tuple[Effect, ...]:
        if node is None:
            return ()
        items = self.mapping(node, "'set'")
        if items is None:
            return ()
        out = []
        for name, key_node, value_node in items:
            var = self.variables.get(name)
            if var is None:
                self.error(
                    "CR031", f"'set' names unknown variable '{name}'{did_you_mean(name, self.variables)}", key_node
                )
                continue
            compiled = self.expr(value_node, var.type, f"the new value of '{name}'")
            if compiled is not None:
                out.append(Effect(name, compiled))
        return tuple(out)

    # -- declarations ----------------------------------------------------------------------------

    def declare_vars(self, node: Node | None) -> None:
        if node is None:
            return
        items = self.mapping(node, "vars")
        for name, key_node, value_node in items or []:
            if not is_var_name(name) or name in RESERVED:
                self.error(
                    "CR014",
                    f"'{name}' cannot be a variable name (use letters, digits and '_', not a reserved word)",
                    key_node,
                )
                continue
            if name in self.variables:
                first = self.variables[name].location
                self.error("CR013", f"variable '{name}' is declared twice (first at {first})", key_node)
                continue
            variable = self.parse_var(name, value_node, self.where(key_node))
            if variable is not None:
                self.variables[name] = variable
                self.var_types[name] = variable.type

    def parse_var(self, name: str, node: Node, location: Location) -> Variable | None:
        if isinstance(node, ScalarNode):
            value = scalar_value(node)
            kind = type_of(value)
            if kind is None:
                self.error(
                    "CR011",
                    f"variable '{name}' needs a default of true/false, a whole number or text, got {kind_name(node)}",
                    node,
                )
                return None
            return Variable(name, kind, value, location=location)  # type: ignore[arg-type]
        items = self.mapping(node, f"variable '{name}'")
        if items is None:
            return None
        fields = self.fields(items, VAR_KEYS, (), node, f"variable '{name}'")
        default_node = fields.get("default")
        default = scalar_value(default_node) if isinstance(default_node, ScalarNode) else None
        kind = self.scalar_str(fields["type"], "type") if "type" in fields else type_of(default)
        if kind is None:
            self.error("CR012", f"variable '{name}' needs a 'type' (bool, int or str) or a 'default'", node)
            return None
        if kind not in TYPE_NAMES:
            self.error(
                "CR011", f"unknown type '{kind}'{did_you_mean(kind, TYPE_NAMES)} (use bool, int or str)", fields["type"]
            )
            return None
        if default_node is None:
            default = {"bool": False, "int": 0, "str": ""}[kind]
        elif type_of(default) != kind:
            self.error("CR011", f"default of '{name}' must be {kind}, got {kind_name(default_node)}", default_node)
            return None
        minimum = self.integer(fields["min"], "'min'") if "min" in fields else None
        maximum = self.integer(fields["max"], "'max'") if "max" in fields else None
        if (minimum is not None or maximum is not None) and kind != "int":
            self.error(
                "CR011",
                f"'min' and 'max' apply only to int variables; '{name}' is {kind}",
                fields.get("min") or fields.get("max"),
            )
        if kind == "int" and isinstance(default, int):
            if minimum is not None and maximum is not None and minimum > maximum:
                self.error("CR060", f"'min' ({minimum}) is greater than 'max' ({maximum})", fields["min"])
            elif (minimum is not None and default < minimum) or (maximum is not None and default > maximum):
                self.error(
                    "CR060", f"default {default} of '{name}' is outside [{minimum}, {maximum}]", default_node or node
                )
        if kind == "str" and isinstance(default, str) and len(default) > STRING_LIMIT:
            self.error(
                "CR060",
                f"default of '{name}' is {len(default):,} characters, over the text limit of {STRING_LIMIT:,}",
                default_node or node,
            )
        label = self.text(fields["label"]) if "label" in fields else None
        show = self.boolean(fields["show"], "'show'") if "show" in fields else False
        return Variable(name, kind, default, minimum, maximum, label, show, location)  # type: ignore[arg-type]

    def declare_tags(self, node: Node | None) -> None:
        if node is None:
            return
        for tag_id, key_node, value_node in self.mapping(node, "tags") or []:
            if not is_id(tag_id):
                self.error("CR014", f"tag id {tag_id[:80]!r} must be {ID_RULE}", key_node)
                continue
            if tag_id in self.tags:
                self.error(
                    "CR013", f"tag '{tag_id}' is declared twice (first at {self.tags[tag_id].location})", key_node
                )
                continue
            items = self.mapping(value_node, f"tag '{tag_id}'")
            if items is None:
                continue
            fields = self.fields(items, TAG_KEYS, ("kind", "title"), value_node, f"tag '{tag_id}'")
            kind = self.scalar_str(fields.get("kind"), "kind")
            if kind is not None and kind not in TAG_KINDS:
                self.error(
                    "CR011",
                    f"tag kind '{kind}' is not one of {', '.join(TAG_KINDS)}{did_you_mean(kind, TAG_KINDS)}",
                    fields.get("kind"),
                )
                kind = None
            title = self.text(fields.get("title"))
            explain = self.text(fields["explain"]) if "explain" in fields else None
            if kind and title:
                self.tags[tag_id] = Tag(tag_id, kind, title, explain, self.where(key_node))

    def collect_scenes(self, node: Node | None) -> None:
        if node is None:
            return
        for scene_id, key_node, value_node in self.mapping(node, "scenes") or []:
            if not is_id(scene_id):
                self.error("CR014", f"scene id {scene_id[:80]!r} must be {ID_RULE}", key_node)
                continue
            if scene_id in self.scene_nodes:
                first_path, first_key, _ = self.scene_nodes[scene_id]
                first = node_location(first_path, first_key)
                self.error("CR013", f"scene '{scene_id}' is defined twice (first at {first})", key_node)
                continue
            self.scene_nodes[scene_id] = (self.path, key_node, value_node)

    # -- scenes ----------------------------------------------------------------------------------

    def parse_scene(self, scene_id: str, path: str, key_node: Node, node: Node) -> Scene:
        self.path = path
        location = self.where(key_node)
        items = self.mapping(node, f"scene '{scene_id}'")
        if items is None:
            return Scene(scene_id, Text.plain(scene_id), location=location)
        fields = self.fields(items, SCENE_KEYS, ("title",), node, f"scene '{scene_id}'")
        title = self.text(fields.get("title")) or Text.plain(scene_id)
        chapter = self.text(fields["chapter"]) if "chapter" in fields else None
        blocks = self.blocks(fields.get("text"))
        on_enter = self.effects(fields.get("set"))
        discuss = (
            tuple(t for t in (self.text(item) for item in self.sequence(fields["discuss"], "discuss")) if t is not None)
            if "discuss" in fields
            else ()
        )
        choices = tuple(self.choices(fields.get("choices"), scene_id))
        ending = self.ending(fields.get("ending"))
        debrief = self.debrief(fields.get("debrief"))
        ask = self.text(fields["ask"]) if "ask" in fields else None
        if ask is not None and ending is not None:
            self.error(
                "CR070",
                f"scene '{scene_id}' is an ending and has 'ask:'; an ending asks nothing (move the question to "
                "the scene with the decision)",
                fields["ask"],
            )
        if ending is not None and choices:
            self.error(
                "CR052",
                f"scene '{scene_id}' is an ending and also has choices; an ending has none",
                fields.get("choices"),
            )
        if ending is None and not choices and "choices" not in fields:
            self.error(
                "CR050",
                f"scene '{scene_id}' has no choices and is not an ending; the player would be "
                "stuck (add 'choices' or 'ending')",
                key_node,
            )
        choice_list = fields.get("choices")
        if ending is None and isinstance(choice_list, SequenceNode) and not choice_list.value:
            self.error("CR050", f"scene '{scene_id}' has an empty choice list and is not an ending", fields["choices"])
        if debrief is not None and ending is None:
            self.warn(
                "CR053",
                f"scene '{scene_id}' has a debrief but is not an ending; it will not be shown",
                fields.get("debrief"),
            )
        return Scene(scene_id, title, blocks, chapter, on_enter, discuss, choices, ending, debrief, location, ask)

    def blocks(self, node: Node | None) -> tuple[TextBlock, ...]:
        if node is None:
            return ()
        if not isinstance(node, SequenceNode):
            text = self.text(node)
            return (TextBlock(text),) if text else ()
        out = []
        for item in node.value:
            condition = None
            if isinstance(item, MappingNode):
                for key_node, value_node in item.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == "if":
                        condition = self.expr(value_node, "bool", "a text block's 'if'")
            text = self.text(item, allow_if=True)
            if text is not None:
                out.append(TextBlock(text, condition))
        return tuple(out)

    def choices(self, node: Node | None, scene_id: str) -> list[Choice]:
        if node is None:
            return []
        out = []
        items = self.sequence(node, f"the choices of '{scene_id}'")
        if len(items) > MAX_CHOICES:
            self.error(
                "CR057",
                f"scene '{scene_id}' has {len(items):,} choices, more than the limit of {MAX_CHOICES}; "
                "split the decision over several scenes",
                node,
            )
            items = items[:MAX_CHOICES]
        for index, item in enumerate(items):
            items = self.mapping(item, "a choice")
            if items is None:
                continue
            fields = self.fields(items, CHOICE_KEYS, ("say", "go"), item, "choice")
            say = self.text(fields.get("say"))
            target = self.scalar_str(fields.get("go"), "'go' (the target scene)")
            if target is not None and target not in self.scene_nodes:
                self.error(
                    "CR020",
                    f"target scene '{target}' does not exist{did_you_mean(target, self.scene_nodes)}",
                    fields.get("go"),
                )
            condition = self.expr(fields["if"], "bool", "'if'") if "if" in fields else None
            locked = self.text(fields["locked"]) if "locked" in fields else None
            if condition is not None and locked is None and _always_false(condition):
                self.warn(
                    "CR056",
                    "this choice's condition is always false, so it is never offered (to show a closed door on "
                    "purpose, add 'locked:' with the reason)",
                    fields["if"],
                )
            if locked is not None and "if" not in fields:
                self.warn("CR054", "'locked' has no effect without an 'if' condition", fields["locked"])
            effects = self.effects(fields.get("set"))
            tags = []
            for tag_node in self.sequence(fields["tags"], "tags") if "tags" in fields else []:
                tag = self.scalar_str(tag_node, "a tag id")
                if tag is None:
                    continue
                if tag not in self.tags:
                    self.error(
                        "CR021",
                        f"tag '{tag}' is not in the story's tag catalog{did_you_mean(tag, self.tags)}",
                        tag_node,
                    )
                    continue
                tags.append(tag)
            once = self.boolean(fields["once"], "'once'") if "once" in fields else False
            if say is None or target is None:
                continue
            out.append(Choice(index, say, target, condition, locked, effects, tuple(tags), once, self.where(item)))
        return out

    def ending(self, node: Node | None) -> Ending | None:
        if node is None:
            return None
        items = self.mapping(node, "ending", "ending: {kind: bad, title: Caught}")
        if items is None:
            return None
        fields = self.fields(items, ENDING_KEYS, ("kind", "title"), node, "ending")
        kind = self.scalar_str(fields.get("kind"), "ending kind")
        if kind is not None and kind not in ENDING_KINDS:
            self.error(
                "CR011",
                f"ending kind '{kind}' is not one of {', '.join(ENDING_KINDS)}{did_you_mean(kind, ENDING_KINDS)}",
                fields.get("kind"),
            )
            kind = None
        title = self.text(fields.get("title"))
        summary = self.text(fields["summary"]) if "summary" in fields else None
        if kind is None or title is None:
            return Ending("mixed", title or Text.plain("?"), summary)
        return Ending(kind, title, summary)

    def debrief(self, node: Node | None) -> Debrief | None:
        if node is None:
            return None
        items = self.mapping(node, "debrief", "debrief: {what: ..., so_what: ..., now_what: ...}")
        if items is None:
            return None
        fields = self.fields(items, DEBRIEF_KEYS, (), node, "debrief")
        return Debrief(*(self.text(fields[key]) if key in fields else None for key in DEBRIEF_KEYS))

    # -- lessons ---------------------------------------------------------------------------------

    def lessons(self, node: Node | None, scenes: dict[str, Scene]) -> tuple[Lesson, ...]:
        if node is None:
            return ()
        out: list[Lesson] = []
        seen: dict[str, Node] = {}
        for item in self.sequence(node, "lessons"):
            lesson = self.lesson(item, scenes)
            if lesson is None:
                continue
            if lesson.id in seen:
                first = self.where(seen[lesson.id])
                self.error("CR013", f"lesson '{lesson.id}' is declared twice (first at line {first.line})", item)
                continue
            seen[lesson.id] = item
            out.append(lesson)
        return tuple(out)

    def lesson(self, node: Node, scenes: dict[str, Scene]) -> Lesson | None:
        items = self.mapping(node, "a lesson", "{id: class-45, title: ..., minutes: 45, class: [scene-id]}")
        if items is None:
            return None
        fields = self.fields(items, LESSON_KEYS, ("id", "title", "minutes"), node, "lesson")
        lesson_id = self.identifier(fields.get("id"), "lesson id")
        title = self.text(fields.get("title"))
        minutes = self.count(fields.get("minutes"), "'minutes'", 1)
        brief = self.count(fields.get("brief"), "'brief'", 0)
        debrief = self.count(fields.get("debrief"), "'debrief'", 0)
        class_minutes = self.count(fields.get("class_minutes"), "'class_minutes'", 0)
        quick_minutes = self.count(fields.get("quick_minutes"), "'quick_minutes'", 0)
        pace = self.pace(fields.get("pace"))
        if lesson_id is None or title is None or minutes is None:
            return None
        brief = DEFAULT_BRIEF if brief is None else brief
        debrief = -(-minutes // 3) if debrief is None else debrief
        if debrief * 3 < minutes:
            self.error(
                "CR073",
                f"lesson '{lesson_id}': a debrief of {debrief} min is less than a third of the {minutes}-minute "
                f"lesson (at least {-(-minutes // 3)} min)",
                fields.get("debrief"),
            )
        elif brief + debrief >= minutes:
            self.error(
                "CR074",
                f"lesson '{lesson_id}': the brief ({brief} min) and the debrief ({debrief} min) leave no time to "
                f"play in {minutes} minutes",
                fields.get("minutes"),
            )
        class_scenes = self.class_scenes(fields.get("class"), scenes)
        start = self.lesson_start(fields.get("start"), scenes)
        objectives = (
            tuple(
                t
                for t in (self.text(item) for item in self.sequence(fields["objectives"], "objectives"))
                if t is not None
            )
            if "objectives" in fields
            else ()
        )
        exit_ticket = self.exit_ticket(fields.get("exit_ticket"))
        missing = [key for key, value in (("objectives", objectives), ("exit_ticket", exit_ticket)) if not value]
        if missing:
            self.warn(
                "CR076",
                f"lesson '{lesson_id}' has no {' and no '.join(missing)}: the guide's handouts will lack them",
                fields.get("id"),
            )
        return Lesson(
            lesson_id,
            title,
            minutes,
            brief,
            debrief,
            pace,
            DEFAULT_CLASS_MINUTES if class_minutes is None else class_minutes,
            DEFAULT_QUICK_MINUTES if quick_minutes is None else quick_minutes,
            class_scenes,
            start,
            objectives,
            exit_ticket,
            self.where(fields.get("id")),
        )

    def count(self, node: Node | None, what: str, least: int) -> int | None:
        if node is None:
            return None
        value = self.integer(node, what)
        if value is not None and value < least:
            self.error("CR077", f"{what} must be at least {least}, got {value}", node)
            return None
        return value

    def pace(self, node: Node | None) -> dict[str, int]:
        if node is None:
            return {}
        if isinstance(node, ScalarNode):
            value = self.count(node, "'pace' (read-aloud units a minute)", 1)
            return {} if value is None else dict.fromkeys(self.languages, value)
        out: dict[str, int] = {}
        for lang, key_node, value_node in self.mapping(node, "'pace'", "pace: {en: 140, zh: 220}") or []:
            if lang not in self.languages:
                hint = did_you_mean(lang, self.languages) or f" (this story's languages: {', '.join(self.languages)})"
                self.error("CR022", f"'{lang}' is not one of the story's languages{hint}", key_node)
                continue
            value = self.count(value_node, f"the '{lang}' pace", 1)
            if value is not None:
                out[lang] = value
        return out

    def class_scenes(self, node: Node | None, scenes: dict[str, Scene]) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.sequence(node, "class") if node is not None else []:
            scene_id = self.scalar_str(item, "a class decision (a scene id)")
            if scene_id is None or not self.known_scene(scene_id, item, scenes):
                continue
            if scenes[scene_id].is_ending:
                self.error("CR072", f"class decision '{scene_id}' is an ending: there is nothing to decide", item)
                continue
            if scene_id in out:
                self.error("CR013", f"class decision '{scene_id}' is listed twice", item)
                continue
            out.append(scene_id)
        return tuple(out)

    def known_scene(self, scene_id: str, node: Node, scenes: dict[str, Scene]) -> bool:
        if scene_id in scenes:
            return True
        self.error(
            "CR071", f"the lesson names scene '{scene_id}', which does not exist{did_you_mean(scene_id, scenes)}", node
        )
        return False

    def lesson_start(self, node: Node | None, scenes: dict[str, Scene]) -> LessonStart | None:
        if node is None:
            return None
        items = self.mapping(node, "a lesson's 'start'", "start: {replay: [{scene: arrival, choice: 1}], recap: ...}")
        if items is None:
            return None
        fields = self.fields(items, LESSON_START_KEYS, ("replay",), node, "lesson start")
        replay: list[ReplayStep] = []
        for item in self.sequence(fields["replay"], "replay") if "replay" in fields else []:
            step_items = self.mapping(item, "a replayed choice", "{scene: arrival, choice: 1}")
            if step_items is None:
                continue
            step = self.fields(step_items, REPLAY_KEYS, REPLAY_KEYS, item, "replayed choice")
            scene_id = self.scalar_str(step.get("scene"), "the replayed choice's scene")
            position = self.count(step.get("choice"), "'choice' (1-based, in the scene's list)", 1)
            if scene_id is None or position is None or not self.known_scene(scene_id, step["scene"], scenes):
                continue
            available = len(scenes[scene_id].choices)
            if position > available:
                self.error(
                    "CR075",
                    f"scene '{scene_id}' has {available} choice{'s' if available != 1 else ''}; there is no choice "
                    f"{position} to replay",
                    step["choice"],
                )
                continue
            replay.append(ReplayStep(scene_id, position - 1, self.where(item)))
        recap = self.text(fields["recap"]) if "recap" in fields else None
        return LessonStart(tuple(replay), recap)

    def exit_ticket(self, node: Node | None) -> tuple[ExitQuestion, ...]:
        out = []
        for item in self.sequence(node, "exit_ticket") if node is not None else []:
            items = self.mapping(item, "an exit-ticket question", "{q: {en: ..., zh: ...}, a: {en: ..., zh: ...}}")
            if items is None:
                continue
            fields = self.fields(items, EXIT_TICKET_KEYS, EXIT_TICKET_KEYS, item, "exit-ticket question")
            question = self.text(fields.get("q"))
            answer = self.text(fields.get("a"))
            if question is not None and answer is not None:
                out.append(ExitQuestion(question, answer))
        return tuple(out)

    def check_unused_variables(self) -> None:
        read = set(self.interpolated)
        for compiled in self.compiled.values():
            read |= compiled.names
        for name, variable in self.variables.items():
            if name not in read and not variable.show:
                self.warn(
                    "CR055",
                    f"variable '{name}' is never read by a condition, an effect or the text (remove it, or "
                    "'show: true' to display it)",
                    location=variable.location,
                )

    def check_growing_text(self, scenes: dict[str, Scene]) -> None:
        """CR036: a text variable that an effect on a loop appends to itself grows until the length cap cuts it."""
        successors = {sid: {c.target for c in scene.choices} for sid, scene in scenes.items()}
        for sid, scene in scenes.items():
            places = [(effect, scene.location, list(successors[sid])) for effect in scene.on_enter]
            for choice in scene.choices:
                places += [(effect, choice.location, [choice.target]) for effect in choice.effects]
            for effect, location, after in places:
                if not _grows_itself(effect, self.var_types) or not _leads_back(successors, after, sid):
                    continue
                self.warn(
                    "CR036",
                    f"text variable '{effect.variable}' is appended to itself on a loop, so it can grow without "
                    f"end; it is cut at {STRING_LIMIT:,} characters",
                    location=location,
                )

    def check_reachability(self, scenes: dict[str, Scene], start: str) -> None:
        seen = {start}
        frontier = [start]
        while frontier:
            scene = scenes.get(frontier.pop())
            if scene is None:
                continue
            for choice in scene.choices:
                if choice.target not in seen:
                    seen.add(choice.target)
                    frontier.append(choice.target)
        for scene_id, scene in scenes.items():
            if scene_id not in seen and scene.location is not None:
                self.warn(
                    "CR051",
                    f"scene '{scene_id}' cannot be reached from the start scene '{start}'",
                    location=scene.location,
                )


class _NoState:
    """The empty environment a constant expression is evaluated in."""

    vars: dict[str, object] = {}  # noqa: RUF012
    visits: dict[str, int] = {}  # noqa: RUF012


def _grows_itself(effect: Effect, var_types: dict[str, str]) -> bool:
    """True when a text effect reads its own variable and adds to it (``s + ...`` or ``... + s``)."""
    expr = effect.expr
    return var_types.get(effect.variable) == "str" and effect.variable in expr.names and "+" in expr.source


def _leads_back(successors: dict[str, set[str]], after: list[str], home: str) -> bool:
    """True when scene ``home`` can be reached again from the scenes ``after`` (ignoring conditions)."""
    frontier = list(after)
    seen: set[str] = set()
    while frontier:
        scene = frontier.pop()
        if scene == home:
            return True
        if scene in seen:
            continue
        seen.add(scene)
        frontier.extend(successors.get(scene, ()))
    return False


def _always_false(condition: Expr) -> bool:
    """True for a condition that reads no variable and no visit count and is false."""
    return not condition.names and not condition.scene_refs and not condition(_NoState())


def _kept_saves(story_id: str) -> str:
    """For a story id the slug rule rejects: where the saves made under it are kept, if there are any."""
    from game.paths import data_dir

    if any(sep in story_id for sep in ("/", "\\", "\0")) or story_id.strip(".") == "":
        return ""
    try:
        folder = data_dir() / "saves" / story_id
        if not folder.is_dir():
            return ""
    except (OSError, ValueError):
        return ""
    return (
        f"; saves made under this id are kept in {str(folder)!r}: after fixing the id, rename that folder "
        "to the new id to keep them"
    )
