"""The compiled-story cache: repeated loads of an unchanged story skip YAML parsing.

After a clean load, :func:`store` writes the story's model as JSON under the user cache folder
(``cache_dir()/compiled/``), one entry per story entry file. :func:`load_cached` reads it back only when

* the entry's checksum matches its body (a truncated or damaged entry is ignored),
* it was written by this very code (:data:`ENGINE_KEY` holds a hash of the sources that parse, model and
  encode a story, so any change to them, released or not, misses), and
* the story's files, read again now, hash to the value it was built from (any edit, added or removed
  include changes the entry file or an included one, and so the hash).

Anything else returns None and the caller loads the YAML as usual: a cache problem is never an error. An
entry that is damaged or tampered with (as opposed to stale) is also set aside as ``*.bad``. The checksum
shows only that an entry is whole; what it decodes is checked against the rules of a fresh load (ids,
types, references, limits, files inside the story's folder) before it is trusted. A bug in the decoder
itself (an error that damaged data cannot cause) is not hidden: it propagates.
The cache holds no code and is never unpickled: expressions are stored as their source and recompiled with
:func:`game.expr.compile_expr`, the same safe compiler the loader uses, so a tampered entry can at worst
describe a different story, never run anything.
"""

from __future__ import annotations

import gc
import hashlib
import json
from pathlib import Path
from typing import Any

from game import FORMAT_VERSION, __version__
from game.diagnostics import Location
from game.expr import RESERVED, STRING_LIMIT, TYPE_NAMES, Expr, ExprError, compile_expr, type_of
from game.ids import is_id, is_language, is_var_name
from game.model import (
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
)
from game.persist import safejson

CACHE_FORMAT = "crossroads-compiled-story"
CACHE_VERSION = 4  # 2: scenes carry `ask`; 3: lessons; 4: the story's ifid
BUILDERS = ("yamlsource.py", "loader.py", "expr.py", "model.py", "cache.py")  # the code a cached story depends on
DAMAGE = (ValueError, KeyError, TypeError, IndexError, ExprError, RecursionError)  # what bad data can raise


def code_hash(paths: list[Path]) -> str:
    """A short hash of the given source files' bytes (a missing file counts as empty)."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing " + path.name.encode())
    return digest.hexdigest()[:16]


ENGINE_KEY = (
    f"{__version__}/{FORMAT_VERSION}/{CACHE_VERSION}/{code_hash([Path(__file__).with_name(n) for n in BUILDERS])}"
)


def cache_folder() -> Path:
    """Where compiled stories live."""
    from game.paths import cache_dir

    return cache_dir() / "compiled"


def entry_path(entry: Path) -> Path:
    """The cache file for a story entry file (named by a hash of its absolute path)."""
    digest = hashlib.sha256(str(entry.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_folder() / f"{digest}.json"


def files_hash(entry: Path, files: list[str]) -> str | None:
    """The loader's content hash of the story's files as they are now, or None if one cannot be read."""
    digest = hashlib.sha256()
    root = entry.parent
    for name in files:
        path = Path(name)
        try:
            data = path.read_bytes()
            relative = path.name if path == entry else str(path.relative_to(root))
        except (OSError, ValueError):
            return None
        digest.update(relative.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


# -- storing -------------------------------------------------------------------------------------------


def store(entry: Path, story: Story) -> bool:
    """Write ``story`` (just loaded cleanly from ``entry``) to the cache; False if that was not possible."""
    from game.persist.atomic import write_atomic

    collecting = gc.isenabled()
    gc.disable()  # encoding builds many small acyclic lists; cyclic GC passes would only cost time
    try:
        body = safejson.dumps(_encode_story(story), compact=True).encode("utf-8")
        header = {
            "format": CACHE_FORMAT,
            "version": CACHE_VERSION,
            "engine": ENGINE_KEY,
            "sha256": hashlib.sha256(body).hexdigest(),
        }
        write_atomic(entry_path(entry), json.dumps(header).encode("utf-8") + b"\n" + body)
        return True
    except (OSError, ValueError, TypeError):
        return False
    finally:
        if collecting:
            gc.enable()


def _text(text: Text | None) -> dict[str, str] | None:
    return None if text is None else text.values


def _expr(expr: Expr | None) -> list[str] | None:
    return None if expr is None else [expr.source, expr.type]


def _encode_story(story: Story) -> dict[str, Any]:
    files = list(story.files)
    from game.paths import display_path

    shown = {display_path(Path(name)): i for i, name in enumerate(files)}

    def loc(location: Location | None) -> list[int] | None:
        if location is None or location.path not in shown:
            return None
        return [shown[location.path], location.line, location.col]

    return {
        "id": story.id,
        "title": _text(story.title),
        "languages": list(story.languages),
        "start": story.start,
        "blurb": _text(story.blurb),
        "content_note": _text(story.content_note),
        "authors": list(story.authors),
        "ifid": story.ifid,
        "content_hash": story.content_hash,
        "root": story.root,
        "files": files,
        "vars": [
            [v.name, v.type, v.default, v.minimum, v.maximum, _text(v.label), v.show, loc(v.location)]
            for v in story.variables.values()
        ],
        "tags": [[t.id, t.kind, _text(t.title), _text(t.explain), loc(t.location)] for t in story.tags.values()],
        "scenes": [
            [
                s.id,
                _text(s.title),
                [[_text(b.text), _expr(b.condition)] for b in s.blocks],
                _text(s.chapter),
                [[e.variable, _expr(e.expr)] for e in s.on_enter],
                [_text(t) for t in s.discuss],
                [
                    [
                        c.index,
                        _text(c.say),
                        c.target,
                        _expr(c.condition),
                        _text(c.locked),
                        [[e.variable, _expr(e.expr)] for e in c.effects],
                        list(c.tags),
                        c.once,
                        loc(c.location),
                    ]
                    for c in s.choices
                ],
                None if s.ending is None else [s.ending.kind, _text(s.ending.title), _text(s.ending.summary)],
                None
                if s.debrief is None
                else [_text(s.debrief.what), _text(s.debrief.so_what), _text(s.debrief.now_what)],
                loc(s.location),
                _text(s.ask),
            ]
            for s in story.scenes.values()
        ],
        "lessons": [_encode_lesson(lesson) for lesson in story.lessons],
    }


def _encode_lesson(lesson: Lesson) -> list[Any]:
    start = lesson.start
    return [
        lesson.id,
        _text(lesson.title),
        [lesson.minutes, lesson.brief, lesson.debrief, lesson.class_minutes, lesson.quick_minutes],
        lesson.pace,
        list(lesson.class_scenes),
        None if start is None else [[[r.scene, r.choice] for r in start.replay], _text(start.recap)],
        [_text(t) for t in lesson.objectives],
        [[_text(q.question), _text(q.answer)] for q in lesson.exit_ticket],
    ]


# -- loading -------------------------------------------------------------------------------------------


def load_cached(entry: Path, problems: list[str] | None = None) -> Story | None:
    """The cached story for ``entry`` if the cache holds a valid, current one; else None.

    A stale entry (another engine, edited story files) is simply not used. A damaged or tampered one (bad
    JSON, a checksum that does not match, content that breaks the story rules) is set aside as ``*.bad`` and
    a message naming it is appended to ``problems``; either way the caller loads the YAML.
    """
    path = entry_path(entry)
    try:
        with path.open("rb") as handle:
            raw = handle.read(safejson.size_limit(CACHE_FORMAT) + safejson.size_limit("cache-header") + 1)
    except OSError:
        return None
    collecting = gc.isenabled()
    gc.disable()  # decoding builds many small acyclic objects; cyclic GC passes would only cost time
    try:
        head, _, body = raw.partition(b"\n")
        header = safejson.loads(head, str(path), "cache-header")
        if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
            return _damaged(path, "not a compiled-story cache entry", problems)
        if header.get("version") != CACHE_VERSION or header.get("engine") != ENGINE_KEY:
            return None
        if header.get("sha256") != hashlib.sha256(body).hexdigest():
            return _damaged(path, "its checksum does not match (damaged entry)", problems)
        data = safejson.loads(body, str(path), CACHE_FORMAT, line=2)  # the body starts on line 2
        if not _valid_entry(entry, data):
            return _damaged(path, "it breaks the rules a story load enforces (tampered entry)", problems)
        if files_hash(entry, data["files"]) != data["content_hash"]:
            return None
        return _decode_story(data)
    except safejson.DamagedJSON as exc:
        return _damaged(path, exc.problem, problems, f":{exc.line}:{exc.col}")
    except DAMAGE:  # damaged or foreign data means "not cached": set aside, and the caller loads the YAML
        return _damaged(path, "it cannot be decoded (damaged entry)", problems)
    finally:
        if collecting:
            gc.enable()


def _damaged(path: Path, reason: str, problems: list[str] | None, where: str = "") -> None:
    """Set a bad cache entry aside (never read again, kept for inspection) and say so in ``problems``."""
    from game.persist.atomic import set_aside

    message = f"{path}{where}: {reason}"
    try:
        message += f"; it was set aside as {set_aside(path).name}"
    except OSError:
        pass
    if problems is not None:
        problems.append(message)


def _valid_entry(entry: Path, data: object) -> bool:
    """Whether a decoded entry obeys the rules a fresh load enforces (ids, types, limits, containment).

    The checksum only shows that an entry is whole, not that it is honest: anyone who can write the cache can
    recompute it. So the story id must be a slug (it names the saves folder), every listed file must lie in the
    entry's folder (they are read to hash them), types must match their declarations, references must
    resolve and the loader's limits hold. Anything else sends the caller back to the YAML.
    """
    if not isinstance(data, dict) or not is_id(data.get("id")):
        return False
    root = entry.parent.resolve()
    files = data.get("files")
    if data.get("root") != str(root) or not isinstance(files, list) or not files:
        return False
    if not all(isinstance(name, str) and Path(name).resolve().is_relative_to(root) for name in files):
        return False
    if Path(files[0]).resolve() != entry.resolve() or not isinstance(data.get("content_hash"), str):
        return False
    languages = data.get("languages")
    if not isinstance(languages, list) or not languages or not all(is_language(code) for code in languages):
        return False
    if not isinstance(data.get("authors"), list) or not all(isinstance(a, str) for a in data["authors"]):
        return False
    var_types: dict[str, str] = {}
    for var in _rows(data.get("vars"), 8):
        name, kind, default, minimum, maximum, _label, show, _loc = var
        if not (is_var_name(name) and name not in RESERVED and name not in var_types and kind in TYPE_NAMES):
            return False
        if type_of(default) != kind or not isinstance(show, bool) or not _bounds_ok(kind, default, minimum, maximum):
            return False
        var_types[name] = kind
    tag_ids = set()
    for tag_id, kind, *_rest in _rows(data.get("tags"), 5):
        if not is_id(tag_id) or kind not in TAG_KINDS or tag_id in tag_ids:
            return False
        tag_ids.add(tag_id)
    scenes = data.get("scenes")
    if not isinstance(scenes, list) or not all(isinstance(s, list) and len(s) >= 10 for s in scenes):
        return False
    scene_ids = [scene[0] for scene in scenes]
    if not all(is_id(sid) for sid in scene_ids) or len(set(scene_ids)) != len(scene_ids):
        return False
    return all(_valid_scene(scene, tag_ids, var_types) for scene in scenes) and data.get("start") in scene_ids


def _rows(raw: object, width: int) -> list[list]:
    """A list of fixed-width rows, or a ValueError (the caller treats it as a damaged entry)."""
    if not isinstance(raw, list) or not all(isinstance(row, list) and len(row) == width for row in raw):
        raise ValueError("malformed rows")
    return raw


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bounds_ok(kind: str, default: object, minimum: object, maximum: object) -> bool:
    if kind == "str":
        return minimum is None and maximum is None and len(default) <= STRING_LIMIT  # type: ignore[arg-type]
    if kind == "bool":
        return minimum is None and maximum is None
    if not all(bound is None or _is_int(bound) for bound in (minimum, maximum)):
        return False
    low = default if minimum is None else minimum
    high = default if maximum is None else maximum
    return low <= default <= high  # type: ignore[operator]


def _valid_scene(scene: list, tag_ids: set[str], var_types: dict[str, str]) -> bool:
    from game.loader import MAX_CHOICES

    ending = scene[7]
    if ending is not None and (not isinstance(ending, list) or len(ending) != 3 or ending[0] not in ENDING_KINDS):
        return False
    choices = _rows(scene[6], 9)
    if len(choices) > MAX_CHOICES or (ending is not None and choices):
        return False
    for position, (index, _say, _target, cond, _locked, effects, tags, once, _loc) in enumerate(choices):
        if index != position or not isinstance(once, bool) or not isinstance(tags, list):
            return False
        if not all(tag in tag_ids for tag in tags) or not _expr_typed(cond, "bool"):
            return False
        if not all(_effect_ok(effect, var_types) for effect in _rows(effects, 2)):
            return False
    if not all(_expr_typed(cond, "bool") for _text, cond in _rows(scene[2], 2)):
        return False
    return all(_effect_ok(effect, var_types) for effect in _rows(scene[4], 2))


def _effect_ok(effect: list, var_types: dict[str, str]) -> bool:
    name, expr = effect
    return name in var_types and expr is not None and _expr_typed(expr, var_types[name])


def _expr_typed(raw: object, kind: str) -> bool:
    """An expression cell ``[source, type]`` (or None: no expression) of the type its place needs."""
    if raw is None:
        return True
    return isinstance(raw, list) and len(raw) == 2 and isinstance(raw[0], str) and raw[1] == kind


class _Decoder:
    """Rebuilds model objects from the JSON form, recompiling each distinct expression once."""

    def __init__(self, data: dict[str, Any]) -> None:
        from game.paths import display_path

        self.paths = [display_path(Path(name)) for name in data["files"]]
        self.var_types: dict[str, str] = {}
        self.scene_ids: dict[str, None] = {}
        self.compiled: dict[tuple[str, str], Expr] = {}

    def loc(self, raw: list[int] | None) -> Location | None:
        if raw is None:
            return None
        index, line, col = raw
        return Location(self.paths[index], int(line), int(col))

    def expr(self, raw: list[str] | None) -> Expr | None:
        if raw is None:
            return None
        source, kind = raw
        key = (source, kind)
        found = self.compiled.get(key)
        if found is None:
            found = compile_expr(source, self.var_types, self.scene_ids, kind)
            self.compiled[key] = found
        return found

    def effects(self, raw: list[list[Any]]) -> tuple[Effect, ...]:
        out = []
        for name, expr in raw:
            if name not in self.var_types:
                raise ValueError(f"unknown variable {name!r}")
            compiled = self.expr(expr)
            if compiled is None or compiled.type != self.var_types[name]:
                raise ValueError(f"bad effect on {name!r}")
            out.append(Effect(name, compiled))
        return tuple(out)


def _t(raw: dict[str, str] | None) -> Text | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ValueError("bad text")
    return Text(raw)


def _decode_story(data: dict[str, Any]) -> Story:
    d = _Decoder(data)
    variables = {}
    for name, kind, default, minimum, maximum, label, show, loc in data["vars"]:
        variables[name] = Variable(name, kind, default, minimum, maximum, _t(label), bool(show), d.loc(loc))
        d.var_types[name] = kind
    tags = {
        tag_id: Tag(tag_id, kind, _t(title), _t(explain), d.loc(loc))  # type: ignore[arg-type]
        for tag_id, kind, title, explain, loc in data["tags"]
    }
    d.scene_ids = {raw[0]: None for raw in data["scenes"]}
    scenes: dict[str, Scene] = {}
    for sid, title, blocks, chapter, on_enter, discuss, choices, ending, debrief, loc, ask in data["scenes"]:
        built_choices = []
        for index, say, target, cond, locked, effects, choice_tags, once, cloc in choices:
            if target not in d.scene_ids:
                raise ValueError(f"dangling target {target!r}")
            built_choices.append(
                Choice(
                    int(index),
                    _t(say),  # type: ignore[arg-type]
                    target,
                    d.expr(cond),
                    _t(locked),
                    d.effects(effects),
                    tuple(str(tag) for tag in choice_tags),
                    bool(once),
                    d.loc(cloc),
                )
            )
        scenes[sid] = Scene(
            sid,
            _t(title),  # type: ignore[arg-type]
            tuple(TextBlock(_t(text), d.expr(cond)) for text, cond in blocks),  # type: ignore[arg-type]
            _t(chapter),
            d.effects(on_enter),
            tuple(_t(t) for t in discuss),  # type: ignore[misc]
            tuple(built_choices),
            None if ending is None else Ending(ending[0], _t(ending[1]), _t(ending[2])),  # type: ignore[arg-type]
            None if debrief is None else Debrief(_t(debrief[0]), _t(debrief[1]), _t(debrief[2])),
            d.loc(loc),
            _t(ask),
        )
    if data["start"] not in scenes:
        raise ValueError("bad start scene")
    lessons = tuple(_decode_lesson(raw, scenes) for raw in data["lessons"])
    return Story(
        id=data["id"],
        title=_t(data["title"]),  # type: ignore[arg-type]
        languages=tuple(data["languages"]),
        start=data["start"],
        scenes=scenes,
        variables=variables,
        tags=tags,
        blurb=_t(data["blurb"]),
        content_note=_t(data["content_note"]),
        authors=tuple(data["authors"]),
        ifid=data.get("ifid") if isinstance(data.get("ifid"), str) else None,
        format_version=FORMAT_VERSION,
        content_hash=data["content_hash"],
        root=data["root"],
        files=tuple(data["files"]),
        lessons=lessons,
    )


def _decode_lesson(raw: list[Any], scenes: dict[str, Scene]) -> Lesson:
    lesson_id, title, numbers, pace, class_scenes, start, objectives, ticket = raw
    minutes, brief, debrief, class_minutes, quick_minutes = (int(n) for n in numbers)
    for scene_id in class_scenes:
        if scene_id not in scenes:
            raise ValueError(f"lesson names unknown scene {scene_id!r}")
    built_start = None
    if start is not None:
        replay = []
        for scene_id, index in start[0]:
            if scene_id not in scenes or not 0 <= int(index) < len(scenes[scene_id].choices):
                raise ValueError("bad replayed choice")
            replay.append(ReplayStep(scene_id, int(index)))
        built_start = LessonStart(tuple(replay), _t(start[1]))
    return Lesson(
        str(lesson_id),
        _t(title),  # type: ignore[arg-type]
        minutes,
        brief,
        debrief,
        {str(k): int(v) for k, v in pace.items()},
        class_minutes,
        quick_minutes,
        tuple(str(s) for s in class_scenes),
        built_start,
        tuple(_t(t) for t in objectives),  # type: ignore[misc]
        tuple(ExitQuestion(_t(q), _t(a)) for q, a in ticket),  # type: ignore[arg-type]
    )
