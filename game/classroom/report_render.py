"""Text renderers of the class report: Markdown, CSV and JSON (HTML is in :mod:`report_html`)."""

from __future__ import annotations

import csv
import io
import json

from game.classroom.i18n import label
from game.classroom.report import ClassReport, GroupReport


def percent(share: float) -> str:
    """A share as a whole percentage, e.g. ``0.4 -> '40%'``."""
    return f"{round(share * 100)}%"


def seconds_text(value: float | None, lang: str) -> str:
    """Seconds as shown in the report (``—`` when unknown)."""
    return "—" if value is None else f"{value:g} {label(lang, 'seconds')}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: ClassReport) -> str:
    """The report as Markdown tables."""
    lang = report.lang
    out = [f"# {label(lang, 'report')}", ""]
    if not report.groups:
        out += [label(lang, "no_records"), ""]
    current_ids = set()
    for group in report.groups:
        if not group.current and group.story_id in current_ids:
            out += _group_markdown(group, lang, apart=True)
        else:
            current_ids.add(group.story_id)
            out += _group_markdown(group, lang, apart=False)
    if report.problems or report.duplicates:
        out += [f"## {label(lang, 'skipped')}", ""]
        out += [f"- `{problem}`" for problem in report.problems]
        if report.duplicates:
            out.append(f"- {label(lang, 'duplicates')}: {report.duplicates}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _group_markdown(group: GroupReport, lang: str, apart: bool) -> list[str]:
    head = "###" if apart else "##"
    sub = head + "#"
    out = []
    if apart:
        out += [f"## {label(lang, 'other_versions')}", ""]
    out += [f"{head} {_cell(group.title)}", ""]
    out += [f"- {label(lang, 'version')}: `{group.story_hash[:12]}`"]
    out += [
        f"- {label(lang, 'playthroughs')}: **{group.playthroughs}** "
        f"({label(lang, 'finished')} {group.finished}, {label(lang, 'abandoned')} {group.abandoned})"
    ]
    out += [f"- {label(lang, 'languages')}: " + ", ".join(f"{k} {v}" for k, v in group.languages.items())]
    out += [
        f"- {label(lang, 'modes')}: " + ", ".join(f"{label(lang, 'mode_' + k)} {v}" for k, v in group.modes.items())
    ]
    out += [f"- {label(lang, 'median_decision')}: {seconds_text(group.median_decision_seconds, lang)}", ""]
    out += [f"{sub} {label(lang, 'endings')}", ""]
    out += [f"| {label(lang, 'ending')} | {label(lang, 'count')} | {label(lang, 'share')} |", "|---|---:|---:|"]
    for ending in group.endings:
        kind = f" ({label(lang, 'kind_' + ending.kind)})" if ending.kind in ("safe", "mixed", "bad") else ""
        out.append(f"| {_cell(ending.title)}{kind} | {ending.count} | {percent(ending.share)} |")
    out += ["", f"{sub} {label(lang, 'decision_points')}", ""]
    for decision in group.decisions:
        out += [
            f"**{_cell(decision.title)}** (`{decision.scene_id}`) — n={decision.total}, "
            f"{label(lang, 'median_time')} {seconds_text(decision.median_seconds, lang)}",
            "",
            f"| {label(lang, 'option')} | {label(lang, 'count')} | {label(lang, 'share')} |",
            "|---|---:|---:|",
        ]
        for option in decision.options:
            out.append(f"| {_cell(option.label)} | {option.count} | {percent(option.share)} |")
        out.append("")
    out += [f"{sub} {label(lang, 'first_off_trap')}", ""]
    out += [f"| {label(lang, 'scene')} | {label(lang, 'count')} |", "|---|---:|"]
    for scene_id, title, count in group.first_off_trap:
        out.append(f"| {_cell(title)} (`{scene_id}`) | {count} |")
    out += [f"| *{label(lang, 'never_off_trap')}* | {group.never_off_trap} |", ""]
    out += [f"{sub} {label(lang, 'votes')}", ""]
    if not group.votes:
        out += [label(lang, "no_votes"), ""]
    else:
        out += [
            f"| # | {label(lang, 'scene')} | {label(lang, 'votes')} | {label(lang, 'followed')} | "
            f"{label(lang, 'decision')} |",
            "|---:|---|---|---|---|",
        ]
        for vote in group.votes:
            counts = "; ".join(f"{_cell(lbl)}: {n}" for _, lbl, n in vote.counts)
            decision = label(lang, "decision_" + vote.decision)
            out.append(f"| {vote.session} | {_cell(vote.title)} | {counts} | {_cell(vote.chosen_label)} | {decision} |")
        out.append("")
    return out


CSV_COLUMNS = ("story_id", "story_hash", "current", "section", "scene", "choice", "label", "count", "share", "value")


def render_csv(report: ClassReport) -> str:
    """The report as one tidy CSV table (one row per figure), for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for g in report.groups:
        base = (g.story_id, g.story_hash, "yes" if g.current else "no")
        writer.writerow((*base, "playthroughs", "", "", "", g.playthroughs, "", ""))
        writer.writerow((*base, "finished", "", "", "", g.finished, "", ""))
        writer.writerow((*base, "abandoned", "", "", "", g.abandoned, "", ""))
        writer.writerow((*base, "median_decision_seconds", "", "", "", "", "", _num(g.median_decision_seconds)))
        for e in g.endings:
            writer.writerow((*base, "ending", e.scene_id or "", "", e.title, e.count, f"{e.share:.4f}", e.kind or ""))
        for d in g.decisions:
            writer.writerow((*base, "median_seconds", d.scene_id, "", d.title, d.total, "", _num(d.median_seconds)))
            for o in d.options:
                writer.writerow((*base, "option", d.scene_id, o.index, o.label, o.count, f"{o.share:.4f}", ""))
        for scene_id, title, count in g.first_off_trap:
            writer.writerow((*base, "first_off_trap", scene_id, "", title, count, "", ""))
        writer.writerow((*base, "never_off_trap", "", "", "", g.never_off_trap, "", ""))
        for v in g.votes:
            for index, lbl, n in v.counts:
                chosen = "chosen" if index == v.chosen else ""
                writer.writerow((*base, f"vote_session_{v.session}", v.scene_id, index, lbl, n, chosen, v.decision))
    for p in report.problems:
        writer.writerow(("", "", "", "skipped", "", "", str(p), "", "", ""))
    return buffer.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def render_json(report: ClassReport) -> str:
    """The report as JSON."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"
