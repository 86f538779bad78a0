"""A non-editable install (``pip install .``) must carry the bundled stories and the schema inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (path,) = out.glob("crossroads-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_contains_bundled_stories(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for story in (ROOT / "story").glob("*/story.yaml"):
        for file in story.parent.glob("*.yaml"):
            assert f"game/_bundled_stories/{story.parent.name}/{file.name}" in names


def test_wheel_has_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in wheel.namelist() if n.endswith("entry_points.txt"))
    assert "crossroads = game.cli:main" in wheel.read(entry_points).decode()


def test_installed_layout_finds_bundled_stories(tmp_path: Path, wheel: zipfile.ZipFile) -> None:
    wheel.extractall(tmp_path)
    code = "from game.paths import bundled_stories; print('\\n'.join(str(p) for p in bundled_stories()))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": ""},
        check=True,
    )
    lines = result.stdout.split()
    assert lines and all("_bundled_stories" in line for line in lines)
    assert any(line.endswith("tutorial/story.yaml") for line in lines)
