"""Save slots: round trips, autosave, and corrupt, truncated, foreign and outdated save files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.engine import Playthrough
from game.loader import load_story
from game.persist import saves
from tests.conftest import TUTORIAL


@pytest.fixture
def story():
    return load_story(TUTORIAL)


def _played(story) -> Playthrough:
    play = Playthrough(story, "en")
    play.choose(0)  # message -> form
    play.choose(2)  # form -> friend
    return play


def test_named_save_round_trips(story, crossroads_home: Path) -> None:
    play = _played(story)
    info = saves.write_save(play, "Before the form", "en")
    assert info.path.parent == crossroads_home / "saves" / "tutorial"
    restored, notice = saves.load_save(story, info.slot)
    assert notice is None
    assert restored.path == play.path
    assert dict(restored.vars) == dict(play.vars)
    document = json.loads(info.path.read_text(encoding="utf-8"))
    assert document["format"] == saves.SAVE_KIND and document["version"] == saves.SAVE_VERSION


def test_autosave_is_listed_first_and_has_its_own_slot(story) -> None:
    play = _played(story)
    saves.write_save(play, "zeta", "en")
    saves.autosave(play, "en")
    infos, problems = saves.list_saves("tutorial")
    assert problems == []
    assert [info.slot for info in infos] == ["autosave", "zeta"]
    assert infos[0].is_autosave and infos[0].steps == 2
    assert infos[1].scene_title == "A second opinion"


def test_a_player_cannot_overwrite_the_autosave_by_naming_a_slot_autosave(story) -> None:
    play = _played(story)
    saves.autosave(play)
    info = saves.write_save(play, "Autosave!", "en")
    assert info.slot != saves.AUTOSAVE


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not valid JSON"),
        (b'{"format": "crossroads-save", "version": 1, "snapshot": {"ver', "not valid JSON"),
        (b"\xff\xfe garbage", "not valid JSON"),
        (b"[1, 2, 3]", "not a Crossroads crossroads-save file"),
        (b'{"format": "twine-save", "version": 1}', "not a Crossroads crossroads-save file"),
        (b'{"format": "crossroads-save", "version": 99, "snapshot": {}}', "version 99 is not supported"),
        (b'{"format": "crossroads-save", "version": 1}', "damaged (no snapshot)"),
        (b'{"format": "crossroads-save", "version": 1, "snapshot": {"story_id": "other"}}', "another story"),
        (
            b'{"format": "crossroads-save", "version": 1, "snapshot": {"story_id": "tutorial", "version": 1}}',
            "damaged",
        ),
    ],
    ids=["empty", "truncated", "binary", "array", "foreign", "future", "no-snapshot", "other-story", "bad-snapshot"],
)
def test_bad_save_files_are_set_aside_with_a_clear_message(story, content: bytes, expected: str) -> None:
    folder = saves.saves_dir("tutorial")
    folder.mkdir(parents=True)
    path = folder / "autosave.json"
    path.write_bytes(content)
    with pytest.raises(saves.SaveError) as caught:
        saves.load_save(story)
    message = str(caught.value)
    assert expected in message
    assert str(path) in message and "set aside as autosave.json.bad" in message
    assert not path.exists()
    assert (folder / "autosave.json.bad").read_bytes() == content


def test_listing_sets_bad_files_aside_and_keeps_good_ones(story) -> None:
    play = _played(story)
    saves.write_save(play, "good", "en")
    bad = saves.saves_dir("tutorial") / "bad.json"
    bad.write_text('{"format": "crossroads-save", "vers', encoding="utf-8")
    infos, problems = saves.list_saves("tutorial")
    assert [info.slot for info in infos] == ["good"]
    assert len(problems) == 1 and "bad.json" in problems[0] and "set aside" in problems[0]
    assert (bad.parent / "bad.json.bad").exists()
    assert saves.list_saves("tutorial") == (infos, [])


def test_a_save_from_a_changed_story_is_loaded_with_a_notice(story) -> None:
    play = _played(story)
    saves.write_save(play, "old", "en")
    changed = replace(story, content_hash="something-else")
    restored, notice = saves.load_save(changed, "old")
    assert restored.scene.id == "friend"
    assert notice is not None and "changed" in notice


def test_a_save_whose_scene_is_gone_is_refused_and_kept(story) -> None:
    play = _played(story)
    info = saves.write_save(play, "old", "en")
    scenes = {k: v for k, v in story.scenes.items() if k != "friend"}
    form = story.scenes["form"]
    form = replace(form, choices=form.choices[:2])
    scenes["form"] = form
    changed = replace(story, scenes=scenes, content_hash="new-version")
    with pytest.raises(saves.SaveError) as caught:
        saves.load_save(changed, "old")
    assert "'friend' no longer exists" in str(caught.value)
    assert info.path.exists(), "an outdated save is kept in case the story comes back"


def test_missing_slot(story) -> None:
    with pytest.raises(saves.SaveError, match="no such save"):
        saves.load_save(story, "nothing")


def test_saves_are_written_atomically_without_temp_files_left(story) -> None:
    play = _played(story)
    for n in range(5):
        saves.autosave(play)
        saves.write_save(play, f"slot {n}")
    leftovers = [p.name for p in saves.saves_dir("tutorial").iterdir() if p.suffix != ".json"]
    assert leftovers == []


@given(st.text(max_size=80))
def test_slot_ids_are_always_safe_file_names(name: str) -> None:
    slot = saves.slot_id(name)
    assert slot and len(slot) <= 48
    assert "/" not in slot and "\\" not in slot and "\0" not in slot
    assert slot not in (".", "..") and not slot.startswith(".")


def test_slot_ids_keep_chinese_names() -> None:
    assert saves.slot_id("第一章 存档") == "第一章-存档"
    assert saves.slot_id("../../etc/passwd") == "etc-passwd"
