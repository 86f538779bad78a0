"""Reproducible random playtests with the least-used-option strategy (as ChoiceScript's randomtest).

Each of ``runs`` playthroughs starts at the beginning; at every scene it takes, among the available
choices, one of those taken least often so far over all runs (ties broken by a ``random.Random(seed)``),
which steers later runs towards what earlier ones missed. A playthrough that has not ended after
``max_steps`` choices is cut off and reported (a likely endless loop). The same story, runs and seed give
the same report, always.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field

from game.analysis.findings import Finding, Step, path_json, path_text
from game.diagnostics import Severity
from game.engine import Playthrough, State, advance, is_offered
from game.model import Story

DEFAULT_RUNS = 1000


def default_max_steps(story: Story) -> int:
    """The step guard: generous for the story's size, so only a real loop trips it."""
    return max(1000, 20 * len(story.scenes))


@dataclass(slots=True)
class RandomReport:
    """What :func:`random_playtest` found."""

    story: Story
    runs: int
    seed: int
    max_steps: int
    endings: Counter[str]
    scene_visits: Counter[str]
    choice_uses: Counter[tuple[str, int]]
    softlocks: dict[str, tuple[int, tuple[Step, ...]]]
    cut_off: list[tuple[Step, ...]]
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Error-level findings (softlocks met)."""
        return [f for f in self.findings if f.is_error]

    @property
    def scene_coverage(self) -> tuple[int, int]:
        """(scenes entered at least once, scenes in the story)."""
        return len(self.scene_visits), len(self.story.scenes)

    @property
    def choice_coverage(self) -> tuple[int, int]:
        """(choices taken at least once, choices in the story)."""
        return len(self.choice_uses), sum(len(s.choices) for s in self.story.scenes.values())

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict of the report."""
        story = self.story
        return {
            "mode": "random",
            "story": story.id,
            "runs": self.runs,
            "seed": self.seed,
            "max_steps": self.max_steps,
            "seconds": round(self.seconds, 4),
            "scene_coverage": list(self.scene_coverage),
            "choice_coverage": list(self.choice_coverage),
            "endings": {e.id: self.endings.get(e.id, 0) for e in story.endings()},
            "cut_off": len(self.cut_off),
            "unvisited_scenes": [s for s in story.scenes if s not in self.scene_visits],
            "softlocks": [{"scene": s, "runs": n, "path": path_json(story, p)} for s, (n, p) in self.softlocks.items()],
            "findings": [f.to_json(story) for f in self.findings],
        }

    def to_text(self, lang: str | None = None) -> str:
        """The report for people: findings, coverage, and the distribution of endings."""
        story = self.story
        lines: list[str] = []
        for finding in self.findings:
            lines.append(str(finding))
            if finding.path:
                lines.append(f"    via: {path_text(story, finding.path, lang)}")
        if self.findings:
            lines.append("")
        scenes, total_scenes = self.scene_coverage
        choices, total_choices = self.choice_coverage
        lines.append(
            f"{story.id}: {self.runs:,} random playthroughs (seed {self.seed}, least-used option first) "
            f"in {self.seconds:.2f} s"
        )
        lines.append(f"scene coverage: {scenes}/{total_scenes} ({_percent(scenes, total_scenes)})")
        lines.append(f"choice coverage: {choices}/{total_choices} ({_percent(choices, total_choices)})")
        unvisited = [s for s in story.scenes if s not in self.scene_visits]
        if unvisited:
            shown = ", ".join(unvisited[:10]) + (f" (+{len(unvisited) - 10} more)" if len(unvisited) > 10 else "")
            lines.append(f"scenes never entered: {shown}")
        lines.append("endings:")
        width = max((len(e.id) for e in story.endings()), default=0)
        for ending in story.endings():
            count = self.endings.get(ending.id, 0)
            kind = ending.ending.kind  # type: ignore[union-attr]
            lines.append(f"  {ending.id.ljust(width)}  {kind:<5} {count:>6}  {_percent(count, self.runs)}")
        if self.cut_off:
            lines.append(f"  (did not end within {self.max_steps:,} steps: {len(self.cut_off)})")
        if self.softlocks:
            lines.append(f"  (stuck in a softlock: {sum(n for n, _ in self.softlocks.values())})")
        return "\n".join(lines)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def random_playtest(
    story: Story, runs: int = DEFAULT_RUNS, seed: int = 0, max_steps: int | None = None
) -> RandomReport:
    """Play ``story`` ``runs`` times, least-used option first, reproducibly from ``seed``."""
    began = time.perf_counter()
    rng = random.Random(seed)
    limit = max_steps if max_steps is not None else default_max_steps(story)
    endings: Counter[str] = Counter()
    scene_visits: Counter[str] = Counter()
    uses: Counter[tuple[str, int]] = Counter()
    softlocks: dict[str, tuple[int, tuple[Step, ...]]] = {}
    cut_off: list[tuple[Step, ...]] = []
    start = Playthrough(story).state
    for _ in range(runs):
        state: State = start
        scene_visits[state.scene] += 1
        path: list[Step] = []
        while True:
            scene = story.scenes[state.scene]
            if scene.ending is not None:
                endings[scene.id] += 1
                break
            if len(path) >= limit:
                cut_off.append(tuple(path))
                break
            options = [c for c in scene.choices if is_offered(c, state)]
            if not options:
                count, first = softlocks.get(scene.id, (0, tuple(path)))
                softlocks[scene.id] = (count + 1, first if count else tuple(path))
                break
            least = min(uses[(scene.id, c.index)] for c in options)
            candidates = [c for c in options if uses[(scene.id, c.index)] == least]
            choice = candidates[rng.randrange(len(candidates))] if len(candidates) > 1 else candidates[0]
            uses[(scene.id, choice.index)] += 1
            path.append((scene.id, choice.index))
            state = advance(story, state, choice)
            scene_visits[state.scene] += 1
    report = RandomReport(story, runs, seed, limit, endings, scene_visits, uses, softlocks, cut_off)
    report.findings = _findings(report)
    report.seconds = time.perf_counter() - began
    return report


def _findings(report: RandomReport) -> list[Finding]:
    story = report.story
    out = [
        Finding(
            "CR202",
            f"softlock: scene '{scene}' is not an ending and no choice is available (met in {count} run"
            f"{'s' if count != 1 else ''})",
            story.scenes[scene].location,
            path,
        )
        for scene, (count, path) in report.softlocks.items()
    ]
    if report.cut_off:
        shortest = min(report.cut_off, key=len)
        tail_scenes = list(dict.fromkeys(scene for scene, _ in shortest[-50:]))
        out.append(
            Finding(
                "CR207",
                f"{len(report.cut_off)} playthrough(s) did not end within {report.max_steps:,} choices; "
                f"likely an endless loop through {', '.join(repr(s) for s in tail_scenes[:6])}",
                story.scenes[tail_scenes[0]].location if tail_scenes else None,
                severity=Severity.WARNING,
            )
        )
    return out
