"""Player settings (language, theme, red-flag alerts) kept in ``data_dir()/settings.json``.

A damaged settings file is set aside and the defaults are used; settings never stop the game from starting.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from pathlib import Path

from game.paths import data_dir
from game.persist.atomic import read_or_set_aside, write_document

SETTINGS_KIND = "crossroads-settings"
SETTINGS_VERSION = 1


@dataclass(frozen=True, slots=True)
class Settings:
    """What the player chose: UI language (None = the story's default), Textual theme, alert behaviour."""

    lang: str | None = None
    theme: str | None = None
    hold_flags: bool = False

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def settings_path() -> Path:
    """Where the settings file lives."""
    return data_dir() / "settings.json"


def load_settings() -> tuple[Settings, str | None]:
    """The saved settings (or defaults) and a message when a damaged file was set aside."""
    path = settings_path()
    if not path.exists():
        return Settings(), None
    document, problem = read_or_set_aside(path, SETTINGS_KIND, SETTINGS_VERSION)
    if document is None:
        return Settings(), f"{problem}; default settings are used"
    lang = document.get("lang")
    theme = document.get("theme")
    hold = document.get("hold_flags")
    return (
        Settings(
            lang=lang if isinstance(lang, str) else None,
            theme=theme if isinstance(theme, str) else None,
            hold_flags=hold if isinstance(hold, bool) else False,
        ),
        None,
    )


def save_settings(settings: Settings) -> None:
    """Write the settings atomically."""
    write_document(settings_path(), SETTINGS_KIND, SETTINGS_VERSION, asdict(settings))
