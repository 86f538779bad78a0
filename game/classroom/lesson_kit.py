"""The lesson kit that opens the guide: a one-page lesson card, preparation, safeguarding, sources, handouts.

Built from a story, one of its lessons (``lessons:``; see :class:`game.model.Lesson`) and the optional
``guide.yaml`` extras, in one language:

* the **lesson card**: a minute-by-minute timeline along the lesson's longest route as timed by
  :mod:`game.analysis.lesson` (so the plan holds for any route the class takes), the class decisions with the
  question each asks (``ask:``), and what to do if the class exits early or time runs short;
* a **preparation checklist**, **safeguarding** notes (generic ones, then the story's), the **source of the
  case** and a **vocabulary** list (both from guide.yaml);
* the **handouts**: a red-flag card, a student worksheet (one block per class decision) and an exit ticket
  tied to the objectives, with an answer key for the teacher.

Generic wording lives in :data:`game.classroom.i18n.KIT`; story wording comes from the story and guide.yaml.
Renderers are in :mod:`game.classroom.guide_render`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction

from game.analysis.lesson import LessonTiming, time_lesson
from game.classroom.guide import GuideExtras, _pick, defaults
from game.classroom.i18n import fill, kit, list_sep, ui_lang
from game.engine import Playthrough
from game.model import Lesson, Story


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A slot of the lesson: from ``start`` to ``end`` minutes, what happens (and any extra lines)."""

    start: int
    end: int
    what: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassDecision:
    """A class decision as the card lists it: the scene's title and the one question it asks."""

    scene_id: str
    title: str
    ask: str | None


@dataclass(slots=True)
class LessonKit:
    """Everything the kit prints, in one language."""

    lang: str
    lesson_id: str | None
    title: str
    minutes: int
    budget: int
    timing_note: str | None
    timeline: list[TimelineRow]
    class_decisions: list[ClassDecision]
    early: list[str]
    short: list[str]
    checklist: list[str]
    safeguarding: list[str]
    case_source: str | None
    vocabulary: list[tuple[str, str]]
    red_flags: list[tuple[str, str]]
    safe_exits: list[tuple[str, str]]
    channels: list[str]
    objectives: list[str]
    exit_ticket: list[tuple[str, str]] = field(default_factory=list)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"(])|(?<=[。！？])")


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (for the red-flag card, which has room for one line per flag)."""
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip()


def choose_lesson(story: Story, lesson_id: str | None) -> Lesson | None:
    """The lesson asked for, else the story's first one (None if it declares none); KeyError if unknown."""
    if lesson_id is not None:
        lesson = story.lesson(lesson_id)
        if lesson is None:
            raise KeyError(lesson_id)
        return lesson
    return story.lessons[0] if story.lessons else None


def build_kit(
    story: Story, lesson: Lesson | None, lang: str, extras: GuideExtras, objectives: list[str], path: str
) -> LessonKit:
    """The lesson kit for ``lesson`` (or a generic one) in ``lang``; ``path`` is the story as typed by the user."""
    fb = story.default_language

    def text(value: object) -> str:
        return value.get(lang, fb).strip()  # type: ignore[attr-defined]

    def strings(key: str, **values: object) -> list[str]:
        return [fill(item, **values) for item in kit(lang, key)]  # type: ignore[union-attr]

    red_flags = [
        (t.title.get(lang, fb), first_sentence(text(t.explain)) if t.explain else "")
        for t in story.tags_of_kind("red-flag")
    ]
    exits = [
        (t.title.get(lang, fb), first_sentence(text(t.explain)) if t.explain else "")
        for t in story.tags_of_kind("safe-exit")
    ]
    out = LessonKit(
        lang=lang,
        lesson_id=lesson.id if lesson else None,
        title=text(lesson.title) if lesson else story.title.get(lang, fb),
        minutes=lesson.minutes if lesson else 45,
        budget=lesson.play_budget if lesson else 20,
        timing_note=None,
        timeline=[],
        class_decisions=[],
        early=[],
        short=[],
        checklist=strings("checklist_items", path=path, lang=lang),
        safeguarding=strings("safeguarding_items") + [_pick(s, lang, fb) for s in extras.safeguarding],
        case_source=_pick(extras.case_source, lang, fb) if extras.case_source else None,
        vocabulary=[(_pick(term, lang, fb), _pick(meaning, lang, fb)) for term, meaning in extras.vocabulary],
        red_flags=red_flags,
        safe_exits=exits,
        channels=[_pick(c, lang, fb) for c in extras.channels],
        objectives=[text(o) for o in lesson.objectives] if lesson and lesson.objectives else objectives,
    )
    if lesson is None:
        words = defaults(lang)
        out.timeline = [
            TimelineRow(0, 5, words["brief"]),
            TimelineRow(5, 25, words["play"]),
            TimelineRow(25, 45, words["debrief"]),
        ]
        out.class_decisions = [
            ClassDecision(s.id, s.title.get(lang, fb), s.ask.get(lang, fb).strip() if s.ask else None)
            for s in story.scenes.values()
            if len(s.choices) >= 2
        ]
        return out
    out.checklist[0] += " " + str(kit(lang, "check_fits"))
    out.exit_ticket = [(text(q.question), text(q.answer)) for q in lesson.exit_ticket]
    out.class_decisions = [
        ClassDecision(sid, story.scenes[sid].title.get(lang, fb), _ask(story, lesson, sid, lang))
        for sid in lesson.class_scenes
    ]
    timing = time_lesson(story, lesson)
    longest = timing.longest.get(lang)
    shortest = timing.shortest.get(lang)
    low = f"{float(shortest.minutes):.0f}" if shortest else "?"
    out.early = strings("early_text", low=low)
    out.short = strings("short_text", debrief=lesson.debrief)
    if longest is not None and shortest is not None:
        out.timing_note = fill(
            str(kit(lang, "checker")),
            low=f"{float(shortest.minutes):.1f}",
            high=f"{float(longest.minutes):.1f}",
            budget=lesson.play_budget,
            pace=lesson.pace_for(lang),
            unit=kit(lang, "unit_chars" if ui_lang(lang) == "zh" else "unit_words"),
            class_minutes=lesson.class_minutes,
            quick_minutes=lesson.quick_minutes,
        )
    out.timeline = _timeline(story, lesson, timing, lang)
    if lesson.start is not None and lesson.start.replay and timing.start_scene:
        replayed = [story.scenes[r.scene].choices[r.choice].say.get(lang, fb).strip() for r in lesson.start.replay]
        route = " → ".join(f"{n}. {say}" for n, say in enumerate(replayed, 1))
        start_title = story.scenes[timing.start_scene].title.get(lang, fb)
        out.checklist.insert(2, fill(str(kit(lang, "row_route")), scene=start_title, route=route))
    return out


def _ask(story: Story, lesson: Lesson, scene_id: str, lang: str) -> str | None:
    """The scene's question as the class meets it on the lesson's route (interpolated), or None."""
    scene = story.scenes[scene_id]
    if scene.ask is None:
        return None
    play = Playthrough.for_lesson(story, lesson.id, lang) if _replay_fits(story, lesson) else Playthrough(story, lang)
    return scene.ask.render(play.lang, story.default_language, dict(play.vars)).strip()


def _replay_fits(story: Story, lesson: Lesson) -> bool:
    try:
        Playthrough.for_lesson(story, lesson.id)
    except ValueError:
        return False
    return True


def _timeline(story: Story, lesson: Lesson, timing: LessonTiming, lang: str) -> list[TimelineRow]:
    """Minute-by-minute rows along the longest route in ``lang``: each slot runs from the minute its step
    starts to the minute it ends, both rounded up, so slots meet without overlapping."""
    fb = story.default_language
    rows = [TimelineRow(0, lesson.brief, str(kit(lang, "row_brief")))]
    clock = Fraction(lesson.brief)
    path = timing.longest.get(lang) or timing.shortest.get(lang)
    if path is None:
        return rows
    pace = path.pace
    if path.recap_units and lesson.start is not None and lesson.start.recap is not None:
        end = clock + Fraction(path.recap_units, pace)
        lines = (lesson.start.recap.get(lang, fb).strip(),)
        rows.append(TimelineRow(math.ceil(clock), math.ceil(end), str(kit(lang, "row_recap")), lines))
        clock = end
    pending: list[str] = []
    pending_quick = 0
    pending_start = clock

    def flush() -> None:
        nonlocal pending, pending_quick
        if not pending:
            return
        what = fill(str(kit(lang, "row_read")), titles=list_sep(lang).join(pending))
        if pending_quick:
            key = "row_quick_one" if pending_quick == 1 else "row_quick"
            what += " " + fill(str(kit(lang, key)), count=pending_quick)
        rows.append(TimelineRow(math.ceil(pending_start), math.ceil(clock), what.strip()))
        pending, pending_quick = [], 0

    for cost in path.costs:
        scene = story.scenes[cost.scene]
        title = scene.title.get(lang, fb)
        span = Fraction(cost.units, pace) + cost.minutes
        if cost.decision == "class":
            flush()
            what = fill(str(kit(lang, "row_class")), title=title)
            rows.append(TimelineRow(math.ceil(clock), math.ceil(clock + span), what))
        elif cost.decision == "ending":
            flush()
            what = fill(str(kit(lang, "row_ending")), title=scene.ending.title.get(lang, fb))  # type: ignore[union-attr]
            rows.append(TimelineRow(math.ceil(clock), math.ceil(clock + span), what))
        else:
            if not pending:
                pending_start = clock
            pending.append(title)
            pending_quick += cost.decision == "quick"
        clock += span
    flush()
    play_end = lesson.brief + lesson.play_budget
    if math.ceil(clock) < play_end:
        rows.append(TimelineRow(math.ceil(clock), play_end, str(kit(lang, "row_spare"))))
    rows.append(TimelineRow(lesson.minutes - lesson.debrief, lesson.minutes, str(kit(lang, "row_debrief"))))
    return rows
