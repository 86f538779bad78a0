"""Save slots: named saves and the autosave of each story, as versioned JSON written atomically.

Saves live in ``data_dir()/saves/<story id>/<slot>.json``. The payload is :meth:`Playthrough.snapshot`, wrapped
in a ``crossroads-save`` document (see :mod:`game.persist.atomic`) with the slot's display name, the time it was
saved and the scene it was saved at. A corrupt, truncated or foreign file is set aside (renamed ``*.bad``) with
a clear message and never stops the game; a save made against another version of the story is restored with a
notice, or refused (and kept) when its scene no longer exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from game.engine import Playthrough, SnapshotError
from game.ids import folder_name
from game.model import Story
from game.paths import data_dir
from game.persist.atomic import DocumentError, read_document, set_aside, write_document

SAVE_KIND = "crossroads-save"
SAVE_VERSION = 1
AUTOSAVE = "autosave"
_UNSAFE = re.compile(r"[^\w-]+", re.UNICODE)


class SaveError(Exception):
    """A save could not be read or restored; ``str()`` is a message for the player."""

    def __init__(self, message: str, set_aside_to: Path | None = None) -> None:
        super().__init__(message)
        self.set_aside_to = set_aside_to


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """What the save and load lists show about one save file."""

    slot: str
    name: str
    path: Path
    saved_at: str
    scene: str
    scene_title: str
    steps: int

    @property
    def is_autosave(self) -> bool:
        """True for the automatic save made after every choice."""
        return self.slot == AUTOSAVE


def saves_dir(story_id: str) -> Path:
    """The folder holding one story's saves (not created here); always inside ``data_dir()/saves``."""
    return data_dir() / "saves" / folder_name(story_id)


def slot_id(name: str) -> str:
    """A file-name-safe slot id for a display name (letters, digits, CJK, ``-`` and ``_`` kept)."""
    cleaned = _UNSAFE.sub("-", name.strip()).strip("-_.")[:48]
    return cleaned or "save"


def write_save(play: Playthrough, name: str, lang: str | None = None) -> SlotInfo:
    """Save ``play`` under the display ``name`` (the slot ``autosave`` is reserved for :func:`autosave`)."""
    slot = AUTOSAVE if name == AUTOSAVE else slot_id(name)
    if slot == AUTOSAVE and name != AUTOSAVE:
        slot = "autosave-1"
    return _write(play, slot, name, lang)


def autosave(play: Playthrough, lang: str | None = None) -> SlotInfo:
    """Write the story's autosave slot."""
    return _write(play, AUTOSAVE, AUTOSAVE, lang)


def _write(play: Playthrough, slot: str, name: str, lang: str | None) -> SlotInfo:
    path, body = prepare(play, slot, name, lang)
    write_prepared(path, body)
    return _info_of(path, body)


def prepare(play: Playthrough, slot: str, name: str, lang: str | None) -> tuple[Path, dict]:
    """The path and body of a save of ``play`` as it is now, to write later (maybe from another thread)."""
    path = saves_dir(play.story.id) / f"{slot}.json"
    body = {
        "name": name,
        "saved_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "scene": play.scene.id,
        "scene_title": play.title(lang),
        "steps": len(play.history),
        "snapshot": play.snapshot(),
    }
    return path, body


def write_prepared(path: Path, body: dict) -> None:
    """Write a save prepared by :func:`prepare` atomically."""
    write_document(path, SAVE_KIND, SAVE_VERSION, body)


def _info_of(path: Path, body: dict) -> SlotInfo:
    return SlotInfo(path.stem, body["name"], path, body["saved_at"], body["scene"], body["scene_title"], body["steps"])


def _info(path: Path) -> SlotInfo:
    document, _snapshot = _read_save(path)
    name = document.get("name") if isinstance(document.get("name"), str) else path.stem
    steps = document.get("steps") if isinstance(document.get("steps"), int) else 0
    return SlotInfo(
        path.stem,
        name,
        path,
        str(document.get("saved_at", "")),
        str(document.get("scene", "")),
        str(document.get("scene_title", "")),
        steps,
    )


def _read_save(path: Path) -> tuple[dict, dict]:
    """A save file's document and its snapshot; a damaged or foreign file is set aside (SaveError says so)."""
    try:
        document = read_document(path, SAVE_KIND, SAVE_VERSION)
    except DocumentError as exc:
        raise _set_aside(path, str(exc)) from None
    snapshot = document.get("snapshot")
    if not isinstance(snapshot, dict):
        raise _set_aside(path, f"{path}: the save is damaged (no snapshot)")
    return document, snapshot


def _set_aside(path: Path, reason: str) -> SaveError:
    try:
        moved = set_aside(path)
    except OSError:
        return SaveError(f"{reason}; it could not be set aside", None)
    return SaveError(f"{reason}; it was set aside as {moved.name}", moved)


def list_saves(story_id: str) -> tuple[list[SlotInfo], list[str]]:
    """The story's readable saves (autosave first, then newest first) and messages about files set aside."""
    folder = saves_dir(story_id)
    if not folder.is_dir():
        return [], []
    infos: list[SlotInfo] = []
    problems: list[str] = []
    for path in sorted(folder.glob("*.json")):
        try:
            infos.append(_info(path))
        except SaveError as exc:
            problems.append(str(exc))
    infos.sort(key=lambda info: (not info.is_autosave, _reverse(info.saved_at), info.name))
    return infos, problems


def _reverse(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def has_save(story_id: str, slot: str = AUTOSAVE) -> bool:
    """True when the slot's file exists (it may still turn out to be damaged)."""
    return (saves_dir(story_id) / f"{slot}.json").is_file()


def load_save(story: Story, slot: str = AUTOSAVE) -> tuple[Playthrough, str | None]:
    """Restore a slot of ``story``: the playthrough and a notice (or None); raise :class:`SaveError`.

    Damaged and foreign files are set aside. A save whose story changed so much that its scene is gone is
    refused but kept, in case the story comes back.
    """
    path = saves_dir(story.id) / f"{slot}.json"
    if not path.is_file():
        raise SaveError(f"{path}: no such save")
    _document, snapshot = _read_save(path)
    if snapshot.get("story_id") != story.id:
        raise _set_aside(path, f"{path}: this save belongs to another story ({snapshot.get('story_id')!r})")
    try:
        return Playthrough.restore(story, snapshot)
    except SnapshotError as exc:
        if _outdated(story, snapshot):
            raise SaveError(f"{path}: {exc}") from None
        raise _set_aside(path, f"{path}: {exc}") from None


def _outdated(story: Story, snapshot: dict) -> bool:
    """True when a save is well formed but from another version of the story whose scene is gone."""
    state = snapshot.get("state")
    scene = state.get("scene") if isinstance(state, dict) else None
    story_hash = snapshot.get("story_hash")
    return (
        isinstance(story_hash, str)
        and story_hash != story.content_hash
        and isinstance(scene, str)
        and scene not in story.scenes
    )


def delete_save(story_id: str, slot: str) -> None:
    """Remove a save slot if it exists."""
    (saves_dir(story_id) / f"{slot}.json").unlink(missing_ok=True)
