"""Markdown for the debrief and the transcript of a playthrough, shared by the TUI, plain mode and facilitators.

Pure functions over :class:`~game.engine.Playthrough`; no Textual here.
"""

from __future__ import annotations

from game.engine import Playthrough, render_scene_text
from game.model import Text
from game.prose import to_plain
from game.tui.i18n import tr, ui_lang


def _get(text: Text | None, play: Playthrough, lang: str) -> str:
    if text is None:
        return ""
    return text.render(lang, play.story.default_language, dict(play.vars))


def kind_label(kind: str, lang: str) -> str:
    """The localized name of an ending kind (safe, mixed, bad)."""
    return tr(f"kind_{kind}", ui_lang(lang))


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


def plain_text(markdown: str, width: int = 80, lang: str | None = None) -> str:
    """Markdown as plain text for screen readers and braille, reflowed to ``width`` (:func:`game.prose.to_plain`)."""
    return to_plain(markdown, width, lang)
