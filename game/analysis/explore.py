"""Exhaustive exploration of a story's reachable states.

A breadth-first search from the start over abstracted states (see :mod:`game.analysis.statespace`), taking
every available choice with the engine's own :func:`~game.engine.advance`. Breadth-first order makes the
first path found to anything a shortest one. The search reports every ending (reachable or not, with a
shortest choice sequence), scenes never reached, choices never available, softlocks, loops from which no
ending can be reached, and the range of every variable. When the number of distinct states passes
``max_states`` the search stops growing, says so, and its coverage is partial.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from game.analysis.findings import Finding, Step, path_json, path_text
from game.analysis.statespace import Abstraction
from game.diagnostics import Severity
from game.engine import Playthrough, State, advance, is_offered
from game.expr import STRING_LIMIT, Value
from game.model import Choice, Story

DEFAULT_MAX_STATES = 100_000


@dataclass(frozen=True, slots=True)
class EndingResult:
    """One ending of the story: whether the search reached it, and a shortest choice sequence to it."""

    scene: str
    kind: str
    title: str
    reachable: bool
    path: tuple[Step, ...] = ()


@dataclass(frozen=True, slots=True)
class VariableRange:
    """The values a variable took over all explored states: min and max for ints, the set otherwise."""

    name: str
    type: str
    minimum: Value | None = None
    maximum: Value | None = None
    values: tuple[Value, ...] = ()

    def describe(self) -> str:
        """``0..3`` for ints, ``false, true`` for the others."""
        if self.type == "int":
            return f"{self.minimum}..{self.maximum}"
        shown = [_show(v) for v in self.values[:8]]
        more = f" (+{len(self.values) - 8} more)" if len(self.values) > 8 else ""
        return ", ".join(shown) + more


def _show(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"{value[:37]!r}… ({len(value):,} characters)"
    return str(value)


@dataclass(slots=True)
class ExploreReport:
    """What :func:`explore` found; :attr:`findings` turns it into located, coded problems."""

    story: Story
    states: int
    max_states: int
    complete: bool
    endings: list[EndingResult]
    unreached_scenes: list[str]
    unavailable_choices: list[tuple[str, int]]
    softlocks: list[tuple[str, int, tuple[Step, ...]]]
    loops: list[tuple[tuple[str, ...], int, tuple[Step, ...]]]
    variables: list[VariableRange]
    seconds: float = 0.0
    transitions: int = 0
    tracked_visits: tuple[str, ...] = ()
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Error-level findings (unreachable endings, softlocks, endless loops)."""
        return [f for f in self.findings if f.is_error]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict of the whole report."""
        story = self.story
        return {
            "mode": "exhaustive",
            "story": story.id,
            "complete": self.complete,
            "states": self.states,
            "transitions": self.transitions,
            "max_states": self.max_states,
            "seconds": round(self.seconds, 4),
            "tracked_visits": list(self.tracked_visits),
            "endings": [
                {
                    "scene": e.scene,
                    "kind": e.kind,
                    "title": e.title,
                    "reachable": e.reachable,
                    "path": path_json(story, e.path) if e.reachable else None,
                }
                for e in self.endings
            ],
            "unreached_scenes": self.unreached_scenes,
            "unavailable_choices": [{"scene": s, "choice": i} for s, i in self.unavailable_choices],
            "softlocks": [{"scene": s, "states": n, "path": path_json(story, p)} for s, n, p in self.softlocks],
            "loops": [{"scenes": list(s), "states": n, "path": path_json(story, p)} for s, n, p in self.loops],
            "variables": {
                v.name: ({"min": v.minimum, "max": v.maximum} if v.type == "int" else {"values": list(v.values)})
                for v in self.variables
            },
            "findings": [f.to_json(story) for f in self.findings],
        }

    def to_text(self, lang: str | None = None) -> str:
        """The report for people, findings first in ``path:line:col: CODE: message`` form."""
        story = self.story
        lines: list[str] = []
        for finding in self.findings:
            lines.append(str(finding))
            if finding.path or finding.code in ("CR202", "CR203"):
                lines.append(f"    via: {path_text(story, finding.path, lang)}")
        if self.findings:
            lines.append("")
        coverage = "complete" if self.complete else f"PARTIAL (stopped at the cap of {self.max_states:,} states)"
        lines.append(f"{story.id}: {self.states:,} states explored in {self.seconds:.2f} s; coverage {coverage}")
        reached = len(story.scenes) - len(self.unreached_scenes)
        total_choices = sum(len(s.choices) for s in story.scenes.values())
        lines.append(
            f"scenes reached: {reached}/{len(story.scenes)}; "
            f"choices available somewhere: {total_choices - len(self.unavailable_choices)}/{total_choices}"
        )
        lines.append("endings:")
        for ending in self.endings:
            mark = "✓" if ending.reachable else "✗"
            lines.append(f"  {mark} {ending.scene} ({ending.kind}: {ending.title})")
            if ending.reachable:
                lines.append(f"      shortest: {path_text(story, ending.path, lang)}")
            else:
                lines.append("      not reachable" if self.complete else "      not reached (search incomplete)")
        if self.variables:
            lines.append("variables:")
            for var in self.variables:
                lines.append(f"  {var.name} ({var.type}): {var.describe()}")
        lines.append(f"softlocks: {len(self.softlocks)}; loops without an ending: {len(self.loops)}")
        return "\n".join(lines)


@dataclass(slots=True)
class StateGraph:
    """The reachable abstract states from one start, with the choices between them (index 0 is the start).

    ``parent``/``via`` form a breadth-first tree (so :meth:`path_to` is a shortest choice sequence);
    ``edges[i]`` lists ``(choice index, successor)`` for every choice offered in state ``i``.
    """

    states: list[State]
    parent: list[int]
    via: list[int]
    edges: list[list[tuple[int, int]]]
    offered: set[tuple[str, int]]
    dead_ends: list[int]
    truncated: bool
    transitions: int

    @property
    def successors(self) -> list[list[int]]:
        """Successor state indices of each state."""
        return [[j for _, j in out] for out in self.edges]

    def path_to(self, i: int) -> tuple[Step, ...]:
        """The breadth-first (shortest) choice sequence from the start to state ``i``."""
        steps: list[Step] = []
        while self.parent[i] >= 0:
            steps.append((self.states[self.parent[i]].scene, self.via[i]))
            i = self.parent[i]
        return tuple(reversed(steps))


def search_states(
    story: Story, start: State, abstraction: Abstraction, max_states: int = DEFAULT_MAX_STATES
) -> StateGraph:
    """Breadth-first search of every abstract state reachable from ``start`` (at most ``max_states``)."""
    scenes = story.scenes
    start = abstraction.canonical(start)
    index: dict[object, int] = {abstraction.key(start): 0}
    graph = StateGraph([start], [-1], [-1], [], set(), [], False, 0)
    states = graph.states
    cursor = 0
    while cursor < len(states):
        state = states[cursor]
        scene = scenes[state.scene]
        out: list[tuple[int, int]] = []
        if scene.ending is None:
            any_offered = False
            for choice in scene.choices:
                if not is_offered(choice, state):
                    continue
                any_offered = True
                graph.transitions += 1
                graph.offered.add((state.scene, choice.index))
                following = abstraction.canonical(advance(story, state, choice))
                key = abstraction.key(following)
                target = index.get(key)
                if target is None:
                    if len(states) >= max_states:
                        graph.truncated = True
                        continue
                    target = len(states)
                    index[key] = target
                    states.append(following)
                    graph.parent.append(cursor)
                    graph.via.append(choice.index)
                out.append((choice.index, target))
            if not any_offered:
                graph.dead_ends.append(cursor)
        graph.edges.append(out)
        cursor += 1
    return graph


def explore(story: Story, max_states: int = DEFAULT_MAX_STATES, lang: str | None = None) -> ExploreReport:
    """Search every reachable state of ``story`` (up to ``max_states``) and report what it finds."""
    began = time.perf_counter()
    abstraction = Abstraction.of(story)
    scenes = story.scenes
    graph = search_states(story, Playthrough(story).state, abstraction, max_states)
    states = graph.states
    successors = graph.successors
    offered = graph.offered
    dead_ends = graph.dead_ends
    truncated = graph.truncated
    steps = graph.transitions
    path_to = graph.path_to

    first_at: dict[str, int] = {}
    for i, state in enumerate(states):
        first_at.setdefault(state.scene, i)
    lang_ = lang if lang in story.languages else story.default_language
    endings = [
        EndingResult(
            s.id,
            s.ending.kind,  # type: ignore[union-attr]
            s.ending.title.get(lang_, story.default_language),  # type: ignore[union-attr]
            s.id in first_at,
            path_to(first_at[s.id]) if s.id in first_at else (),
        )
        for s in story.endings()
    ]
    unreached = [sid for sid in scenes if sid not in first_at]
    unavailable = [
        (sid, c.index)
        for sid, s in scenes.items()
        if sid in first_at
        for c in s.choices
        if (sid, c.index) not in offered
    ]
    softlocks = _group(states, dead_ends, path_to)
    loops = [] if truncated else _endless_loops(story, states, successors, path_to)
    report = ExploreReport(
        story=story,
        states=len(states),
        max_states=max_states,
        complete=not truncated,
        endings=endings,
        unreached_scenes=unreached,
        unavailable_choices=unavailable,
        softlocks=softlocks,
        loops=loops,
        variables=_ranges(story, states),
        transitions=steps,
        tracked_visits=abstraction.tracked,
    )
    report.findings = _findings(report) + _capped_text(story, states, path_to)
    report.seconds = time.perf_counter() - began
    return report


def _group(states: list[State], members: list[int], path_to) -> list[tuple[str, int, tuple[Step, ...]]]:
    """Group state indices by scene: (scene, how many states, shortest path to the first)."""
    first: dict[str, int] = {}
    count: dict[str, int] = {}
    for i in members:
        scene = states[i].scene
        first.setdefault(scene, i)
        count[scene] = count.get(scene, 0) + 1
    return [(scene, count[scene], path_to(i)) for scene, i in first.items()]


def _endless_loops(story: Story, states: list[State], successors: list[list[int]], path_to):
    """Cycles of states from which no ending can be reached, one entry per strongly connected group."""
    predecessors: list[list[int]] = [[] for _ in states]
    for i, outs in enumerate(successors):
        for j in outs:
            predecessors[j].append(i)
    can_end = [False] * len(states)
    frontier = [i for i, s in enumerate(states) if story.scenes[s.scene].ending is not None]
    for i in frontier:
        can_end[i] = True
    while frontier:
        i = frontier.pop()
        for p in predecessors[i]:
            if not can_end[p]:
                can_end[p] = True
                frontier.append(p)
    trapped = [i for i in range(len(states)) if not can_end[i]]
    if not trapped:
        return []
    components = _strongly_connected(trapped, successors, can_end)
    loops = []
    for component in components:
        members = sorted(component)
        first = members[0]
        if len(members) == 1 and first not in successors[first]:
            continue  # a single state that merely leads on (to a softlock or a loop): not a loop itself
        scene_ids = tuple(dict.fromkeys(states[i].scene for i in members))
        loops.append((scene_ids, len(members), path_to(first)))
    loops.sort(key=lambda loop: len(loop[2]))
    return loops


def _strongly_connected(nodes: list[int], successors: list[list[int]], excluded: list[bool]) -> list[list[int]]:
    """Tarjan's algorithm, iterative, over ``nodes`` (edges into ``excluded`` nodes are ignored)."""
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in nodes:
        if root in order:
            continue
        work = [(root, 0)]
        while work:
            node, pos = work.pop()
            if pos == 0:
                order[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            edges = successors[node]
            while pos < len(edges):
                nxt = edges[pos]
                pos += 1
                if excluded[nxt]:
                    continue
                if nxt not in order:
                    work.append((node, pos))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], order[nxt])
            if recurse:
                continue
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def _ranges(story: Story, states: list[State]) -> list[VariableRange]:
    out = []
    for name, var in story.variables.items():
        seen = {state.vars[name] for state in states}
        if var.type == "int":
            out.append(VariableRange(name, var.type, min(seen), max(seen)))  # type: ignore[type-var]
        else:
            out.append(VariableRange(name, var.type, values=tuple(sorted(seen, key=lambda v: (str(type(v)), v)))))
    return out


def _capped_text(story: Story, states: list[State], path_to) -> list[Finding]:
    """CR208: a text variable that reached the length cap in some state (it grows without bound)."""
    out = []
    for name, var in story.variables.items():
        if var.type != "str":
            continue
        first = next((i for i, state in enumerate(states) if len(state.vars[name]) >= STRING_LIMIT), None)
        if first is not None:
            out.append(
                Finding(
                    "CR208",
                    f"text variable '{name}' reaches the length cap of {STRING_LIMIT:,} characters and is cut "
                    "(it grows without bound)",
                    var.location,
                    path_to(first),
                    severity=Severity.WARNING,
                )
            )
    return out


def _findings(report: ExploreReport) -> list[Finding]:
    story = report.story
    out: list[Finding] = []
    if not report.complete:
        out.append(
            Finding(
                "CR206",
                f"the search stopped at the cap of {report.max_states:,} states; coverage is partial "
                "(raise --max-states, or bound the variables with min/max)",
                None,
                severity=Severity.WARNING,
            )
        )
    for ending in report.endings:
        if not ending.reachable and report.complete:
            out.append(
                Finding(
                    "CR201",
                    f"ending '{ending.scene}' ({ending.kind}) cannot be reached by any sequence of choices",
                    story.scenes[ending.scene].location,
                )
            )
    for scene, count, path in report.softlocks:
        out.append(
            Finding(
                "CR202",
                f"softlock: scene '{scene}' is not an ending and no choice is available "
                f"({count} state{'s' if count != 1 else ''})",
                story.scenes[scene].location,
                path,
            )
        )
    for scenes, count, path in report.loops:
        out.append(
            Finding(
                "CR203",
                f"endless loop: from scene{'s' if len(scenes) > 1 else ''} {', '.join(repr(s) for s in scenes)} "
                f"no ending can be reached ({count} state{'s' if count != 1 else ''})",
                story.scenes[scenes[0]].location,
                path,
            )
        )
    if report.complete:
        for scene in report.unreached_scenes:
            if story.scenes[scene].is_ending:
                continue  # already reported as CR201
            out.append(
                Finding(
                    "CR204",
                    f"scene '{scene}' is never reached",
                    story.scenes[scene].location,
                    severity=Severity.WARNING,
                )
            )
        for scene, index in report.unavailable_choices:
            choice = story.scenes[scene].choices[index]
            if _is_signpost(choice):
                continue
            out.append(
                Finding(
                    "CR205",
                    f"choice {index + 1} of scene '{scene}' is never available",
                    choice.location or story.scenes[scene].location,
                    severity=Severity.WARNING,
                )
            )
    return out


def _is_signpost(choice: Choice) -> bool:
    """A choice with a constant condition and a ``locked`` reason is always shown locked on purpose.

    Stories use it to show a door that has closed (``if: "false"`` with ``locked: "You are no longer
    abroad"``); it is never available by design, so it is not reported.
    """
    condition = choice.condition
    return choice.locked is not None and condition is not None and not condition.names and not condition.scene_refs
