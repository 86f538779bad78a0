"""The class report: figures aggregated record by record from anonymous playthrough records.

For each story version found in the records: the students' playthroughs (finished and abandoned), their ending
distribution, the share of each option at every decision point (options marked as red flags or safe exits),
where players first stepped off the trap (their first choice tagged as a safe exit) and the median time per
decision; and apart from them the **class sessions** (facilitator mode: one session is a whole class, never
counted as one student) with the endings the classes reached and one compact vote table per decision.
Records from another version of a story (another content hash) form their own group and are never mixed
into the figures of the current one.

:class:`ReportBuilder` aggregates as it reads (see :mod:`game.classroom.report_input`), so a million records
take bounded memory: counters per option, a histogram of seconds per decision, and a fingerprint per record id
to drop duplicates. Every table has a bounded number of rows (:data:`MAX_VERSIONS`, :data:`MAX_CELLS`); a
record that would go past them is skipped and listed like a damaged line. Renderers live in
:mod:`game.classroom.report_render` (md, csv, csv-wide, json) and :mod:`game.classroom.report_html`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.classroom.i18n import label, ui_lang
from game.classroom.records import Problem, RecordSet
from game.classroom.report_input import BadLine, PlayRecord, read_play_records, to_play_record
from game.model import Story

MAX_VERSIONS = 50
MAX_CELLS = 500_000
MAX_LISTED = 1_000
RED_FLAG = "red-flag"
SAFE_EXIT = "safe-exit"


@dataclass(frozen=True, slots=True)
class OptionStats:
    """One option at a decision point: how often it was taken, its share, its tags and its marks.

    ``marks`` holds ``"red-flag"`` and/or ``"safe-exit"`` (from the story's tag catalog, or the record's
    own safe-exit flag when the story version is unknown).
    """

    index: int
    label: str
    count: int
    share: float
    tags: tuple[str, ...] = ()
    marks: tuple[str, ...] = ()


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
class VoteOption:
    """One option of a class decision over all sessions: votes cast, their share, and how often it was followed."""

    index: int
    label: str
    votes: int
    share: float
    followed: int
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class VoteTable:
    """One class decision across every facilitator session that reached it."""

    scene_id: str
    title: str
    held: int
    total_votes: int
    options: tuple[VoteOption, ...]
    decisions: dict[str, int]


@dataclass(slots=True)
class GroupReport:
    """The figures for one story version: students' playthroughs, then class sessions."""

    story_id: str
    story_hash: str
    title: str
    current: bool
    playthroughs: int = 0
    finished: int = 0
    abandoned: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)
    endings: list[EndingStats] = field(default_factory=list)
    decisions: list[DecisionStats] = field(default_factory=list)
    first_off_trap: list[tuple[str, str, int]] = field(default_factory=list)
    never_off_trap: int = 0
    median_decision_seconds: float | None = None
    scenes: list[tuple[str, str]] = field(default_factory=list)
    sessions: int = 0
    sessions_finished: int = 0
    session_languages: dict[str, int] = field(default_factory=dict)
    session_endings: list[EndingStats] = field(default_factory=list)
    votes: list[VoteTable] = field(default_factory=list)


@dataclass(slots=True)
class ClassReport:
    """The whole report: its heading, one group per story version, the lines skipped and the records left out."""

    lang: str
    groups: list[GroupReport]
    problems: list[Problem]
    duplicates: int = 0
    skipped_total: int = 0
    title: str | None = None
    class_label: str | None = None
    other_classes: int = 0
    date: str = ""

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict of every figure."""
        return {
            "format": "crossroads-report",
            "version": 2,
            "lang": self.lang,
            "title": self.title,
            "class": self.class_label,
            "date": self.date,
            "groups": [_group_json(g) for g in self.groups],
            "skipped": [{"path": p.path, "line": p.line, "message": p.message} for p in self.problems],
            "skipped_total": self.skipped_total,
            "duplicates": self.duplicates,
            "other_classes": self.other_classes,
        }


def _endings_json(endings: list[EndingStats]) -> list[dict[str, Any]]:
    return [
        {"scene": e.scene_id, "title": e.title, "kind": e.kind, "count": e.count, "share": round(e.share, 4)}
        for e in endings
    ]


def _group_json(group: GroupReport) -> dict[str, Any]:
    return {
        "story": {"id": group.story_id, "hash": group.story_hash, "title": group.title, "current": group.current},
        "playthroughs": group.playthroughs,
        "finished": group.finished,
        "abandoned": group.abandoned,
        "languages": group.languages,
        "classes": group.classes,
        "endings": _endings_json(group.endings),
        "decisions": [
            {
                "scene": d.scene_id,
                "title": d.title,
                "total": d.total,
                "median_seconds": d.median_seconds,
                "options": [
                    {
                        "choice": o.index,
                        "label": o.label,
                        "count": o.count,
                        "share": round(o.share, 4),
                        "tags": list(o.tags),
                        "marks": list(o.marks),
                    }
                    for o in d.options
                ],
            }
            for d in group.decisions
        ],
        "first_off_trap": [{"scene": s, "title": t, "count": c} for s, t, c in group.first_off_trap],
        "never_off_trap": group.never_off_trap,
        "median_decision_seconds": group.median_decision_seconds,
        "class_sessions": {
            "sessions": group.sessions,
            "finished": group.sessions_finished,
            "languages": group.session_languages,
            "endings": _endings_json(group.session_endings),
            "votes": [
                {
                    "scene": v.scene_id,
                    "title": v.title,
                    "held": v.held,
                    "total_votes": v.total_votes,
                    "decisions": v.decisions,
                    "options": [
                        {
                            "choice": o.index,
                            "label": o.label,
                            "votes": o.votes,
                            "share": round(o.share, 4),
                            "followed": o.followed,
                            "marks": list(o.marks),
                        }
                        for o in v.options
                    ],
                }
                for v in group.votes
            ],
        },
    }


# -- aggregation --------------------------------------------------------------------------------------------


def histogram_median(histogram: Counter[float]) -> float | None:
    """The median of the values counted in ``histogram`` (mean of the two middle ones for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found: list[float] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
        if not wanted:
            break
    return round((found[0] + found[1]) / 2, 1)


class _VoteTally:
    """Votes at one decision summed over class sessions."""

    __slots__ = ("decisions", "followed", "held", "votes")

    def __init__(self) -> None:
        self.held = 0
        self.votes: Counter[int] = Counter()
        self.followed: Counter[int] = Counter()
        self.decisions: Counter[str] = Counter()


class _Tally:
    """The running figures of one story version for one kind of playthrough (students or class sessions)."""

    def __init__(self) -> None:
        self.count = 0
        self.finished = 0
        self.languages: Counter[str] = Counter()
        self.classes: Counter[str] = Counter()
        self.endings: Counter[str] = Counter()
        self.ending_kinds: dict[str, str | None] = {}
        self.taken: dict[str, Counter[int]] = {}
        self.seconds: dict[str, Counter[float]] = {}
        self.all_seconds: Counter[float] = Counter()
        self.tags_of: dict[tuple[str, int], tuple[str, ...]] = {}
        self.exits: set[tuple[str, int]] = set()
        self.first_off: Counter[str] = Counter()
        self.never_off = 0
        self.votes: dict[str, _VoteTally] = {}

    def new_cells(self, record: PlayRecord) -> int:
        """How many new table rows adding ``record`` would create (an upper bound)."""
        new = (record.lang not in self.languages) + (
            record.class_label is not None and record.class_label not in self.classes
        )
        new += record.ending is not None and record.ending not in self.endings
        taken, seconds = self.taken, self.seconds
        for step in record.steps:
            options = taken.get(step.scene)
            if options is None:
                new += 3
            else:
                new += (step.choice not in options) + (step.bucket not in seconds[step.scene])
        for vote in record.votes:
            tally = self.votes.get(vote.scene)
            if tally is None:
                new += 2 + len(vote.counts)
            else:
                new += sum(i not in tally.votes for i, _ in vote.counts) + (vote.chosen not in tally.followed)
        return new

    def add(self, record: PlayRecord) -> None:
        """Count one playthrough (or one class session)."""
        self.count += 1
        _bump(self.languages, record.lang)
        if record.class_label is not None:
            _bump(self.classes, record.class_label)
        if record.ending is not None:
            self.finished += 1
            _bump(self.endings, record.ending)
            self.ending_kinds.setdefault(record.ending, record.ending_kind)
        stepped_off = False
        taken, seconds, all_seconds, tags_of = self.taken, self.seconds, self.all_seconds, self.tags_of
        for step in record.steps:
            scene, choice, bucket = step.scene, step.choice, step.bucket
            options = taken.get(scene)
            if options is None:
                options = taken[scene] = Counter()
                seconds[scene] = Counter()
            options[choice] = options.get(choice, 0) + 1
            times = seconds[scene]
            times[bucket] = times.get(bucket, 0) + 1
            all_seconds[bucket] = all_seconds.get(bucket, 0) + 1
            if (scene, choice) not in tags_of:
                tags_of[(scene, choice)] = step.tags
            if step.exit:
                self.exits.add((scene, choice))
                if not stepped_off:
                    _bump(self.first_off, scene)
                    stepped_off = True
        if not stepped_off:
            self.never_off += 1
        for vote in record.votes:
            tally = self.votes.get(vote.scene)
            if tally is None:
                tally = self.votes[vote.scene] = _VoteTally()
            tally.held += 1
            for index, count in vote.counts:
                tally.votes[index] += count
            tally.followed[vote.chosen] += 1
            tally.decisions[vote.decision] += 1


def _bump(counter: Counter, key: object) -> None:
    counter[key] = counter.get(key, 0) + 1


class _Version:
    """Both tallies of one story version."""

    __slots__ = ("sessions", "students")

    def __init__(self) -> None:
        self.students = _Tally()
        self.sessions = _Tally()


class ReportBuilder:
    """Aggregates records one at a time (in bounded memory) and builds the :class:`ClassReport` at the end.

    ``class_label`` keeps only records stamped with that class; ``on_skip`` is called for each line skipped
    (for warnings as they happen); the first :data:`MAX_LISTED` skipped lines are kept for the report;
    ``on_record`` is called with each record counted (the wide CSV writes its rows from it).
    """

    def __init__(
        self,
        class_label: str | None = None,
        on_skip: Callable[[Problem], None] | None = None,
        on_record: Callable[[PlayRecord], None] | None = None,
    ) -> None:
        self.class_label = class_label
        self.on_skip = on_skip
        self.on_record = on_record
        self.versions: dict[tuple[str, str], _Version] = {}
        self.seen: set[int] = set()
        self.cells = 0
        self.duplicates = 0
        self.other_classes = 0
        self.skipped: list[Problem] = []
        self.skipped_total = 0

    def skip(self, problem: Problem) -> None:
        """Note a skipped line."""
        self.skipped_total += 1
        if len(self.skipped) < MAX_LISTED:
            self.skipped.append(problem)
        if self.on_skip is not None:
            self.on_skip(problem)

    def read(self, path: Path) -> None:
        """Stream one records file into the figures (raises :class:`~game.classroom.report_input.InputError`)."""
        for _ in self.reading(path):
            pass

    def reading(self, path: Path) -> Iterator[int]:
        """Like :meth:`read`, yielding each line number once the line is counted (or skipped)."""
        shown = str(path)
        for number, item in read_play_records(path):
            if isinstance(item, Problem):
                self.skip(item)
            else:
                why = self.add(item)
                if why is not None:
                    self.skip(Problem(shown, number, f"{why}; skipped"))
            yield number

    def add(self, record: PlayRecord) -> str | None:
        """Count one record; return why it cannot be counted (the report's tables are full), else ``None``."""
        if self.class_label is not None and record.class_label != self.class_label:
            self.other_classes += 1
            return None
        fingerprint = hash(record.id)
        if fingerprint in self.seen:
            self.duplicates += 1
            return None
        key = (record.story_id, record.story_hash)
        version = self.versions.get(key)
        if version is None and len(self.versions) >= MAX_VERSIONS:
            return f"more than {MAX_VERSIONS} story versions in these records"
        fresh = version is None
        if version is None:
            version = _Version()
        tally = version.sessions if record.mode == "facilitator" else version.students
        new = tally.new_cells(record)
        if self.cells + new > MAX_CELLS:
            return "these records hold more different scenes, options and times than a report can show"
        if fresh:
            self.versions[key] = version
        self.cells += new
        self.seen.add(fingerprint)
        tally.add(record)
        if self.on_record is not None:
            self.on_record(record)
        return None

    def report(
        self,
        stories: dict[str, Story] | None = None,
        lang: str = "en",
        title: str | None = None,
        date: str | None = None,
    ) -> ClassReport:
        """The report, with titles and option labels from ``stories`` (story id -> loaded story).

        A group is *current* when its hash equals that story's, else when it is the largest group of its id.
        """
        stories = stories or {}
        groups: list[GroupReport] = []
        for story_id in sorted({sid for sid, _ in self.versions}):
            versions = [(h, v) for (sid, h), v in self.versions.items() if sid == story_id]
            story = stories.get(story_id)
            if story is not None and any(h == story.content_hash for h, _ in versions):
                current_hash = story.content_hash
            else:
                current_hash = max(versions, key=lambda item: (_size(item[1]), item[0]))[0]
            versions.sort(key=lambda item: (item[0] != current_hash, -_size(item[1]), item[0]))
            for story_hash, version in versions:
                matched = story if story is not None and story.content_hash == story_hash else None
                groups.append(_group(story_id, story_hash, version, matched, story, story_hash == current_hash, lang))
        return ClassReport(
            lang=ui_lang(lang),
            groups=groups,
            problems=list(self.skipped),
            duplicates=self.duplicates,
            skipped_total=self.skipped_total,
            title=title,
            class_label=self.class_label,
            other_classes=self.other_classes,
            date=date or datetime.date.today().isoformat(),
        )


def _size(version: _Version) -> int:
    return version.students.count + version.sessions.count


def build_report(found: RecordSet, stories: dict[str, Story] | None = None, lang: str = "en") -> ClassReport:
    """The report of records already read into memory (the facilitator's report of this machine's records)."""
    builder = ReportBuilder()
    for problem in found.problems:
        builder.skip(problem)
    for data in found.records:
        try:
            builder.add(to_play_record(data))
        except BadLine as exc:
            builder.skip(Problem("records", 0, f"{exc}; skipped"))
    report = builder.report(stories, lang)
    report.duplicates += found.duplicates
    return report


# -- labels -------------------------------------------------------------------------------------------------


class Labels:
    """Scene titles, option labels, tags and ending kinds from the story when the version matches.

    ``catalog`` is the story of the same id in any version: its tag catalog still says which tags are red
    flags and safe exits.
    """

    def __init__(self, story: Story | None, lang: str, catalog: Story | None = None) -> None:
        self.story = story
        self.lang = lang if story is None or lang in story.languages else story.default_language
        self.ui = ui_lang(lang)
        source = story or catalog
        self.tag_kinds = {tag.id: tag.kind for tag in source.tags.values()} if source is not None else {}

    def scene(self, scene_id: str) -> str:
        """The scene's title, or its id."""
        if self.story is not None and scene_id in self.story.scenes:
            return self.story.scenes[scene_id].title.get(self.lang, self.story.default_language)
        return scene_id

    def option(self, scene_id: str, index: int) -> str:
        """The option's text, or "Option N"."""
        if self.story is not None and scene_id in self.story.scenes:
            choices = self.story.scenes[scene_id].choices
            if 0 <= index < len(choices):
                return choices[index].say.get(self.lang, self.story.default_language)
        return f"{label(self.ui, 'option')} {index + 1}"

    def story_tags(self, scene_id: str, index: int) -> tuple[str, ...] | None:
        """The option's tags in the story, or ``None`` when the story does not know the option."""
        if self.story is not None and scene_id in self.story.scenes:
            choices = self.story.scenes[scene_id].choices
            if 0 <= index < len(choices):
                return choices[index].tags
        return None

    def marks(self, tags: Iterable[str], exit_seen: bool = False) -> tuple[str, ...]:
        """``red-flag`` and ``safe-exit`` for options carrying such tags (or recorded as a safe exit)."""
        kinds = {self.tag_kinds.get(tag) for tag in tags}
        out = []
        if RED_FLAG in kinds:
            out.append(RED_FLAG)
        if SAFE_EXIT in kinds or exit_seen:
            out.append(SAFE_EXIT)
        return tuple(out)

    def ending(self, scene_id: str) -> tuple[str, str | None]:
        """The ending's title and kind, or its id and ``None``."""
        if self.story is not None and scene_id in self.story.scenes:
            ending = self.story.scenes[scene_id].ending
            if ending is not None:
                return ending.title.get(self.lang, self.story.default_language), ending.kind
        return scene_id, None


def _endings(tally: _Tally, names: Labels, story: Story | None, every: bool) -> list[EndingStats]:
    order = [s.id for s in story.endings()] if story is not None else []
    reached = [e for e in order if e in tally.endings] + sorted(e for e in tally.endings if e not in order)
    ending_ids = order + [e for e in reached if e not in order] if every and story is not None else reached
    total = tally.count or 1
    out = []
    for scene_id in ending_ids:
        title, kind = names.ending(scene_id)
        kind = kind or tally.ending_kinds.get(scene_id)
        count = tally.endings.get(scene_id, 0)
        out.append(EndingStats(scene_id, title, kind, count, count / total))
    abandoned = tally.count - tally.finished
    if abandoned:
        out.append(EndingStats(None, label(names.ui, "abandoned"), None, abandoned, abandoned / total))
    return out


def _scene_order(story: Story | None, seen: Iterable[str]) -> list[str]:
    seen = list(seen)
    order = [s for s in story.scenes if s in seen] if story is not None else []
    return order + [s for s in seen if s not in order]


def _option_indexes(story: Story | None, scene_id: str, counted: Iterable[int]) -> list[int]:
    counted = list(counted)
    if story is not None and scene_id in story.scenes:
        indexes = [c.index for c in story.scenes[scene_id].choices]
        return indexes + sorted(i for i in counted if i not in indexes)
    return sorted(counted)


def _group(
    story_id: str,
    story_hash: str,
    version: _Version,
    story: Story | None,
    catalog: Story | None,
    current: bool,
    lang: str,
) -> GroupReport:
    names = Labels(story, lang, catalog)
    named = story or catalog
    title = named.title.get(lang, named.default_language) if named else story_id
    group = GroupReport(story_id, story_hash, title, current)
    students, sessions = version.students, version.sessions
    group.playthroughs = students.count
    group.finished = students.finished
    group.abandoned = students.count - students.finished
    group.languages = dict(students.languages.most_common())
    group.classes = dict((students.classes + sessions.classes).most_common())
    group.endings = _endings(students, names, story, every=True) if students.count else []
    scene_order = _scene_order(story, students.taken)
    for scene_id in scene_order:
        counts = students.taken[scene_id]
        total = sum(counts.values())
        options = []
        for i in _option_indexes(story, scene_id, counts):
            tags = names.story_tags(scene_id, i)
            if tags is None:
                tags = students.tags_of.get((scene_id, i), ())
            marks = names.marks(tags, (scene_id, i) in students.exits)
            options.append(
                OptionStats(i, names.option(scene_id, i), counts.get(i, 0), counts.get(i, 0) / total, tags, marks)
            )
        group.decisions.append(
            DecisionStats(
                scene_id, names.scene(scene_id), total, tuple(options), histogram_median(students.seconds[scene_id])
            )
        )
    group.median_decision_seconds = histogram_median(students.all_seconds)
    group.first_off_trap = [
        (s, names.scene(s), students.first_off[s]) for s in scene_order if students.first_off.get(s)
    ]
    group.never_off_trap = students.never_off
    group.sessions = sessions.count
    group.sessions_finished = sessions.finished
    group.session_languages = dict(sessions.languages.most_common())
    group.session_endings = _endings(sessions, names, story, every=False)
    group.scenes = [(s, names.scene(s)) for s in _scene_order(story, {**students.taken, **sessions.taken})]
    for scene_id in _scene_order(story, sessions.votes):
        tally = sessions.votes[scene_id]
        total_votes = sum(tally.votes.values())
        options = []
        for i in _option_indexes(story, scene_id, set(tally.votes) | set(tally.followed)):
            tags = names.story_tags(scene_id, i) or ()
            options.append(
                VoteOption(
                    i,
                    names.option(scene_id, i),
                    tally.votes.get(i, 0),
                    tally.votes.get(i, 0) / (total_votes or 1),
                    tally.followed.get(i, 0),
                    names.marks(tags),
                )
            )
        group.votes.append(
            VoteTable(scene_id, names.scene(scene_id), tally.held, total_votes, tuple(options), dict(tally.decisions))
        )
    return group
