"""Random playtests: least-used option first, reproducible by seed, guarded against endless loops."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.analysis.explore import explore
from game.analysis.randomtest import random_playtest
from game.cli import main
from game.loader import load_story

AUTHORING = Path(__file__).parent / "stories" / "authoring"
TUTORIAL = Path(__file__).parent.parent / "story" / "tutorial"


def load(name: str):
    return load_story(AUTHORING / f"{name}.yaml")


def test_same_seed_same_report_and_different_seeds_can_differ() -> None:
    story = load_story(TUTORIAL)
    first = random_playtest(story, 50, seed=7).to_json()
    again = random_playtest(story, 50, seed=7).to_json()
    first.pop("seconds"), again.pop("seconds")
    assert first == again
    seen = {json.dumps(random_playtest(story, 5, seed=s).to_json()["endings"]) for s in range(20)}
    assert len(seen) > 1


def test_least_used_option_spreads_the_first_runs_over_all_choices() -> None:
    report = random_playtest(load_story(TUTORIAL), 3, seed=0)
    assert {index for (scene, index) in report.choice_uses if scene == "message"} == {0, 1, 2}
    assert report.choice_uses[("message", 0)] == 1


def test_tutorial_coverage_and_ending_distribution() -> None:
    report = random_playtest(load_story(TUTORIAL), 300, seed=1)
    assert report.scene_coverage == (6, 6)
    assert report.choice_coverage == (9, 9)
    assert sum(report.endings.values()) == 300
    assert set(report.endings) == {"checked", "deleted", "scammed"}
    assert report.findings == []


def test_endless_loop_is_cut_off_by_the_step_guard() -> None:
    report = random_playtest(load("endless-loop"), 10, seed=0, max_steps=50)
    assert len(report.cut_off) == 5  # every other run enters the maze (least-used option first)
    assert all(len(path) == 50 for path in report.cut_off)
    assert [f.code for f in report.findings] == ["CR207"]
    assert "'left', 'right'" in report.findings[0].message
    assert report.endings["home"] == 5


def test_softlock_is_counted_with_its_first_path() -> None:
    report = random_playtest(load("softlock"), 10, seed=3)
    count, path = report.softlocks["corridor"]
    assert count == 5 and path == (("hall", 1),)
    assert [f.code for f in report.errors] == ["CR202"]


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32), runs=st.integers(min_value=1, max_value=40))
def test_random_never_reaches_what_explore_proves_unreachable(seed: int, runs: int) -> None:
    story = load("unreachable-ending")
    reachable = {e.scene for e in explore(story).endings if e.reachable}
    report = random_playtest(story, runs, seed)
    assert set(report.endings) <= reachable
    assert sum(report.endings.values()) == runs


def test_command_random_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(TUTORIAL), "--random", "20", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "20 random playthroughs (seed 4" in out and "scene coverage: 6/6" in out
    assert main(["explore", str(TUTORIAL), "--random", "20", "--seed", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "random" and sum(data["endings"].values()) == 20


def test_command_random_exit_1_on_softlock(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(AUTHORING / "softlock.yaml"), "--random", "4"]) == 1
    assert "CR202" in capsys.readouterr().out
