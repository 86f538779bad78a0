"""A self-contained HTML page and inline SVG bar charts, shared by the class report and the lesson guide.

The pages work offline and print well: no JavaScript, no external fonts, stylesheets or images; the CSS is
inline and has print rules (no background colours needed to read the charts, no rows split across pages).
Every piece of story text is escaped with :func:`html.escape`.
"""

from __future__ import annotations

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
svg { max-width: 100%; height: auto; display: block; margin: .3rem 0 .8rem; }
svg text { font-family: inherit; font-size: 13px; fill: var(--ink); }
ol.plan li, ul li { margin: .2rem 0; }
blockquote { margin: .6rem 0; padding: .4rem 1rem; border-left: 4px solid var(--accent); background: #f5f8fd; }
code { font-size: .9em; }
.choice-tags { font-size: .9em; }
@page { margin: 16mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
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


def _text_width(text: str) -> float:
    """Approximate rendered width at 13px: wide (CJK) characters count double."""
    return sum(13.0 if ord(ch) > 0x2E7F else 7.2 for ch in text)


def _clip(text: str, width: float) -> str:
    if _text_width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _text_width(out + ch + "…") > width:
            break
        out += ch
    return out + "…"


def bar_chart(
    rows: list[tuple[str, float, str]],
    colours: list[str] | None = None,
    width: int = 720,
    label_width: int = 320,
    title: str = "",
) -> str:
    """A horizontal bar chart as inline SVG: each row is (label, value 0..1 for the bar length, value text).

    Bars are solid fills with a dark outline so they survive black-and-white printing.
    """
    bar_h, gap, top = 22, 8, 4
    height = top + len(rows) * (bar_h + gap)
    area = width - label_width - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for n, (text, value, shown) in enumerate(rows):
        y = top + n * (bar_h + gap)
        colour = (colours[n] if colours and n < len(colours) else None) or BAR_COLOURS[n % len(BAR_COLOURS)]
        length = max(0.0, min(1.0, value)) * area
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_h * 0.7:.1f}" text-anchor="end">'
            f"{escape(_clip(text, label_width - 12))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{area:.1f}" height="{bar_h}" fill="#f3f5f8" stroke="#d5d9e0"/>'
        )
        if length > 0:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="{colour}" '
                'stroke="#1d2330" stroke-width="0.6"/>'
            )
        parts.append(f'<text x="{label_width + area + 8}" y="{y + bar_h * 0.7:.1f}">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)
