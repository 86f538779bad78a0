"""The lesson kit (:mod:`game.classroom.lesson_kit`) as Markdown and as HTML sections of the guide.

The HTML puts the lesson card on the first printed page and each handout on a page of its own
(``break-before: page``), so a teacher can print the card and the handouts and leave the reference.
"""

from __future__ import annotations

from html import escape

from game.classroom.i18n import colon, dash, kit, label, ui_lang
from game.classroom.lesson_kit import LessonKit

PRINT_CSS = """<style>
@page { margin: 12mm 14mm; }
.sheet { break-before: page; page-break-before: always; }
.lesson-card { break-after: page; page-break-after: always; }
.lesson-card table td.num { width: 6.5rem; }
.blank { border-bottom: 1px solid #888; height: 1.9rem; margin: .2rem 0 .6rem; }
.answer { border-left: 4px solid var(--exit); padding-left: .6rem; }
.flag-card li { margin: .35rem 0; }
.contingency { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
.contingency ul { padding-left: 1.1rem; }
ul.checklist { list-style: none; padding-left: .4rem; }
@media print {
  h1 { font-size: 1.4rem; } .blurb, p.meta { font-size: 8.5pt; margin: .2rem 0; }
  .lesson-card { font-size: 9.5pt; line-height: 1.35; }
  .flag-card { font-size: 9pt; line-height: 1.3; } .flag-card li { margin: .15rem 0; }
  .lesson-card h2 { margin-top: .5rem; font-size: 1.15rem; }
  .lesson-card h3 { margin: .5rem 0 .15rem; font-size: 1rem; }
  .lesson-card p.muted, .lesson-card td .muted { font-size: 8.5pt; }
  .lesson-card td, .lesson-card th { padding: .15rem .4rem; } .lesson-card ul, .lesson-card ol { margin: .2rem 0; }
  .lesson-card table, .lesson-card tr { break-inside: auto; page-break-inside: auto; }
}
</style>"""


def _k(lang: str, key: str) -> str:
    return str(kit(lang, key))


def _slot(row_start: int, row_end: int, lang: str) -> str:
    unit = label(ui_lang(lang), "minutes")
    span = f"{row_start}–{row_end}" if row_end > row_start else f"{row_start}"
    return f"{span} {unit}" if ui_lang(lang) != "zh" else f"{span}{unit}"


def kit_markdown(k: LessonKit, inline, block) -> list[str]:
    """The kit as Markdown lines; ``inline`` turns author Markdown into one line, ``block`` into paragraphs."""
    lang = k.lang
    c = colon(lang)
    out = [f"## {_k(lang, 'lesson_card')}{c}{k.title}", ""]
    if k.lesson_id is None:
        out += [f"*{_k(lang, 'generic_plan')}*", ""]
    if k.timing_note:
        out += [k.timing_note, ""]
    if k.timeline:
        out += [
            f"### {_k(lang, 'timeline')}",
            "",
            f"| {label(ui_lang(lang), 'time')} | {label(ui_lang(lang), 'step')} |",
        ]
        out += ["|---|---|"]
        for row in k.timeline:
            extra = "".join(f"<br>{line.replace(chr(10), ' ')}" for line in row.lines)
            out.append(f"| {_slot(row.start, row.end, lang)} | {row.what}{extra} |")
        out.append("")
    if k.class_decisions:
        out += [f"### {_k(lang, 'class_decisions')}", "", _k(lang, "class_intro"), ""]
        for n, d in enumerate(k.class_decisions, 1):
            out.append(f"{n}. **{d.title}**{dash(lang)}{d.ask or _k(lang, 'no_ask')}")
        out.append("")
    if k.early:
        out += [f"### {_k(lang, 'early')}", ""] + [f"- {line}" for line in k.early] + [""]
        out += [f"### {_k(lang, 'short')}", ""] + [f"- {line}" for line in k.short] + [""]
    out += [f"## {_k(lang, 'checklist')}", ""] + [f"- [ ] {item}" for item in k.checklist] + [""]
    out += [f"## {_k(lang, 'safeguarding')}", ""] + [f"- {inline(item)}" for item in k.safeguarding] + [""]
    if k.case_source:
        out += [f"## {_k(lang, 'source')}", "", block(k.case_source), ""]
    if k.vocabulary:
        out += [f"## {_k(lang, 'vocabulary')}", ""]
        out += [f"- **{term}**{dash(lang)}{inline(meaning)}" for term, meaning in k.vocabulary] + [""]
    out += [f"## {_k(lang, 'handouts')}", "", "---", "", f"### {_k(lang, 'red_flag_card')}", ""]
    out += [_k(lang, "red_flag_card_intro"), ""]
    out += [f"- ⚑ **{title}**{dash(lang)}{inline(explain)}" for title, explain in k.red_flags] + [""]
    if k.safe_exits or k.channels:
        out += [f"**{_k(lang, 'exits_and_channels')}**", ""]
        out += [f"- ⇢ **{title}**{dash(lang)}{inline(explain)}" for title, explain in k.safe_exits]
        out += [f"- {inline(channel)}" for channel in k.channels] + [""]
    out += ["---", "", f"### {_k(lang, 'worksheet')}", "", _k(lang, "worksheet_intro"), ""]
    for n, d in enumerate(k.class_decisions, 1):
        ask = f"{dash(lang)}{d.ask}" if d.ask else ""
        out += [f"**{n}. {d.title}**{ask}", ""]
        for key in ("worksheet_flag", "worksheet_exit", "worksheet_why"):
            out += [f"- {_k(lang, key)} ______________________________", ""]
    out += ["---", "", f"### {_k(lang, 'exit_ticket')}", ""]
    if k.objectives:
        out += [_k(lang, "exit_ticket_intro"), ""] + [f"- {inline(o)}" for o in k.objectives] + [""]
    if not k.exit_ticket:
        out += [f"*{_k(lang, 'no_ticket')}*", ""]
    for n, (question, _answer) in enumerate(k.exit_ticket, 1):
        out += [f"{n}. {inline(question)}", "", "   ______________________________", ""]
    if k.exit_ticket:
        out += ["---", "", f"### {_k(lang, 'answer_key')}", ""]
        for n, (question, answer) in enumerate(k.exit_ticket, 1):
            out += [f"{n}. {inline(question)}", f"   **{inline(answer)}**", ""]
    return out


def kit_html(k: LessonKit, paragraphs, inline) -> list[str]:
    """The kit as HTML blocks; ``paragraphs`` and ``inline`` render author Markdown (block and inline)."""
    lang = k.lang
    e = escape
    c = colon(lang)
    card = [f'<section class="lesson-card"><h2>{e(_k(lang, "lesson_card"))}{c}{e(k.title)}</h2>']
    if k.lesson_id is None:
        card.append(f'<p class="muted">{e(_k(lang, "generic_plan"))}</p>')
    if k.timing_note:
        card.append(f'<p class="muted">{inline(k.timing_note)}</p>')
    if k.timeline:
        rows = []
        for row in k.timeline:
            extra = "".join(f"<br><span class='muted'>{inline(line)}</span>" for line in row.lines)
            rows.append(
                f'<tr><td class="num">{e(_slot(row.start, row.end, lang))}</td><td>{inline(row.what)}{extra}</td></tr>'
            )
        card.append(f"<h3>{e(_k(lang, 'timeline'))}</h3><table>{''.join(rows)}</table>")
    if k.class_decisions:
        items = "".join(
            f"<li><strong>{e(d.title)}</strong>{e(dash(lang))}{inline(d.ask) if d.ask else e(_k(lang, 'no_ask'))}</li>"
            for d in k.class_decisions
        )
        intro = f"<p>{e(_k(lang, 'class_intro'))}</p>"
        card.append(f"<h3>{e(_k(lang, 'class_decisions'))}</h3>{intro}<ol>{items}</ol>")
    if k.early:
        early = (
            f"<div><h3>{e(_k(lang, 'early'))}</h3><ul>{''.join(f'<li>{inline(x)}</li>' for x in k.early)}</ul></div>"
        )
        short = (
            f"<div><h3>{e(_k(lang, 'short'))}</h3><ul>{''.join(f'<li>{inline(x)}</li>' for x in k.short)}</ul></div>"
        )
        card.append(f'<div class="contingency">{early}{short}</div>')
    card.append("</section>")
    out = [PRINT_CSS, "".join(card)]
    out.append(
        f"<h2>{e(_k(lang, 'checklist'))}</h2><ul class='checklist'>"
        + "".join(f"<li>☐ {inline(item)}</li>" for item in k.checklist)
        + "</ul>"
    )
    out.append(
        f"<h2>{e(_k(lang, 'safeguarding'))}</h2><ul>"
        + "".join(f"<li>{inline(item)}</li>" for item in k.safeguarding)
        + "</ul>"
    )
    if k.case_source:
        out.append(f"<h2>{e(_k(lang, 'source'))}</h2>{paragraphs(k.case_source)}")
    if k.vocabulary:
        rows = "".join(f"<tr><td><strong>{e(t)}</strong></td><td>{inline(m)}</td></tr>" for t, m in k.vocabulary)
        out.append(f"<h2>{e(_k(lang, 'vocabulary'))}</h2><table>{rows}</table>")
    flags = "".join(f'<li><span class="flag">⚑ {e(t)}</span>{e(dash(lang))}{inline(x)}</li>' for t, x in k.red_flags)
    exits = "".join(f'<li><span class="exit">⇢ {e(t)}</span>{e(dash(lang))}{inline(x)}</li>' for t, x in k.safe_exits)
    exits += "".join(f"<li>{inline(ch)}</li>" for ch in k.channels)
    out.append(
        f'<section class="sheet flag-card"><h2>{e(_k(lang, "red_flag_card"))}</h2>'
        f"<p>{e(_k(lang, 'red_flag_card_intro'))}</p><ul>{flags}</ul>"
        + (f"<h3>{e(_k(lang, 'exits_and_channels'))}</h3><ul>{exits}</ul>" if exits else "")
        + "</section>"
    )
    blocks = []
    for n, d in enumerate(k.class_decisions, 1):
        ask = f"{e(dash(lang))}{inline(d.ask)}" if d.ask else ""
        lines = "".join(f"<div>{e(_k(lang, key))}</div><div class='blank'></div>" for key in _WORKSHEET)
        blocks.append(f"<h3>{n}. {e(d.title)}{ask}</h3>{lines}")
    out.append(
        f'<section class="sheet"><h2>{e(_k(lang, "worksheet"))}</h2><p>{e(_k(lang, "worksheet_intro"))}</p>'
        + "".join(blocks)
        + "</section>"
    )
    ticket = [f'<section class="sheet"><h2>{e(_k(lang, "exit_ticket"))}</h2>']
    if k.objectives:
        ticket.append(
            f"<p>{e(_k(lang, 'exit_ticket_intro'))}</p><ul>" + "".join(f"<li>{inline(o)}</li>" for o in k.objectives)
        )
        ticket.append("</ul>")
    if not k.exit_ticket:
        ticket.append(f'<p class="muted">{e(_k(lang, "no_ticket"))}</p>')
    for n, (question, _answer) in enumerate(k.exit_ticket, 1):
        ticket.append(
            f"<p><strong>{n}.</strong> {inline(question)}</p><div class='blank'></div><div class='blank'></div>"
        )
    ticket.append("</section>")
    out.append("".join(ticket))
    if k.exit_ticket:
        answers = "".join(
            f"<p><strong>{n}.</strong> {inline(q)}</p><p class='answer'>{inline(a)}</p>"
            for n, (q, a) in enumerate(k.exit_ticket, 1)
        )
        out.append(f'<section class="sheet"><h2>{e(_k(lang, "answer_key"))}</h2>{answers}</section>')
    return out


_WORKSHEET = ("worksheet_flag", "worksheet_exit", "worksheet_why")
