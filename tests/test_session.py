"""GameSession, checked against the files actually written: records (undo from an ending, continue, load,
watch reload, a failing write reported and retried), autosave slots that keep the earlier game, endings counted
by many processes at once, and the autosave writer that cannot hang."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from game.classroom import records as records_module
from game.classroom.records import read_records, records_path
from game.loader import load_story
from game.persist import saves
from game.persist.progress import endings_reached, progress_path
from game.session import AUTOSAVE_FAILED, FLAGS, RECORD_FAILED, RECORDS_WRITTEN_LATE, RELOADED, Event, GameSession
from tests.conftest import ROOT, TUTORIAL


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def story():
    return load_story(TUTORIAL)


def written() -> list[dict]:
    path = records_path()
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def new_session(story, events: list[Event] | None = None, clock: Clock | None = None, **kwargs) -> GameSession:
    game = GameSession(
        story, "en", on_event=events.append if events is not None else None, clock=clock or Clock(), **kwargs
    )
    game.autosave()
    return game


def path_of(record: dict) -> list[tuple[str, int]]:
    return [(c["scene"], c["choice"]) for c in record["choices"]]


def test_undo_from_an_ending_then_a_new_path_records_the_whole_new_path(story) -> None:
    clock = Clock()
    game = new_session(story, clock=clock)
    clock.now += 4
    game.choose(0)  # message -> form
    clock.now += 6
    game.choose(0)  # form -> scammed (an ending: recorded now)
    (first,) = written()
    assert first["ending"]["scene"] == "scammed" and path_of(first) == [("message", 0), ("form", 0)]
    game.undo(1)
    clock.now += 2
    game.choose(1)  # form -> checked
    game.close()
    first_again, second = written()
    assert first_again == first
    assert second["ending"]["scene"] == "checked"
    assert path_of(second) == [("message", 0), ("form", 1)]
    assert [c["seconds"] for c in second["choices"]] == [4.0, 2.0]
    assert second["id"] != first["id"]  # a finished record is never superseded by another path


def test_continue_keeps_the_history_and_the_record_id(story) -> None:
    clock = Clock()
    game = new_session(story, clock=clock)
    clock.now += 3
    game.choose(0)
    clock.now += 5
    game.choose(2)  # form -> friend
    game.close()
    (abandoned,) = written()
    assert abandoned["ending"] is None and path_of(abandoned) == [("message", 0), ("form", 2)]

    resumed = GameSession(story, "en", clock=clock)
    assert resumed.resume()
    assert resumed.play.scene.id == "friend"
    clock.now += 7
    assert resumed.choose(0)  # friend -> form
    assert resumed.choose(1)  # form -> checked
    resumed.close()
    _, finished = written()
    assert finished["id"] == abandoned["id"]
    assert path_of(finished) == [("message", 0), ("form", 2), ("friend", 0), ("form", 1)]
    assert [c["seconds"] for c in finished["choices"]] == [3.0, 5.0, 7.0, 0.0]
    (kept,) = read_records([records_path()]).records  # the report sees one playthrough, finished
    assert kept["ending"]["scene"] == "checked"


def test_load_starts_a_new_record_with_the_saved_history(story) -> None:
    game = new_session(story)
    game.choose(0)
    game.save_as("at the form")
    game.choose(1)  # -> checked
    loader = new_session(story)
    assert loader.resume("at-the-form")
    assert loader.play.scene.id == "form"
    loader.choose(0)  # -> scammed
    first, second = [r for r in written() if r["ending"]]
    assert path_of(second) == [("message", 0), ("form", 0)]
    assert second["id"] != first["id"]


def test_watch_reload_keeps_the_steps_taken_and_counts_nothing_again(story, write_story) -> None:
    events: list[Event] = []
    game = new_session(story, events)
    game.choose(0)  # walks into the 'urgency' red flag
    game.choose(2)  # -> friend
    flags_before = [e for e in events if e.kind == FLAGS]
    folder = write_story({"story.yaml": (TUTORIAL / "story.yaml").read_text(encoding="utf-8")}, name="copy")
    changed = load_story(folder)
    assert game.reload(changed) == (2, 0)
    assert [e for e in events if e.kind == FLAGS] == flags_before  # no second alert for replayed steps
    assert events[-1] == Event(RELOADED, count=2, lost=0)
    assert game.choose(0)  # friend -> form
    assert game.choose(1)  # form -> checked
    (record,) = written()
    assert path_of(record) == [("message", 0), ("form", 2), ("friend", 0), ("form", 1)]
    assert endings_reached("tutorial") == {"checked": 1}


def test_a_lessons_replayed_start_is_never_counted(write_story) -> None:
    from tests.conftest import ROOT

    lesson_story = load_story(ROOT / "tests" / "stories" / "lessons" / "timed.yaml")
    events: list[Event] = []
    game = GameSession(lesson_story, "en", on_event=events.append, clock=Clock())
    game.new_game(lesson="from-office")  # gate and hall (a red flag) replayed silently
    assert game.play.scene.id == "office" and events == []
    assert game.undo(1) == 0  # the start point cannot be undone
    folder = write_story({"story.yaml": (ROOT / "tests/stories/lessons/timed.yaml").read_text(encoding="utf-8")})
    assert game.reload(load_story(folder)) == (2, 0)
    assert game.play.start_index == 2  # still the lesson's start after a --watch reload
    game.choose(0)  # send the list -> caught
    (record,) = written()
    assert path_of(record) == [("office", 0)]
    assert all(e.kind != FLAGS for e in events)


def test_a_failing_record_write_is_reported_kept_and_retried(story, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[Event] = []
    real = records_module.append_line
    failing = {"on": True}

    def append(path: Path, line: str) -> None:
        if failing["on"]:
            raise OSError(28, "No space left on device")
        real(path, line)

    monkeypatch.setattr(records_module, "append_line", append)
    game = new_session(story, events)
    game.choose(1)  # -> checked: the record cannot be written
    assert written() == []
    assert [e.kind for e in events] == [RECORD_FAILED] and "No space left" in events[0].error
    assert game.play.is_ending and len(game.pending) == 1  # the debrief still shows; the record is kept
    failing["on"] = False
    game.new_game()
    assert game.close() == []  # the new game's abandoned record is written after the one kept
    finished, abandoned = written()
    assert finished["ending"]["scene"] == "checked" and abandoned["ending"] is None
    assert Event(RECORDS_WRITTEN_LATE, count=1) in events


def test_records_still_unwritten_at_exit_are_said(story, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records_module, "append_line", lambda path, line: (_ for _ in ()).throw(OSError("read-only")))
    game = new_session(story)
    game.choose(1)
    assert game.close() == ["1 playthrough record(s) could not be written"]


def test_a_new_game_keeps_the_earlier_game_as_the_previous_autosave(story) -> None:
    game = new_session(story)
    for index in (0, 2, 0, 3):  # four steps: message, form, friend, form, then at the form again
        assert game.choose(index)
    game.close()
    assert saves.slot_info("tutorial", saves.AUTOSAVE).steps == 4
    fresh = new_session(story)
    fresh.choose(0)
    fresh.close()
    infos, _ = saves.list_saves("tutorial")
    assert [(i.slot, i.name, i.steps) for i in infos] == [
        ("autosave", "autosave", 1),
        ("previous-autosave", "previous autosave", 4),
    ]
    loaded = GameSession(story, "en", clock=Clock())  # as the Load list does: nothing written before loading
    assert loaded.resume("previous-autosave") and len(loaded.play.history) == 4
    loaded.close()  # the loaded game now holds the autosave; the one-step game moved aside in its place
    infos, _ = saves.list_saves("tutorial")
    assert [(i.slot, i.steps) for i in infos] == [("autosave", 4), ("previous-autosave", 1)]


def test_a_facilitators_class_never_replaces_a_students_game(story) -> None:
    student = new_session(story)
    student.choose(0)
    student.close()
    teacher = new_session(story, mode="facilitator")
    teacher.choose(2)
    teacher.close()
    assert saves.slot_info("tutorial", "autosave").scene == "form"
    assert saves.slot_info("tutorial", "autosave-facilitator").scene == "deleted"
    assert saves.slot_info("tutorial", "previous-autosave") is None


def test_an_autosave_that_fails_is_reported_from_the_writer(story, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[Event] = []

    def fail(path: Path, body: dict) -> None:
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(saves, "write_prepared", fail)
    game = new_session(story, events)
    assert game.writer.flush(5)
    assert [e.kind for e in events] == [AUTOSAVE_FAILED] and "Permission denied" in events[0].error


def test_an_autosave_that_hangs_is_given_up_after_the_timeout(story, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(saves, "write_prepared", lambda path, body: release.wait(30))
    game = new_session(story)
    problems = game.close(timeout=0.2)
    release.set()
    assert problems == ["the autosave was still being written after 0.2 s; the last one may be lost"]


COUNT_ONE = (
    "import types; from game.persist.progress import record_ending;"
    "record_ending(types.SimpleNamespace(id='tutorial'), 'checked')"
)


def test_sixty_endings_reached_by_parallel_processes_are_all_counted(crossroads_home: Path) -> None:
    env = {**os.environ, "CROSSROADS_HOME": str(crossroads_home)}
    processes = [subprocess.Popen([sys.executable, "-c", COUNT_ONE], cwd=ROOT, env=env) for _ in range(60)]
    assert [p.wait(timeout=120) for p in processes] == [0] * 60
    assert endings_reached("tutorial") == {"checked": 60}
    assert not progress_path().with_name("endings.json.lock").exists()
