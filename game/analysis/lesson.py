"""Lesson timing: time as a checked property of a story's declared lessons.

For each lesson (``lessons:`` in story.yaml, see :class:`game.model.Lesson`) the checker replays the start
point, searches every abstract state reachable from there with the explorer's own search
(:func:`game.analysis.explore.search_states`), and finds, per language, the shortest and the longest path
(in minutes) from the lesson's start to an ending.

**What a path costs.** A path is the recap (if the lesson has a start point) followed by every state it
visits, the ending included. At each state the class hears, read aloud:

* the scene's text as rendered in that state (conditional blocks that hold, ``{var}`` interpolated),
* the scene's ``ask:`` question, and
* the text of every option shown (enabled and locked ones; a locked option's reason is not read).

Titles, chapter headers, an ending's title and summary and the debrief are not counted: the debrief has its
own phase of the lesson. Reading minutes = read-aloud units / the lesson's pace for that language.

**Units** (:func:`reading_units`), one definition for every language: each Han character (CJK ideographs,
with extensions and compatibility forms) is one unit; every other run of letters and digits is one unit,
where an apostrophe or hyphen between letters (``don't``, ``well-known``) and a point or comma between
digits (``12,000``, ``3.5``) do not split it. Punctuation, Chinese or Western, is never a unit: it is a
pause, not a syllable. So English text counts words, Chinese text counts characters (a Latin name or a
number inside it counts once), and the default paces are 140 English words and 220 Chinese characters a
minute.

**Decisions.** Visiting a scene listed in the lesson's ``class`` costs ``class_minutes`` (vote and pair
talk); visiting any other scene that offers two or more enabled options costs ``quick_minutes``; a scene with
a single option (a "continue") costs nothing beyond its reading. The play budget is ``minutes - brief -
debrief``.

Codes (findings): ``CR301`` the start point's replay fails; ``CR302`` a class decision the lesson's route
never reaches; ``CR303`` the lesson cannot fit (even its shortest path is over the budget); ``CR304``
(warning) a path over the budget, named; ``CR305`` (warning) a loop inside the lesson, so the longest time
has no bound; ``CR306`` (warning) the state cap cut the search short.
"""

from __future__ import annotations

import heapq
import itertools
import re
from dataclasses import dataclass, field
from fractions import Fraction

from game.analysis.explore import DEFAULT_MAX_STATES, StateGraph, _strongly_connected, search_states
from game.analysis.findings import Finding, Step, path_json, path_text
from game.analysis.statespace import Abstraction
from game.diagnostics import Severity
from game.engine import ChoiceError, Playthrough, State, offered_options, render_scene_text
from game.model import Lesson, Story

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’-][^\W_]+)*")


def reading_units(text: str) -> int:
    """Read-aloud units in ``text``: Han characters one each, other runs of letters or digits one each."""
    han = len(_HAN.findall(text))
    return han + len(_WORD.findall(_HAN.sub(" ", text)))


@dataclass(frozen=True, slots=True)
class StateCost:
    """What one visited state costs: its read-aloud units and its decision (class, quick or none)."""

    scene: str
    units: int
    decision: str  # "class", "quick", "continue" or "ending"
    minutes: int


@dataclass(frozen=True, slots=True)
class PathTime:
    """One timed path through a lesson in one language, with the numbers that make up its time."""

    lang: str
    path: tuple[Step, ...]
    costs: tuple[StateCost, ...]
    recap_units: int
    pace: int

    @property
    def units(self) -> int:
        """Read-aloud units on the path, the recap included."""
        return self.recap_units + sum(c.units for c in self.costs)

    @property
    def reading_minutes(self) -> Fraction:
        """Units divided by the pace."""
        return Fraction(self.units, self.pace)

    @property
    def class_decisions(self) -> int:
        """Class decisions on the path."""
        return sum(1 for c in self.costs if c.decision == "class")

    @property
    def quick_decisions(self) -> int:
        """Quick decisions on the path."""
        return sum(1 for c in self.costs if c.decision == "quick")

    @property
    def decision_minutes(self) -> int:
        """Minutes of voting and pair talk on the path."""
        return sum(c.minutes for c in self.costs)

    @property
    def minutes(self) -> Fraction:
        """Reading plus decisions."""
        return self.reading_minutes + self.decision_minutes

    @property
    def ending(self) -> str:
        """The ending the path reaches."""
        return self.costs[-1].scene

    def explain(self, lesson: Lesson) -> str:
        """``2,310 words at 140/min = 16.5 + 3 class × 4 + 2 quick × 1 = 30.5 min``."""
        unit = "characters" if _is_cjk(self.lang) else "words"
        return (
            f"{self.units:,} {unit} at {self.pace}/min = {float(self.reading_minutes):.1f} + "
            f"{self.class_decisions} class × {lesson.class_minutes} + {self.quick_decisions} quick × "
            f"{lesson.quick_minutes} = {float(self.minutes):.1f} min"
        )

    def to_json(self, story: Story, lesson: Lesson) -> dict[str, object]:
        """Every number of the path, step by step."""
        return {
            "minutes": round(float(self.minutes), 2),
            "ending": self.ending,
            "units": self.units,
            "unit": "characters" if _is_cjk(self.lang) else "words",
            "pace": self.pace,
            "reading_minutes": round(float(self.reading_minutes), 2),
            "recap_units": self.recap_units,
            "class_decisions": self.class_decisions,
            "class_minutes": lesson.class_minutes,
            "quick_decisions": self.quick_decisions,
            "quick_minutes": lesson.quick_minutes,
            "decision_minutes": self.decision_minutes,
            "choices": path_json(story, self.path),
            "states": [
                {"scene": c.scene, "units": c.units, "decision": c.decision, "minutes": c.minutes} for c in self.costs
            ],
        }


def _is_cjk(lang: str) -> bool:
    return lang.split("-")[0] in ("zh", "ja")


@dataclass(slots=True)
class LessonTiming:
    """The timing of one lesson: its route, shortest and longest path per language, and its findings."""

    story: Story
    lesson: Lesson
    start_scene: str = ""
    states: int = 0
    complete: bool = True
    route: frozenset[str] = frozenset()
    shortest: dict[str, PathTime] = field(default_factory=dict)
    longest: dict[str, PathTime] = field(default_factory=dict)
    loop: tuple[tuple[str, ...], tuple[Step, ...]] | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def budget(self) -> int:
        """The lesson's play budget in minutes."""
        return self.lesson.play_budget

    def fits(self, lang: str) -> bool:
        """True when every path of the lesson in ``lang`` fits the play budget (and none loops)."""
        longest = self.longest.get(lang)
        return self.loop is None and longest is not None and longest.minutes <= self.budget

    def summary(self) -> str:
        """One line: ``lesson class-45: play budget 25 min; en 12.1–24.3 min, zh 11.0–22.8 min; fits``."""
        lesson = self.lesson
        head = (
            f"lesson {lesson.id}: {lesson.minutes} min = brief {lesson.brief} + play {self.budget} + debrief "
            f"{lesson.debrief}"
        )
        if not self.shortest:
            return f"{head}; not timed (see the findings above)"
        spans = []
        for lang in self.story.languages:
            low = self.shortest.get(lang)
            high = self.longest.get(lang)
            top = f"{float(high.minutes):.1f}" if high is not None else "unbounded"
            spans.append(f"{lang} {float(low.minutes):.1f}–{top} min" if low else f"{lang} –")
        verdict = "fits" if all(self.fits(lang) for lang in self.story.languages) else "OVER BUDGET on some paths"
        return f"{head}; shortest–longest path: {', '.join(spans)}; {verdict}"

    def to_text(self, lang: str | None = None) -> str:
        """The summary line, then each language's shortest and longest path with its arithmetic."""
        lines = [self.summary()]
        for code in self.story.languages:
            for name, found in (("shortest", self.shortest.get(code)), ("longest", self.longest.get(code))):
                if found is None:
                    continue
                lines.append(f"  {code} {name} → {found.ending}: {found.explain(self.lesson)}")
                lines.append(f"      via: {path_text(self.story, found.path, code, self.start_scene)}")
        if self.loop is not None:
            lines.append(f"  loop: {' → '.join(self.loop[0])}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, object]:
        """Everything, for ``--json``."""
        lesson = self.lesson
        return {
            "lesson": lesson.id,
            "minutes": lesson.minutes,
            "brief": lesson.brief,
            "debrief": lesson.debrief,
            "play_budget": self.budget,
            "pace": {lang: lesson.pace_for(lang) for lang in self.story.languages},
            "class": list(lesson.class_scenes),
            "start_scene": self.start_scene,
            "states": self.states,
            "complete": self.complete,
            "route": sorted(self.route),
            "shortest": {k: v.to_json(self.story, lesson) for k, v in self.shortest.items()},
            "longest": {k: v.to_json(self.story, lesson) for k, v in self.longest.items()},
            "loop": None
            if self.loop is None
            else {"scenes": list(self.loop[0]), "choices": path_json(self.story, self.loop[1])},
            "fits": {lang: self.fits(lang) for lang in self.story.languages},
            "findings": [f.to_json(self.story) for f in self.findings],
        }


def time_lessons(story: Story, max_states: int = DEFAULT_MAX_STATES) -> list[LessonTiming]:
    """Time every lesson the story declares."""
    return [time_lesson(story, lesson, max_states) for lesson in story.lessons]


def time_lesson(story: Story, lesson: Lesson, max_states: int = DEFAULT_MAX_STATES) -> LessonTiming:
    """Replay the lesson's start, search its states, and time its shortest and longest paths per language."""
    timing = LessonTiming(story, lesson)
    try:
        play = Playthrough.for_lesson(story, lesson.id)
    except ChoiceError as exc:
        step = _failing_step(story, lesson)
        where = step.location if step is not None and step.location is not None else lesson.location
        timing.findings.append(Finding("CR301", f"lesson '{lesson.id}': the start point's replay fails: {exc}", where))
        return timing
    timing.start_scene = play.scene.id
    graph = search_states(story, play.state, Abstraction.of(story, text=True), max_states)
    timing.states = len(graph.states)
    timing.complete = not graph.truncated
    timing.route = frozenset(state.scene for state in graph.states)
    if graph.truncated:
        timing.findings.append(
            Finding(
                "CR306",
                f"lesson '{lesson.id}': the search stopped at {max_states:,} states; its times are partial",
                lesson.location,
                severity=Severity.WARNING,
            )
        )
    for scene_id in lesson.class_scenes:
        if scene_id not in timing.route:
            timing.findings.append(
                Finding(
                    "CR302",
                    f"lesson '{lesson.id}': class decision '{scene_id}' is not on the lesson's route (no choice "
                    f"from its start at '{timing.start_scene}' reaches it)",
                    lesson.location,
                )
            )
    loop = _first_loop(graph)
    if loop is not None:
        members, path = loop
        timing.loop = (tuple(dict.fromkeys(graph.states[i].scene for i in members)), path)
        timing.findings.append(
            Finding(
                "CR305",
                f"lesson '{lesson.id}': a loop inside the lesson ({' → '.join(timing.loop[0])}); a class can go "
                "round it, so the longest time has no bound",
                story.scenes[timing.loop[0][0]].location,
                path,
                Severity.WARNING,
            )
        )
    for lang in story.languages:
        _time_language(story, lesson, graph, lang, timing)
    return timing


def _failing_step(story: Story, lesson: Lesson):
    """The replay step at which the lesson's replay fails (for the finding's location)."""
    play = Playthrough(story)
    for step in lesson.start.replay if lesson.start else ():
        if play.scene.id != step.scene:
            return step
        try:
            play.choose(step.choice)
        except ChoiceError:
            return step
    return None


def state_cost(story: Story, lesson: Lesson, state: State, lang: str) -> StateCost:
    """What a state costs in ``lang``: units read aloud there, and its decision minutes."""
    scene = story.scenes[state.scene]
    units = reading_units(render_scene_text(story, scene, state, lang))
    if scene.is_ending:
        return StateCost(scene.id, units, "ending", 0)
    if scene.ask is not None:
        units += reading_units(scene.ask.render(lang, story.default_language, dict(state.vars)))
    options = offered_options(story, scene, state, lang)
    units += sum(reading_units(option.text) for option in options)
    if scene.id in lesson.class_scenes:
        return StateCost(scene.id, units, "class", lesson.class_minutes)
    if sum(1 for option in options if option.enabled) >= 2:
        return StateCost(scene.id, units, "quick", lesson.quick_minutes)
    return StateCost(scene.id, units, "continue", 0)


def _time_language(story: Story, lesson: Lesson, graph: StateGraph, lang: str, timing: LessonTiming) -> None:
    pace = lesson.pace_for(lang)
    recap = lesson.start.recap if lesson.start else None
    recap_units = reading_units(recap.get(lang, story.default_language)) if recap else 0
    costs = [state_cost(story, lesson, state, lang) for state in graph.states]
    weight = [c.units + c.minutes * pace for c in costs]  # exact: minutes × pace, in units
    ends = [i for i, s in enumerate(graph.states) if story.scenes[s.scene].is_ending]
    if not ends:
        return
    shortest = _shortest(graph, weight, ends)
    if shortest is not None:
        timing.shortest[lang] = _path_time(graph, costs, shortest, lang, recap_units, pace)
    if timing.loop is None:
        longest = _longest(graph, weight, set(ends))
        if longest is not None:
            timing.longest[lang] = _path_time(graph, costs, longest, lang, recap_units, pace)
    budget = lesson.play_budget
    low = timing.shortest.get(lang)
    high = timing.longest.get(lang)
    if low is not None and low.minutes > budget:
        timing.findings.append(
            Finding(
                "CR303",
                f"lesson '{lesson.id}' cannot fit in {lang}: even its shortest path (to '{low.ending}') takes "
                f"{float(low.minutes):.1f} min ({low.explain(lesson)}), over the {budget}-minute play budget",
                lesson.location,
                low.path,
            )
        )
    elif high is not None and high.minutes > budget:
        timing.findings.append(
            Finding(
                "CR304",
                f"lesson '{lesson.id}' in {lang}: the path to '{high.ending}' takes {float(high.minutes):.1f} min "
                f"({high.explain(lesson)}), over the {budget}-minute play budget",
                lesson.location,
                high.path,
                Severity.WARNING,
            )
        )


def _path_time(
    graph: StateGraph, costs: list[StateCost], states: list[int], lang: str, recap_units: int, pace: int
) -> PathTime:
    steps = []
    for here, there in itertools.pairwise(states):
        choice = next(c for c, j in graph.edges[here] if j == there)
        steps.append((graph.states[here].scene, choice))
    return PathTime(lang, tuple(steps), tuple(costs[i] for i in states), recap_units, pace)


def _shortest(graph: StateGraph, weight: list[int], ends: list[int]) -> list[int] | None:
    """Dijkstra from state 0 over node weights; the cheapest ending state's path (ties: fewer states)."""
    best = {0: weight[0]}
    back: dict[int, int] = {}
    queue = [(weight[0], 0)]
    done: set[int] = set()
    targets = set(ends)
    while queue:
        cost, i = heapq.heappop(queue)
        if i in done:
            continue
        done.add(i)
        if i in targets:
            return _walk_back(back, i)
        for _, j in graph.edges[i]:
            total = cost + weight[j]
            if total < best.get(j, total + 1):
                best[j] = total
                back[j] = i
                heapq.heappush(queue, (total, j))
    return None


def _longest(graph: StateGraph, weight: list[int], ends: set[int]) -> list[int] | None:
    """The most expensive path from state 0 to an ending over the (acyclic) state graph."""
    order = _topological(graph)
    gain: list[int | None] = [None] * len(graph.states)
    nxt: list[int] = [-1] * len(graph.states)
    for i in reversed(order):
        if i in ends:
            gain[i] = weight[i]
            continue
        for _, j in graph.edges[i]:
            if gain[j] is not None and (gain[i] is None or weight[i] + gain[j] > gain[i]):  # type: ignore[operator]
                gain[i] = weight[i] + gain[j]  # type: ignore[operator]
                nxt[i] = j
    if gain[0] is None:
        return None
    path = [0]
    while nxt[path[-1]] >= 0:
        path.append(nxt[path[-1]])
    return path


def _topological(graph: StateGraph) -> list[int]:
    """States in an order where each comes before its successors (the graph has no cycle)."""
    seen = [False] * len(graph.states)
    order: list[int] = []
    for root in range(len(graph.states)):
        if seen[root]:
            continue
        seen[root] = True
        work = [(root, 0)]
        while work:
            node, pos = work.pop()
            edges = graph.edges[node]
            if pos < len(edges):
                work.append((node, pos + 1))
                nxt = edges[pos][1]
                if not seen[nxt]:
                    seen[nxt] = True
                    work.append((nxt, 0))
            else:
                order.append(node)
    order.reverse()
    return order


def _first_loop(graph: StateGraph) -> tuple[list[int], tuple[Step, ...]] | None:
    """A cycle of states reachable in the lesson (members and the shortest path to it), or None."""
    successors = graph.successors
    nodes = list(range(len(graph.states)))
    components = _strongly_connected(nodes, successors, [False] * len(nodes))
    loops = [c for c in components if len(c) > 1 or c[0] in successors[c[0]]]
    if not loops:
        return None
    members = min(loops, key=lambda c: min(c))
    first = min(members)
    return sorted(members), graph.path_to(first)


def _walk_back(back: dict[int, int], i: int) -> list[int]:
    path = [i]
    while path[-1] in back:
        path.append(back[path[-1]])
    return list(reversed(path))
