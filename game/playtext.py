"""The words of a play session for any front end: the transcript, ending kinds, plain text, session events.

Pure functions over :class:`~game.engine.Playthrough` and :class:`~game.session.Event`; no Textual here (the
strings themselves are in :mod:`game.i18n`, which imports no Textual either).
"""

from __future__ import annotations

from game import session
from game.engine import Playthrough, render_scene_text
from game.i18n import save_notice, save_problem, tr, ui_lang
from game.model import Story, Text
from game.prose import to_plain


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


def flag_lines(story: Story, event: session.Event, lang: str, explain: bool = True) -> list[tuple[str, str]]:
    """The (title, explanation) of each red flag of a ``flags`` event, in ``lang``."""
    fallback = story.default_language
    return [
        (tag.title.get(lang, fallback), tag.explain.get(lang, fallback) if tag.explain and explain else "")
        for tag in event.tags
    ]


def event_message(event: session.Event, ui: str) -> str:
    """What the player is told about a session event other than red flags (those are drawn by each front end)."""
    if event.kind == session.AUTOSAVE_FAILED:
        return tr("autosave_failed", ui, error=event.error)
    if event.kind == session.RECORD_FAILED:
        return tr("record_failed", ui, error=event.error)
    if event.kind == session.COUNT_FAILED:
        return tr("count_failed", ui, error=event.error)
    if event.kind == session.RECORDS_WRITTEN_LATE:
        return tr("records_late", ui, n=event.count)
    if event.kind == session.LOAD_FAILED:
        return save_problem(event.error, ui)
    if event.kind == session.RELOADED:
        return tr("reload_lost", ui, n=event.lost) if event.lost else tr("reloaded", ui, n=event.count)
    if event.kind == session.NOTICE:
        return save_notice(event.error, ui)
    return event.error
