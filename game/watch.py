"""``crossroads play --watch``: reload the story when one of its files changes, and replay the choices so far.

:func:`start_watch` polls the story's files (``story.files``, plus any file a diagnostic names) with a
Textual interval timer. A change is acted on once the files have stayed the same for one more poll, so an
editor's multi-step save is read whole. The story is then loaded with :func:`game.loader.check_story`; a
clean load goes to ``app.reload_story(story)`` (which replays the choices taken so far, as Inky does), a
broken one to ``app.show_story_error(diagnostics)``, and the game stays where it is until the next save.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Protocol

from game.diagnostics import Diagnostic
from game.loader import check_story, resolve_entry
from game.model import Story

DEFAULT_INTERVAL = 0.5
Signature = tuple[tuple[str, int, int], ...]


class WatchedApp(Protocol):
    """What the watcher needs from the app."""

    is_running: bool

    def reload_story(self, story: Story) -> None: ...

    def show_story_error(self, diagnostics: list[Diagnostic]) -> None: ...

    def set_interval(self, interval: float, callback: Any, *, name: str | None = None) -> Any: ...

    def call_later(self, callback: Any, *args: Any) -> bool: ...


def _signature(paths: list[Path]) -> Signature:
    """Modification time and size of each file (-1, -1 when it is missing)."""
    out = []
    for path in paths:
        try:
            stat = os.stat(path)
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


class StoryWatcher:
    """Polls a story's files and pushes each new version (or its errors) into the app."""

    def __init__(self, app: WatchedApp, entry: Path, story: Story | None = None, interval: float = DEFAULT_INTERVAL):
        self.app = app
        self.entry = entry
        self.interval = interval
        self.content_hash = story.content_hash if story is not None else ""
        self.paths = self._paths(story, [])
        self.seen = _signature(self.paths)
        self.pending: Signature | None = None
        self.timer: Any = None
        self.reloads = 0
        self.errors = 0

    def _paths(self, story: Story | None, diagnostics: list[Diagnostic]) -> list[Path]:
        paths = {self.entry.resolve()}
        if story is not None:
            paths.update(Path(name).resolve() for name in story.files)
        for diagnostic in diagnostics:
            candidate = Path(diagnostic.location.path)
            if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
                paths.add(candidate.resolve())
        return sorted(paths)

    def start(self) -> None:
        """Start polling (the app must be running)."""
        if self.timer is None:
            self.timer = self.app.set_interval(self.interval, self.poll, name="story-watch")

    def poll(self) -> bool:
        """Check the files once; reload when a change has settled. Returns True when it reloaded."""
        now = _signature(self.paths)
        if now == self.seen:
            self.pending = None
            return False
        if now != self.pending:
            self.pending = now  # changed since the last poll: wait until it holds still
            return False
        self.pending = None
        self.seen = now
        self.reload()
        return True

    def reload(self) -> None:
        """Load the story again and hand the result to the app."""
        result = check_story(self.entry)
        if result.story is None or result.errors:
            self.errors += 1
            self.paths = sorted(set(self.paths) | set(self._paths(None, result.diagnostics)))
            self.seen = _signature(self.paths)
            self.app.show_story_error(result.diagnostics)
            return
        self._close_error_panel()
        self.paths = self._paths(result.story, [])
        self.seen = _signature(self.paths)
        if result.story.content_hash == self.content_hash:
            return  # saved without a change (or changed back): nothing to replay
        self.content_hash = result.story.content_hash
        self.reloads += 1
        self.app.reload_story(result.story)

    def _close_error_panel(self) -> None:
        """Dismiss an error panel left by an earlier broken save, now that the story loads again."""
        screen = getattr(self.app, "screen", None)
        if type(screen).__name__ == "StoryErrorScreen":
            screen.dismiss()  # type: ignore[union-attr]


def start_watch(app: WatchedApp, story_path: str | Path, interval: float = DEFAULT_INTERVAL) -> StoryWatcher:
    """Watch the story at ``story_path`` for ``app``; works before or after the app starts running."""
    entry = resolve_entry(story_path)
    current = getattr(getattr(app, "entry", None), "story", None)
    watcher = StoryWatcher(app, entry, current if isinstance(current, Story) else None, interval)
    if getattr(app, "is_running", False):
        watcher.start()
    else:
        app.call_later(watcher.start)
    return watcher
