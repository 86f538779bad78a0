"""Settings and endings reached: defaults, round trips, damaged files set aside."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.loader import load_story
from game.persist import progress, settings
from tests.conftest import TUTORIAL


def test_defaults_when_there_is_no_file() -> None:
    assert settings.load_settings() == (settings.Settings(), None)


def test_settings_round_trip(crossroads_home: Path) -> None:
    chosen = settings.Settings(lang="zh", theme="nord", hold_flags=True)
    settings.save_settings(chosen)
    assert (crossroads_home / "settings.json").exists()
    assert settings.load_settings() == (chosen, None)


@pytest.mark.parametrize(
    "content",
    [b"{", b"", b'{"format": "other"}', b'{"format": "crossroads-settings", "version": 7}'],
    ids=["truncated", "empty", "foreign", "future"],
)
def test_damaged_settings_are_set_aside(crossroads_home: Path, content: bytes) -> None:
    crossroads_home.mkdir()
    (crossroads_home / "settings.json").write_bytes(content)
    loaded, problem = settings.load_settings()
    assert loaded == settings.Settings()
    assert problem is not None and "settings.json" in problem and "set aside" in problem
    assert (crossroads_home / "settings.json.bad").read_bytes() == content


def test_wrongly_typed_fields_fall_back_to_defaults(crossroads_home: Path) -> None:
    crossroads_home.mkdir()
    (crossroads_home / "settings.json").write_text(
        '{"format": "crossroads-settings", "version": 1, "lang": 3, "hold_flags": "yes"}', encoding="utf-8"
    )
    assert settings.load_settings() == (settings.Settings(), None)


def test_endings_reached_are_counted_per_story() -> None:
    story = load_story(TUTORIAL)
    assert progress.endings_reached("tutorial") == {}
    progress.record_ending(story, "checked")
    progress.record_ending(story, "checked")
    progress.record_ending(story, "scammed")
    assert progress.endings_reached("tutorial") == {"checked": 2, "scammed": 1}
    assert progress.endings_reached("class-monitor") == {}


def test_damaged_endings_file_is_set_aside_and_counting_restarts(crossroads_home: Path) -> None:
    crossroads_home.mkdir()
    (crossroads_home / "endings.json").write_text("{not json", encoding="utf-8")
    assert progress.endings_reached("tutorial") == {}
    assert (crossroads_home / "endings.json.bad").exists()
    progress.record_ending(load_story(TUTORIAL), "deleted")
    assert progress.endings_reached("tutorial") == {"deleted": 1}
