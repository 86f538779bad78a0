"""The class report as one offline HTML page with inline SVG charts (no JavaScript, prints well)."""

from __future__ import annotations

from html import escape

from game.classroom.htmlpage import KIND_COLOURS, bar_chart, page
from game.classroom.i18n import label
from game.classroom.report import ClassReport, GroupReport
from game.classroom.report_render import percent, seconds_text


def render_html(report: ClassReport) -> str:
    """The report as a complete HTML document."""
    lang = report.lang
    body = [f"<h1>{escape(label(lang, 'report'))}</h1>"]
    if not report.groups:
        body.append(f"<p>{escape(label(lang, 'no_records'))}</p>")
    seen: set[str] = set()
    for group in report.groups:
        apart = not group.current and group.story_id in seen
        seen.add(group.story_id)
        body.append(_group(group, lang, apart))
    if report.problems or report.duplicates:
        items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in report.problems)
        if report.duplicates:
            items += f"<li>{escape(label(lang, 'duplicates'))}: {report.duplicates}</li>"
        body.append(f"<h2>{escape(label(lang, 'skipped'))}</h2><ul>{items}</ul>")
    return page(label(lang, "report"), "\n".join(body), lang)


def _group(group: GroupReport, lang: str, apart: bool) -> str:
    e = escape
    out = []
    if apart:
        out.append(f'<section class="apart"><h2>{e(label(lang, "other_versions"))}</h2>')
        out.append(f"<h3>{e(group.title)}</h3>")
    else:
        out.append(f"<section><h2>{e(group.title)}</h2>")
    modes = ", ".join(label(lang, "mode_" + k) + f" {v}" for k, v in group.modes.items())
    out.append(
        f'<p class="meta">{e(label(lang, "version"))} <code>{e(group.story_hash[:12])}</code> · '
        f"{e(label(lang, 'languages'))}: {e(', '.join(f'{k} {v}' for k, v in group.languages.items()))} · "
        f"{e(label(lang, 'modes'))}: {e(modes)}</p>"
    )
    out.append(
        "<table><tr>"
        f'<th class="num">{e(label(lang, "playthroughs"))}</th><th class="num">{e(_cap(label(lang, "finished")))}</th>'
        f'<th class="num">{e(_cap(label(lang, "abandoned")))}</th>'
        f'<th class="num">{e(label(lang, "median_decision"))}</th>'
        f'</tr><tr><td class="num"><strong>{group.playthroughs}</strong></td><td class="num">{group.finished}</td>'
        f'<td class="num">{group.abandoned}</td>'
        f'<td class="num">{e(seconds_text(group.median_decision_seconds, lang))}</td></tr></table>'
    )
    out.append(f"<h3>{e(label(lang, 'endings'))}</h3>")
    rows = [(ending.title, ending.share, f"{ending.count} · {percent(ending.share)}") for ending in group.endings]
    colours = [KIND_COLOURS.get(ending.kind or "", "#8a93a3") for ending in group.endings]
    out.append(bar_chart(rows, colours, title=label(lang, "endings")))
    out.append(f"<h3>{e(label(lang, 'decision_points'))}</h3>")
    for decision in group.decisions:
        out.append(
            f'<div class="card"><strong>{e(decision.title)}</strong> <span class="muted">'
            f"<code>{e(decision.scene_id)}</code> · n={decision.total} · {e(label(lang, 'median_time'))} "
            f"{e(seconds_text(decision.median_seconds, lang))}</span>"
        )
        rows = [
            (option.label, option.share, f"{option.count} · {percent(option.share)}") for option in decision.options
        ]
        out.append(bar_chart(rows, title=decision.title))
        out.append("</div>")
    out.append(f"<h3>{e(label(lang, 'first_off_trap'))}</h3>")
    total = group.playthroughs or 1
    rows = [(title, count / total, str(count)) for _, title, count in group.first_off_trap]
    rows.append((label(lang, "never_off_trap"), group.never_off_trap / total, str(group.never_off_trap)))
    colours = ["#2e7d4f"] * len(group.first_off_trap) + ["#b83a3a"]
    out.append(bar_chart(rows, colours, title=label(lang, "first_off_trap")))
    out.append(f"<h3>{e(label(lang, 'votes'))}</h3>")
    if not group.votes:
        out.append(f"<p class='muted'>{e(label(lang, 'no_votes'))}</p>")
    for vote in group.votes:
        total_votes = sum(n for _, _, n in vote.counts) or 1
        decision = label(lang, "decision_" + vote.decision)
        out.append(
            f'<div class="card"><strong>#{vote.session} · {e(vote.title)}</strong> '
            f'<span class="muted">{e(label(lang, "followed"))}: {e(vote.chosen_label)} ({e(decision)})</span>'
        )
        rows = [(lbl, n / total_votes, str(n)) for _, lbl, n in vote.counts]
        colours = ["#2f5fa7" if index == vote.chosen else "#a9bfe0" for index, _, _ in vote.counts]
        out.append(bar_chart(rows, colours, title=vote.title))
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _cap(text: str) -> str:
    """Capitalise the first letter (table headers reuse lower-case words)."""
    return text[:1].upper() + text[1:]
