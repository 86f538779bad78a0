"""Save slots: named saves and the autosave of each story, as versioned JSON written atomically.

Saves live in ``data_dir()/saves/<story id>/<slot>.json``. The payload is :meth:`Playthrough.snapshot`, wrapped
in a ``crossroads-save`` document (see :mod:`game.persist.atomic`) with the slot's display name, the time it was
saved and the scene it was saved at, plus what the play session needs to go on keeping one true record (its
anonymous record id, the seconds each choice took, class votes).

Each mode has its own autosave slot (:func:`autosave_slot`), so a facilitator's class session never replaces a
student's game. A new game never destroys an earlier one: before a different playthrough first writes the
autosave slot, the game in it is moved to ``previous-autosave`` (:func:`keep_previous_autosave`).

A corrupt, truncated or foreign file is set aside (renamed ``*.bad``) with
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
PREVIOUS = "previous-"
AUTOMATIC_PREFIXES = ("autosave", PREVIOUS)
MODE_SLOTS = {"solo": AUTOSAVE, "facilitator": "autosave-facilitator"}
AUTOMATIC_LABELS = {
    AUTOSAVE: "autosave",
    PREVIOUS + AUTOSAVE: "previous_autosave",
    MODE_SLOTS["facilitator"]: "facilitator_autosave",
    PREVIOUS + MODE_SLOTS["facilitator"]: "previous_facilitator_autosave",
}
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
        """True for the automatic saves (every mode's autosave and the previous autosaves)."""
        return self.slot.startswith(AUTOMATIC_PREFIXES)

    @property
    def label_key(self) -> str | None:
        """The UI string naming an automatic slot (``autosave``, ``previous_autosave``...), None for named saves."""
        return AUTOMATIC_LABELS.get(self.slot)


@dataclass(frozen=True, slots=True)
class SessionMeta:
    """What a play session keeps in its saves beside the snapshot, so a resumed game keeps one true record."""

    record_id: str | None = None
    seconds: tuple[float, ...] = ()
    votes: tuple[tuple[int, dict], ...] = ()

    def as_json(self) -> dict:
        """The JSON form stored in a save."""
        return {
            "record_id": self.record_id,
            "seconds": list(self.seconds),
            "votes": [[step, vote] for step, vote in self.votes],
        }

    @classmethod
    def from_json(cls, data: object) -> SessionMeta:
        """Read what :meth:`as_json` wrote; anything malformed is left out (a save from before this existed)."""
        if not isinstance(data, dict):
            return cls()
        record_id = data.get("record_id")
        seconds = data.get("seconds")
        votes = data.get("votes")
        return cls(
            record_id if isinstance(record_id, str) and record_id else None,
            tuple(float(x) for x in seconds if _is_number(x)) if isinstance(seconds, list) else (),
            tuple(
                (vote[0], vote[1])
                for vote in votes
                if isinstance(vote, list) and len(vote) == 2 and isinstance(vote[0], int) and isinstance(vote[1], dict)
            )
            if isinstance(votes, list)
            else (),
        )


@dataclass(frozen=True, slots=True)
class LoadedGame:
    """A save restored: the playthrough, a notice for the player (or None) and the session's data."""

    play: Playthrough
    notice: str | None
    meta: SessionMeta


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def autosave_slot(mode: str) -> str:
    """The autosave slot of a mode (``solo`` for the full-screen and plain modes, ``facilitator``)."""
    return MODE_SLOTS.get(mode, AUTOSAVE)


def previous_slot(slot: str) -> str:
    """Where an automatic slot's earlier game is kept when a new game takes the slot."""
    return PREVIOUS + slot


def saves_dir(story_id: str) -> Path:
    """The folder holding one story's saves (not created here); always inside ``data_dir()/saves``."""
    return data_dir() / "saves" / folder_name(story_id)


def slot_id(name: str) -> str:
    """A file-name-safe slot id for a display name (letters, digits, CJK, ``-`` and ``_`` kept)."""
    cleaned = _UNSAFE.sub("-", name.strip()).strip("-_.")[:48]
    return cleaned or "save"


def write_save(play: Playthrough, name: str, lang: str | None = None, meta: SessionMeta | None = None) -> SlotInfo:
    """Save ``play`` under the display ``name`` (the slot ``autosave`` is reserved for :func:`autosave`)."""
    slot = slot_id(name)
    if slot.lower().startswith(AUTOMATIC_PREFIXES):
        slot = f"my-{slot}"  # automatic slots are the game's own
    return write_slot(play, slot, name, lang, meta)


def autosave(play: Playthrough, lang: str | None = None) -> SlotInfo:
    """Write the story's (solo) autosave slot."""
    return write_slot(play, AUTOSAVE, AUTOSAVE, lang)


def write_slot(play: Playthrough, slot: str, name: str, lang: str | None, meta: SessionMeta | None = None) -> SlotInfo:
    """Write ``play`` to ``slot`` now (on this thread)."""
    path, body = prepare(play, slot, name, lang, meta)
    write_prepared(path, body)
    return _info_of(path, body)


def slot_path(story_id: str, slot: str) -> Path:
    """The file of a save slot."""
    return saves_dir(story_id) / f"{slot}.json"


def prepare(
    play: Playthrough, slot: str, name: str, lang: str | None, meta: SessionMeta | None = None
) -> tuple[Path, dict]:
    """The path and body of a save of ``play`` as it is now, to write later (maybe from another thread)."""
    path = slot_path(play.story.id, slot)
    body = {
        "name": name,
        "saved_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "scene": play.scene.id,
        "scene_title": play.title(lang),
        "steps": len(play.history),
        "snapshot": play.snapshot(),
        "session": (meta or SessionMeta()).as_json(),
    }
    return path, body


def keep_previous_autosave(path: Path, record_id: str | None) -> Path | None:
    """Before another playthrough first takes the automatic slot ``path``, move the game in it (if it has
    steps and belongs to a different playthrough) to the slot's ``previous-`` slot; return where it went."""
    from game.persist.atomic import fsync_dir

    if not path.is_file():
        return None
    try:
        document = read_document(path, SAVE_KIND, SAVE_VERSION)
    except DocumentError:
        return None  # damaged: the loader sets it aside when it is read
    owner = SessionMeta.from_json(document.get("session")).record_id
    steps = document.get("steps")
    if (owner is not None and owner == record_id) or not isinstance(steps, int) or steps <= 0:
        return None
    target = path.with_name(f"{previous_slot(path.stem)}.json")
    path.replace(target)
    fsync_dir(path.parent)
    return target


def write_prepared(path: Path, body: dict) -> None:
    """Write a save prepared by :func:`prepare` atomically."""
    write_document(path, SAVE_KIND, SAVE_VERSION, body)


def _info_of(path: Path, body: dict) -> SlotInfo:
    return SlotInfo(path.stem, body["name"], path, body["saved_at"], body["scene"], body["scene_title"], body["steps"])


def _info(path: Path) -> SlotInfo:
    return _info_from(path, _read_save(path)[0])


def _info_from(path: Path, document: dict) -> SlotInfo:
    name = document.get("name") if isinstance(document.get("name"), str) else path.stem
    if path.stem.startswith(PREVIOUS):
        name = f"previous {name}"  # e.g. "previous autosave": the game a new game moved aside
    steps = document.get("steps")
    return SlotInfo(
        path.stem,
        name,
        path,
        str(document.get("saved_at", "")),
        str(document.get("scene", "")),
        str(document.get("scene_title", "")),
        steps if isinstance(steps, int) and not isinstance(steps, bool) else 0,
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
    infos.sort(key=lambda info: (not info.is_autosave, info.slot.startswith(PREVIOUS), _reverse(info.saved_at)))
    return infos, problems


def slot_info(story_id: str, slot: str) -> SlotInfo | None:
    """What the list would show about one slot, or None when it is missing or unreadable (a damaged file is
    left where it is: loading it sets it aside with a message)."""
    path = slot_path(story_id, slot)
    try:
        return _info_from(path, read_document(path, SAVE_KIND, SAVE_VERSION))
    except DocumentError:
        return None


def _reverse(text: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in text)


def has_save(story_id: str, slot: str = AUTOSAVE) -> bool:
    """True when the slot's file exists (it may still turn out to be damaged)."""
    return (saves_dir(story_id) / f"{slot}.json").is_file()


def load_save(story: Story, slot: str = AUTOSAVE) -> tuple[Playthrough, str | None]:
    """Restore a slot of ``story``: the playthrough and a notice (or None); raise :class:`SaveError`."""
    loaded = load_game(story, slot)
    return loaded.play, loaded.notice


def load_game(story: Story, slot: str = AUTOSAVE) -> LoadedGame:
    """Restore a slot of ``story`` with its session data; raise :class:`SaveError`.

    Damaged and foreign files are set aside. A save whose story changed so much that its scene is gone is
    refused but kept, in case the story comes back.
    """
    path = slot_path(story.id, slot)
    if not path.is_file():
        raise SaveError(f"{path}: no such save")
    document, snapshot = _read_save(path)
    if snapshot.get("story_id") != story.id:
        raise _set_aside(path, f"{path}: this save belongs to another story ({snapshot.get('story_id')!r})")
    try:
        play, notice = Playthrough.restore(story, snapshot)
        return LoadedGame(play, notice, SessionMeta.from_json(document.get("session")))
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
