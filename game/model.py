"""The story model: frozen dataclasses built by the loader and read by everything else.

A :class:`Story` is a graph of :class:`Scene` objects joined by :class:`Choice` edges, with declared
:class:`Variable` s, a catalog of :class:`Tag` s (red flags, safe exits) and localized :class:`Text`.
Nothing here knows about YAML, Textual or files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from game.diagnostics import Location
from game.expr import Expr, Value

TAG_KINDS = ("red-flag", "safe-exit", "info")
ENDING_KINDS = ("safe", "mixed", "bad")
_INTERPOLATION = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Text:
    """A piece of localized text: a mapping from language code to string."""

    values: dict[str, str] = field(hash=False)

    def get(self, lang: str, fallback: str) -> str:
        """The text in ``lang``, else in the story's default language ``fallback``, else any."""
        found = self.values.get(lang)
        if found is None:
            found = self.values.get(fallback)
        if found is None:
            found = next(iter(self.values.values()), "")
        return found

    def render(self, lang: str, fallback: str, values: dict[str, Value] | None = None) -> str:
        """The text with ``{var}`` replaced by the variable's value and ``{{``/``}}`` unescaped."""
        return interpolate(self.get(lang, fallback), values or {})

    @classmethod
    def plain(cls, text: str) -> Text:
        """A text that is the same in every language."""
        return cls({"*": text})


def interpolate(template: str, values: dict[str, Value]) -> str:
    """Replace ``{name}`` by ``values[name]``; ``{{`` and ``}}`` stand for literal braces.

    Uses a strict pattern, never ``str.format``, so author text cannot reach Python attributes.
    """

    def substitute(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        value = values.get(match.group(1))
        if value is None:
            return token
        if isinstance(value, bool):
            return "✓" if value else "✗"
        return str(value)

    return _INTERPOLATION.sub(substitute, template)


def interpolation_names(template: str) -> list[tuple[str, int]]:
    """The variable names a template interpolates, each with its offset in the string."""
    return [(m.group(1), m.start()) for m in _INTERPOLATION.finditer(template) if m.group(1)]


@dataclass(frozen=True, slots=True)
class Variable:
    """A declared story variable: type, default, optional bounds, a label, and whether it is shown."""

    name: str
    type: str
    default: Value
    minimum: int | None = None
    maximum: int | None = None
    label: Text | None = None
    show: bool = False
    location: Location | None = field(default=None, compare=False)

    def clamp(self, value: Value) -> Value:
        """Keep an int inside [minimum, maximum]; other types pass through."""
        if self.type != "int" or isinstance(value, bool) or not isinstance(value, int):
            return value
        if self.minimum is not None and value < self.minimum:
            return self.minimum
        if self.maximum is not None and value > self.maximum:
            return self.maximum
        return value


@dataclass(frozen=True, slots=True)
class Tag:
    """An entry of the story's tag catalog, such as a red flag or a safe exit."""

    id: str
    kind: str
    title: Text
    explain: Text | None = None
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Effect:
    """An assignment ``variable = expression`` applied when a choice is taken or a scene entered."""

    variable: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A paragraph (or more) of scene text, shown when its condition holds (or always)."""

    text: Text
    condition: Expr | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """An option in a scene: what the player says, where it leads, when it is offered, what it changes."""

    index: int
    say: Text
    target: str
    condition: Expr | None = None
    locked: Text | None = None
    effects: tuple[Effect, ...] = ()
    tags: tuple[str, ...] = ()
    once: bool = False
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Ending:
    """What makes a scene an ending: its kind (safe, mixed, bad), title and summary."""

    kind: str
    title: Text
    summary: Text | None = None


@dataclass(frozen=True, slots=True)
class Debrief:
    """The What? / So what? / Now what? reflection shown at an ending."""

    what: Text | None = None
    so_what: Text | None = None
    now_what: Text | None = None


@dataclass(frozen=True, slots=True)
class Scene:
    """A node of the story graph: text, choices out, or an ending.

    ``ask`` is the question the scene's decision puts to the player (shown with the choices; never on an ending).
    """

    id: str
    title: Text
    blocks: tuple[TextBlock, ...] = ()
    chapter: Text | None = None
    on_enter: tuple[Effect, ...] = ()
    discuss: tuple[Text, ...] = ()
    choices: tuple[Choice, ...] = ()
    ending: Ending | None = None
    debrief: Debrief | None = None
    location: Location | None = field(default=None, compare=False)
    ask: Text | None = None

    @property
    def is_ending(self) -> bool:
        """True when reaching this scene ends the playthrough."""
        return self.ending is not None


DEFAULT_BRIEF = 5
DEFAULT_CLASS_MINUTES = 4
DEFAULT_QUICK_MINUTES = 1
DEFAULT_PACE = {"en": 140, "zh": 220}
"""Read-aloud pace: English words, Chinese characters a minute (see :mod:`game.analysis.lesson`)."""
CJK_PACE = 220
WORD_PACE = 140


def default_pace(lang: str) -> int:
    """The default read-aloud pace for ``lang``: 220 units a minute for Chinese and Japanese, else 140."""
    if lang in DEFAULT_PACE:
        return DEFAULT_PACE[lang]
    return CJK_PACE if lang.split("-")[0] in ("zh", "ja") else WORD_PACE


@dataclass(frozen=True, slots=True)
class ReplayStep:
    """A choice a lesson's start point replays silently: the scene and the choice's 0-based source index."""

    scene: str
    choice: int
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class LessonStart:
    """Where a lesson begins: the choices replayed to get there and the recap read aloud instead."""

    replay: tuple[ReplayStep, ...] = ()
    recap: Text | None = None


@dataclass(frozen=True, slots=True)
class ExitQuestion:
    """An exit-ticket question with the answer the teacher looks for."""

    question: Text
    answer: Text


@dataclass(frozen=True, slots=True)
class Lesson:
    """A lesson plan a story declares: its length, phases, pace, class decisions and optional start point.

    ``class_scenes`` are the decisions voted on with pair talk (``class:`` in YAML); every other decision on
    the route is a quick one. The play budget is ``minutes - brief - debrief``; ``pace`` maps a language to
    read-aloud units a minute (see :func:`default_pace`).
    """

    id: str
    title: Text
    minutes: int
    brief: int
    debrief: int
    pace: dict[str, int] = field(hash=False)
    class_minutes: int = DEFAULT_CLASS_MINUTES
    quick_minutes: int = DEFAULT_QUICK_MINUTES
    class_scenes: tuple[str, ...] = ()
    start: LessonStart | None = None
    objectives: tuple[Text, ...] = ()
    exit_ticket: tuple[ExitQuestion, ...] = ()
    location: Location | None = field(default=None, compare=False)

    @property
    def play_budget(self) -> int:
        """Minutes left for play: the lesson minus the brief and the debrief."""
        return self.minutes - self.brief - self.debrief

    def pace_for(self, lang: str) -> int:
        """Read-aloud units a minute in ``lang`` (the declared pace, else the default)."""
        return self.pace.get(lang) or default_pace(lang)


@dataclass(frozen=True, slots=True)
class Story:
    """A whole loaded story: metadata, variables, tags and scenes, plus a hash of its source files."""

    id: str
    title: Text
    languages: tuple[str, ...]
    start: str
    scenes: dict[str, Scene] = field(hash=False)
    variables: dict[str, Variable] = field(hash=False, default_factory=dict)
    tags: dict[str, Tag] = field(hash=False, default_factory=dict)
    blurb: Text | None = None
    content_note: Text | None = None
    authors: tuple[str, ...] = ()
    ifid: str | None = None
    format_version: int = 1
    content_hash: str = ""
    root: str = ""
    files: tuple[str, ...] = ()
    lessons: tuple[Lesson, ...] = ()

    @property
    def default_language(self) -> str:
        """The first declared language, used when a translation is missing."""
        return self.languages[0]

    def endings(self) -> list[Scene]:
        """All ending scenes, in source order."""
        return [scene for scene in self.scenes.values() if scene.is_ending]

    def lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson with this id, or None."""
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def tags_of_kind(self, kind: str) -> list[Tag]:
        """Catalog tags of one kind, such as ``"red-flag"``."""
        return [tag for tag in self.tags.values() if tag.kind == kind]
