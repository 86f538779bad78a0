"""What a phone is sent: a scene, its question and choices, or an ending with its debrief, as JSON-ready dicts.

Story Markdown becomes HTML here through the one prose renderer, so the page only places trusted HTML.
"""

from __future__ import annotations

from typing import Any

from game.classroom.debrief import build_debrief, debrief_markdown
from game.engine import Playthrough
from game.prose import to_html
from game.web.live import LiveDecision, LiveOption


def markdown_html(markdown: str) -> str:
    """Story Markdown as safe HTML (raw HTML in the source is escaped), through the one prose renderer."""
    return to_html(markdown)


def scene_view(play: Playthrough, lang: str, new_flags: list[str] | None = None) -> dict[str, Any]:
    """The current scene as the phone page draws it."""
    story = play.story
    fallback = story.default_language
    view: dict[str, Any] = {
        "step": len(play.history),
        "scene": play.scene.id,
        "story": story.title.get(lang, fallback),
        "chapter": play.chapter(lang),
        "title": play.title(lang),
        "html": markdown_html(play.text(lang)),
        "ask": _ask(play, lang),
        "choices": [
            {"number": n, "text": option.text, "enabled": option.enabled, "reason": option.reason}
            for n, option in enumerate(play.choices(lang), start=1)
        ],
        "new_flags": list(new_flags or []),
        "can_undo": bool(play.played),  # never back into a lesson's replayed start
        "ending": None,
    }
    ending = play.ending
    if ending is not None:
        data = build_debrief(play, lang)
        view["ending"] = {
            "kind": ending.kind,
            "title": ending.title.get(lang, fallback),
            "debrief_html": markdown_html(debrief_markdown(data, story, heading_level=2, header=False)),
        }
    return view


def intro_view(play: Playthrough, lang: str) -> dict[str, Any]:
    """The story's title, blurb and content note, shown before the first scene."""
    story = play.story
    fallback = story.default_language
    note = story.content_note.get(lang, fallback) if story.content_note else ""
    blurb = story.blurb.get(lang, fallback) if story.blurb else ""
    lesson = story.lesson(play.lesson_id) if play.lesson_id else None
    recap = lesson.start.recap if lesson is not None and lesson.start is not None else None
    return {
        "intro": {
            "story": story.title.get(lang, fallback),
            "blurb_html": markdown_html(blurb),
            "content_note_html": markdown_html(note),
            "recap_html": markdown_html(recap.get(lang, fallback)) if recap is not None else "",
        }
    }


def _ask(play: Playthrough, lang: str) -> str | None:
    return play.ask(lang)


def live_decision(play: Playthrough) -> LiveDecision:
    """The current decision as the class's phones show it, in every language of the story.

    Options carry their red flags and whether they are a safe exit; phones see those only after the reveal.
    """
    story = play.story
    titles, questions, options = {}, {}, {}
    for lang in story.languages:
        titles[lang] = play.title(lang)
        questions[lang] = _ask(play, lang) or ""
        shown = []
        for option in play.choices(lang):
            if not option.enabled:
                continue
            tags = [story.tags[t] for t in option.tags if t in story.tags]
            flags = tuple(t.title.get(lang, story.default_language) for t in tags if t.kind == "red-flag")
            shown.append(LiveOption(option.choice.index, option.text, flags, any(t.kind == "safe-exit" for t in tags)))
        options[lang] = tuple(shown)
    return LiveDecision(play.scene.id, titles, questions, options)


def live_summary(play: Playthrough) -> dict[str, str]:
    """The class debrief at an ending, as HTML in every language of the story."""
    out = {}
    for lang in play.story.languages:
        data = build_debrief(play, lang)
        out[lang] = markdown_html(debrief_markdown(data, play.story, heading_level=2))
    return out
