"""Endings reached, per story, kept across runs in ``data_dir()/endings.json`` for the endings gallery.

Only story ids, ending scene ids, kinds and counts are stored: nothing about the player. Many processes may
finish games at once (a class on one machine, parallel scripts): each count is a read-modify-write under the
portable lock of :mod:`game.persist.lock`, so none is lost.
"""

from __future__ import annotations

from pathlib import Path

from game.model import Story
from game.paths import data_dir
from game.persist.atomic import read_or_set_aside, write_document
from game.persist.lock import locked

PROGRESS_KIND = "crossroads-endings"
PROGRESS_VERSION = 1


def progress_path() -> Path:
    """Where the endings-reached file lives."""
    return data_dir() / "endings.json"


def _read() -> tuple[dict[str, dict[str, int]], str | None]:
    path = progress_path()
    if not path.exists():
        return {}, None
    document, problem = read_or_set_aside(path, PROGRESS_KIND, PROGRESS_VERSION)
    if document is None:
        return {}, problem
    stories = document.get("stories")
    out: dict[str, dict[str, int]] = {}
    if isinstance(stories, dict):
        for story_id, endings in stories.items():
            if isinstance(story_id, str) and isinstance(endings, dict):
                out[story_id] = {
                    k: v for k, v in endings.items() if isinstance(k, str) and isinstance(v, int) and v > 0
                }
    return out, None


def endings_reached(story_id: str) -> dict[str, int]:
    """Ending scene id -> how many times it was reached, for one story."""
    return _read()[0].get(story_id, {})


def record_ending(story: Story, scene_id: str) -> dict[str, int]:
    """Count one more arrival at ``scene_id``; return the story's updated counts."""
    path = progress_path()
    with locked(path):
        data, _ = _read()
        endings = data.setdefault(story.id, {})
        endings[scene_id] = endings.get(scene_id, 0) + 1
        write_document(path, PROGRESS_KIND, PROGRESS_VERSION, {"stories": data})
    return endings
