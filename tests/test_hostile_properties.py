"""Property: any JSON value, of any depth and size, in any per-user file never crashes start-up, Continue, Load,
the endings gallery or the report; a damaged file Crossroads owns is set aside and the game goes on.

The readers are driven in-process with hypothesis (fast); the full-screen app is driven with Pilot on a small
table of the worst cases (start-up, Continue, Load, gallery), since each app run costs about a second.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.classroom.records import read_records
from game.loader import load_story
from game.persist import progress, saves
from game.persist import settings as user_settings
from game.textsafe import has_control
from tests.conftest import TUTORIAL
from tests.hostile.attacks import ESCAPES, FILE_TYPES, JSON_ATTACKS

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**60), max_value=10**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
    | st.sampled_from([ESCAPES, "message", "tutorial", "en", "safe", "autosave", "crossroads-save"])
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=12), children, max_size=6),
)
FIELDS = ("name", "saved_at", "scene", "scene_title", "steps", "snapshot", "stories", "lang", "theme", "hold_flags")
SNAPSHOT_KEYS = ("version", "story_id", "story_hash", "lang", "choices", "state", "scene", "vars", "visits", "used")


@st.composite
def documents(draw: st.DrawFn, kind: str) -> str:
    """JSON text: a random value, a deep nest, or a document of the right format with random fields."""
    shape = draw(st.sampled_from(["value", "deep", "document", "snapshot"]))
    if shape == "value":
        return json.dumps(draw(json_values))
    if shape == "deep":
        depth = draw(st.integers(min_value=1, max_value=3000))
        return "[" * depth + json.dumps(draw(scalars)) + "]" * depth
    body = draw(st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=6))
    if shape == "snapshot":
        state = draw(st.dictionaries(st.sampled_from(SNAPSHOT_KEYS), json_values, max_size=6))
        snapshot = {"version": 1, "story_id": "tutorial", "story_hash": draw(st.text(max_size=4)), **state}
        body["snapshot"] = snapshot
    return json.dumps({"format": kind, "version": 1, **body})


@pytest.fixture(scope="module")
def story():
    return load_story(TUTORIAL)


COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(home: Path, relative: str, text: str) -> Path:
    path = home / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    path.write_text(text, encoding="utf-8")
    return path


@COMMON
@given(text=documents("crossroads-settings"))
def test_any_settings_file_starts_the_game(crossroads_home: Path, text: str) -> None:
    _write(crossroads_home, "settings.json", text)
    loaded, problem = user_settings.load_settings()
    assert isinstance(loaded.hold_flags, bool)
    assert loaded.lang is None or not has_control(loaded.lang)
    if problem is not None:
        assert problem.startswith(str(crossroads_home / "settings.json"))


@COMMON
@given(text=documents("crossroads-endings"))
def test_any_endings_file_opens_the_gallery_and_counts_an_ending(crossroads_home: Path, text: str, story) -> None:
    _write(crossroads_home, "endings.json", text)
    reached = progress.endings_reached("tutorial")
    assert all(isinstance(k, str) and isinstance(v, int) for k, v in reached.items())
    assert progress.record_ending(story, "scammed")["scammed"] >= 1


@COMMON
@given(text=documents("crossroads-save"))
def test_any_save_lists_continues_and_loads_or_is_refused_cleanly(crossroads_home: Path, text: str, story) -> None:
    path = _write(crossroads_home, "saves/tutorial/autosave.json", text)
    infos, problems = saves.list_saves("tutorial")
    for info in infos:
        assert not has_control(info.name + info.scene_title + info.saved_at + info.scene)
    try:
        play, _notice = saves.load_save(story)
    except saves.SaveError as exc:
        assert str(exc).startswith(str(path))
    else:
        assert play.scene.id in story.scenes and not has_control(play.text())
    for problem in problems:
        assert problem.startswith(str(path)) and "set aside" in problem


@COMMON
@given(lines=st.lists(documents("crossroads-record"), min_size=1, max_size=5))
def test_any_records_file_gives_a_report_input(tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "hand-in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = read_records([path])
    assert len(found.records) + len(found.problems) <= len(lines)
    for problem in found.problems:
        assert str(problem).startswith(f"{path}:")


# -- the full-screen app ---------------------------------------------------------------------------------------------

PILOT_ATTACKS = ["deep-nesting", "5000-digits", "nan", "wrong-types", "escapes"]


@pytest.mark.parametrize("attack", PILOT_ATTACKS)
def test_the_app_starts_continues_loads_and_shows_the_gallery(crossroads_home: Path, attack: str) -> None:
    from textual.widgets import Static

    from game.sources import resolve_stories
    from game.tui.app import CrossroadsApp

    make, _located = JSON_ATTACKS[attack]
    for name in ("settings", "endings", "save"):
        file_type = FILE_TYPES[name]
        target = crossroads_home / file_type.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(make(file_type))

    async def scenario() -> list[str]:
        app = CrossroadsApp(resolve_stories(str(TUTORIAL)).entries)
        seen: list[str] = []
        async with app.run_test(size=(100, 30)) as pilot:
            for keys in (("c",), ("escape", "l"), ("escape", "e"), ("escape",)):
                await pilot.press(*keys)
                await pilot.pause()
                seen += [str(widget.render()) for widget in app.screen.query(Static)]
        return seen

    seen = asyncio.run(scenario())
    assert seen and not any(has_control(text) for text in seen)


def test_the_app_draws_the_escape_story_without_a_control_character(crossroads_home: Path) -> None:
    """The issue saw ESC reach the full-screen app; every line of every widget on each screen is checked."""
    from game.sources import resolve_stories
    from game.tui.app import CrossroadsApp

    story = Path(__file__).resolve().parent / "hostile" / "stories" / "escapes"

    def screen_text(app: CrossroadsApp) -> str:
        lines = []
        for widget in app.screen.query("*"):
            lines += [widget.render_line(y).text for y in range(widget.size.height)]
        return "\n".join(lines)

    async def scenario() -> list[str]:
        app = CrossroadsApp(resolve_stories(str(story)).entries)
        drawn = []
        async with app.run_test(size=(100, 30)) as pilot:
            for keys in ((), ("n",), ("1",), ("escape", "e")):
                await pilot.press(*keys)
                await pilot.pause()
                drawn.append(screen_text(app))
        return drawn

    drawn = asyncio.run(scenario())
    assert any("Scene" in text for text in drawn) and any("Ending" in text for text in drawn)
    for text in drawn:
        assert not has_control(text.replace("\n", "")), repr(text[:200])
