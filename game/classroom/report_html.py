"""The class report as one offline HTML page with bar charts (no JavaScript, prints well).

Everything shown is escaped; option labels are never cut (they wrap); options carry their red-flag and
safe-exit marks and endings their kind in words and symbols, so nothing depends on colour alone.
"""

from __future__ import annotations

from html import escape

from game.classroom.htmlpage import KIND_COLOURS, Bar, bar_chart, marks_html, page
from game.classroom.i18n import colon, label, plural
from game.classroom.report import ClassReport, EndingStats, GroupReport, OptionStats
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


def _marks(marks: tuple[str, ...], lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((marks_text((m,), lang), _MARK_CLASS.get(m, "")) for m in marks)


def _option_bar(option: OptionStats, lang: str) -> Bar:
    return Bar(
        f"{option.index + 1}. {option.label}",
        option.share,
        f"{option.count} · {percent(option.share)}",
        marks=_marks(option.marks, lang),
    )


def _ending_bars(endings: list[EndingStats], lang: str) -> list[Bar]:
    return [
        Bar(
            ending.title,
            ending.share,
            f"{ending.count} · {percent(ending.share)}",
            KIND_COLOURS.get(ending.kind or "", "#8a93a3"),
            marks=((kind_text(ending.kind, lang), {"safe": "exit", "bad": "flag"}.get(ending.kind, "")),)
            if ending.kind in ("safe", "mixed", "bad")
            else (),
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
        out.append(_block(label(lang, "endings"), bar_chart(_ending_bars(group.endings, lang), label(lang, "endings"))))
        for n, decision in enumerate(group.decisions):
            card = (
                f'<div class="card"><strong>{e(decision.title)}</strong> <span class="muted">'
                f"n={decision.total} · {e(label(lang, 'median_time'))} "
                f"{e(seconds_text(decision.median_seconds, lang))}</span>"
                + bar_chart([_option_bar(o, lang) for o in decision.options], title=decision.title)
                + "</div>"
            )
            out.append(_block(label(lang, "decision_points"), card) if n == 0 else card)
        total = group.playthroughs or 1
        rows = [Bar(title, count / total, str(count), "#2e7d4f") for _, title, count in group.first_off_trap]
        rows.append(
            Bar(label(lang, "never_off_trap"), group.never_off_trap / total, str(group.never_off_trap), "#b83a3a")
        )
        out.append(_block(label(lang, "first_off_trap"), bar_chart(rows, title=label(lang, "first_off_trap"))))
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
        _block(
            label(lang, "session_endings"),
            bar_chart(_ending_bars(group.session_endings, lang), title=label(lang, "session_endings")),
        ),
    ]
    if not group.votes:
        out.append(_block(label(lang, "class_votes"), f"<p class='muted'>{e(label(lang, 'no_votes'))}</p>"))
    for n, table in enumerate(group.votes):
        rows = "".join(
            f"<tr><td>{e(f'{o.index + 1}. {o.label}')}{marks_html(_marks(o.marks, lang))}</td>"
            f'<td class="num">{o.votes}</td><td class="num">{percent(o.share)}</td>'
            f'<td class="num">{o.followed}</td></tr>'
            for o in table.options
        )
        card = (
            f'<div class="card"><strong>{e(table.title)}</strong> <span class="muted">'
            f"{e(plural(lang, 'n_held', table.held))} · {e(plural(lang, 'n_votes', table.total_votes))} · "
            f"{e(decisions_text(table, lang))}</span>"
            f"<table class='votes'><tr><th>{e(label(lang, 'option'))}</th>"
            f"<th class='num'>{e(label(lang, 'votes_cast'))}</th><th class='num'>{e(label(lang, 'share'))}</th>"
            f"<th class='num'>{e(label(lang, 'followed_sessions'))}</th></tr>{rows}</table></div>"
        )
        out.append(_block(label(lang, "class_votes"), card) if n == 0 else card)
    out.append("</div>")
    return "\n".join(out)


def _block(heading: str, content: str) -> str:
    """A heading kept on the same printed page as what follows it."""
    return f'<div class="block"><h4>{escape(heading)}</h4>{content}</div>'


def _cap(text: str) -> str:
    """Capitalise the first letter (table headers reuse lower-case words)."""
    return text[:1].upper() + text[1:]
