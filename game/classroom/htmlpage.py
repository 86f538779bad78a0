"""A self-contained HTML page and inline SVG bar charts, shared by the class report and the lesson guide.

The pages work offline and print well: no JavaScript, no external fonts, stylesheets or images; the CSS is
inline and has print rules (no background colours needed to read the charts, no rows split across pages).
Every piece of story text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d5d9e0; --accent: #2f5fa7;
  --safe: #2e7d4f; --mixed: #b7791f; --bad: #b83a3a; --flag: #b83a3a; --exit: #2e7d4f; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
  "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; color: var(--ink);
  max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.5; font-size: 16px; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; }
h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.12rem; margin: 1.6rem 0 .4rem; }
p.meta, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { font-weight: 600; background: #f3f5f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0; }
.apart { border-left: 4px solid var(--mixed); padding-left: 1rem; }
.kind { display: inline-block; border-radius: 3px; padding: 0 .4rem; font-size: .85em; color: #fff; }
.kind-safe { background: var(--safe); } .kind-mixed { background: var(--mixed); } .kind-bad { background: var(--bad); }
.flag { color: var(--flag); font-weight: 600; } .exit { color: var(--exit); font-weight: 600; }
table.bars { table-layout: fixed; }
table.bars td { border-bottom: none; padding: .25rem .5rem; vertical-align: middle; }
table.bars td.bar-label { width: 45%; overflow-wrap: anywhere; }
table.bars td.bar { width: auto; }
table.bars td.num { width: 7.5rem; }
table.bars svg { display: block; width: 100%; height: 1.2rem; }
.summary { border-left: 4px solid var(--accent); background: #f5f8fd; padding: .5rem 1rem; margin: 1rem 0; }
.summary p { margin: .3rem 0; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.sessions { border-top: 2px dashed var(--line); margin-top: 1.6rem; }
.block { break-inside: avoid; page-break-inside: avoid; }
table.votes { table-layout: fixed; }
table.votes th.num, table.votes td.num { width: 7rem; }
.mark { font-size: .85em; font-weight: 600; white-space: nowrap; }
.mark.flag { color: var(--flag); } .mark.exit { color: var(--exit); }
ol.plan li, ul li { margin: .2rem 0; }
blockquote { margin: .6rem 0; padding: .4rem 1rem; border-left: 4px solid var(--accent); background: #f5f8fd; }
code { font-size: .9em; }
.choice-tags { font-size: .9em; }
@page { margin: 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  .card, table, svg, tr, blockquote { break-inside: avoid; page-break-inside: avoid; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
"""

BAR_COLOURS = ("#2f5fa7", "#6b8fc9", "#8aa6d4", "#a9bfe0", "#c8d7ec")
KIND_COLOURS = {"safe": "#2e7d4f", "mixed": "#b7791f", "bad": "#b83a3a"}


def page(title: str, body: str, lang: str) -> str:
    """A complete HTML document with the inline stylesheet."""
    html_lang = "zh-CN" if lang.startswith("zh") else lang
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(html_lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a bar chart: its label (shown whole, wrapped), the bar length (0..1), the figure shown
    beside it, an optional colour and marks in words (``("⚑ red flag", css class)``) shown under the label."""

    label: str
    value: float
    shown: str
    colour: str | None = None
    marks: tuple[tuple[str, str], ...] = ()


def marks_html(marks: tuple[tuple[str, str], ...]) -> str:
    """Marks in words under a label (``⚑ red flag``, ``✓ safe exit``), each in its own span and CSS class."""
    if not marks:
        return ""
    return "<br>" + " ".join(f'<span class="mark {escape(css)}">{escape(text)}</span>' for text, css in marks)


def bar_chart(rows: list[Bar], title: str = "") -> str:
    """A horizontal bar chart as an HTML table with an inline SVG bar per row.

    Labels are table cells, so the browser wraps long labels (and Chinese text) instead of cutting them;
    the figures have their own column, so "22 · 100%" never runs past the bar. Bars are solid fills with a
    dark outline so they survive black-and-white printing.
    """
    parts = [f'<table class="bars" aria-label="{escape(title)}">']
    for n, row in enumerate(rows):
        colour = row.colour or BAR_COLOURS[n % len(BAR_COLOURS)]
        length = max(0.0, min(1.0, row.value)) * 100
        bar = (
            '<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="presentation">'
            '<rect x="0" y="0" width="100" height="10" fill="#f3f5f8" stroke="#d5d9e0" stroke-width="0.3" '
            'vector-effect="non-scaling-stroke"/>'
        )
        if length > 0:
            bar += (
                f'<rect x="0" y="0" width="{length:.2f}" height="10" fill="{escape(colour)}" stroke="#1d2330" '
                'stroke-width="0.6" vector-effect="non-scaling-stroke"/>'
            )
        bar += "</svg>"
        parts.append(
            f'<tr><td class="bar-label">{escape(row.label)}{marks_html(row.marks)}</td><td class="bar">{bar}</td>'
            f'<td class="num">{escape(row.shown)}</td></tr>'
        )
    parts.append("</table>")
    return "".join(parts)
