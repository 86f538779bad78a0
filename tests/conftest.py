"""Shared fixtures: an isolated CROSSROADS_HOME for every test, and paths to the bundled stories."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT / "story"
TUTORIAL = STORIES / "tutorial"
CLASS_MONITOR = STORIES / "class-monitor"


@pytest.fixture(autouse=True)
def crossroads_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own empty per-user data folder."""
    home = tmp_path / "crossroads-home"
    monkeypatch.setenv("CROSSROADS_HOME", str(home))
    monkeypatch.delenv("NO_COLOR", raising=False)
    # Settings commands put in the environment for the processes they start (serve's records file and browser
    # folder, --class, --rehearse): absent in every test, and removed again after it even when set directly.
    for name in ("CROSSROADS_RECORDS", "CROSSROADS_BROWSERS", "CROSSROADS_CLASS", "CROSSROADS_REHEARSE"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return home


@pytest.fixture
def write_story(tmp_path: Path):
    """Write a story folder from {filename: text} and return the folder."""

    def write(files: dict[str, str] | str, name: str = "s") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(files, str):
            files = {"story.yaml": files}
        for filename, text in files.items():
            target = folder / filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return folder

    return write
