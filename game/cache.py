"""The compiled-story cache: repeated loads of an unchanged story skip YAML parsing.

After a clean load, :func:`store` writes the story's model as JSON under the user cache folder
(``cache_dir()/compiled/``), one entry per story entry file. :func:`load_cached` reads it back only when

* the entry's checksum matches its body (a truncated or damaged entry is ignored),
* it was written by this engine and format version, and
* the story's files, read again now, hash to the value it was built from (any edit, added or removed
  include changes the entry file or an included one, and so the hash).

Anything else returns None and the caller loads the YAML as usual: a cache problem is never an error.
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
from game.expr import Expr, compile_expr
from game.model import (
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

CACHE_FORMAT = "crossroads-compiled-story"
CACHE_VERSION = 3  # 2: scenes carry `ask`; 3: lessons
ENGINE_KEY = f"{__version__}/{FORMAT_VERSION}/{CACHE_VERSION}"


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
        body = json.dumps(_encode_story(story), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
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


def load_cached(entry: Path) -> Story | None:
    """The cached story for ``entry`` if the cache holds a valid, current one; else None."""
    try:
        raw = entry_path(entry).read_bytes()
    except OSError:
        return None
    collecting = gc.isenabled()
    gc.disable()  # decoding builds many small acyclic objects; cyclic GC passes would only cost time
    try:
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        if (
            not isinstance(header, dict)
            or header.get("format") != CACHE_FORMAT
            or header.get("version") != CACHE_VERSION
            or header.get("engine") != ENGINE_KEY
            or header.get("sha256") != hashlib.sha256(body).hexdigest()
        ):
            return None
        data = json.loads(body)
        if files_hash(entry, data["files"]) != data["content_hash"]:
            return None
        return _decode_story(data)
    except Exception:  # any damage means "not cached": the caller loads the YAML
        return None
    finally:
        if collecting:
            gc.enable()


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
