"""Which stories to offer: a path or bundled story id from the command line, or the bundled stories (no Textual).

Used by both the Textual app's launcher and plain mode, so that they resolve paths and report errors alike.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from game.diagnostics import Diagnostic
from game.exitcodes import EXIT_INPUT_ERRORS, EXIT_USAGE
from game.model import Story


@dataclass(slots=True)
class StoryEntry:
    """A story file and what loading it gave: the story, or None with the diagnostics that stopped it."""

    path: Path
    story: Story | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def name(self) -> str:
        """A short name for lists: the story folder's name."""
        return self.path.parent.name or self.path.stem


@dataclass(slots=True)
class Resolved:
    """The outcome of :func:`resolve_stories`: entries to offer, or an exit code and message to stop with."""

    entries: list[StoryEntry]
    exit_code: int | None = None
    message: str | None = None

    @property
    def playable(self) -> list[StoryEntry]:
        """Entries whose story loaded."""
        return [entry for entry in self.entries if entry.story is not None]


def resolve_stories(path_arg: str | None) -> Resolved:
    """Load the story at ``path_arg`` (any failure is fatal) or the bundled ones (broken ones are kept aside)."""
    from game.paths import StoryNotFound, bundled_stories, find_story_entries, resolve_story_arg

    if path_arg:
        try:
            path = resolve_story_arg(path_arg)
        except StoryNotFound as exc:
            return Resolved([], EXIT_USAGE, str(exc))
        found = find_story_entries(path)
        if not found:
            return Resolved([], EXIT_USAGE, f"no story found in {path_arg} (expected story.yaml)")
    else:
        found = bundled_stories()
        if not found:
            return Resolved([], EXIT_USAGE, "no bundled stories were found")
    entries = []
    for entry in found:
        story = _from_cache(entry)
        if story is not None:
            entries.append(StoryEntry(entry, story, []))
            continue
        from game.loader import check_story  # only on a cache miss: it brings in the YAML parser

        result = check_story(entry)
        entries.append(StoryEntry(entry, result.story, list(result.diagnostics)))
        if result.story is not None:
            _to_cache(entry, result.story)
    resolved = Resolved(entries)
    if path_arg:
        _remember(resolved.playable)
    broken = [entry for entry in entries if entry.story is None]
    if (path_arg and broken) or not resolved.playable:
        resolved.exit_code = EXIT_INPUT_ERRORS
        resolved.message = "the story has errors" if path_arg else "no bundled story could be loaded"
    return resolved


def _remember(entries: list[StoryEntry]) -> None:
    """Put the stories named on the command line in the recent-stories list."""
    from game.persist.recent import remember

    for entry in entries:
        if entry.story is not None:
            remember(entry.path, entry.story)


def _from_cache(entry: Path) -> Story | None:
    """The compiled-story cache's copy of an unchanged story, if any; a damaged entry is set aside (and said so
    on standard error) and reads as None, so the story is loaded from its files."""
    from game.cache import load_cached

    problems: list[str] = []
    story = load_cached(entry, problems)
    for problem in problems:
        print(f"crossroads: warning: {problem}", file=sys.stderr)
    return story


def _to_cache(entry: Path, story: Story) -> None:
    from game.cache import store

    store(entry, story)  # False when it could not be written: the cache is an optimisation only


def resolve_and_report(path_arg: str | None) -> Resolved:
    """:func:`resolve_stories`, printing every story error and the reason to stop (if any) to stderr."""
    import sys

    resolved = resolve_stories(path_arg)
    for line in error_lines(resolved):
        print(line, file=sys.stderr)
    if resolved.exit_code is not None:
        print(f"crossroads: error: {resolved.message}", file=sys.stderr)
    return resolved


def error_lines(resolved: Resolved) -> list[str]:
    """The diagnostics (``path:line:col: CODE: message``) of every entry that failed to load."""
    lines = []
    for entry in resolved.entries:
        if entry.story is None:
            lines.extend(str(d) for d in entry.diagnostics)
    return lines
