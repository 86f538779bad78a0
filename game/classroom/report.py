"""The class report: figures computed from anonymous playthrough records.

For each story version found in the records: how many playthroughs (finished and abandoned), the ending
distribution, the share of each option at every decision point, where players first stepped off the trap
(their first choice tagged as a safe exit), the median time per decision and the facilitator votes.
Records from another version of a story (another content hash) form their own group and are never mixed
into the figures of the current one. Renderers live in :mod:`game.classroom.report_render` (md, csv, json)
and :mod:`game.classroom.report_html`.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from game.classroom.i18n import label, ui_lang
from game.classroom.records import Problem, RecordSet
from game.model import Story


@dataclass(frozen=True, slots=True)
class OptionStats:
    """One option at a decision point: how often it was taken and its share of that point's decisions."""

    index: int
    label: str
    count: int
    share: float
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DecisionStats:
    """A decision point: its options and the median seconds players spent there."""

    scene_id: str
    title: str
    total: int
    options: tuple[OptionStats, ...]
    median_seconds: float | None


@dataclass(frozen=True, slots=True)
class EndingStats:
    """An ending (or ``None`` scene id for abandoned playthroughs) and how many reached it."""

    scene_id: str | None
    title: str
    kind: str | None
    count: int
    share: float


@dataclass(frozen=True, slots=True)
class VoteRow:
    """One class vote in a facilitator session."""

    session: int
    scene_id: str
    title: str
    counts: tuple[tuple[int, str, int], ...]
    chosen: int
    chosen_label: str
    decision: str


@dataclass(slots=True)
class GroupReport:
    """The figures for one story version."""

    story_id: str
    story_hash: str
    title: str
    current: bool
    playthroughs: int = 0
    finished: int = 0
    abandoned: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)
    endings: list[EndingStats] = field(default_factory=list)
    decisions: list[DecisionStats] = field(default_factory=list)
    first_off_trap: list[tuple[str, str, int]] = field(default_factory=list)
    never_off_trap: int = 0
    median_decision_seconds: float | None = None
    votes: list[VoteRow] = field(default_factory=list)


@dataclass(slots=True)
class ClassReport:
    """The whole report: one group per story version, the skipped lines and the duplicates dropped."""

    lang: str
    groups: list[GroupReport]
    problems: list[Problem]
    duplicates: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every figure."""
        return {
            "format": "crossroads-report",
            "version": 1,
            "lang": self.lang,
            "groups": [_group_json(g) for g in self.groups],
            "skipped": [{"path": p.path, "line": p.line, "message": p.message} for p in self.problems],
            "duplicates": self.duplicates,
        }


def _group_json(group: GroupReport) -> dict[str, Any]:
    return {
        "story": {"id": group.story_id, "hash": group.story_hash, "title": group.title, "current": group.current},
        "playthroughs": group.playthroughs,
        "finished": group.finished,
        "abandoned": group.abandoned,
        "languages": group.languages,
        "modes": group.modes,
        "endings": [
            {"scene": e.scene_id, "title": e.title, "kind": e.kind, "count": e.count, "share": round(e.share, 4)}
            for e in group.endings
        ],
        "decisions": [
            {
                "scene": d.scene_id,
                "title": d.title,
                "total": d.total,
                "median_seconds": d.median_seconds,
                "options": [
                    {"choice": o.index, "label": o.label, "count": o.count, "share": round(o.share, 4), "tags": o.tags}
                    for o in d.options
                ],
            }
            for d in group.decisions
        ],
        "first_off_trap": [{"scene": s, "title": t, "count": c} for s, t, c in group.first_off_trap],
        "never_off_trap": group.never_off_trap,
        "median_decision_seconds": group.median_decision_seconds,
        "votes": [
            {
                "session": v.session,
                "scene": v.scene_id,
                "counts": [{"choice": i, "label": lbl, "votes": n} for i, lbl, n in v.counts],
                "chosen": v.chosen,
                "decision": v.decision,
            }
            for v in group.votes
        ],
    }


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


class _Labels:
    """Scene titles and option labels from the story when the version matches, else plain ids."""

    def __init__(self, story: Story | None, lang: str) -> None:
        self.story = story
        self.lang = lang if story is None or lang in story.languages else story.default_language
        self.ui = ui_lang(lang)

    def scene(self, scene_id: str) -> str:
        if self.story is not None and scene_id in self.story.scenes:
            return self.story.scenes[scene_id].title.get(self.lang, self.story.default_language)
        return scene_id

    def option(self, scene_id: str, index: int) -> str:
        if self.story is not None and scene_id in self.story.scenes:
            choices = self.story.scenes[scene_id].choices
            if 0 <= index < len(choices):
                return choices[index].say.get(self.lang, self.story.default_language)
        return f"{label(self.ui, 'option')} {index + 1}"

    def ending(self, scene_id: str) -> tuple[str, str | None]:
        if self.story is not None and scene_id in self.story.scenes:
            ending = self.story.scenes[scene_id].ending
            if ending is not None:
                return ending.title.get(self.lang, self.story.default_language), ending.kind
        return scene_id, None


def build_report(found: RecordSet, stories: dict[str, Story] | None = None, lang: str = "en") -> ClassReport:
    """Compute the report. ``stories`` maps story id to the loaded story (for titles and option labels);
    a group is *current* when its hash equals that story's, else when it is the largest group of its id."""
    stories = stories or {}
    by_version: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in found.records:
        key = (record["story"]["id"], record["story"]["hash"])
        by_version.setdefault(key, []).append(record)
    ids = sorted({story_id for story_id, _ in by_version})
    groups: list[GroupReport] = []
    for story_id in ids:
        versions = [(h, recs) for (sid, h), recs in by_version.items() if sid == story_id]
        story = stories.get(story_id)
        if story is not None and any(h == story.content_hash for h, _ in versions):
            current_hash = story.content_hash
        else:
            current_hash = max(versions, key=lambda item: (len(item[1]), item[0]))[0]
        versions.sort(key=lambda item: (item[0] != current_hash, -len(item[1]), item[0]))
        for story_hash, records in versions:
            matched = story if story is not None and story.content_hash == story_hash else None
            group = _group(story_id, story_hash, records, matched, story_hash == current_hash, lang)
            if matched is None and story is not None:  # another version: still name the story
                group.title = story.title.get(lang if lang in story.languages else story.default_language, "")
            groups.append(group)
    return ClassReport(lang=ui_lang(lang), groups=groups, problems=list(found.problems), duplicates=found.duplicates)


def _group(
    story_id: str, story_hash: str, records: list[dict[str, Any]], story: Story | None, current: bool, lang: str
) -> GroupReport:
    names = _Labels(story, lang)
    title = story.title.get(names.lang, story.default_language) if story is not None else story_id
    group = GroupReport(story_id, story_hash, title, current)
    group.playthroughs = len(records)
    group.finished = sum(1 for r in records if r["ending"] is not None)
    group.abandoned = group.playthroughs - group.finished
    group.languages = dict(Counter(r["lang"] for r in records).most_common())
    group.modes = dict(Counter(r["mode"] for r in records).most_common())

    ending_counts: Counter[str] = Counter(r["ending"]["scene"] for r in records if r["ending"] is not None)
    order = [s.id for s in story.endings()] if story is not None else []
    ending_ids = [e for e in order if e in ending_counts] + sorted(e for e in ending_counts if e not in order)
    if story is not None:  # show endings nobody reached too, so the class sees what it missed
        ending_ids = order + [e for e in ending_ids if e not in order]
    for scene_id in ending_ids:
        title_text, kind = names.ending(scene_id)
        if kind is None:
            kind = next(
                (r["ending"].get("kind") for r in records if r["ending"] and r["ending"]["scene"] == scene_id), None
            )
        count = ending_counts.get(scene_id, 0)
        group.endings.append(EndingStats(scene_id, title_text, kind, count, count / group.playthroughs))
    if group.abandoned:
        group.endings.append(
            EndingStats(None, label(names.ui, "abandoned"), None, group.abandoned, group.abandoned / group.playthroughs)
        )

    taken: dict[str, Counter[int]] = {}
    seconds: dict[str, list[float]] = {}
    tags_of: dict[tuple[str, int], tuple[str, ...]] = {}
    all_seconds: list[float] = []
    first_off: Counter[str] = Counter()
    for record in records:
        stepped_off = False
        for item in record["choices"]:
            scene_id, index = item["scene"], item["choice"]
            taken.setdefault(scene_id, Counter())[index] += 1
            seconds.setdefault(scene_id, []).append(float(item["seconds"]))
            all_seconds.append(float(item["seconds"]))
            tags = tuple(str(t) for t in item.get("tags", []))
            tags_of.setdefault((scene_id, index), tags)
            if not stepped_off and item.get("exit") is True:
                first_off[scene_id] += 1
                stepped_off = True
        if not stepped_off:
            group.never_off_trap += 1
    scene_order = [s for s in story.scenes if s in taken] if story is not None else []
    scene_order += [s for s in taken if s not in scene_order]
    for scene_id in scene_order:
        counts = taken[scene_id]
        total = sum(counts.values())
        if story is not None and scene_id in story.scenes:
            indexes = [c.index for c in story.scenes[scene_id].choices]
            indexes += sorted(i for i in counts if i not in indexes)
        else:
            indexes = sorted(counts)
        options = tuple(
            OptionStats(
                i,
                names.option(scene_id, i),
                counts.get(i, 0),
                counts.get(i, 0) / total,
                tags_of.get((scene_id, i), _story_tags(story, scene_id, i)),
            )
            for i in indexes
        )
        group.decisions.append(
            DecisionStats(scene_id, names.scene(scene_id), total, options, _median(seconds[scene_id]))
        )
    group.median_decision_seconds = _median(all_seconds)
    group.first_off_trap = [
        (scene_id, names.scene(scene_id), first_off[scene_id]) for scene_id in scene_order if first_off.get(scene_id)
    ]
    session = 0
    for record in records:
        if record["mode"] != "facilitator" or not record.get("votes"):
            continue
        session += 1
        for vote in record["votes"]:
            scene_id = vote["scene"]
            group.votes.append(
                VoteRow(
                    session,
                    scene_id,
                    names.scene(scene_id),
                    tuple((i, names.option(scene_id, i), n) for i, n in vote["counts"]),
                    vote["chosen"],
                    names.option(scene_id, vote["chosen"]),
                    str(vote.get("decision") or ("override" if vote.get("override") else "majority")),
                )
            )
    return group


def _story_tags(story: Story | None, scene_id: str, index: int) -> tuple[str, ...]:
    if story is not None and scene_id in story.scenes and 0 <= index < len(story.scenes[scene_id].choices):
        return story.scenes[scene_id].choices[index].tags
    return ()
