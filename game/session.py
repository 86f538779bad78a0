"""GameSession: one play session of a story, the same under every front end (no Textual, no Rich).

The full-screen app, plain mode, facilitator mode and the browser are thin front ends over a
:class:`GameSession`. It owns the :class:`~game.engine.Playthrough` and does everything a play session does:
choose, undo, continue, load, reload after ``--watch``, restart, reach an ending, time each choice, autosave,
write the anonymous record and count the ending. What the player must be told (red flags walked into, a write
that failed, a record written late, a load notice) comes out as :class:`Event` values through ``on_event``,
which the front end shows in its own way; events from the autosave thread arrive on that thread.

Rules kept here, in one place:

- A record is derived from the playthrough's own history when it is written (:meth:`GameSession.record`), so
  undo, continue, load and reload cannot make it drift. Steps replayed silently (a lesson's start point) are
  left out; a ``--watch`` reload keeps the steps already taken and adds none.
- A finished game's record is written (fsynced) before :meth:`GameSession.choose` returns, so before any
  debrief is shown; then the ending is counted. A record that cannot be written is kept in memory, reported,
  and retried at the next write and at :meth:`GameSession.close`.
- The autosave is written off the caller's thread (:mod:`game.persist.writer`); :meth:`close` waits for it at
  most ``timeout`` seconds and says so when it gives up.
- One record id per playthrough: Continue keeps it (a resumed game's finished record supersedes its abandoned
  one), a loaded named save or a new game gets a new one, and so does a new path after undoing from an ending.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.classroom.records import (
    MODES,
    StepTaken,
    append_record,
    build_record,
    new_anonymous_id,
    rehearsing,
    vote_entry,
)
from game.engine import ChoiceError, Playthrough
from game.model import Story, Tag
from game.persist import saves
from game.persist.writer import BackgroundWriter

CLOSE_TIMEOUT = 2.0


@dataclass(frozen=True, slots=True)
class Event:
    """Something the front end must show: ``kind`` is one of the kinds below (``FLAGS``, ``RECORD_FAILED``...)."""

    kind: str
    error: str = ""
    tags: tuple[Tag, ...] = ()
    count: int = 0
    lost: int = 0


FLAGS = "flags"  # a choice walked into red flags (``tags``)
RECORD_FAILED = "record-failed"  # ``error``; ``count`` records still unwritten (kept, retried)
COUNT_FAILED = "count-failed"  # the ending could not be counted in the endings gallery: ``error``
AUTOSAVE_FAILED = "autosave-failed"  # ``error``
RECORDS_WRITTEN_LATE = "records-written-late"  # ``count`` records that had failed are now written
LOAD_FAILED = "load-failed"  # ``error``
NOTICE = "notice"  # ``error`` holds the engine's notice (e.g. the story changed since the save)
RELOADED = "reloaded"  # ``count`` steps kept, ``lost`` steps that no longer fit


class GameSession:
    """One play session; see the module docstring. ``clock`` is injectable so tests drive the time."""

    def __init__(
        self,
        story: Story,
        lang: str | None = None,
        mode: str = "solo",
        on_event: Callable[[Event], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        local: bool = True,
        records: Path | None = None,
    ) -> None:
        """``local=False`` is a session kept in memory for someone else's device (a phone in a class): no
        autosave, no ending counted in this machine's gallery; only its record is written, to ``records``
        (default: this machine's records file)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        self.on_event = on_event
        self.clock = clock
        self.local = local
        self.records = records
        self.pending: list[dict[str, Any]] = []  # records that could not be written yet
        self._late = 0  # how many of them already failed once
        self.writer = BackgroundWriter(self._autosave_failed, name="crossroads-autosave") if local else None
        self._claimed: set[str] = set()  # record ids that took the autosave slot (touched by the writer only)
        if local:
            _tidy(story)
        self._fresh(Playthrough(story, lang))
        self.begun = False  # the first game starts with the first autosave (a front end may load one instead)

    def _fresh(self, play: Playthrough, meta: saves.SessionMeta | None = None, keep_id: bool = False) -> None:
        meta = meta or saves.SessionMeta()
        self.play = play
        self.record_id = meta.record_id if keep_id and meta.record_id else new_anonymous_id()
        steps = len(play.history)
        seconds = list(meta.seconds[:steps])
        self.seconds: list[float] = seconds + [0.0] * (steps - len(seconds))
        self.votes: dict[int, dict[str, Any]] = {step: vote for step, vote in meta.votes if step < steps}
        self.finished = play.is_ending  # a game resumed at its ending was recorded when it got there
        self.abandoned = False
        self.shown_at = self.clock()

    # -- reading -------------------------------------------------------------------------------------------

    @property
    def story(self) -> Story:
        """The story being played."""
        return self.play.story

    @property
    def lang(self) -> str:
        """The language of the story text."""
        return self.play.lang

    @property
    def slot(self) -> str:
        """This mode's autosave slot."""
        return saves.autosave_slot(self.mode)

    def meta(self) -> saves.SessionMeta:
        """What saves keep of this session beside the snapshot."""
        return saves.SessionMeta(self.record_id, tuple(self.seconds), tuple(sorted(self.votes.items())))

    def record(self, ending_scene_id: str | None) -> dict[str, Any]:
        """The record of this playthrough as it stands, derived from its history (replayed steps left out)."""
        history = self.play.history
        steps = [
            StepTaken(step.scene, step.choice, self.seconds[n]) for n, step in enumerate(history) if not step.replayed
        ]
        votes = [vote for n, vote in sorted(self.votes.items()) if n < len(history) and not history[n].replayed]
        return build_record(self.story, self.record_id, self.lang, self.mode, steps, ending_scene_id, votes)

    # -- starting --------------------------------------------------------------------------------------------

    def new_game(self, story: Story | None = None, lesson: str | None = None) -> None:
        """Start ``story`` (default: the same one) from the beginning, or from a lesson's start point (its steps
        replayed silently: never counted as choices, votes or flags). The earlier game is recorded as
        abandoned if unfinished, and kept as the previous autosave by the first autosave."""
        story = story or self.story
        play = Playthrough.for_lesson(story, lesson, self.lang) if lesson else Playthrough(story, self.lang)
        self.abandon()
        self._fresh(play)
        self.autosave()

    def resume(self, slot: str | None = None) -> bool:
        """Continue from this mode's autosave (``slot=None``) or load a save slot; False (and an event) on
        failure, leaving the current game as it was."""
        try:
            loaded = saves.load_game(self.story, slot or self.slot)
        except saves.SaveError as exc:
            self._emit(Event(LOAD_FAILED, error=str(exc)))
            return False
        self.abandon()
        self._fresh(loaded.play, loaded.meta, keep_id=slot is None or slot == self.slot)
        if loaded.notice:
            self._emit(Event(NOTICE, error=loaded.notice))
        self.autosave()
        return True

    # -- playing ------------------------------------------------------------------------------------------

    def choose(self, index: int) -> bool:
        """Take the current scene's choice with source index ``index``; False when it is not on offer.

        Times the choice, autosaves, reports the red flags walked into and, at an ending, writes the record
        (fsynced) and counts the ending before returning.
        """
        scene = self.play.scene
        try:
            self.play.choose(index)
        except ChoiceError:
            return False
        now = self.clock()
        self.seconds.append(max(0.0, now - self.shown_at))
        self.shown_at = now
        self.autosave()
        flags = tuple(
            self.story.tags[t]
            for t in scene.choices[index].tags
            if t in self.story.tags and self.story.tags[t].kind == "red-flag"
        )
        if flags:
            self._emit(Event(FLAGS, tags=flags))
        if self.play.is_ending:
            self._finish(self.play.scene.id)
        return True

    def undo(self, steps: int = 1) -> int:
        """Go back ``steps`` decisions (never into a lesson's replayed start); return how many were undone.

        After undoing from an ending whose record was written, what follows is a new playthrough record."""
        undone = self.play.undo(steps)
        if not undone:
            return 0
        if self.finished:
            self.finished = False
            self.record_id = new_anonymous_id()
        del self.seconds[len(self.play.history) :]
        self.votes = {step: vote for step, vote in self.votes.items() if step < len(self.play.history)}
        self.shown_at = self.clock()
        self.autosave()
        return undone

    def vote(self, counts: Mapping[int, int], chosen: int, decision: str) -> None:
        """Note the class vote at the current decision (facilitator mode); it counts once the choice is taken."""
        self.votes[len(self.play.history)] = vote_entry(self.play.scene.id, counts, chosen, decision)

    def forget_vote(self) -> None:
        """Forget the vote noted at the current decision (the teacher went back before continuing)."""
        self.votes.pop(len(self.play.history), None)

    def set_language(self, lang: str) -> None:
        """Show the story in ``lang`` from now on (ignored when the story lacks it)."""
        if lang in self.story.languages:
            self.play.lang = lang

    def reload(self, story: Story) -> tuple[int, int]:
        """Replay this game's choices on a new version of the story (``--watch``), keeping as many as fit.

        Nothing is counted again: the kept steps keep their times and votes. Returns (kept, lost)."""
        wanted = [(step.scene, step.choice) for step in self.play.history]
        play = _start_like(self.play, story)
        for scene_id, index in wanted[len(play.history) :]:
            if play.scene.id != scene_id:
                break
            try:
                play.choose(index)
            except ChoiceError:
                break
        kept = len(play.history)
        self.play = play
        del self.seconds[kept:]
        self.votes = {step: vote for step, vote in self.votes.items() if step < kept}
        self.finished = self.finished and play.is_ending
        self.autosave()
        self._emit(Event(RELOADED, count=kept, lost=len(wanted) - kept))
        return kept, len(wanted) - kept

    # -- ending --------------------------------------------------------------------------------------------

    def _finish(self, ending_scene_id: str) -> None:
        """Write the finished record (before anything is shown), then count the ending."""
        from game.persist.progress import record_ending

        self.finished = True
        self._write_record(self.record(ending_scene_id))
        if not self.local:
            return
        try:
            record_ending(self.story, ending_scene_id)
        except OSError as exc:
            self._emit(Event(COUNT_FAILED, error=str(exc)))

    def abandon(self) -> None:
        """Record the game as abandoned (once), unless it reached its ending."""
        if self.finished or self.abandoned or not self.begun:
            return
        self.abandoned = True
        self._write_record(self.record(None))

    def _write_record(self, body: dict[str, Any]) -> None:
        if rehearsing():  # a teacher's rehearsal (--rehearse) leaves no record
            return
        self.pending.append(body)
        self.retry_records()

    def retry_records(self) -> bool:
        """Write every record still pending, oldest first; True when none is left."""
        written = 0
        while self.pending:
            try:
                append_record(self.pending[0], self.records)
            except OSError as exc:
                self._late = len(self.pending)
                self._emit(Event(RECORD_FAILED, error=str(exc), count=len(self.pending)))
                break
            self.pending.pop(0)
            written += 1
        late = min(written, self._late)
        if late:
            self._late -= late
            self._emit(Event(RECORDS_WRITTEN_LATE, count=late))
        return not self.pending

    def close(self, timeout: float = CLOSE_TIMEOUT) -> list[str]:
        """End the session (quit, closed tab, signal): record an unfinished game as abandoned, retry unwritten
        records, and wait at most ``timeout`` seconds for the autosave. Returns messages for the player."""
        problems = []
        self.abandon()
        if not self.retry_records():
            problems.append(f"{len(self.pending)} playthrough record(s) could not be written")
        if self.writer is not None and not self.writer.flush(timeout):
            problems.append(f"the autosave was still being written after {timeout:g} s; the last one may be lost")
        return problems

    # -- saving --------------------------------------------------------------------------------------------

    def autosave(self) -> None:
        """Autosave the game as it is now, on the writer thread (the first write keeps an earlier game aside)."""
        self.begun = True
        if self.writer is None:
            return
        writer = self.writer
        path, body = saves.prepare(self.play, self.slot, self.slot, self.lang, self.meta())
        record_id = self.record_id

        def write() -> None:  # runs on the writer thread, one job at a time; a newer job may replace it
            if record_id not in self._claimed:
                saves.keep_previous_autosave(path, record_id)
                self._claimed.add(record_id)
            saves.write_prepared(path, body)

        writer.submit("autosave", write)

    def save_as(self, name: str) -> saves.SlotInfo:
        """Save the game under a name the player chose (now, on this thread); raises OSError. Loading it later
        starts a new playthrough record with this one's history."""
        return saves.write_save(self.play, name, self.lang, saves.SessionMeta(None, tuple(self.seconds)))

    def _autosave_failed(self, key: str, error: Exception) -> None:
        self._emit(Event(AUTOSAVE_FAILED, error=str(error)))

    def _emit(self, event: Event) -> None:
        if self.on_event is not None:
            self.on_event(event)


def _start_like(old: Playthrough, story: Story) -> Playthrough:
    """A playthrough of ``story`` at the start ``old`` had: its lesson's start point when that still replays to
    the same steps, else the story's start."""
    lesson = old.lesson_id
    if lesson and story.lesson(lesson) is not None:
        try:
            play = Playthrough.for_lesson(story, lesson, old.lang)
        except ChoiceError:
            return Playthrough(story, old.lang)
        lead = [(step.scene, step.choice) for step in play.history]
        if lead == [(step.scene, step.choice) for step in old.history[: len(lead)]]:
            return play
    return Playthrough(story, old.lang)


def _tidy(story: Story) -> None:
    """Remove what killed processes left behind: temp files of interrupted writes, locks of dead owners."""
    from game.classroom.records import records_path
    from game.paths import data_dir
    from game.persist.atomic import remove_stale_temps
    from game.persist.lock import clear_stale
    from game.persist.progress import progress_path

    for folder in (data_dir(), saves.saves_dir(story.id)):
        remove_stale_temps(folder)
    for target in (progress_path(), records_path()):
        clear_stale(target)


def install_exit_signals(handler: Callable[[], None]) -> None:
    """Call ``handler`` on SIGTERM and SIGHUP where the platform has them (it must end the program)."""
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, lambda _signum, _frame: handler())
