"""Twee 3 interop: export (stable IFID, passages, links), import (link forms, escapes, macros), round trip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.cli import main
from game.interop.twee import (
    TweeError,
    escape_name,
    export_twee,
    ifid_for,
    import_twee,
    parse_header,
    parse_link,
    parse_passages,
    to_yaml,
)
from game.loader import check_story, load_story

HERE = Path(__file__).parent
AUTHORING = HERE / "stories" / "authoring"
TUTORIAL = HERE.parent / "story" / "tutorial"
CLASS_MONITOR = HERE.parent / "story" / "class-monitor"


def graph_of(story) -> dict[str, object]:
    """What must survive a round trip: start, scene ids, each scene's ordered targets, ending kinds."""
    return {
        "start": story.start,
        "scenes": {
            sid: ([c.target for c in s.choices], s.ending.kind if s.ending else None) for sid, s in story.scenes.items()
        },
    }


def round_trip(story, tmp_path: Path):
    result = import_twee(export_twee(story))
    folder = tmp_path / f"rt-{story.id}"
    folder.mkdir()
    (folder / "story.yaml").write_text(to_yaml(result.story), encoding="utf-8")
    check = check_story(folder)
    assert check.errors == [], [str(d) for d in check.errors]
    return check.story, result


STORIES = [TUTORIAL, *sorted(AUTHORING.glob("*.yaml"))]


@pytest.mark.parametrize("path", STORIES, ids=[p.stem if p.suffix else p.name for p in STORIES])
def test_round_trip_keeps_the_graph(path: Path, tmp_path: Path) -> None:
    story = load_story(path)
    again, result = round_trip(story, tmp_path)
    assert graph_of(again) == graph_of(story)
    assert result.warnings == []
    titles = {sid: s.title.get("en", "en") for sid, s in story.scenes.items()}
    assert {sid: s.title.get("en", "en") for sid, s in again.scenes.items()} == titles


def test_round_trip_of_the_flagship(tmp_path: Path) -> None:
    story = load_story(CLASS_MONITOR)
    again, _ = round_trip(story, tmp_path)
    assert graph_of(again) == graph_of(story)


def test_export_has_title_data_with_stable_ifid_and_one_passage_per_scene() -> None:
    story = load_story(TUTORIAL)
    text = export_twee(story)
    assert text == export_twee(story)
    passages = parse_passages(text)
    assert [p.name for p in passages[:2]] == ["StoryTitle", "StoryData"]
    data = json.loads(passages[1].text)
    assert data["ifid"] == ifid_for("tutorial") == ifid_for("tutorial").upper()
    assert re.fullmatch(r"[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}", data["ifid"])
    assert data["start"] == "message"
    assert [p.name for p in passages[2:]] == list(story.scenes)
    message = passages[2]
    assert "[[Tap the link before time runs out->form]]" in message.text
    assert {p.name: p.tags for p in passages[2:]}["scammed"] == ["ending-bad"]
    assert len({p.metadata["position"] for p in passages[2:]}) == len(story.scenes)


def test_export_in_chinese() -> None:
    text = export_twee(load_story(TUTORIAL), "zh")
    assert ":: StoryTitle\n中奖短信" in text and "[[赶紧点开链接->form]]" in text


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("target", ("target", "target")),
        ("Go on->next", ("Go on", "next")),
        ("next<-Go on", ("Go on", "next")),
        ("Go on|next", ("Go on", "next")),
        ("a->b->c", ("a->b", "c")),  # the rightmost -> divides
        ("c<-b<-a", ("b<-a", "c")),  # the leftmost <- divides
        ("text->next][$x to 1", ("text", "next")),  # a setter is dropped
    ],
)
def test_link_forms(inner: str, expected: tuple[str, str]) -> None:
    assert parse_link(inner) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (" Plain name", ("Plain name", [], {})),
        (" A [tag1 tag2]", ("A", ["tag1", "tag2"], {})),
        (' A [t] {"position":"1,2"}', ("A", ["t"], {"position": "1,2"})),
        (' A {"position":"1,2"}', ("A", [], {"position": "1,2"})),
        (r" Odd \[name\] \{x\} back\\slash [t]", ("Odd [name] {x} back\\slash", ["t"], {})),
    ],
)
def test_passage_header_escapes(header: str, expected) -> None:
    assert parse_header(header, 1) == expected


def test_escape_name_round_trips() -> None:
    name = "We[ird]{name}\\"
    assert parse_header(" " + escape_name(name) + " [x]", 1) == (name, ["x"], {})


TWINE = """\
Text before the first passage is ignored.

:: StoryTitle
A Harlowe Tale

:: StoryData
{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "format": "Harlowe", "start": "The [Gate]"}

:: The \\[Gate\\] [intro] {"position":"100,100"}
(set: $coins to 3)You stand at a gate.
[[Enter->Hall of {Mirrors}]]
[[Road<-Walk away]]
[[Nowhere->missing]]

:: Hall of \\{Mirrors\\}
<<if $coins gt 2>>A mirror shines.<</if>>
Look: [[the road|Road]] is there.

:: Road
The end of the road, with {braces}.

:: Styles [stylesheet]
body { color: red; }
"""


def test_import_of_a_twine_story(tmp_path: Path) -> None:
    result = import_twee(TWINE, "tale.twee")
    story = result.story
    assert story["title"] == "A Harlowe Tale" and story["id"] == "a-harlowe-tale"
    scenes = story["scenes"]
    assert list(scenes) == ["The-Gate", "Hall-of-Mirrors", "Road"]
    assert story["start"] == "The-Gate"
    assert scenes["The-Gate"]["title"] == "The [Gate]"
    assert scenes["The-Gate"]["choices"] == [
        {"say": "Enter", "go": "Hall-of-Mirrors"},
        {"say": "Walk away", "go": "Road"},
    ]
    assert scenes["Hall-of-Mirrors"]["choices"] == [{"say": "the road", "go": "Road"}]
    assert "Look: the road is there." in scenes["Hall-of-Mirrors"]["text"]
    assert scenes["Road"]["ending"] == {"kind": "mixed", "title": "Road"}
    assert scenes["Road"]["text"] == "The end of the road, with {{braces}}."
    macro_warnings = [w for w in result.warnings if "story-format code" in w]
    assert len(macro_warnings) == 2  # one per passage, however many macros it has
    assert any("tale.twee:9:" in w and "'(set:'" in w for w in macro_warnings)
    assert any("links to 'missing'" in w for w in result.warnings)
    assert any("'Styles' (stylesheet) skipped" in w for w in result.warnings)
    folder = tmp_path / "tale"
    folder.mkdir()
    (folder / "story.yaml").write_text(to_yaml(story), encoding="utf-8")
    check = check_story(folder)
    assert check.errors == []
    assert check.story.scenes["The-Gate"].blocks[0].text.get("en", "en").startswith("(set: $coins to 3)")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no passages at all", "no story passages"),
        (":: A\nx\n:: A\ny\n", "defined twice (first at line 1)"),
        (":: StoryData\n{oops\n:: A\nx\n", "StoryData is not valid JSON"),
        (":: A [unclosed\nx\n", "line 1: passage tags '[' are not closed"),
    ],
)
def test_import_errors_name_the_line(text: str, message: str) -> None:
    with pytest.raises(TweeError, match=re.escape(message)):
        import_twee(text)


def test_import_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tale.twee"
    source.write_text(TWINE, encoding="utf-8")
    assert main(["import", str(source)]) == 0
    written = (tmp_path / "tale" / "story.yaml").read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=")
    assert written.splitlines()[0].endswith("game/schema/story-v1.schema.json")
    err = capsys.readouterr().err
    assert "wrote" in err and "warning:" in err
    assert main(["import", str(source)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["import", str(source), "--force"]) == 0


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [(None, 2, "no such file"), (b"\xff\xfe::", 1, "not valid UTF-8"), (b"nothing", 1, "no story passages")],
)
def test_import_command_bad_input(tmp_path: Path, capsys, content, code, message) -> None:
    source = tmp_path / "bad.twee"
    if content is not None:
        source.write_bytes(content)
    assert main(["import", str(source)]) == code
    assert message in capsys.readouterr().err


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(TUTORIAL), "--format", "twee"]) == 0
    assert capsys.readouterr().out.startswith(":: StoryTitle\nThe Prize Message")
    out = tmp_path / "t.twee"
    assert main(["export", str(TUTORIAL), "-o", str(out), "--lang", "zh"]) == 0
    assert "中奖短信" in out.read_text(encoding="utf-8")
    assert main(["export", str(TUTORIAL), "--lang", "fr"]) == 2
