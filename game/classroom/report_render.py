"""Text renderers of the class report: Markdown, CSV (tidy and wide) and JSON (HTML is in :mod:`report_html`).

Every piece of text that reaches an output goes through that output's escaping: :func:`md_text` for Markdown
(HTML escaped, Markdown punctuation backslash-escaped, so no tag, link or image can come from a record or a
story), :func:`csv_cell` for CSV (a cell a spreadsheet would run as a formula gets a leading ``'``). The CSV
files start with a UTF-8 byte-order mark and end their lines with CRLF, as spreadsheet programs expect.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator

from game.classroom.i18n import colon, fill, label, language_name, plural
from game.classroom.report import ClassReport, GroupReport, Labels, VoteTable
from game.classroom.report_input import PlayRecord
from game.model import Story

BOM = "\ufeff"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_SPACES = re.compile(r"\s+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def percent(share: float) -> str:
    """A share as a whole percentage, e.g. ``0.4 -> '40%'``."""
    return f"{round(share * 100)}%"


def seconds_text(value: float | None, lang: str) -> str:
    """Seconds as shown in the report (``—`` when unknown)."""
    return "—" if value is None else f"{value:g} {label(lang, 'seconds')}"


def md_text(text: str) -> str:
    """``text`` safe inside Markdown (and a table cell): one line, HTML escaped, Markdown punctuation escaped."""
    text = _SPACES.sub(" ", text).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: one line, and a leading ``'`` when it would start a formula."""
    if not isinstance(value, str):
        return value
    text = value.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if text.lstrip(" ").startswith(_FORMULA_START) or value.startswith(("\t", "\r", "\n")):
        return "'" + text
    return text


def marks_text(marks: Iterable[str], lang: str) -> str:
    """An option's marks in words with a symbol, e.g. ``⚑ red flag``."""
    return label(lang, "list_sep").join(label(lang, "mark_" + mark) for mark in marks)


def kind_text(kind: str | None, lang: str) -> str:
    """An ending's kind in words with a symbol (``✗ bad ending``), or empty when unknown."""
    return label(lang, "ending_" + kind) if kind in ("safe", "mixed", "bad") else ""


def languages_text(languages: dict[str, int], lang: str) -> str:
    """``English 25, Simplified Chinese 3`` (names, never codes)."""
    return label(lang, "list_sep").join(f"{language_name(code, lang)} {n}" for code, n in languages.items())


def paren(text: str, lang: str) -> str:
    """`` (text)`` in English, ``（text）`` in Chinese."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def comma(lang: str) -> str:
    """The comma between clauses: ``", "`` in English, ``"，"`` in Chinese."""
    return "，" if lang == "zh" else ", "


def counts_text(counts: dict[str, int], lang: str) -> str:
    """``10B (20), 10C (12)``: class labels (or other names) with their counts."""
    if lang == "zh":
        return "、".join(f"{name}（{n}）" for name, n in counts.items())
    return ", ".join(f"{name} ({n})" for name, n in counts.items())


def _story_name(title: str, lang: str) -> str:
    return f"《{title}》" if lang == "zh" else f"“{title}”"


def summary_line(group: GroupReport, lang: str) -> str:
    """One sentence a principal can read: counts, safe and bad endings, how many took a safe exit."""
    name = _story_name(group.title, lang)
    sep = colon(lang)
    stop = "。" if lang == "zh" else "."
    sessions = plural(lang, "n_sessions", group.sessions)
    if not group.playthroughs:
        return name + sep + fill(label(lang, "summary_only_sessions"), sessions=sessions) + stop
    counts = plural(lang, "n_playthroughs", group.playthroughs)
    finished = fill(label(lang, "n_finished"), n=group.finished)
    head = (f"学生个人游玩 {group.playthroughs} 次" if lang == "zh" else counts) + paren(finished, lang)
    if group.sessions:
        head += fill(label(lang, "summary_sessions"), sessions=sessions)
    total = group.playthroughs
    safe = sum(e.count for e in group.endings if e.kind == "safe") / total
    bad = sum(e.count for e in group.endings if e.kind == "bad") / total
    exits = (total - group.never_off_trap) / total
    kinds = fill(label(lang, "summary_kinds"), safe=percent(safe), bad=percent(bad))
    took = fill(label(lang, "summary_exits"), exits=percent(exits))
    joiner = "；" if lang == "zh" else "; "
    return f"{name}{sep}{head}{stop}{' ' if lang != 'zh' else ''}{kinds}{joiner}{took}{stop}"


def summary_lines(report: ClassReport) -> list[str]:
    """The one-line summary of each current story version."""
    return [summary_line(g, report.lang) for g in report.groups if g.current]


def heading(report: ClassReport) -> tuple[str, list[str]]:
    """The report's title and the facts under it (report name, date, class)."""
    lang = report.lang
    sep = colon(lang)
    facts = [label(lang, "report")] if report.title else []
    facts.append(f"{label(lang, 'date')}{sep}{report.date}")
    if report.class_label:
        facts.append(f"{label(lang, 'class')}{sep}{report.class_label}")
    return report.title or label(lang, "report"), facts


def skipped_lines(report: ClassReport) -> list[str]:
    """The skipped lines as shown in a report, then how many more and the duplicates and other classes."""
    lang = report.lang
    out = [str(problem) for problem in report.problems]
    more = report.skipped_total - len(report.problems)
    if more > 0:
        out.append(plural(lang, "n_more_skipped", more))
    if report.duplicates:
        out.append(f"{label(lang, 'duplicates')}{colon(lang)}{report.duplicates}")
    if report.other_classes:
        out.append(plural(lang, "n_other_classes", report.other_classes))
    return out


def decisions_text(table: VoteTable, lang: str) -> str:
    """How a class decision was settled across sessions, e.g. ``majority 2, tie broken by the teacher 1``."""
    return label(lang, "list_sep").join(
        f"{label(lang, 'decision_' + kind)} {n}" for kind, n in sorted(table.decisions.items())
    )


# -- Markdown -------------------------------------------------------------------------------------------------


def render_markdown(report: ClassReport) -> str:
    """The report as Markdown (every text escaped: nothing from a record or a story becomes markup)."""
    lang = report.lang
    title, facts = heading(report)
    out = [f"# {md_text(title)}", "", " · ".join(md_text(f) for f in facts), ""]
    if not report.groups:
        out += [md_text(label(lang, "no_records")), ""]
    for line in summary_lines(report):
        out += [f"**{md_text(label(lang, 'summary'))}**{colon(lang)}{md_text(line)}", ""]
    current_ids = set()
    for group in report.groups:
        apart = not group.current and group.story_id in current_ids
        current_ids.add(group.story_id)
        out += _group_markdown(group, lang, apart)
    skipped = skipped_lines(report)
    if skipped:
        out += [f"## {md_text(label(lang, 'skipped'))}", ""]
        out += [f"- {md_text(line)}" for line in skipped]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _table(header: list[str], align: str, rows: Iterable[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md_text(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    out += ["| " + " | ".join(md_text(cell) for cell in row) + " |" for row in rows]
    return [*out, ""]


def _group_markdown(group: GroupReport, lang: str, apart: bool) -> list[str]:
    head = "###" if apart else "##"
    sub = head + "#"
    sep = colon(lang)
    out = [f"## {md_text(label(lang, 'other_versions'))}", ""] if apart else []
    out += [f"{head} {md_text(group.title)}", ""]
    out.append(f"- {md_text(label(lang, 'version'))}{sep}`{group.story_hash[:12]}`")
    if group.classes:
        out.append(f"- {md_text(label(lang, 'class'))}{sep}" + md_text(counts_text(group.classes, lang)))
    if group.playthroughs:
        out += [
            f"- {md_text(label(lang, 'students'))}{sep}**{group.playthroughs}**"
            + paren(
                f"{md_text(label(lang, 'finished'))} {group.finished}{comma(lang)}"
                f"{md_text(label(lang, 'abandoned'))} {group.abandoned}",
                lang,
            ),
            f"- {md_text(label(lang, 'languages'))}{sep}{md_text(languages_text(group.languages, lang))}",
            f"- {md_text(label(lang, 'median_decision'))}{sep}"
            f"{md_text(seconds_text(group.median_decision_seconds, lang))}",
            "",
            f"{sub} {md_text(label(lang, 'endings'))}",
            "",
        ]
        out += _table(
            [label(lang, "ending"), label(lang, "kind"), label(lang, "count"), label(lang, "share")],
            ["---", "---", "---:", "---:"],
            ([e.title, kind_text(e.kind, lang), str(e.count), percent(e.share)] for e in group.endings),
        )
        out += [f"{sub} {md_text(label(lang, 'decision_points'))}", ""]
        for decision in group.decisions:
            out += [
                f"**{md_text(decision.title)}** — n={decision.total}{comma(lang)}{md_text(label(lang, 'median_time'))} "
                f"{md_text(seconds_text(decision.median_seconds, lang))}",
                "",
            ]
            out += _table(
                [label(lang, "option"), label(lang, "marked"), label(lang, "count"), label(lang, "share")],
                ["---", "---", "---:", "---:"],
                (
                    [f"{o.index + 1}. {o.label}", marks_text(o.marks, lang), str(o.count), percent(o.share)]
                    for o in decision.options
                ),
            )
        out += [f"{sub} {md_text(label(lang, 'first_off_trap'))}", ""]
        rows = [[title, str(count)] for _, title, count in group.first_off_trap]
        rows.append([label(lang, "never_off_trap"), str(group.never_off_trap)])
        out += _table([label(lang, "scene"), label(lang, "count")], ["---", "---:"], rows)
    if group.sessions:
        out += _sessions_markdown(group, lang, sub)
    return out


def _sessions_markdown(group: GroupReport, lang: str, sub: str) -> list[str]:
    sep = colon(lang)
    out = [f"{sub} {md_text(label(lang, 'class_sessions'))}", "", md_text(label(lang, "class_sessions_note")), ""]
    out += [
        f"- {md_text(plural(lang, 'n_sessions', group.sessions))}"
        + paren(md_text(f"{label(lang, 'finished')} {group.sessions_finished}"), lang),
        f"- {md_text(label(lang, 'languages'))}{sep}{md_text(languages_text(group.session_languages, lang))}",
        "",
        f"**{md_text(label(lang, 'session_endings'))}**",
        "",
    ]
    out += _table(
        [label(lang, "ending"), label(lang, "kind"), label(lang, "count")],
        ["---", "---", "---:"],
        ([e.title, kind_text(e.kind, lang), str(e.count)] for e in group.session_endings),
    )
    out += [f"**{md_text(label(lang, 'class_votes'))}**", ""]
    if not group.votes:
        out += [md_text(label(lang, "no_votes")), ""]
    for table in group.votes:
        out += [
            f"*{md_text(table.title)}* — "
            + md_text(
                plural(lang, "n_held", table.held)
                + comma(lang)
                + plural(lang, "n_votes", table.total_votes)
                + paren(decisions_text(table, lang), lang)
            ),
            "",
        ]
        out += _table(
            [
                label(lang, "option"),
                label(lang, "marked"),
                label(lang, "votes_cast"),
                label(lang, "share"),
                label(lang, "followed_sessions"),
            ],
            ["---", "---", "---:", "---:", "---:"],
            (
                [
                    f"{o.index + 1}. {o.label}",
                    marks_text(o.marks, lang),
                    str(o.votes),
                    percent(o.share),
                    str(o.followed),
                ]
                for o in table.options
            ),
        )
    return out


# -- CSV ------------------------------------------------------------------------------------------------------


CSV_COLUMNS = ("story_id", "story_hash", "current", "section", "scene", "choice", "label", "count", "share", "value")


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """Rows as CSV text: neutralised cells, CRLF line ends (no byte-order mark; see :data:`BOM`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


def render_csv(report: ClassReport) -> str:
    """The report as one tidy CSV table (one row per figure), for spreadsheets: UTF-8 with BOM, CRLF."""
    return BOM + csv_text(_csv_rows(report))


def _csv_rows(report: ClassReport) -> Iterator[tuple[object, ...]]:
    yield CSV_COLUMNS
    for g in report.groups:
        base = (g.story_id, g.story_hash, "yes" if g.current else "no")
        yield (*base, "playthroughs", "", "", "", g.playthroughs, "", "")
        yield (*base, "finished", "", "", "", g.finished, "", "")
        yield (*base, "abandoned", "", "", "", g.abandoned, "", "")
        yield (*base, "median_decision_seconds", "", "", "", "", "", _num(g.median_decision_seconds))
        for code, n in g.languages.items():
            yield (*base, "language", "", "", language_name(code, report.lang), n, "", code)
        for name, n in g.classes.items():
            yield (*base, "class", "", "", name, n, "", "")
        for e in g.endings:
            yield (*base, "ending", e.scene_id or "", "", e.title, e.count, f"{e.share:.4f}", e.kind or "")
        for d in g.decisions:
            yield (*base, "median_seconds", d.scene_id, "", d.title, d.total, "", _num(d.median_seconds))
            for o in d.options:
                yield (*base, "option", d.scene_id, o.index, o.label, o.count, f"{o.share:.4f}", " ".join(o.marks))
        for scene_id, title, count in g.first_off_trap:
            yield (*base, "first_off_trap", scene_id, "", title, count, "", "")
        yield (*base, "never_off_trap", "", "", "", g.never_off_trap, "", "")
        yield (*base, "class_sessions", "", "", "", g.sessions, "", "")
        for e in g.session_endings:
            yield (*base, "session_ending", e.scene_id or "", "", e.title, e.count, f"{e.share:.4f}", e.kind or "")
        for v in g.votes:
            for o in v.options:
                yield (*base, "vote", v.scene_id, o.index, o.label, o.votes, f"{o.share:.4f}", o.followed)
    for p in report.problems:
        yield ("", "", "", "skipped", "", "", str(p), "", "", "")


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


WIDE_FIXED = ("record", "story", "version", "class", "language", "mode", "ending", "ending_kind", "choices", "seconds")


class WideCsv:
    """The "wide" CSV: one row per playthrough (or class session), one column per decision, for pivot tables.

    Built from a finished :class:`ClassReport` (for the columns and labels); rows come one record at a time
    from :meth:`row` (the command re-reads the files, so no playthrough is held in memory).
    """

    def __init__(self, report: ClassReport, stories: dict[str, Story]) -> None:
        self.lang = report.lang
        self.labels: dict[tuple[str, str], Labels] = {}
        for group in report.groups:
            story = stories.get(group.story_id)
            matched = story if story is not None and story.content_hash == group.story_hash else None
            self.labels[(group.story_id, group.story_hash)] = Labels(matched, report.lang, story)
        self.columns: list[tuple[str, str]] = []
        titles: dict[tuple[str, str], str] = {}
        for group in report.groups:
            for scene_id, title in group.scenes:
                key = (group.story_id, scene_id)
                if key not in titles:
                    titles[key] = title
                    self.columns.append(key)
        several = len({g.story_id for g in report.groups}) > 1
        self.headers = [
            (f"{sid}: " if several else "") + (title if title == scene else f"{title} ({scene})")
            for (sid, scene), title in ((key, titles[key]) for key in self.columns)
        ]
        self.index = {key: n for n, key in enumerate(self.columns)}
        self.endings: dict[tuple[str, str, str], tuple[str, str | None]] = {}
        for group in report.groups:
            for e in group.endings + group.session_endings:
                if e.scene_id is not None:
                    self.endings[(group.story_id, group.story_hash, e.scene_id)] = (e.title, e.kind)

    def header(self) -> str:
        """The byte-order mark and the header line."""
        return BOM + csv_text([[*WIDE_FIXED, *self.headers]])

    def row(self, record: PlayRecord) -> str:
        """One record as a CSV line."""
        lang = self.lang
        names = self.labels.get((record.story_id, record.story_hash))
        cells: list[list[str]] = [[] for _ in self.columns]
        for step in record.steps:
            n = self.index.get((record.story_id, step.scene))
            if n is not None:
                text = names.option(step.scene, step.choice) if names is not None else str(step.choice + 1)
                cells[n].append(f"{step.choice + 1}. {text}")
        title, kind = "", None
        if record.ending is not None:
            title, kind = self.endings.get((record.story_id, record.story_hash, record.ending), (record.ending, None))
            kind = kind or record.ending_kind
        mode = label(lang, "mode_facilitator") if record.mode == "facilitator" else label(lang, "mode_solo")
        fixed = [
            record.id,
            record.story_id,
            record.story_hash[:12],
            record.class_label or "",
            language_name(record.lang, lang),
            mode,
            title or label(lang, "abandoned"),
            kind_text(kind, lang),
            len(record.steps),
            f"{sum(step.seconds for step in record.steps):g}",
        ]
        return csv_text([[*fixed, *(" → ".join(c) for c in cells)]])


def render_json(report: ClassReport) -> str:
    """The report as JSON."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
