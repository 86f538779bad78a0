"""Stories by name (a bundled id wherever a PATH goes), ``crossroads new``, ``crossroads list`` and the recent list."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from game.cli import main
from game.commands.list import count_phrase, sizes
from game.loader import load_story
from game.paths import StoryNotFound, resolve_story_arg
from game.persist import recent
from game.schema import schema_text
from tests.conftest import CLASS_MONITOR, TUTORIAL


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------------------------------- the resolver


def test_a_bundled_id_names_the_bundled_story() -> None:
    assert resolve_story_arg("tutorial").resolve() == TUTORIAL.resolve()
    assert resolve_story_arg("class-monitor").resolve() == CLASS_MONITOR.resolve()


def test_a_real_path_wins_over_an_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "tutorial").mkdir()
    monkeypatch.chdir(tmp_path)
    assert resolve_story_arg("tutorial") == Path("tutorial")


def test_neither_path_nor_id_lists_the_bundled_ids() -> None:
    with pytest.raises(StoryNotFound, match=r"no such file or folder: nope .*class-monitor, tutorial"):
        resolve_story_arg("nope")


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "tutorial"],
        ["check", "class-monitor", "tutorial"],
        ["graph", "tutorial"],
        ["export", "tutorial"],
        ["explore", "tutorial"],
        ["guide", "tutorial"],
    ],
)
def test_commands_take_a_bundled_id(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert out.strip() or "✓" in err  # a result was printed


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "nope"],
        ["graph", "nope"],
        ["export", "nope"],
        ["guide", "nope"],
        ["play", "nope", "--plain"],
        ["serve", "nope"],
        ["report", str(Path(__file__).parent / "fixtures" / "records"), "--story", "nope"],
    ],
)
def test_an_unknown_story_exits_2_naming_the_bundled_ones(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert "no such file or folder: nope" in err and "class-monitor, tutorial" in err
    assert "Traceback" not in err


def test_play_plain_takes_a_bundled_id(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    code, out, _err = run(capsys, "play", "tutorial", "--plain", "--lang", "en")
    assert code == 0
    assert out.startswith("The Prize Message")


# ---------------------------------------------------------------------------------------------- new


def _modeline_target(file: Path) -> Path:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), first
    return (file.parent / first.split("=", 1)[1]).resolve()


def test_new_copies_the_tutorial_with_its_own_id_title_and_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "My-Story"
    code, _out, err = run(capsys, "new", str(target))
    assert code == 0, err
    assert "crossroads play" in err
    story = load_story(target)
    assert story.id == "my-story"
    assert story.title.values == {"en": "My story", "zh": "My story"}
    assert len(story.scenes) == len(load_story(TUTORIAL).scenes)
    schema = _modeline_target(target / "story.yaml")
    assert schema == (target / ".crossroads" / "story-v1.schema.json").resolve()
    assert schema.read_text(encoding="utf-8") == schema_text()
    assert "../../game/schema" not in (target / "story.yaml").read_text(encoding="utf-8")


def test_new_from_the_flagship_points_every_file_at_the_schema(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "copy"
    code, _out, err = run(capsys, "new", str(target), "--from", "class-monitor", "--id", "mine", "--title", "班长 二")
    assert code == 0, err
    story = load_story(target)
    assert story.id == "mine" and story.title.values["zh"] == "班长 二"
    files = sorted(target.glob("*.yaml"))
    assert {f.name for f in files} == {f.name for f in CLASS_MONITOR.glob("*.yaml")}
    for file in files:
        if file.name != "guide.yaml":  # the guide's extra material has no modeline in the original either
            assert _modeline_target(file) == (target / ".crossroads" / "story-v1.schema.json").resolve()


def test_new_accepts_an_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert run(capsys, "new", str(tmp_path / "empty"))[0] == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "nope"], "no such file or folder: nope"),
        (["--id", "no spaces"], "cannot be a story id"),
    ],
)
def test_new_refuses_bad_arguments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], message: str
) -> None:
    code, _out, err = run(capsys, "new", str(tmp_path / "s"), *extra)
    assert code == 2 and message in err
    assert not (tmp_path / "s").exists()


def test_new_refuses_a_folder_that_is_not_empty(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "notes.txt").write_text("mine", encoding="utf-8")
    code, _out, err = run(capsys, "new", str(tmp_path / "s"))
    assert code == 2 and "is not empty" in err
    assert [p.name for p in (tmp_path / "s").iterdir()] == ["notes.txt"]


# ---------------------------------------------------------------------------------------------- list


def test_plurals_in_both_languages() -> None:
    assert [count_phrase(n, "scene", "en") for n in (0, 1, 2)] == ["0 scenes", "1 scene", "2 scenes"]
    assert count_phrase(1, "ending", "en") == "1 ending"
    assert sizes(1, 1, "en") == "1 scene, 1 ending"
    assert sizes(6, 1, "zh") == "6 个场景，1 个结局"


def test_list_shows_the_bundled_stories(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "list", "--lang", "en")
    assert code == 0
    tutorial = load_story(TUTORIAL)
    line = next(line for line in out.splitlines() if line.strip().startswith("tutorial"))
    assert "The Prize Message" in line and "en, zh" in line
    assert sizes(len(tutorial.scenes), len(tutorial.endings()), "en") in line
    assert "class-monitor" in out and "No recent stories yet" in out


def test_list_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "list", "--lang", "zh")
    assert code == 0
    assert "内置故事" in out and "中奖短信" in out and "个场景" in out and "scenes" not in out


def test_stories_played_or_checked_appear_as_recent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "new", str(tmp_path / "first"))
    run(capsys, "new", str(tmp_path / "second"), "--title", "Second one")
    assert run(capsys, "check", str(tmp_path / "first"))[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("quit\n"))
    assert run(capsys, "play", str(tmp_path / "second"), "--plain")[0] == 0
    run(capsys, "check", "tutorial")  # a bundled story is listed as bundled, not as recent
    code, out, _err = run(capsys, "list", "--lang", "en")
    assert code == 0
    recent_part = out.split("Recent stories:")[1]
    lines = [line for line in recent_part.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == ["second", "first"]  # newest first
    assert "Second one" in lines[0] and "6 scenes, 3 endings" in lines[0]
    assert "tutorial" not in recent_part


def test_recent_list_is_versioned_deduplicated_and_bounded(tmp_path: Path, crossroads_home: Path) -> None:
    story = load_story(TUTORIAL)
    for n in range(recent.LIMIT + 3):
        (tmp_path / f"s{n}").mkdir()
        recent.remember(tmp_path / f"s{n}" / "story.yaml", story)
    recent.remember(tmp_path / "s5" / "story.yaml", story)
    document = json.loads(recent.recent_path().read_text(encoding="utf-8"))
    assert document["format"] == "crossroads-recent" and document["version"] == 1
    paths = [Path(item.path).parent.name for item in recent.recent_stories()]
    assert len(paths) == recent.LIMIT and paths[0] == "s5" and paths.count("s5") == 1
    assert not list(recent.recent_path().parent.glob(".recent.json.*"))  # no temporary file left behind


def test_a_damaged_recent_list_is_set_aside(capsys: pytest.CaptureFixture[str], crossroads_home: Path) -> None:
    path = recent.recent_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert recent.recent_stories() == []
    assert (path.parent / "recent.json.bad").exists()
    assert run(capsys, "list")[0] == 0


def test_an_unwritable_recent_list_never_stops_a_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "new", str(tmp_path / "s"))

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(recent, "write_document", refuse)
    code, _out, err = run(capsys, "check", str(tmp_path / "s"))
    assert code == 0 and "Traceback" not in err
