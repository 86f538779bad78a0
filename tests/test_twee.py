"""Twee 3 interop: export (IFID, passages, links), import (link forms, escapes, messages), byte-stable round trip."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from game.cli import main
from game.interop.twee import FORMATS, TweeError, escape_name, export_twee, import_twee, parse_link, parse_twee, to_yaml
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


def load_imported(result, tmp_path: Path, name: str = "rt"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "story.yaml").write_text(to_yaml(result.story), encoding="utf-8")
    check = check_story(folder)
    assert check.errors == [], [str(d) for d in check.errors]
    return check.story


STORIES = [TUTORIAL, *sorted(AUTHORING.glob("*.yaml"))]


@pytest.mark.parametrize("path", STORIES, ids=[p.stem if p.suffix else p.name for p in STORIES])
def test_round_trip_keeps_the_graph(path: Path, tmp_path: Path) -> None:
    story = load_story(path)
    result = import_twee(export_twee(story).text)
    again = load_imported(result, tmp_path)
    assert graph_of(again) == graph_of(story)
    assert result.warnings == [] and result.problems == []
    titles = {sid: s.title.get("en", "en") for sid, s in story.scenes.items()}
    assert {sid: s.title.get("en", "en") for sid, s in again.scenes.items()} == titles


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("path", [TUTORIAL, CLASS_MONITOR], ids=["tutorial", "class-monitor"])
def test_round_trip_is_byte_stable(path: Path, fmt: str, tmp_path: Path) -> None:
    story = load_story(path)
    first = export_twee(story, "en", fmt).text
    result = import_twee(first, "first.twee")
    assert result.format == fmt and result.problems == []
    again = load_imported(result, tmp_path)
    assert again.ifid == story.ifid
    assert graph_of(again) == graph_of(story)
    assert export_twee(again, "en", fmt).text == first


def test_round_trip_carries_conditions_and_effects_in_harlowe_and_sugarcube(tmp_path: Path) -> None:
    story = load_story(CLASS_MONITOR)
    for fmt in ("harlowe", "sugarcube"):
        again = load_imported(import_twee(export_twee(story, "en", fmt).text), tmp_path, fmt)
        assert {n: v.default for n, v in again.variables.items()} == {n: v.default for n, v in story.variables.items()}
        for sid, scene in story.scenes.items():
            for old, new in zip(scene.choices, again.scenes[sid].choices, strict=True):
                assert [(e.variable, e.expr.source) for e in old.effects] == [
                    (e.variable, e.expr.source) for e in new.effects
                ]
                assert (old.condition is None) == (new.condition is None), (sid, fmt)
            assert [b.condition is None for b in scene.blocks] == [
                b.condition is None for b in again.scenes[sid].blocks
            ]


def test_export_has_title_data_with_the_story_ifid_and_one_passage_per_scene() -> None:
    story = load_story(TUTORIAL)
    text = export_twee(story).text
    assert text == export_twee(story).text
    twee = parse_twee(text, "t.twee")
    assert twee.title == "The Prize Message"
    assert twee.data["ifid"] == story.ifid == "3309A590-3123-47EB-807E-DA8F54F331B0"
    assert twee.data["format"] == "Harlowe" and twee.data["start"] == "message"
    assert [p.name for p in twee.passages] == ["StoryInit", *story.scenes]
    assert twee.passages[0].tags == ["startup"] and "(set: $suspicion to 0)" in twee.passages[0].text
    message = twee.passages[1]
    assert "[[Tap the link before time runs out->form]]" in message.text
    assert {p.name: p.tags for p in twee.passages}["scammed"] == ["ending-bad"]
    assert len({p.metadata["position"] for p in twee.passages[1:]}) == len(story.scenes)


def test_a_story_without_ifid_gets_a_random_v4_one(tmp_path: Path) -> None:
    story = load_story(AUTHORING / "clean.yaml")
    assert story.ifid is None
    ifids = {parse_twee(export_twee(story).text, "x").data["ifid"] for _ in range(2)}
    assert len(ifids) == 2
    for ifid in ifids:
        assert ifid == ifid.upper() and uuid.UUID(ifid).version == 4


def test_export_writes_one_line_per_paragraph_and_literal_braces_once(tmp_path: Path) -> None:
    folder = tmp_path / "braces"
    folder.mkdir()
    (folder / "story.yaml").write_text(
        "crossroads: 1\nid: braces\ntitle: Braces\nstart: a\nvars: {n: 2}\nscenes:\n"
        "  a:\n    title: A\n    text: |\n      Use {{x}} here, with\n      {n} coins and **bold**.\n\n      Next.\n"
        "    choices: [{say: Go, go: b}]\n  b: {title: B, ending: {kind: safe, title: B}}\n",
        encoding="utf-8",
    )
    story = load_story(folder)
    harlowe = export_twee(story).text
    assert "Use &#123;x&#125; here, with $n coins and ''bold''.\n\nNext." in harlowe
    chapbook = export_twee(story, story_format="chapbook").text
    assert "Use &#123;x&#125; here, with {n} coins and **bold**." in chapbook
    for fmt in FORMATS:
        first = export_twee(story, story_format=fmt).text
        again = load_imported(import_twee(first), tmp_path, fmt)
        assert again.scenes["a"].blocks[0].text.get("en", "en").startswith("Use {{x}} here, with {n} coins")
        assert export_twee(again, story_format=fmt).text == first


def test_export_in_chinese_joins_lines_without_spaces() -> None:
    text = export_twee(load_story(TUTORIAL), "zh").text
    assert ":: StoryTitle\n中奖短信" in text and "[[赶紧点开链接->form]]" in text
    assert "笔记本电脑。请在" in text


def test_export_warns_about_what_the_format_cannot_say() -> None:
    result = export_twee(load_story(CLASS_MONITOR), "en", "chapbook")
    assert result.warnings and all(w.code == "CR420" for w in result.warnings)
    assert any("cannot be written in Chapbook" in w.message for w in result.warnings)
    assert all(re.match(r"story/class-monitor/\S+\.yaml:\d+:\d+$", str(w.location)) for w in result.warnings)


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("target", ("target", "target", None)),
        ("Go on->next", ("Go on", "next", None)),
        ("next<-Go on", ("Go on", "next", None)),
        ("Go on|next", ("Go on", "next", None)),
        ("a->b->c", ("a->b", "c", None)),  # the rightmost -> divides
        ("c<-b<-a", ("b<-a", "c", None)),  # the leftmost <- divides
        ("text|next][$x to 1", ("text", "next", "$x to 1")),
    ],
)
def test_link_forms(inner: str, expected: tuple[str, str, str | None]) -> None:
    assert parse_link(inner) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (":: Plain name", ("Plain name", [], {})),
        (":: A [tag1 tag2]", ("A", ["tag1", "tag2"], {})),
        (':: A [t] {"position":"1,2"}', ("A", ["t"], {"position": "1,2"})),
        (':: A {"position":"1,2"}', ("A", [], {"position": "1,2"})),
        (r":: Odd \[name\] \{x\} back\\slash [t]", ("Odd [name] {x} back\\slash", ["t"], {})),
    ],
)
def test_passage_header_escapes(header: str, expected) -> None:
    passage = parse_twee(header + "\ntext\n", "h.twee").passages[0]
    assert (passage.name, passage.tags, passage.metadata) == expected


def test_escape_name_round_trips() -> None:
    name = "We[ird]{name}\\"
    passage = parse_twee(":: " + escape_name(name) + " [x]\n", "e.twee").passages[0]
    assert (passage.name, passage.tags) == (name, ["x"])


TWINE = """\
Text before the first passage is ignored.

:: StoryTitle
A Tale

:: StoryData
{"ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC", "start": "The [Gate]"}

:: The \\[Gate\\] [intro] {"position":"100,100"}
You stand at a gate.
[[Enter->Hall of {Mirrors}]]
[[Road<-Walk away]]
[[Nowhere->missing]]

:: Hall of \\{Mirrors\\}
A mirror shines.
Look: [[the road|Road]] is there. [[The web->https://example.org]]

:: Road
The end of the road, with {braces}.

:: Styles [stylesheet]
body { color: red; }
"""


def test_import_of_a_plain_twine_story(tmp_path: Path) -> None:
    result = import_twee(TWINE, "tale.twee")
    story = result.story
    assert story["title"] == "A Tale" and story["id"] == "a-tale"
    assert story["ifid"] == "D674C58C-DEFA-4F70-B7A2-27742230C0FC"
    scenes = story["scenes"]
    assert list(scenes) == ["The-Gate", "Hall-of-Mirrors", "Road"]
    assert story["start"] == "The-Gate"
    assert scenes["The-Gate"]["title"] == "The [Gate]"
    assert scenes["The-Gate"]["choices"] == [
        {"say": "Enter", "go": "Hall-of-Mirrors"},
        {"say": "Walk away", "go": "Road"},
    ]
    assert scenes["Hall-of-Mirrors"]["choices"] == [{"say": "the road", "go": "Road"}]
    assert "Look: the road is there. The web" in scenes["Hall-of-Mirrors"]["text"]
    assert scenes["Road"]["ending"] == {"kind": "mixed", "title": "Road"}
    assert scenes["Road"]["text"] == "The end of the road, with {{braces}}."
    messages = [str(w) for w in result.warnings]
    # the link's own line and column, not the passage header's
    assert "tale.twee:13:1: CR409 (warning): passage 'The [Gate]' links to 'missing'" in "\n".join(messages)
    assert any(m.startswith("tale.twee:22:1: CR412 (warning): 1 special passage") and "'Styles'" in m for m in messages)
    assert not any("example.org" in m for m in messages)  # a web link is text, not a missing passage
    load_imported(result, tmp_path)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("no passages at all", "f.twee:1:1: CR403", "no story passages"),
        (":: A\nx\n:: A\ny\n", "f.twee:3:1: CR404", "defined twice (first at line 1)"),
        (":: A [unclosed\nx\n", "f.twee:1:6: CR403", "passage tags '[' are not closed"),
        ("::   \nx\n", "f.twee:1:3: CR403", "needs a name"),
    ],
)
def test_import_errors_name_the_file_line_and_column(text: str, where: str, message: str) -> None:
    with pytest.raises(TweeError) as caught:
        import_twee(text, "f.twee")
    assert str(caught.value).startswith(where) and message in str(caught.value)


def test_bad_story_data_is_a_warning_at_its_own_line_even_after_blank_lines() -> None:
    text = ':: StoryData\n\n\n{\n  "ifid": "x",\n  oops\n}\n\n:: Start\nHello\n'
    result = import_twee(text, "d.twee")
    data_warning = next(w for w in result.warnings if w.code == "CR407")
    assert (data_warning.location.line, data_warning.location.col) == (6, 3)  # the 'oops', three blank lines later
    assert result.story["start"] == "Start"


def test_malformed_passage_metadata_is_a_warning() -> None:
    result = import_twee(':: Start {"position": oops}\nHello\n', "m.twee")
    warning = next(w for w in result.warnings if w.code == "CR406")
    assert str(warning.location) == "m.twee:1:23" and "metadata ignored" in warning.message
    assert "Start" in result.story["scenes"]


def test_import_command_writes_and_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "tale.twee"
    source.write_text(TWINE, encoding="utf-8")
    assert main(["import", str(source)]) == 0
    written = (tmp_path / "tale" / "story.yaml").read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=")
    assert written.splitlines()[0].endswith("game/schema/story-v1.schema.json")
    err = capsys.readouterr().err
    assert "wrote" in err and "CR409 (warning)" in err and "tale.twee:13:1" in err
    assert main(["import", str(source)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["import", str(source), "--force"]) == 0


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 2, "no such file"),
        (b":: A\n\xff\xfe", 1, "bad.twee:2:1: CR402: not valid UTF-8"),
        (b"nothing", 1, "bad.twee:1:1: CR403: no story passages"),
    ],
)
def test_import_command_bad_input(tmp_path: Path, capsys, content, code, message) -> None:
    source = tmp_path / "bad.twee"
    if content is not None:
        source.write_bytes(content)
    assert main(["import", str(source)]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_import_that_reaches_little_is_refused_unless_forced(tmp_path: Path, capsys) -> None:
    source = tmp_path / "macro.twee"
    source.write_text(
        ':: StoryData\n{"format": "Snowman"}\n\n:: Start\n<% if (s.x) { %>go<% } %>\n<a data-passage="B">B</a>\n'
        ":: B\nb\n:: C\nc\n",
        encoding="utf-8",
    )
    assert main(["import", str(source)]) == 1
    err = capsys.readouterr().err
    assert "CR414" in err and "only 1 of 3 scenes can be reached" in err and "became endings" in err
    assert not (tmp_path / "macro" / "story.yaml").exists()
    assert main(["import", str(source), "--force"]) == 0
    assert "CR414 (warning)" in capsys.readouterr().err


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(TUTORIAL), "--format", "twee"]) == 0
    assert capsys.readouterr().out.startswith(":: StoryTitle\nThe Prize Message")
    out = tmp_path / "t.twee"
    assert main(["export", str(TUTORIAL), "-o", str(out), "--lang", "zh", "--story-format", "sugarcube"]) == 0
    written = out.read_text(encoding="utf-8")
    assert "中奖短信" in written and '"format": "SugarCube"' in written and "<<set $suspicion to 0>>" in written
    assert main(["export", str(TUTORIAL), "--lang", "fr"]) == 2
    with pytest.raises(SystemExit) as exited:
        main(["export", str(TUTORIAL), "--story-format", "snowman"])
    assert exited.value.code == 2


def test_text_shown_only_at_times_leaves_no_gap_in_harlowe_and_sugarcube() -> None:
    """Harlowe and SugarCube show every line break: a false (if:) hook, a (set:) and the startup passage
    must not leave empty lines on the page (seen in Harlowe 3.3.9 in Chromium, issue 15)."""
    story = load_story(CLASS_MONITOR)
    harlowe = {p.name: p.text for p in parse_twee(export_twee(story, "en", "harlowe").text, "h.twee").passages}
    assert harlowe["StoryInit"].startswith("{\n(set: $money to 0)\n") and harlowe["StoryInit"].endswith(")\n}")
    friendship = harlowe["friendship"]
    assert "]\n\n(if:" not in friendship  # each hook holds its own blank line, none is left between hooks
    assert "an unlikely one, thirty years older.\n\n]He helps in ways" in friendship
    assert (
        "\n](if: $money is 0)[[[Tell them you're done, and stop answering->returned-money]]\n]"
        in (harlowe["more-requests"])
    )  # a conditional link holds its own line break
    sugarcube = {p.name: p.text for p in parse_twee(export_twee(story, "en", "sugarcube").text, "s.twee").passages}
    assert "an unlikely one, thirty years older.\n\n<</if>>He helps in ways" in sugarcube["friendship"]
    chapbook = {p.name: p.text for p in parse_twee(export_twee(story, "en", "chapbook").text, "c.twee").passages}
    assert "thirty years older.\n[continue]\n\nHe helps in ways" in chapbook["friendship"]  # Markdown: no gap
