"""``crossroads check``: output format, exit codes, and no tracebacks, through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import STORIES, TUTORIAL
from tests.test_loader_corpus import BASE


def crossroads(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def test_bundled_stories_are_clean_in_strict_mode() -> None:
    result = crossroads("check", str(TUTORIAL), "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "✓" in result.stderr


def test_folder_of_stories_checks_each() -> None:
    result = crossroads("check", str(STORIES))
    assert "tutorial" in result.stderr


def test_errors_exit_1_with_located_lines(write_story) -> None:
    folder = write_story(BASE.replace("go: b", "go: nowhere").replace("titl", "titl"))
    result = crossroads("check", str(folder))
    assert result.returncode == 1
    assert "story.yaml:17:13: CR020: target scene 'nowhere' does not exist" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_warnings_fail_only_in_strict_mode(write_story) -> None:
    folder = write_story(BASE.replace("{en: B, zh: 乙}", "{en: B}"))
    assert crossroads("check", str(folder)).returncode == 0
    strict = crossroads("check", str(folder), "--strict")
    assert strict.returncode == 1
    assert "CR023 (warning): missing translation: zh" in strict.stdout


def test_missing_path_exits_2() -> None:
    result = crossroads("check", "no/such/story")
    assert result.returncode == 2
    assert result.stderr.startswith("crossroads: error: no such file or folder")


def test_usage_error_exits_2() -> None:
    result = crossroads("check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_json_output(write_story) -> None:
    folder = write_story(BASE.replace("go: b", "go: nowhere"))
    result = crossroads("check", str(folder), "--json")
    report = json.loads(result.stdout)
    assert report[0]["ok"] is False
    assert report[0]["diagnostics"][0] | {"path": ""} == {
        "path": "",
        "line": 17,
        "col": 13,
        "code": "CR020",
        "severity": "error",
        "message": "target scene 'nowhere' does not exist",
    }


def test_binary_garbage_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "story.yaml"
    path.write_bytes(bytes(range(256)) * 4)
    result = crossroads("check", str(path))
    assert result.returncode == 1
    assert "CR002" in result.stdout and "Traceback" not in result.stderr
