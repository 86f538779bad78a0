"""Hostile inputs: alias bombs, deep nesting, oversized files and unsafe tags end in bounded time with a code."""

from __future__ import annotations

import time

import pytest

from game import yamlsource
from game.loader import check_story


def _codes(folder) -> list[str]:
    return [d.code for d in check_story(folder).errors]


def test_billion_laughs_is_refused_quickly(write_story) -> None:
    lines = ["crossroads: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    started = time.perf_counter()
    codes = _codes(write_story("\n".join(lines) + "\n"))
    assert codes == ["CR005"]
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("depth", [70, 5000, 200_000])
def test_deep_nesting_is_refused(write_story, depth: int) -> None:
    text = "crossroads: 1\nx: " + "[" * depth + "]" * depth + "\n"
    assert _codes(write_story(text)) == ["CR004"]


def test_deep_block_nesting_is_refused(write_story) -> None:
    text = "crossroads: 1\n" + "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v: 1\n"
    assert _codes(write_story(text)) == ["CR004"]


def test_oversized_file_is_refused_without_parsing(write_story, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 1000)
    result = check_story(write_story("crossroads: 1\n" + "# padding\n" * 200))
    assert [(d.code, d.location.line) for d in result.errors] == [("CR003", 1)]


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['echo hacked']",
        "!!python/name:os.system",
        "!!binary aGVsbG8=",
        "!custom x",
        "!!set {a, b}",
    ],
)
def test_no_python_objects_from_tags(write_story, tag: str) -> None:
    codes = _codes(write_story(f"crossroads: 1\nid: x\ntitle: {tag}\n"))
    assert "CR006" in codes


def test_recursive_alias_does_not_hang(write_story) -> None:
    codes = _codes(write_story("crossroads: 1\nid: &a [*a]\n"))
    assert codes  # an error, in bounded time, whatever its code


def test_empty_file(write_story) -> None:
    assert _codes(write_story("")) == ["CR012"]


def test_top_level_not_a_mapping(write_story) -> None:
    assert _codes(write_story("- just\n- a list\n")) == ["CR011"]
