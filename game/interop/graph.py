"""The story map as Mermaid (for Markdown viewers) or Graphviz DOT (for ``dot -Tsvg``).

One node per scene, labelled with its title; endings are styled by kind (safe green, mixed amber, bad red)
and drawn with a distinct shape; the start scene has a heavy border. One edge per choice, labelled with what
the player says: red-flag choices are drawn red and marked ``⚑``, safe exits green and marked ``✓``;
conditional choices are dashed and carry their condition (``if …``); once-only choices say ``(once)``.
"""

from __future__ import annotations

import json

from game.model import Choice, Scene, Story

FORMATS = ("mermaid", "dot")
KIND_COLOURS = {
    "safe": ("#d9f2dd", "#2e7d32"),
    "mixed": ("#fff1c9", "#a66f00"),
    "bad": ("#f9d6d5", "#b3261e"),
}
RED_FLAG = "#b3261e"
SAFE_EXIT = "#2e7d32"
LABEL_LIMIT = 48
WORDS = {
    "en": {"safe": "safe ending", "mixed": "mixed ending", "bad": "bad ending", "once": "(once)", "if": "if"},
    "zh": {"safe": "安全结局", "mixed": "复杂结局", "bad": "糟糕结局", "once": "（仅一次）", "if": "条件："},
}


def _short(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Labels:
    """The words on the map, in one language."""

    def __init__(self, story: Story, lang: str | None) -> None:
        self.story = story
        self.lang = lang if lang in story.languages else story.default_language
        self.fallback = story.default_language
        self.words = WORDS.get(self.lang, WORDS["en"])

    def kind_of(self, choice: Choice) -> str | None:
        kinds = {self.story.tags[t].kind for t in choice.tags if t in self.story.tags}
        if "red-flag" in kinds:
            return "red-flag"
        if "safe-exit" in kinds:
            return "safe-exit"
        return None

    def scene(self, scene: Scene) -> str:
        title = _short(scene.title.get(self.lang, self.fallback))
        if scene.ending is not None:
            ending = _short(scene.ending.title.get(self.lang, self.fallback))
            return f"{title}\n[{self.words.get(scene.ending.kind, scene.ending.kind)}: {ending}]"
        return title

    def choice(self, choice: Choice) -> str:
        parts = [_short(choice.say.get(self.lang, self.fallback))]
        kind = self.kind_of(choice)
        if kind:
            names = [_short(self.story.tags[t].title.get(self.lang, self.fallback), 32) for t in choice.tags]
            parts[0] = ("⚑ " if kind == "red-flag" else "✓ ") + parts[0]
            parts.append("(" + ", ".join(names) + ")")
        if choice.condition is not None:
            parts.append(f"{self.words['if']} {_short(choice.condition.source, 40)}")
        if choice.once:
            parts.append(self.words["once"])
        return "\n".join(parts)


def to_mermaid(story: Story, lang: str | None = None) -> str:
    """The story map as a Mermaid flowchart."""
    labels = _Labels(story, lang)
    ids = {scene_id: f"s{i}" for i, scene_id in enumerate(story.scenes)}
    title = story.title.get(labels.lang, labels.fallback)
    lines = ["---", f"title: {json.dumps(' '.join(title.split()), ensure_ascii=False)}", "---"]
    lines.append("flowchart TD")
    for scene_id, scene in story.scenes.items():
        text = _mermaid_text(labels.scene(scene))
        node = ids[scene_id]
        if scene.ending is not None:
            lines.append(f'    {node}(["{text}"]):::{scene.ending.kind}')
        else:
            lines.append(f'    {node}["{text}"]' + (":::start" if scene_id == story.start else ""))
    link_styles: list[str] = []
    edge = 0
    for scene_id, scene in story.scenes.items():
        for choice in scene.choices:
            arrow = "-.->" if choice.condition is not None else "-->"
            text = _mermaid_text(labels.choice(choice))
            lines.append(f'    {ids[scene_id]} {arrow}|"{text}"| {ids[choice.target]}')
            kind = labels.kind_of(choice)
            if kind == "red-flag":
                link_styles.append(f"    linkStyle {edge} stroke:{RED_FLAG},stroke-width:3px,color:{RED_FLAG}")
            elif kind == "safe-exit":
                link_styles.append(f"    linkStyle {edge} stroke:{SAFE_EXIT},stroke-width:3px,color:{SAFE_EXIT}")
            edge += 1
    lines.extend(link_styles)
    for kind, (fill, stroke) in KIND_COLOURS.items():
        lines.append(f"    classDef {kind} fill:{fill},stroke:{stroke},stroke-width:2px,color:#1b1b1b")
    lines.append("    classDef start stroke:#1b1b1b,stroke-width:4px")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Text safe inside a quoted Mermaid label: entity codes for quotes and markup, <br/> for newlines."""
    out = (
        text.replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
        .replace("|", "#124;")
        .replace("`", "#96;")
    )
    return out.replace("\n", "<br/>")


def to_dot(story: Story, lang: str | None = None) -> str:
    """The story map as a Graphviz digraph."""
    labels = _Labels(story, lang)
    title = story.title.get(labels.lang, labels.fallback)
    lines = [
        f"digraph {_dot_string(story.id)} {{",
        f'    graph [label={_dot_string(title)}, labelloc=t, fontsize=18, rankdir=TB, fontname="Helvetica"];',
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#555555", fontname="Helvetica"];',
        '    edge [fontname="Helvetica", fontsize=10, color="#555555"];',
    ]
    for scene_id, scene in story.scenes.items():
        attrs = [f"label={_dot_string(labels.scene(scene))}"]
        if scene.ending is not None:
            fill, stroke = KIND_COLOURS.get(scene.ending.kind, ("#eeeeee", "#555555"))
            attrs += [
                "shape=box",
                'style="filled,bold"',
                f'fillcolor="{fill}"',
                f'color="{stroke}"',
                "peripheries=2",
            ]
        if scene_id == story.start:
            attrs.append("penwidth=3")
        lines.append(f"    {_dot_string(scene_id)} [{', '.join(attrs)}];")
    for scene_id, scene in story.scenes.items():
        for choice in scene.choices:
            attrs = [f"label={_dot_string(labels.choice(choice))}"]
            kind = labels.kind_of(choice)
            if kind == "red-flag":
                attrs += [f'color="{RED_FLAG}"', f'fontcolor="{RED_FLAG}"', "penwidth=2.5"]
            elif kind == "safe-exit":
                attrs += [f'color="{SAFE_EXIT}"', f'fontcolor="{SAFE_EXIT}"', "penwidth=2.5"]
            if choice.condition is not None:
                attrs.append("style=dashed")
            lines.append(f"    {_dot_string(scene_id)} -> {_dot_string(choice.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    """A double-quoted DOT string: backslashes and quotes escaped, newlines as centred line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + escaped.replace("\n", "\\n") + '"'


def render(story: Story, fmt: str, lang: str | None = None) -> str:
    """The map in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "mermaid":
        return to_mermaid(story, lang)
    if fmt == "dot":
        return to_dot(story, lang)
    raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
