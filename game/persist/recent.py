"""Recently played or checked stories (outside the bundled ones), for ``crossroads list``.

Kept in ``recent.json`` under the per-user data folder: a versioned document written atomically, newest
first, at most :data:`LIMIT` entries. Each entry holds what ``list`` shows (id, title, languages, scene and
ending counts) so that listing needs no story to be loaded. Remembering is best effort: a file that cannot
be written never stops a game or a check, and a damaged file is set aside and started afresh.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from game.model import Story
from game.persist.atomic import read_or_set_aside, write_document

RECENT_KIND = "crossroads-recent"
RECENT_VERSION = 1
LIMIT = 10


@dataclass(frozen=True, slots=True)
class RecentStory:
    """A story seen recently: where it is and what it is."""

    path: str
    id: str
    title: dict[str, str] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    scenes: int = 0
    endings: int = 0
    seen: float = 0.0  # seconds since the epoch

    @classmethod
    def of(cls, entry: Path, story: Story, seen: float | None = None) -> RecentStory:
        """The record of ``story`` loaded from the entry file ``entry``."""
        return cls(
            path=str(entry.resolve()),
            id=story.id,
            title=dict(story.title.values),
            languages=tuple(story.languages),
            scenes=len(story.scenes),
            endings=len(story.endings()),
            seen=time.time() if seen is None else seen,
        )


def recent_path() -> Path:
    """Where the list is kept."""
    from game.paths import data_dir

    return data_dir() / "recent.json"


def _entry(raw: Any) -> RecentStory | None:
    """One entry of the file, or None if it is not well formed (it is then dropped)."""
    if not isinstance(raw, dict):
        return None
    try:
        title = raw.get("title", {})
        languages = raw.get("languages", [])
        entry = RecentStory(
            path=str(raw["path"]),
            id=str(raw["id"]),
            title={str(k): str(v) for k, v in title.items()} if isinstance(title, dict) else {},
            languages=tuple(str(lang) for lang in languages) if isinstance(languages, list) else (),
            scenes=int(raw.get("scenes", 0)),
            endings=int(raw.get("endings", 0)),
            seen=float(raw.get("seen", 0.0)),
        )
    except (KeyError, TypeError, ValueError):
        return None
    return entry


def recent_stories() -> list[RecentStory]:
    """The stories seen recently, newest first (a damaged file is set aside and counts as empty)."""
    document, _problem = read_or_set_aside(recent_path(), RECENT_KIND, RECENT_VERSION)
    if document is None or not isinstance(document.get("stories"), list):
        return []
    return [entry for entry in map(_entry, document["stories"]) if entry is not None]


def remember(entry: Path, story: Story) -> None:
    """Put the story of ``entry`` first in the list (bundled stories are not listed: ``list`` shows them)."""
    from game.paths import bundled_stories_dir

    resolved = entry.resolve()
    if resolved.is_relative_to(bundled_stories_dir().resolve()):
        return
    path = recent_path()
    stories = [RecentStory.of(resolved, story)]
    if path.exists():
        stories += [old for old in recent_stories() if old.path != str(resolved)]
    body = {"stories": [{**asdict(item), "languages": list(item.languages)} for item in stories[:LIMIT]]}
    try:
        write_document(path, RECENT_KIND, RECENT_VERSION, body)
    except OSError:
        return  # best effort: not being able to remember never stops a game or a check
