"""The exhaustive explorer on purpose-built stories: each problem reported exactly, with its location and path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.analysis.explore import explore
from game.cli import main
from game.loader import load_story

AUTHORING = Path(__file__).parent / "stories" / "authoring"
TUTORIAL = Path(__file__).parent.parent / "story" / "tutorial"


def load(name: str):
    return load_story(AUTHORING / f"{name}.yaml")


def test_softlock_is_reported_with_scene_location_and_shortest_path() -> None:
    report = explore(load("softlock"))
    assert report.complete
    assert [(s, n) for s, n, _ in report.softlocks] == [("corridor", 1)]
    assert report.softlocks[0][2] == (("hall", 1),)  # "Walk on" without the key
    assert [f.code for f in report.errors] == ["CR202"]
    assert str(report.errors[0]).startswith(f"{report.errors[0].location.path}:18:3: CR202: softlock")
    assert report.loops == []


def test_unreachable_ending_is_an_error_and_its_guarding_choice_a_warning() -> None:
    report = explore(load("unreachable-ending"))
    by_scene = {e.scene: e for e in report.endings}
    assert by_scene["home"].reachable and by_scene["home"].path == (("street", 1),)
    assert not by_scene["jackpot"].reachable
    assert [(f.code, f.location.line) for f in report.findings] == [("CR201", 37), ("CR205", 29)]
    assert report.unreached_scenes == ["jackpot"]
    assert report.unavailable_choices == [("fountain", 0)]
    coins = next(v for v in report.variables if v.name == "coins")
    assert (coins.minimum, coins.maximum) == (0, 2)


def test_loop_without_exit_is_reported_once_with_its_scenes() -> None:
    report = explore(load("endless-loop"))
    assert report.complete
    assert report.softlocks == []
    assert report.loops == [(("left", "right"), 2, (("gate", 0),))]
    assert [f.code for f in report.errors] == ["CR203"]


def test_state_cap_is_reported_plainly_and_makes_coverage_partial() -> None:
    report = explore(load("state-explosion"), max_states=300)
    assert not report.complete
    assert report.states == 300
    assert [f.code for f in report.findings] == ["CR206"]
    assert "coverage is partial" in report.findings[0].message
    assert report.errors == []  # an incomplete search reports no unreachable endings or loops it cannot prove


def test_clean_story_with_visits_and_once_has_no_findings() -> None:
    report = explore(load("clean"))
    assert report.complete and report.findings == []
    assert report.tracked_visits == ("room",)
    # knocks 0..3 x visits('room') capped at 4 x once used or not, plus the ending
    assert 2 < report.states < 4 * 4 * 2 + 4
    assert {e.scene: e.path for e in report.endings} == {"street": (("room", 2),)}


def test_tutorial_explores_completely_with_shortest_paths() -> None:
    report = explore(load_story(TUTORIAL))
    assert report.complete
    paths = {e.scene: e.path for e in report.endings}
    assert paths["deleted"] == (("message", 2),)
    assert paths["checked"] == (("message", 1),)
    assert len(paths["scammed"]) == 2
    assert report.softlocks == [] and report.loops == []


def test_shortest_paths_replay_to_their_endings() -> None:
    from game.engine import Playthrough

    story = load_story(TUTORIAL)
    for ending in explore(story).endings:
        play = Playthrough.replay(story, list(ending.path))
        assert play.scene.id == ending.scene and play.is_ending


@pytest.mark.parametrize(
    ("name", "code"),
    [("softlock", 1), ("unreachable-ending", 1), ("endless-loop", 1), ("clean", 0)],
)
def test_command_exit_codes(name: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(AUTHORING / f"{name}.yaml")]) == code


def test_command_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(AUTHORING / "softlock.yaml"), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["mode"] == "exhaustive" and data["complete"] is True
    assert data["softlocks"][0]["scene"] == "corridor"
    assert data["softlocks"][0]["path"] == [{"scene": "hall", "choice": 1, "say": "Walk on"}]
    assert data["findings"][0]["code"] == "CR202"


def test_command_falls_back_to_random_when_the_cap_is_hit(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(AUTHORING / "state-explosion.yaml"), "--max-states", "200"]) == 0
    captured = capsys.readouterr()
    assert "larger than 200 states; falling back to 1,000 random playthroughs" in captured.err
    assert "coverage PARTIAL" in captured.out
    assert "1,000 random playthroughs (seed 0" in captured.out


def test_command_json_fallback(capsys: pytest.CaptureFixture[str]) -> None:
    main(["explore", str(AUTHORING / "state-explosion.yaml"), "--max-states", "200", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["complete"] is False and data["fallback"]["mode"] == "random"


def test_command_missing_story_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", "no/such/story"]) == 2
    assert "crossroads: error: no such file or folder: no/such/story" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "message"), [(["--max-states", "0"], "at least 1"), (["--random", "x"], "whole number")]
)
def test_command_bad_numbers_exit_2(option: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["explore", str(AUTHORING / "clean.yaml"), *option])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_command_reports_story_errors_with_locations(write_story, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_story(
        "crossroads: 1\nid: x\ntitle: X\nstart: a\nscenes:\n  a: {title: A, choices: [{say: go, go: b}]}\n"
    )
    assert main(["explore", str(folder)]) == 1
    err = capsys.readouterr().err
    assert ":6:" in err and "CR020" in err


WALK_STORIES = [
    AUTHORING / "clean.yaml",
    AUTHORING / "unreachable-ending.yaml",
    TUTORIAL,
    TUTORIAL.parent / "class-monitor",
]


@pytest.fixture(scope="module")
def explored() -> dict[Path, tuple[object, object]]:
    from game.loader import check_story

    out = {}
    for path in WALK_STORIES:
        result = check_story(path)
        if result.story is not None:
            out[path] = (result.story, explore(result.story))
    return out


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_play_never_meets_what_explore_says_is_impossible(explored, data) -> None:
    """Random walks with the engine stay inside what the explorer reported: scenes, choices, value ranges."""
    from game.engine import Playthrough

    path = data.draw(st.sampled_from(sorted(explored)))
    story, report = explored[path]
    unreached = set(report.unreached_scenes)
    unavailable = set(report.unavailable_choices)
    ranges = {v.name: v for v in report.variables}
    reachable_endings = {e.scene for e in report.endings if e.reachable}
    play = Playthrough(story)
    for _ in range(60):
        assert play.scene.id not in unreached
        for name, value in play.vars.items():
            r = ranges[name]
            assert (r.minimum <= value <= r.maximum) if r.type == "int" else value in r.values
        if play.is_ending:
            assert play.scene.id in reachable_endings
            break
        options = [o for o in play.choices() if o.enabled]
        assert options, "a softlock the explorer did not report"
        option = data.draw(st.sampled_from(options))
        assert (play.scene.id, option.choice.index) not in unavailable
        play.choose(option.choice.index)
