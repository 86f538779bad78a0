"""Markdown for the debrief and the transcript of a playthrough, shared by the TUI, plain mode and facilitators.

Pure functions over :class:`~game.engine.Playthrough`; no Textual here.
"""

from __future__ import annotations

import re

from game.engine import Playthrough, render_scene_text
from game.model import Text
from game.tui.i18n import tr, ui_lang

_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_HEADING = re.compile(r"^#{1,6}\s*", re.MULTILINE)


def _get(text: Text | None, play: Playthrough, lang: str) -> str:
    if text is None:
        return ""
    return text.render(lang, play.story.default_language, dict(play.vars))


def kind_label(kind: str, lang: str) -> str:
    """The localized name of an ending kind (safe, mixed, bad)."""
    return tr(f"kind_{kind}", ui_lang(lang))


def timeline(play: Playthrough, lang: str) -> list[str]:
    """One Markdown line per decision: scene, the choice taken, red flags walked past, safe exits left open."""
    ui = ui_lang(lang)
    story = play.story
    fallback = story.default_language
    lines = []
    for number, step in enumerate(play.history, 1):
        scene = story.scenes[step.scene]
        values = dict(step.before.vars)
        choice = scene.choices[step.choice]
        line = f"{number}. {scene.title.render(lang, fallback, values)} → *{choice.say.render(lang, fallback, values)}*"
        marks = []
        for tag_id in choice.tags:
            tag = story.tags.get(tag_id)
            if tag is not None and tag.kind == "red-flag":
                marks.append(f"⚑ {tr('flag_mark', ui)}: {tag.title.get(lang, fallback)}")
        for index in step.offered:
            other = scene.choices[index]
            if index != step.choice and any(
                story.tags.get(t) is not None and story.tags[t].kind == "safe-exit" for t in other.tags
            ):
                marks.append(f"↪ {tr('exit_mark', ui)}: {other.say.render(lang, fallback, values)}")
        if marks:
            line += "  \n   " + " · ".join(marks)
        lines.append(line)
    return lines


def debrief_markdown(play: Playthrough, lang: str) -> str:
    """The debrief of the current (ending) scene: What? So what? Now what?, the path and what it walked past."""
    ui = ui_lang(lang)
    story = play.story
    fallback = story.default_language
    parts: list[str] = []
    debrief = play.scene.debrief
    if debrief is not None:
        for key, text in (("what", debrief.what), ("so_what", debrief.so_what), ("now_what", debrief.now_what)):
            if text is not None:
                parts.append(f"### {tr(key, ui)}\n\n{_get(text, play, lang)}")
    steps = timeline(play, lang)
    parts.append(f"### {tr('your_path', ui)}\n\n" + ("\n".join(steps) if steps else tr("none", ui)))
    flags = play.tags_met("red-flag")
    flag_lines = [
        f"- **{tag.title.get(lang, fallback)}**" + (f" — {tag.explain.get(lang, fallback)}" if tag.explain else "")
        for tag in flags
    ]
    parts.append(f"### {tr('flags_walked', ui)}\n\n" + ("\n".join(flag_lines) if flag_lines else tr("none", ui)))
    exits = play.exits_passed()
    exit_lines = []
    for step, choice in exits:
        scene = story.scenes[step.scene]
        values = dict(step.before.vars)
        exit_lines.append(
            "- "
            + tr(
                "exit_at",
                ui,
                scene=scene.title.render(lang, fallback, values),
                choice=choice.say.render(lang, fallback, values),
            )
        )
    parts.append(f"### {tr('exits_passed', ui)}\n\n" + ("\n".join(exit_lines) if exit_lines else tr("none", ui)))
    return "\n\n".join(parts)


def transcript_markdown(play: Playthrough, lang: str) -> str:
    """Every scene so far with its text and the choice taken, then the current scene."""
    ui = ui_lang(lang)
    story = play.story
    fallback = story.default_language
    parts = []
    for number, step in enumerate(play.history, 1):
        scene = story.scenes[step.scene]
        values = dict(step.before.vars)
        text = render_scene_text(story, scene, step.before, lang)
        choice = scene.choices[step.choice].say.render(lang, fallback, values)
        parts.append(
            f"### {tr('step', ui, n=number)} · {scene.title.render(lang, fallback, values)}\n\n{text}\n\n"
            f"> **{tr('you_chose', ui)}:** {choice}"
        )
    parts.append(f"### {tr('now', ui)} · {play.title(lang)}\n\n{play.text(lang)}")
    return "\n\n---\n\n".join(parts)


def plain_text(markdown: str) -> str:
    """Markdown made readable as plain text (for screen readers): emphasis marks and heading hashes removed."""
    text = _HEADING.sub("", _EMPHASIS.sub("", markdown))
    return "\n".join(line.rstrip() for line in text.splitlines())
