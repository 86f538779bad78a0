"""``play --watch``: a changed story file reloads and replays the choices; a broken one shows its errors."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from game.diagnostics import Diagnostic
from game.loader import load_story
from game.model import Story
from game.watch import StoryWatcher, start_watch

TUTORIAL = Path(__file__).parent.parent / "story" / "tutorial"


class FakeApp:
    """Records what the watcher hands over, without Textual."""

    is_running = True

    def __init__(self) -> None:
        self.reloaded: list[Story] = []
        self.errors: list[list[Diagnostic]] = []

    def reload_story(self, story: Story) -> None:
        self.reloaded.append(story)

    def show_story_error(self, diagnostics: list[Diagnostic]) -> None:
        self.errors.append(diagnostics)

    def set_interval(self, interval, callback, *, name=None):
        return None

    def call_later(self, callback, *args) -> bool:
        callback(*args)
        return True


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tutorial"
    shutil.copytree(TUTORIAL, folder)
    return folder / "story.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stat = path.stat()  # make sure the change is visible even on coarse-grained file systems
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_a_change_is_reloaded_once_it_holds_still(story_copy: Path) -> None:
    app = FakeApp()
    watcher = StoryWatcher(app, story_copy, load_story(story_copy))
    assert watcher.poll() is False
    edit(story_copy, "The claim form", "The claim form, v2")
    assert watcher.poll() is False  # first sight of the change: wait one poll
    assert watcher.poll() is True
    assert [s.scenes["form"].title.get("en", "en") for s in app.reloaded] == ["The claim form, v2"]
    assert watcher.poll() is False and len(app.reloaded) == 1


def test_an_unchanged_save_does_not_reload(story_copy: Path) -> None:
    app = FakeApp()
    watcher = StoryWatcher(app, story_copy, load_story(story_copy))
    os.utime(story_copy, ns=(0, story_copy.stat().st_mtime_ns + 5_000_000))
    watcher.poll()
    assert watcher.poll() is True
    assert app.reloaded == [] and app.errors == []


def test_a_broken_save_reports_located_errors_then_recovers(story_copy: Path) -> None:
    app = FakeApp()
    watcher = StoryWatcher(app, story_copy, load_story(story_copy))
    edit(story_copy, "go: scammed", "go: scamed")
    watcher.poll(), watcher.poll()
    assert app.reloaded == []
    [diagnostics] = app.errors
    assert [d.code for d in diagnostics if d.is_error] == ["CR020"]
    assert str(diagnostics[0]).endswith("CR020: target scene 'scamed' does not exist (did you mean 'scammed'?)")
    assert diagnostics[0].location.line > 1
    edit(story_copy, "go: scamed", "go: scammed")
    watcher.poll(), watcher.poll()
    assert len(app.errors) == 1
    assert app.reloaded == []  # fixed back to the version being played: nothing to replay


def test_a_new_include_is_watched(story_copy: Path) -> None:
    app = FakeApp()
    watcher = StoryWatcher(app, story_copy, load_story(story_copy))
    extra = story_copy.parent / "extra.yaml"
    extra.write_text("scenes:\n  bonus:\n    title: Bonus\n    ending: {kind: safe, title: Bonus}\n", encoding="utf-8")
    edit(story_copy, "\nvars:\n", "\ninclude: [extra.yaml]\nvars:\n")
    watcher.poll(), watcher.poll()
    assert "bonus" in app.reloaded[-1].scenes
    assert extra.resolve() in watcher.paths
    edit(extra, "title: Bonus\n", "title: Bonus two\n")
    watcher.poll(), watcher.poll()
    assert app.reloaded[-1].scenes["bonus"].title.get("en", "en") == "Bonus two"


def test_pilot_watch_replays_choices_and_shows_errors(story_copy: Path) -> None:
    from game.sources import resolve_stories
    from game.tui.app import CrossroadsApp
    from game.tui.screens.play import PlayScreen
    from game.tui.screens.story_error import StoryErrorScreen

    async def scenario() -> None:
        app = CrossroadsApp(resolve_stories(str(story_copy.parent)).entries, lang="en")
        watcher = start_watch(app, story_copy, interval=0.05)  # before the app runs, as the launcher does
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("enter", "1", "3")
            await pilot.pause()
            assert app.play.path == ["message", "form", "friend"]
            assert watcher.timer is not None
            edit(story_copy, "A second opinion", "A second, better opinion")
            await pilot.pause(0.4)
            assert app.play.path == ["message", "form", "friend"]
            assert app.play.title() == "A second, better opinion"
            edit(story_copy, "go: scammed", "go: nowhere")
            await pilot.pause(0.4)
            assert isinstance(app.screen, StoryErrorScreen)
            shown = "\n".join(str(d) for d in app.screen.diagnostics)
            assert "story.yaml:" in shown and "CR020: target scene 'nowhere' does not exist" in shown
            assert app.play.path == ["message", "form", "friend"]
            edit(story_copy, "go: nowhere", "go: scammed")
            await pilot.pause(0.4)
            assert isinstance(app.screen, PlayScreen)
            assert app.play.path == ["message", "form", "friend"]
            assert watcher.reloads == 1 and watcher.errors == 1  # the fix restored the version on screen

    asyncio.run(scenario())
