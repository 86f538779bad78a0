"""Story-side limits, each at the limit and one past it: ids, choices per scene, numbers, text length, control
characters; the checker and the explorer report a string that grows forever; the cache is validated like a load."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from game import cache
from game.analysis.explore import explore
from game.engine import Playthrough
from game.expr import STRING_LIMIT, compile_expr
from game.ids import MAX_ID_LENGTH, folder_name
from game.loader import MAX_CHOICES, check_story, load_story
from game.paths import data_dir
from game.persist import saves

ENDING = "  end:\n    title: End\n    ending: {kind: safe, title: E}\n"


def story_text(story_id: str = "s", choices: int = 1, title: str = "T", extra_vars: str = "") -> str:
    lines = [
        "crossroads: 1",
        f"id: {story_id}",
        f"title: {title}",
        "start: a",
        *([extra_vars] if extra_vars else []),
        "scenes:",
        "  a:",
        "    title: A",
        "    choices:",
    ]
    lines += [f"      - {{say: 'option {i}', go: end}}" for i in range(choices)]
    return "\n".join(lines) + "\n" + ENDING


def codes(folder: Path) -> list[str]:
    return [d.code for d in check_story(folder).diagnostics]


def test_choices_per_scene_at_the_limit_and_one_past_it(write_story) -> None:
    assert codes(write_story(story_text(choices=MAX_CHOICES))) == []
    result = check_story(write_story(story_text(choices=MAX_CHOICES + 1), "over"))
    assert [(d.code, d.location.line) for d in result.errors] == [("CR057", 9)]
    assert "51 choices, more than the limit of 50" in result.errors[0].message


def test_story_id_length_at_the_limit_and_one_past_it(write_story) -> None:
    assert codes(write_story(story_text("a" * MAX_ID_LENGTH))) == []
    assert codes(write_story(story_text("a" * (MAX_ID_LENGTH + 1)), "long")) == ["CR014"]


@pytest.mark.parametrize(
    "story_id",
    ['"nl\\n"', "../../../../outside", '"a/b"', '"a\\\\b"', '"tab\\tid"', ".hidden", '"a b"', '"é"'],
)
def test_story_ids_must_be_slugs(write_story, story_id: str) -> None:
    result = check_story(write_story(story_text(story_id)))
    assert [d.code for d in result.errors] == ["CR014"]
    assert "\n" not in result.errors[0].message and "\x1b" not in result.errors[0].message


def test_control_characters_in_an_id_are_removed_with_a_warning(write_story) -> None:
    result = check_story(write_story(story_text('"esc\\x1b"')))
    assert [d.code for d in result.diagnostics] == ["CR007"] and result.story.id == "esc"


def test_a_rejected_id_says_where_its_old_saves_are(write_story, crossroads_home: Path) -> None:
    (crossroads_home / "saves" / ("x" * 70)).mkdir(parents=True)
    message = check_story(write_story(story_text("x" * 70))).errors[0].message
    assert "saves made under this id are kept in" in message and "rename that folder" in message


@pytest.mark.parametrize("story_id", ["../../../../outside", "nl\n", "..", "/etc", "a\\b", ""])
def test_save_folders_stay_inside_the_data_folder(story_id: str, crossroads_home: Path) -> None:
    folder = saves.saves_dir(story_id)
    assert folder.parent == data_dir() / "saves"
    assert folder.resolve().is_relative_to((data_dir() / "saves").resolve())
    assert "/" not in folder_name(story_id) and "\n" not in folder_name(story_id)


def test_variable_name_length_at_the_limit_and_one_past_it(write_story) -> None:
    def with_var(name: str) -> str:
        return story_text(extra_vars=f"vars:\n  {name}: {{type: int, default: 0, show: true}}")

    assert codes(write_story(with_var("v" * MAX_ID_LENGTH))) == []
    assert codes(write_story(with_var("v" * (MAX_ID_LENGTH + 1)), "over")) == ["CR014"]


def test_numbers_at_the_digit_limit_and_one_past_it(write_story) -> None:
    assert codes(write_story(story_text(title="9" * 4300))) == []
    result = check_story(write_story(story_text(title="9" * 4301), "over"))
    assert [(d.code, d.location.line, d.location.col) for d in result.errors] == [("CR008", 3, 8)]


def test_escape_sequences_are_removed_with_a_located_warning(write_story) -> None:
    text = story_text(title='"T\\x1b]0;pwned\\x07"').replace("title: A", 'title: "A\\e[2J"')
    text = text.replace("'option 0'", '"go\\x9b31m"')
    folder = write_story(text)
    result = check_story(folder)
    warnings = [(d.code, d.location.line, d.location.col) for d in result.warnings]
    assert warnings == [("CR007", 3, 10), ("CR007", 7, 14), ("CR007", 9, 18)]
    play = Playthrough(result.story)
    assert result.story.title.get("en", "en") == "T]0;pwned"
    assert play.title() == "A[2J" and play.choices()[0].text == "go31m"


def test_text_built_by_expressions_is_cut_at_the_limit() -> None:
    types = {"s": "str", "t": "str"}
    join = compile_expr("s + t", types)

    class Env:
        def __init__(self, s: str, t: str) -> None:
            self.vars = {"s": s, "t": t}
            self.visits: dict[str, int] = {}

    assert join(Env("a" * (STRING_LIMIT - 1), "b")) == "a" * (STRING_LIMIT - 1) + "b"
    assert join(Env("a" * STRING_LIMIT, "b")) == "a" * STRING_LIMIT
    assert len(join(Env("a" * STRING_LIMIT, "b" * STRING_LIMIT))) == STRING_LIMIT


def test_text_defaults_at_the_limit_and_one_past_it(write_story) -> None:
    def with_default(length: int) -> str:
        return story_text(extra_vars=f"vars:\n  s: {{type: str, default: '{'x' * length}', show: true}}")

    assert codes(write_story(with_default(STRING_LIMIT))) == []
    assert codes(write_story(with_default(STRING_LIMIT + 1), "over")) == ["CR060"]


GROWING = """crossroads: 1
id: grow
title: Grow
vars:
  s: "ab"
start: a
scenes:
  a:
    title: A
    text: "{s}"
    choices:
      - {say: again, go: a, set: {s: "s + s"}}
      - {say: stop, go: end}
"""


def test_a_string_that_grows_forever_is_reported_by_check_and_explore(write_story) -> None:
    folder = write_story(GROWING + ENDING)
    result = check_story(folder)
    assert [(d.code, d.location.line) for d in result.warnings] == [("CR036", 12)]
    report = explore(result.story)
    assert report.complete
    assert [f.code for f in report.findings] == ["CR208"]
    assert report.findings[0].path[0] == ("a", 0)


def test_appending_once_on_the_way_out_is_not_reported(write_story) -> None:
    text = GROWING.replace("{say: stop, go: end}", '{say: stop, go: end, set: {s: "s + s"}}').replace(
        '{say: again, go: a, set: {s: "s + s"}}', "{say: again, go: a}"
    )
    assert "CR036" not in codes(write_story(text + ENDING))


def test_a_long_play_stays_bounded(write_story, crossroads_home: Path) -> None:
    story = load_story(write_story(GROWING + ENDING))
    play = Playthrough(story)
    for _ in range(200):
        play.choose(0)
    assert len(play.vars["s"]) == STRING_LIMIT
    info = saves.autosave(play)
    assert info.path.stat().st_size < 20_000
    restored, _notice = saves.load_save(story)
    assert len(restored.vars["s"]) == STRING_LIMIT


# -- the compiled cache -----------------------------------------------------------------------------------------


def _tamper(entry: Path, change) -> None:
    path = cache.entry_path(entry)
    head, _, body = path.read_bytes().partition(b"\n")
    data = json.loads(body)
    change(data)
    new_body = json.dumps(data).encode()
    header = json.loads(head)
    header["sha256"] = hashlib.sha256(new_body).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + new_body)


def _set_id(data: dict) -> None:
    data["id"] = "../../../../outside"


def _string_default_for_int(data: dict) -> None:
    data["vars"][0][2] = "many"


def _file_outside(data: dict) -> None:
    data["files"].append("/etc/passwd")


def _int_condition(data: dict) -> None:
    choice = data["scenes"][0][6][0]
    choice[3] = ["n + 1", "int"]


def _wrong_index(data: dict) -> None:
    data["scenes"][0][6][0][0] = 7


def _escape_in_title(data: dict) -> None:
    data["title"] = {"*": "T\u001b]0;pwned\u0007"}


def _too_many_choices(data: dict) -> None:
    choices = data["scenes"][0][6]
    choices.extend([dict.fromkeys(()) or list(choices[0]) for _ in range(MAX_CHOICES)])
    for position, choice in enumerate(choices):
        choice[0] = position


def _unknown_tag(data: dict) -> None:
    data["scenes"][0][6][0][6] = ["no-such-tag"]


@pytest.mark.parametrize(
    "change",
    [_set_id, _string_default_for_int, _file_outside, _int_condition, _wrong_index, _too_many_choices, _unknown_tag],
)
def test_a_tampered_cache_entry_with_a_recomputed_checksum_is_not_trusted(write_story, change) -> None:
    folder = write_story(
        story_text(extra_vars="vars:\n  n: {type: int, default: 1, show: true}").replace(
            "go: end}", 'go: end, if: "n > 0"}'
        )
    )
    entry = folder / "story.yaml"
    first = load_story(folder, cache=True)
    assert cache.load_cached(entry) is not None
    _tamper(entry, change)
    problems: list[str] = []
    assert cache.load_cached(entry, problems) is None
    bad = cache.entry_path(entry).with_name(cache.entry_path(entry).name + ".bad")
    assert problems == [
        f"{cache.entry_path(entry)}: it breaks the rules a story load enforces (tampered entry); "
        f"it was set aside as {bad.name}"
    ]
    assert bad.exists() and not cache.entry_path(entry).exists()
    again = load_story(folder, cache=True)
    assert again.id == first.id == "s" and again.variables["n"].default == 1


def test_control_characters_in_a_cache_entry_are_removed(write_story) -> None:
    folder = write_story(story_text())
    load_story(folder, cache=True)
    _tamper(folder / "story.yaml", _escape_in_title)
    story = cache.load_cached(folder / "story.yaml")
    assert story is not None and story.title.get("en", "en") == "T]0;pwned"


def test_choices_recorded_in_a_save_at_the_limit_and_one_past_it(write_story) -> None:
    from game.engine import MAX_HISTORY, SnapshotError

    story = load_story(write_story(GROWING + ENDING))
    snapshot = Playthrough(story).snapshot()
    snapshot["choices"] = [["a", 0]] * MAX_HISTORY
    snapshot["state"]["scene"] = "a"
    play, _notice = Playthrough.restore(story, snapshot)
    assert len(play.history) == MAX_HISTORY and len(play.vars["s"]) == STRING_LIMIT
    snapshot["choices"].append(["a", 0])
    with pytest.raises(SnapshotError, match="more than 100,000 choices"):
        Playthrough.restore(story, snapshot)


def test_a_damaged_cache_entry_is_set_aside_with_its_position(write_story) -> None:
    folder = write_story(story_text())
    load_story(folder, cache=True)
    path = cache.entry_path(folder / "story.yaml")
    head = path.read_bytes().split(b"\n", 1)[0]
    header = json.loads(head)
    body = b'{"id":\n' + b"[" * 100 + b"]" * 100 + b"}"
    header["sha256"] = hashlib.sha256(body).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)
    problems: list[str] = []
    assert cache.load_cached(folder / "story.yaml", problems) is None
    assert problems[0].startswith(f"{path}:3:64: nested deeper than 64 levels; it was set aside as")


def test_a_stale_cache_entry_is_not_set_aside(write_story) -> None:
    folder = write_story(story_text())
    load_story(folder, cache=True)
    (folder / "story.yaml").write_text(story_text(title="Changed"), encoding="utf-8")
    problems: list[str] = []
    assert cache.load_cached(folder / "story.yaml", problems) is None
    assert problems == [] and cache.entry_path(folder / "story.yaml").exists()


@pytest.mark.parametrize("name", ["x" * 5000 + ".yaml", "a\\0b.yaml", "0x" + "f" * 300])
def test_an_include_name_the_file_system_refuses_is_a_located_error(write_story, name: str) -> None:
    text = story_text().replace("start: a", f'start: a\ninclude: ["{name}"]')
    result = check_story(write_story(text))
    assert [(d.code, d.location.line) for d in result.errors] == [("CR041", 5)]


def test_expression_length_and_parts_at_the_limit_and_one_past_it() -> None:
    from game.expr import MAX_NODES, MAX_SOURCE_LENGTH, ExprError

    at_length = "n" + " " * (MAX_SOURCE_LENGTH - 5) + " > 0"
    assert len(at_length) == MAX_SOURCE_LENGTH
    compile_expr(at_length, {"n": "int"})
    with pytest.raises(ExprError, match=f"longer than {MAX_SOURCE_LENGTH}"):
        compile_expr(at_length + " ", {"n": "int"})
    compile_expr("+".join(["1"] * 167), {})  # exactly MAX_NODES parts (expression, 167 numbers, 166 '+' pairs)
    with pytest.raises(ExprError, match=f"more than {MAX_NODES} parts"):
        compile_expr("+".join(["1"] * 168), {})


def test_yaml_nesting_at_the_limit_and_one_past_it(write_story) -> None:
    from game import yamlsource

    def nested(lists: int) -> bytes:  # the root mapping is level 1
        return ("crossroads: 1\nx: " + "[" * lists + "]" * lists + "\n").encode()

    assert yamlsource.read_document("f", nested(yamlsource.MAX_DEPTH - 1))[1] == []
    assert [d.code for d in yamlsource.read_document("f", nested(yamlsource.MAX_DEPTH))[1]] == ["CR004"]


def test_story_file_size_at_the_limit_and_one_past_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # 64 MiB is too much to parse in a test; the same comparison is tested at a lowered limit
    from game import yamlsource

    data = b"crossroads: 1\n"
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", len(data))
    assert yamlsource.read_document("f", data)[1] == []
    assert [d.code for d in yamlsource.read_document("f", data + b"\n")[1]] == ["CR003"]


@pytest.mark.parametrize("story_id", ["../../../../outside", "a/b", "..", "nl\n"])
def test_debrief_exports_stay_inside_the_data_folder(write_story, story_id: str) -> None:
    from dataclasses import replace

    from game.classroom.debrief import default_export_path

    story = replace(load_story(write_story(story_text())), id=story_id)
    path = default_export_path(Playthrough(story))
    assert path.parent == data_dir() / "debriefs" and "/" not in path.name and "\n" not in path.name


@pytest.mark.parametrize("links", [MAX_CHOICES, MAX_CHOICES + 1])
def test_twee_passages_are_cut_to_the_choice_cap(tmp_path: Path, capsys, monkeypatch, links: int) -> None:
    from game.cli import main

    (tmp_path / "w.twee").write_text(":: Start\n" + "[[End]]\n" * links + ":: End\nBye.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "w.twee", "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert ("CR416" in err) == (links > MAX_CHOICES)
    story = load_story(tmp_path / "out")
    assert len(story.scenes[story.start].choices) == MAX_CHOICES
