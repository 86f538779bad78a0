"""Where things live: per-user data and cache folders, and the stories bundled with Crossroads.

Per-user data (saves, endings reached, settings, playthrough records) goes under the platform's user-data
folder; the ``CROSSROADS_HOME`` environment variable overrides it (tests and classrooms use this).
"""

from __future__ import annotations

import os
from pathlib import Path

ENTRY_FILE = "story.yaml"
HOME_ENV = "CROSSROADS_HOME"
BROWSERS_ENV = "CROSSROADS_BROWSERS"  # set by ``crossroads serve``: the folder of each browser's data folder
DEFAULT_STORY = "class-monitor"


def data_dir() -> Path:
    """The per-user data folder (not created here)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("crossroads", appauthor=False))


def use_browser_home(browser_id: str) -> Path:
    """Make ``data_dir()`` the data folder of one browser of ``crossroads serve`` (its saves, settings and
    endings); raise ValueError when this process was not started by the server or the id is malformed."""
    root = os.environ.get(BROWSERS_ENV)
    if not root or len(browser_id) != 32 or any(c not in "0123456789abcdef" for c in browser_id):
        raise ValueError("--browser is set by crossroads serve only")
    home = Path(root) / browser_id
    os.environ[HOME_ENV] = str(home)
    return home


def cache_dir() -> Path:
    """The per-user cache folder: ``$CROSSROADS_HOME/cache`` when overridden, else the platform's."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crossroads", appauthor=False))


def display_path(path: Path) -> str:
    """A path as users typed it: relative to the working directory when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def bundled_stories_dir() -> Path:
    """The folder of bundled stories: inside the installed package, or ``story/`` of a source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "_bundled_stories"
    if installed.is_dir():
        return installed
    return package.parent / "story"


def find_story_entries(path: Path) -> list[Path]:
    """Story entry files under ``path``: itself if a file, its story.yaml, or those of its subfolders."""
    if path.is_file():
        return [path]
    if (path / ENTRY_FILE).is_file():
        return [path / ENTRY_FILE]
    if path.is_dir():
        return sorted(child / ENTRY_FILE for child in path.iterdir() if (child / ENTRY_FILE).is_file())
    return []


def bundled_stories() -> list[Path]:
    """Entry files of the bundled stories, the default story first."""
    entries = find_story_entries(bundled_stories_dir())
    return sorted(entries, key=lambda entry: (entry.parent.name != DEFAULT_STORY, entry.parent.name))


class StoryNotFound(LookupError):
    """A story argument that is neither an existing file or folder nor a bundled story's id."""


def bundled_story_ids() -> list[str]:
    """The ids of the bundled stories (their folder names), the default story first."""
    return [entry.parent.name for entry in bundled_stories()]


def resolve_story_arg(raw: str) -> Path:
    """What a story argument (PATH) names: the file or folder, if it exists, else the bundled story with that id.

    A real path wins over an id. Raises :class:`StoryNotFound` with a message listing the bundled ids.
    """
    path = Path(raw)
    if path.exists():
        return path
    for entry in bundled_stories():
        if entry.parent.name == raw:
            return entry.parent
    ids = ", ".join(bundled_story_ids()) or "none"
    raise StoryNotFound(f"no such file or folder: {raw} (nor a bundled story; the bundled stories are: {ids})")
