"""The class report as one offline HTML page with bar charts (no JavaScript, prints well).

Everything shown is escaped; option labels are never cut (they wrap); options carry their red-flag and
safe-exit marks and endings their kind in words and symbols, so nothing depends on colour alone.
"""

from __future__ import annotations

from html import escape

from game.classroom.htmlpage import KIND_COLOURS, Bar, bar_chart, page
from game.classroom.i18n import colon, label, plural
from game.classroom.report import ClassReport, EndingStats, GroupReport, OptionStats, VoteOption
from game.classroom.report_render import (
    counts_text,
    decisions_text,
    heading,
    kind_text,
    languages_text,
    marks_text,
    percent,
    seconds_text,
    skipped_lines,
    summary_lines,
)

_MARK_CLASS = {"red-flag": "flag", "safe-exit": "exit"}


def render_html(report: ClassReport) -> str:
    """The report as a complete HTML document."""
    lang = report.lang
    e = escape
    title, facts = heading(report)
    body = [f"<h1>{e(title)}</h1>", f'<p class="meta">{" · ".join(e(f) for f in facts)}</p>']
    summaries = summary_lines(report)
    if summaries:
        items = "".join(f"<p>{e(line)}</p>" for line in summaries)
        body.append(f'<div class="summary"><strong>{e(label(lang, "summary"))}</strong>{items}</div>')
    if not report.groups:
        body.append(f"<p>{e(label(lang, 'no_records'))}</p>")
    seen: set[str] = set()
    for group in report.groups:
        apart = not group.current and group.story_id in seen
        seen.add(group.story_id)
        body.append(_group(group, lang, apart))
    skipped = skipped_lines(report)
    if skipped:
        items = "".join(f"<li><code>{e(line)}</code></li>" for line in skipped)
        body.append(f"<h2>{e(label(lang, 'skipped'))}</h2><ul>{items}</ul>")
    return page(title, "\n".join(body), lang)


def _option_bar(option: OptionStats | VoteOption, count: int, lang: str) -> Bar:
    mark_class = " ".join(_MARK_CLASS[m] for m in option.marks if m in _MARK_CLASS)
    return Bar(
        f"{option.index + 1}. {option.label}",
        option.share,
        f"{count} · {percent(option.share)}",
        marks=marks_text(option.marks, lang),
        mark_class=mark_class,
    )


def _ending_bars(endings: list[EndingStats], lang: str) -> list[Bar]:
    return [
        Bar(
            ending.title,
            ending.share,
            f"{ending.count} · {percent(ending.share)}",
            KIND_COLOURS.get(ending.kind or "", "#8a93a3"),
            marks=kind_text(ending.kind, lang),
            mark_class={"safe": "exit", "bad": "flag"}.get(ending.kind or "", ""),
        )
        for ending in endings
    ]


def _group(group: GroupReport, lang: str, apart: bool) -> str:
    e = escape
    sep = colon(lang)
    out = []
    if apart:
        out.append(f'<section class="apart"><h2>{e(label(lang, "other_versions"))}</h2>')
        out.append(f"<h3>{e(group.title)}</h3>")
    else:
        out.append(f"<section><h2>{e(group.title)}</h2>")
    meta = [f"{e(label(lang, 'version'))} <code>{e(group.story_hash[:12])}</code>"]
    if group.classes:
        meta.append(e(label(lang, "class") + sep + counts_text(group.classes, lang)))
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if group.playthroughs:
        out.append(f"<h3>{e(label(lang, 'students'))}</h3>")
        out.append(
            f'<p class="meta">{e(label(lang, "languages") + sep + languages_text(group.languages, lang))}</p>'
            "<table><tr>"
            f'<th class="num">{e(label(lang, "playthroughs"))}</th>'
            f'<th class="num">{e(_cap(label(lang, "finished")))}</th>'
            f'<th class="num">{e(_cap(label(lang, "abandoned")))}</th>'
            f'<th class="num">{e(label(lang, "median_decision"))}</th>'
            f'</tr><tr><td class="num"><strong>{group.playthroughs}</strong></td>'
            f'<td class="num">{group.finished}</td><td class="num">{group.abandoned}</td>'
            f'<td class="num">{e(seconds_text(group.median_decision_seconds, lang))}</td></tr></table>'
        )
        out.append(f"<h4>{e(label(lang, 'endings'))}</h4>")
        out.append(bar_chart(_ending_bars(group.endings, lang), title=label(lang, "endings")))
        out.append(f"<h4>{e(label(lang, 'decision_points'))}</h4>")
        for decision in group.decisions:
            out.append(
                f'<div class="card"><strong>{e(decision.title)}</strong> <span class="muted">'
                f"n={decision.total} · {e(label(lang, 'median_time'))} "
                f"{e(seconds_text(decision.median_seconds, lang))}</span>"
            )
            out.append(bar_chart([_option_bar(o, o.count, lang) for o in decision.options], title=decision.title))
            out.append("</div>")
        out.append(f"<h4>{e(label(lang, 'first_off_trap'))}</h4>")
        total = group.playthroughs or 1
        rows = [Bar(title, count / total, str(count), "#2e7d4f") for _, title, count in group.first_off_trap]
        rows.append(
            Bar(label(lang, "never_off_trap"), group.never_off_trap / total, str(group.never_off_trap), "#b83a3a")
        )
        out.append(bar_chart(rows, title=label(lang, "first_off_trap")))
    if group.sessions:
        out.append(_sessions(group, lang))
    out.append("</section>")
    return "\n".join(out)


def _sessions(group: GroupReport, lang: str) -> str:
    e = escape
    sep = colon(lang)
    out = [
        f'<div class="sessions"><h3>{e(label(lang, "class_sessions"))}</h3>',
        f'<p class="muted">{e(label(lang, "class_sessions_note"))}</p>',
        f'<p class="meta">{e(plural(lang, "n_sessions", group.sessions))} · '
        f"{e(label(lang, 'finished'))} {group.sessions_finished} · "
        f"{e(label(lang, 'languages') + sep + languages_text(group.session_languages, lang))}</p>",
        f"<h4>{e(label(lang, 'session_endings'))}</h4>",
        bar_chart(_ending_bars(group.session_endings, lang), title=label(lang, "session_endings")),
        f"<h4>{e(label(lang, 'class_votes'))}</h4>",
    ]
    if not group.votes:
        out.append(f"<p class='muted'>{e(label(lang, 'no_votes'))}</p>")
    for table in group.votes:
        rows = "".join(
            f"<tr><td>{e(f'{o.index + 1}. {o.label}')}{_marks_html(o.marks, lang)}</td>"
            f'<td class="num">{o.votes}</td><td class="num">{percent(o.share)}</td>'
            f'<td class="num">{o.followed}</td></tr>'
            for o in table.options
        )
        out.append(
            f'<div class="card"><strong>{e(table.title)}</strong> <span class="muted">'
            f"{e(plural(lang, 'n_held', table.held))} · {e(plural(lang, 'n_votes', table.total_votes))} · "
            f"{e(decisions_text(table, lang))}</span>"
            f"<table><tr><th>{e(label(lang, 'option'))}</th><th class='num'>{e(label(lang, 'votes_cast'))}</th>"
            f"<th class='num'>{e(label(lang, 'share'))}</th>"
            f"<th class='num'>{e(label(lang, 'followed_sessions'))}</th></tr>{rows}</table></div>"
        )
    out.append("</div>")
    return "\n".join(out)


def _marks_html(marks: tuple[str, ...], lang: str) -> str:
    if not marks:
        return ""
    classes = " ".join(_MARK_CLASS[m] for m in marks if m in _MARK_CLASS)
    return f'<br><span class="mark {classes}">{escape(marks_text(marks, lang))}</span>'


def _cap(text: str) -> str:
    """Capitalise the first letter (table headers reuse lower-case words)."""
    return text[:1].upper() + text[1:]
