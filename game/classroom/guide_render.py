"""The facilitator guide as Markdown and as one offline, printable HTML page."""

from __future__ import annotations

from html import escape

from game.classroom.guide import Guide, defaults
from game.classroom.htmlpage import page
from game.classroom.i18n import colon, dash, kit, label, list_sep, paren, ui_lang
from game.classroom.kit_render import kit_html, kit_markdown
from game.classroom.lesson_kit import LessonKit
from game.model import Tag
from game.prose import to_html, to_markdown


def inline_html(text: str) -> str:
    """Author Markdown as HTML for a list item or table cell: one paragraph loses its ``<p>`` (game.prose)."""
    out = to_html(text.strip())
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        return out[3:-4]
    return out


def paragraphs_html(text: str) -> str:
    """Author Markdown paragraphs as HTML (game.prose: source line breaks are spaces, never ``<br>``)."""
    return to_html(text)


def _tag_names(tags: tuple[Tag, ...], lang: str, fb: str) -> str:
    return list_sep(lang).join(t.title.get(lang, fb) for t in tags)


def _meta(guide: Guide) -> str:
    comma = "，" if ui_lang(guide.lang) == "zh" else ", "
    return f"{label(ui_lang(guide.lang), 'generated')} {guide.story_hash[:12]} " + paren(
        guide.lang, f"{guide.story_id}{comma}{guide.lang}"
    )


def markdown_inline(text: str) -> str:
    """Author Markdown as one line for a Markdown list item or table cell (normalised by game.prose)."""
    return " ".join(part for part in to_markdown(text).split("\n") if part.strip())


def plan_rows(guide: Guide) -> list[tuple[str, str]]:
    """The lesson plan: (time slot, what to do)."""
    words = defaults(guide.lang)
    ui = ui_lang(guide.lang)
    m = ("" if ui == "zh" else " ") + label(ui, "minutes")
    return [
        (f"0–5{m}", words["brief"]),
        (f"5–25{m}", words["play"]),
        (f"25–45{m}", words["debrief"]),
        ("+", words["homework"]),
    ]


def render_markdown(guide: Guide, fallback: str, lesson_kit: LessonKit | None = None) -> str:
    """The guide as Markdown: the lesson kit (if given), then the reference; ``fallback`` is the story's
    default language (for tag titles)."""
    ui = ui_lang(guide.lang)
    L = lambda key: label(ui, key)  # noqa: E731
    lang = guide.lang
    c = colon(ui)
    out = [f"# {L('guide')}{c}{guide.title}", ""]
    if guide.blurb:
        out += [to_markdown(guide.blurb), ""]
    out += [f"*{_meta(guide)}*", ""]
    if lesson_kit is not None:
        out += kit_markdown(lesson_kit, markdown_inline, to_markdown)
        out += ["---", "", f"# {kit(lang, 'reference')}", ""]
    out += [f"## {L('objectives')}", ""] + [f"{n}. {o}" for n, o in enumerate(guide.objectives, 1)] + [""]
    out += [f"## {L('lesson_plan')}", "", f"| {L('time')} | {L('step')} |", "|---|---|"]
    out += [f"| {slot} | {what} |" for slot, what in plan_rows(guide)] + [""]
    if guide.content_note:
        quoted = "\n".join(f"> {line}".rstrip() for line in to_markdown(guide.content_note).splitlines())
        out += [f"## {L('content_note')}", "", quoted, ""]
    out += [f"## {L('safe_container')}", ""] + [f"> {line}\n>" for line in guide.safe_container]
    out[-1] = out[-1].rstrip("\n>")
    out += [""]
    out += [f"## {L('story_map')}", ""]
    endings = {e.scene_id: e for e in guide.endings}
    for scene_id, title, targets in guide.story_map:
        if scene_id in endings:
            kind = label(ui, "kind_" + endings[scene_id].kind)
            out.append(f"- **{title}** {paren(lang, f'`{scene_id}`')}{dash(lang)}{L('ending')}{c}{kind}")
        else:
            arrows = list_sep(lang).join(f"{t_title} {paren(lang, f'`{t_id}`')}" for t_id, t_title in targets)
            out.append(f"- **{title}** {paren(lang, f'`{scene_id}`')} → {arrows}")
    out += ["", f"## {L('red_flags')}", ""]
    for tag in guide.red_flags:
        explain = tag.explain.get(lang, fallback).strip() if tag.explain else ""
        out.append(f"- ⚑ **{tag.title.get(lang, fallback)}**{dash(lang)}{markdown_inline(explain)}")
    out += ["", f"## {L('decision_points')}", ""]
    for d in guide.decisions:
        chapter = f" · {d.chapter}" if d.chapter else ""
        out += [f"### {d.number}. {d.title}{chapter}", "", f"`{d.scene_id}`", ""]
        for o in d.options:
            line = f"{o.number}. {o.text} → *{o.target_title}*"
            if o.condition:
                line += f" {o.condition}"
            out.append(line)
            if o.red_flags:
                out.append(f"   - ⚑ {L('red_flag')}{c}{_tag_names(o.red_flags, lang, fallback)}")
            if o.exits:
                out.append(f"   - ⇢ {L('safe_exit')}{c}{_tag_names(o.exits, lang, fallback)}")
        out += ["", f"**{L('discussion')}**", ""] + [f"- {q}" for q in d.questions] + [""]
    out += [f"## {L('all_endings')}", ""]
    for e in guide.endings:
        out += [f"### {e.title} {paren(lang, label(ui, 'kind_' + e.kind))}", "", f"`{e.scene_id}`", ""]
        if e.summary:
            out += [to_markdown(e.summary), ""]
        for key, value in (("what", e.what), ("so_what", e.so_what), ("now_what", e.now_what)):
            if value:
                first, *rest = to_markdown(value).split("\n\n")
                out += [f"- **{L(key)}** {first}"] + [f"\n  {para}" for para in rest]
        out.append("")
    out += [f"## {L('legal')}", ""]
    out += [to_markdown(guide.law), ""] if guide.law else [f"*{defaults(lang)['no_law']}*", ""]
    if guide.channels:
        out += [f"**{L('channels')}**", ""] + [f"- {markdown_inline(c)}" for c in guide.channels] + [""]
    if guide.safe_exits:
        out += [f"**{defaults(lang)['derived_channels']}**", ""]
        for tag in guide.safe_exits:
            explain = tag.explain.get(lang, fallback).strip() if tag.explain else ""
            out.append(f"- ⇢ **{tag.title.get(lang, fallback)}**{dash(lang)}{markdown_inline(explain)}")
    return "\n".join(out).rstrip() + "\n"


def render_html(guide: Guide, fallback: str, lesson_kit: LessonKit | None = None) -> str:
    """The guide as a complete, offline, printable HTML document: the lesson kit (if given), then the reference."""
    ui = ui_lang(guide.lang)
    lang = guide.lang
    e = escape
    L = lambda key: e(label(ui, key))  # noqa: E731
    c = colon(ui)
    body = [f"<h1>{L('guide')}{c}{e(guide.title)}</h1>"]
    if guide.blurb:
        body.append(f'<div class="blurb">{paragraphs_html(guide.blurb)}</div>')
    body.append(f'<p class="meta">{e(_meta(guide))}</p>')
    if lesson_kit is not None:
        body += kit_html(lesson_kit, paragraphs_html, inline_html)
        body.append(f'<h1 class="sheet">{e(str(kit(lang, "reference")))}</h1>')
    body.append(
        f"<h2>{L('objectives')}</h2><ol>" + "".join(f"<li>{inline_html(o)}</li>" for o in guide.objectives) + "</ol>"
    )
    rows = "".join(
        f'<tr><td class="num">{e(slot)}</td><td>{inline_html(what)}</td></tr>' for slot, what in plan_rows(guide)
    )
    body.append(f"<h2>{L('lesson_plan')}</h2><table><tr><th>{L('time')}</th><th>{L('step')}</th></tr>{rows}</table>")
    if guide.content_note:
        body.append(f"<h2>{L('content_note')}</h2><blockquote>{paragraphs_html(guide.content_note)}</blockquote>")
    items = "".join(f"<li>{e(line)}</li>" for line in guide.safe_container)
    body.append(f"<h2>{L('safe_container')}</h2><blockquote><ul>{items}</ul></blockquote>")
    endings = {x.scene_id: x for x in guide.endings}
    rows = []
    for scene_id, title, targets in guide.story_map:
        if scene_id in endings:
            kind = endings[scene_id].kind
            where = f'<span class="kind kind-{e(kind)}">{L("kind_" + kind)}</span>'
        else:
            where = "<br>".join(f"→ {e(t_title)} <code>{e(t_id)}</code>" for t_id, t_title in targets)  # ids as code
        rows.append(f"<tr><td><strong>{e(title)}</strong><br><code>{e(scene_id)}</code></td><td>{where}</td></tr>")
    body.append(
        f"<h2>{L('story_map')}</h2><table><tr><th>{L('scene')}</th><th>{L('leads_to')}</th></tr>{''.join(rows)}</table>"
    )
    flags = "".join(
        f'<tr><td class="flag">⚑ {e(t.title.get(lang, fallback))}</td>'
        f"<td>{inline_html(t.explain.get(lang, fallback).strip() if t.explain else '')}</td></tr>"
        for t in guide.red_flags
    )
    body.append(f"<h2>{L('red_flags')}</h2><table>{flags}</table>")
    body.append(f"<h2>{L('decision_points')}</h2>")
    for d in guide.decisions:
        chapter = f' <span class="muted">· {e(d.chapter)}</span>' if d.chapter else ""
        opts = []
        for o in d.options:
            extra = ""
            if o.condition:
                extra += f' <span class="muted">{e(o.condition)}</span>'
            if o.red_flags:
                extra += f'<br><span class="flag">⚑ {e(_tag_names(o.red_flags, lang, fallback))}</span>'
            if o.exits:
                extra += f'<br><span class="exit">⇢ {e(_tag_names(o.exits, lang, fallback))}</span>'
            opts.append(f"<li>{inline_html(o.text)} → <em>{e(o.target_title)}</em>{extra}</li>")
        questions = "".join(f"<li>{inline_html(q)}</li>" for q in d.questions)
        body.append(
            f'<div class="card"><h3>{d.number}. {e(d.title)}{chapter}</h3><code>{e(d.scene_id)}</code>'
            f"<ol>{''.join(opts)}</ol><strong>{L('discussion')}</strong><ul>{questions}</ul></div>"
        )
    body.append(f"<h2>{L('all_endings')}</h2>")
    for x in guide.endings:
        parts = [
            f'<div class="card"><h3>{e(x.title)} <span class="kind kind-{e(x.kind)}">{L("kind_" + x.kind)}</span></h3>'
            f"<code>{e(x.scene_id)}</code>"
        ]
        if x.summary:
            parts.append(paragraphs_html(x.summary))
        for key, value in (("what", x.what), ("so_what", x.so_what), ("now_what", x.now_what)):
            if value:
                parts.append(f"<p><strong>{L(key)}</strong></p>{paragraphs_html(value)}")
        parts.append("</div>")
        body.append("".join(parts))
    body.append(f"<h2>{L('legal')}</h2>")
    body.append(paragraphs_html(guide.law) if guide.law else f"<p class='muted'>{e(defaults(lang)['no_law'])}</p>")
    if guide.channels:
        body.append(
            f"<h3>{L('channels')}</h3><ul>" + "".join(f"<li>{inline_html(c)}</li>" for c in guide.channels) + "</ul>"
        )
    if guide.safe_exits:
        items = "".join(
            f'<li><span class="exit">⇢ {e(t.title.get(lang, fallback))}</span>{e(dash(lang))}'
            f"{inline_html(t.explain.get(lang, fallback).strip() if t.explain else '')}</li>"
            for t in guide.safe_exits
        )
        body.append(f"<h3>{e(defaults(lang)['derived_channels'])}</h3><ul>{items}</ul>")
    return page(f"{label(ui, 'guide')}{c}{guide.title}", "\n".join(body), lang)
