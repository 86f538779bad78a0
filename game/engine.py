"""The pure playthrough engine: a deterministic state machine over a loaded story.

Modelled on ink's runtime API: read the current scene's text, list the current choices, ``choose`` one (by
its source index: the one index system of saves, records and votes), ``undo``, and ``snapshot``/``restore`` the
whole state as JSON. It never imports Textual or does I/O, so every front end (through :mod:`game.session`),
the explorer and the classroom tools drive the very same code.

The same story and the same choices always give the same result: there is no randomness here. Everything
it renders (titles, text, choices, lock reasons) passes :func:`game.textsafe.terminal_safe`, the last choke
point before a front end prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from game.expr import Value, bounded, type_of
from game.model import Choice, Effect, Ending, Scene, Story, Tag
from game.textsafe import terminal_safe

SNAPSHOT_VERSION = 1
MAX_HISTORY = 100_000
"""The most choices a snapshot may record: a save replays them all, so a longer one is treated as damaged."""


class ChoiceError(ValueError):
    """Raised when a choice number is out of range or names a disabled option."""


class SnapshotError(ValueError):
    """Raised when a snapshot cannot be restored; the message says why, for the player."""


@dataclass(frozen=True, slots=True)
class State:
    """Everything that determines what happens next: scene, variable values, visits, used once-only choices."""

    scene: str
    vars: Mapping[str, Value]
    visits: Mapping[str, int]
    used: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True, slots=True)
class Option:
    """A choice as offered to the player now: its text, whether it can be taken and, if not, why."""

    choice: Choice
    text: str
    enabled: bool = True
    reason: str | None = None

    @property
    def tags(self) -> tuple[str, ...]:
        """The catalog tags (red flags, safe exits) this choice carries."""
        return self.choice.tags

    @property
    def target(self) -> str:
        """The id of the scene this choice leads to."""
        return self.choice.target


@dataclass(frozen=True, slots=True)
class Step:
    """One decision taken: where, which choice, what else was on offer, and the state before it.

    ``replayed`` is True for a step a lesson's start point took silently (see :meth:`Playthrough.for_lesson`):
    the state is exactly as if it had been played, but nobody chose it. Records, votes and debriefs must
    skip replayed steps: they are not choices, votes or flags walked into. Replayed steps always come first
    in :attr:`Playthrough.history`; :attr:`Playthrough.start_index` counts them.
    """

    scene: str
    choice: int
    before: State
    offered: tuple[int, ...] = field(default=())
    replayed: bool = False


class Playthrough:
    """One play of a story; see the module docstring for the API's shape."""

    def __init__(self, story: Story, lang: str | None = None) -> None:
        self.story = story
        self.lang = lang if lang in story.languages else story.default_language
        self._history: list[Step] = []
        self.lesson_id: str | None = None
        start_vars = {name: var.default for name, var in story.variables.items()}
        self._state = _enter_scene(story, State(story.start, start_vars, {}), story.start)

    # -- reading ------------------------------------------------------------------------------------

    @property
    def state(self) -> State:
        """The current immutable state."""
        return self._state

    @property
    def scene(self) -> Scene:
        """The current scene."""
        return self.story.scenes[self._state.scene]

    @property
    def vars(self) -> Mapping[str, Value]:
        """Current variable values (read-only)."""
        return MappingProxyType(dict(self._state.vars))

    @property
    def visits(self) -> Mapping[str, int]:
        """How many times each scene has been entered (read-only)."""
        return MappingProxyType(dict(self._state.visits))

    @property
    def is_ending(self) -> bool:
        """True when the current scene is an ending."""
        return self.scene.is_ending

    @property
    def ending(self) -> Ending | None:
        """The current scene's ending, if it is one."""
        return self.scene.ending

    @property
    def history(self) -> list[Step]:
        """The decisions taken so far, oldest first, replayed ones (``Step.replayed``) included."""
        return list(self._history)

    @property
    def start_index(self) -> int:
        """How many leading steps of :attr:`history` a lesson's start point replayed (0 outside a lesson)."""
        return sum(1 for step in self._history if step.replayed)

    @property
    def played(self) -> list[Step]:
        """The steps really played (history without the replayed ones): what records and debriefs count."""
        return [step for step in self._history if not step.replayed]

    @property
    def path(self) -> list[str]:
        """The scene ids visited, in order, ending with the current one."""
        return [step.scene for step in self._history] + [self._state.scene]

    def _pick(self, lang: str | None) -> str:
        return lang if lang in self.story.languages else self.lang

    def title(self, lang: str | None = None) -> str:
        """The current scene's title in ``lang`` (default: the playthrough's language)."""
        return terminal_safe(
            self.scene.title.render(self._pick(lang), self.story.default_language, dict(self._state.vars))
        )

    def chapter(self, lang: str | None = None) -> str | None:
        """The current scene's chapter header, if it has one."""
        chapter = self.scene.chapter
        return terminal_safe(chapter.get(self._pick(lang), self.story.default_language)) if chapter else None

    def text(self, lang: str | None = None) -> str:
        """The current scene's Markdown text: the blocks whose conditions hold, interpolated."""
        return render_scene_text(self.story, self.scene, self._state, self._pick(lang))

    def ask(self, lang: str | None = None) -> str | None:
        """The question the current decision puts to the player (the scene's ``ask:``), interpolated; or None."""
        ask = self.scene.ask
        if ask is None:
            return None
        return ask.render(self._pick(lang), self.story.default_language, dict(self._state.vars))

    def choices(self, lang: str | None = None) -> list[Option]:
        """The options offered now, in order: enabled ones and locked ones (disabled, with a reason)."""
        return offered_options(self.story, self.scene, self._state, self._pick(lang))

    # -- acting ---------------------------------------------------------------------------------------

    def choose(self, index: int) -> Scene:
        """Take the current scene's choice with source ``index`` (its place in the scene's ``choices:`` list,
        the one index used everywhere: options, saves, records, votes); return the new scene.

        Raises :class:`ChoiceError` when there is no such choice or it is not on offer now."""
        return self._take(index)

    def _take(self, index: int, replayed: bool = False) -> Scene:
        before = self._state
        choices = self.scene.choices
        offered = tuple(o.choice.index for o in self.choices() if o.enabled)
        if not 0 <= index < len(choices) or index not in offered:
            raise ChoiceError(f"choice {index + 1} of scene '{before.scene}' is not available now")
        self._history.append(Step(before.scene, index, before, offered, replayed))
        self._state = advance(self.story, before, choices[index])
        return self.scene

    def undo(self, steps: int = 1) -> int:
        """Go back ``steps`` decisions (as far as the start, or a lesson's start point); return how many."""
        undone = 0
        while undone < steps and self._history and not self._history[-1].replayed:
            self._state = self._history.pop().before
            undone += 1
        return undone

    def restart(self) -> None:
        """Go back to the very beginning (of the lesson, for a playthrough made by :meth:`for_lesson`)."""
        self.undo(len(self._history))

    @classmethod
    def for_lesson(cls, story: Story, lesson_id: str, lang: str | None = None) -> Playthrough:
        """A playthrough at a lesson's start point: its declared choices replayed silently (marked replayed).

        Raises KeyError for an unknown lesson and :class:`ChoiceError` when the replay does not fit the
        story (a choice not offered at that point, or a scene other than the one declared).
        """
        lesson = story.lesson(lesson_id)
        if lesson is None:
            raise KeyError(lesson_id)
        play = cls(story, lang)
        play.lesson_id = lesson_id
        for number, step in enumerate(lesson.start.replay if lesson.start else (), start=1):
            if play.scene.id != step.scene:
                raise ChoiceError(
                    f"replayed choice {number} is declared at scene '{step.scene}', but the replay is at "
                    f"'{play.scene.id}' by then"
                )
            play._take(step.choice, replayed=True)
        return play

    # -- what the path means ----------------------------------------------------------------------------

    def tags_met(self, kind: str | None = None) -> list[Tag]:
        """Catalog tags of the choices played (not replayed), first occurrence order, optionally of one kind."""
        seen: dict[str, Tag] = {}
        for step in self.played:
            for tag_id in self.story.scenes[step.scene].choices[step.choice].tags:
                tag = self.story.tags.get(tag_id)
                if tag and tag_id not in seen and (kind is None or tag.kind == kind):
                    seen[tag_id] = tag
        return list(seen.values())

    def exits_passed(self) -> list[tuple[Step, Choice]]:
        """Safe-exit choices on offer at a played (not replayed) step where the player chose something else."""
        out = []
        for step in self.played:
            choices = self.story.scenes[step.scene].choices
            for index in step.offered:
                if index == step.choice:
                    continue
                if any(self._tag_kind(t) == "safe-exit" for t in choices[index].tags):
                    out.append((step, choices[index]))
        return out

    def _tag_kind(self, tag_id: str) -> str | None:
        tag = self.story.tags.get(tag_id)
        return tag.kind if tag else None

    # -- saving -------------------------------------------------------------------------------------

    def snapshot(self) -> dict[str, object]:
        """A JSON-ready dict of the whole playthrough: the choices taken and the current state."""
        return {
            "version": SNAPSHOT_VERSION,
            "story_id": self.story.id,
            "story_hash": self.story.content_hash,
            "lang": self.lang,
            "lesson": self.lesson_id,
            "choices": [[step.scene, step.choice] for step in self._history],
            "state": {
                "scene": self._state.scene,
                "vars": dict(self._state.vars),
                "visits": dict(self._state.visits),
                "used": sorted([scene, index] for scene, index in self._state.used),
            },
        }

    @classmethod
    def replay(cls, story: Story, choices: list[tuple[str, int]], lang: str | None = None) -> Playthrough:
        """A playthrough that takes ``choices`` (scene id, choice index) in order; raises ChoiceError."""
        play = cls(story, lang)
        for scene_id, index in choices:
            if play.scene.id != scene_id or not 0 <= index < len(play.scene.choices):
                raise ChoiceError(f"the recorded choice {index + 1} in scene '{scene_id}' no longer fits the story")
            play.choose(index)
        return play

    @classmethod
    def _replay_lesson(
        cls, story: Story, lesson_id: str | None, choices: list[tuple[str, int]], lang: str | None
    ) -> Playthrough:
        """Replay saved choices; in a lesson the start point's steps are replayed (and marked) first."""
        if lesson_id is None or story.lesson(lesson_id) is None:
            return cls.replay(story, choices, lang)
        play = cls.for_lesson(story, lesson_id, lang)
        lead = [(step.scene, step.choice) for step in play._history]
        if choices[: len(lead)] != lead:
            raise ChoiceError("the saved choices do not begin at the lesson's start point")
        for scene_id, index in choices[len(lead) :]:
            if play.scene.id != scene_id or not 0 <= index < len(play.scene.choices):
                raise ChoiceError(f"the recorded choice {index + 1} in scene '{scene_id}' no longer fits the story")
            play.choose(index)
        return play

    @classmethod
    def restore(cls, story: Story, data: object) -> tuple[Playthrough, str | None]:
        """Rebuild a playthrough from :meth:`snapshot` output; return it and a notice (or None).

        A snapshot of this exact story version is replayed choice by choice. One from another version is
        replayed if its choices still fit, else restored at its scene (history lost) with a notice; it is
        refused with :class:`SnapshotError` when that scene no longer exists.
        """
        snap = _validate_snapshot(data)
        if snap["story_id"] != story.id:
            raise SnapshotError(f"this save belongs to the story '{snap['story_id']}', not '{story.id}'")
        lang = snap["lang"] if snap["lang"] in story.languages else None
        same = snap["story_hash"] == story.content_hash
        try:
            play = cls._replay_lesson(story, snap["lesson"], snap["choices"], lang)
            if play._state.scene == snap["state"]["scene"]:
                notice = None if same else "The story has changed since this save; your choices were replayed."
                return play, notice
            if same:
                raise SnapshotError("this save is inconsistent with the story (its choices lead elsewhere)")
        except ChoiceError:
            if same:
                raise SnapshotError("this save's choices do not fit the story it claims to be from") from None
        state = snap["state"]
        if state["scene"] not in story.scenes:
            raise SnapshotError(
                f"the story has changed since this save and its scene '{state['scene']}' no longer exists"
            )
        play = cls(story, lang)
        values = {name: var.default for name, var in story.variables.items()}
        for name, value in state["vars"].items():
            var = story.variables.get(name)
            if var is not None and type_of(value) == var.type:
                values[name] = var.clamp(bounded(value))
        visits = {k: v for k, v in state["visits"].items() if k in story.scenes}
        used = frozenset((s, i) for s, i in state["used"] if s in story.scenes)
        play._state = State(state["scene"], values, visits, used)
        return play, "The story has changed since this save; it resumes at the saved scene, without its history."


def advance(story: Story, state: State, choice: Choice) -> State:
    """The state after taking ``choice`` in ``state``: its effects, then entering its target scene."""
    values = dict(state.vars)
    _apply(story, choice.effects, values, state.visits)
    used = state.used | {(state.scene, choice.index)} if choice.once else state.used
    return _enter_scene(story, State(choice.target, values, state.visits, used), choice.target)


def _apply(story: Story, effects: tuple[Effect, ...], values: dict[str, Value], visits: Mapping[str, int]) -> None:
    env = _Env(values, visits)
    for effect in effects:
        values[effect.variable] = story.variables[effect.variable].clamp(bounded(effect.expr(env)))


def _enter_scene(story: Story, state: State, scene_id: str) -> State:
    visits = dict(state.visits)
    visits[scene_id] = visits.get(scene_id, 0) + 1
    scene = story.scenes[scene_id]
    if not scene.on_enter:
        return State(scene_id, state.vars, visits, state.used)
    values = dict(state.vars)
    _apply(story, scene.on_enter, values, visits)
    return State(scene_id, values, visits, state.used)


@dataclass(frozen=True, slots=True)
class _Env:
    vars: Mapping[str, Value]
    visits: Mapping[str, int]


def env_of(state: State) -> _Env:
    """The expression environment of a state."""
    return _Env(state.vars, state.visits)


def is_offered(choice: Choice, state: State) -> bool:
    """Whether a choice's condition holds and it is not a spent once-only choice."""
    if choice.once and (state.scene, choice.index) in state.used:
        return False
    return choice.condition is None or bool(choice.condition(env_of(state)))


def offered_options(story: Story, scene: Scene, state: State, lang: str) -> list[Option]:
    """The options of ``scene`` in ``state``: enabled, or locked with a reason; hidden ones left out."""
    env = env_of(state)
    values = dict(state.vars)
    fallback = story.default_language
    out = []
    for choice in scene.choices:
        if choice.once and (state.scene, choice.index) in state.used:
            continue
        available = choice.condition is None or bool(choice.condition(env))
        if available:
            out.append(Option(choice, terminal_safe(choice.say.render(lang, fallback, values))))
        elif choice.locked is not None:
            reason = terminal_safe(choice.locked.render(lang, fallback, values))
            out.append(Option(choice, terminal_safe(choice.say.render(lang, fallback, values)), False, reason))
    return out


def render_scene_text(story: Story, scene: Scene, state: State, lang: str) -> str:
    """The Markdown text of ``scene`` as seen in ``state``."""
    env = env_of(state)
    values = dict(state.vars)
    parts = [
        block.text.render(lang, story.default_language, values)
        for block in scene.blocks
        if block.condition is None or block.condition(env)
    ]
    return terminal_safe("\n\n".join(part.strip() for part in parts if part.strip()))


def _validate_snapshot(data: object) -> dict:
    if not isinstance(data, dict):
        raise SnapshotError("the save is not a Crossroads save (expected a JSON object)")
    version = data.get("version")
    if version != SNAPSHOT_VERSION:
        raise SnapshotError(f"unsupported save version {version!r}; this Crossroads reads version {SNAPSHOT_VERSION}")
    for key, kind in (("story_id", str), ("story_hash", str), ("choices", list), ("state", dict)):
        if not isinstance(data.get(key), kind):
            raise SnapshotError(f"the save is damaged: '{key}' is missing or of the wrong type")
    if len(data["choices"]) > MAX_HISTORY:
        raise SnapshotError(f"the save is damaged: it records more than {MAX_HISTORY:,} choices")
    choices = []
    for item in data["choices"]:
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not isinstance(item[1], int)
            or isinstance(item[1], bool)
        ):
            raise SnapshotError("the save is damaged: a recorded choice is malformed")
        choices.append((item[0], item[1]))
    state = data["state"]
    if not isinstance(state.get("scene"), str):
        raise SnapshotError("the save is damaged: it names no current scene")
    values = state.get("vars", {})
    visits = state.get("visits", {})
    used = state.get("used", [])
    if not isinstance(values, dict) or not isinstance(visits, dict) or not isinstance(used, list):
        raise SnapshotError("the save is damaged: its state is malformed")
    clean_visits = {k: v for k, v in visits.items() if isinstance(v, int) and not isinstance(v, bool) and v >= 0}
    clean_used = [
        (u[0], u[1])
        for u in used
        if isinstance(u, list) and len(u) == 2 and isinstance(u[0], str) and isinstance(u[1], int)
    ]
    lang = data.get("lang") if isinstance(data.get("lang"), str) else None
    lesson = data.get("lesson") if isinstance(data.get("lesson"), str) else None
    return {
        "lesson": lesson,
        "story_id": data["story_id"],
        "story_hash": data["story_hash"],
        "lang": lang,
        "choices": choices,
        "state": {"scene": state["scene"], "vars": values, "visits": clean_visits, "used": clean_used},
    }
