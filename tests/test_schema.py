"""The JSON Schema of format v1: valid, shipped, accepts every good story, and agrees with the loader.

On the malformed-story corpus the schema must reject every mistake it can express (keys, types, enums, id
patterns, choices-or-ending); for the mistakes only the loader can see (targets, expressions, tag
references, translations, ranges, duplicate keys) the schema accepts the file, and that limit is asserted
too, so a change on either side shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from game.cli import main
from game.loader import check_story
from game.paths import bundled_stories
from game.schema import load_schema, schema_path

HERE = Path(__file__).parent
ROOT = HERE.parent
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../game/schema/story-v1.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(validator, text: str) -> list[str]:
    data = yaml.load(text, Loader=yaml.SafeLoader)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


STORY_FILES = [p for p in sorted((ROOT / "story").glob("*/*.yaml")) if p.name != "guide.yaml"]  # guide: not a story
GOOD = (
    STORY_FILES
    + sorted((HERE / "stories" / "authoring").glob("*.yaml"))
    + sorted((HERE / "stories" / "lessons").glob("*.yaml"))
)


@pytest.mark.parametrize("path", GOOD, ids=[f"{p.parent.name}/{p.name}" for p in GOOD])
def test_schema_accepts_bundled_and_test_stories(validator, path: Path) -> None:
    assert schema_errors(validator, path.read_text(encoding="utf-8")) == []


def test_bundled_stories_point_editors_at_the_schema() -> None:
    entries = bundled_stories()
    assert entries
    for entry in entries:
        first = entry.read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_COMMENT, entry
        target = (entry.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == schema_path().resolve()


BASE = """\
crossroads: 1
id: demo
title: Demo
languages: [en, zh]
start: a
vars:
  score: {type: int, default: 0, min: 0, max: 5}
  met: false
tags:
  flag: {kind: red-flag, title: {en: Flag, zh: 旗}}
scenes:
  a:
    title: {en: A, zh: 甲}
    text: {en: Hello, zh: 你好}
    choices:
      - say: {en: Go, zh: 走}
        go: b
        set: {score: "score + 1"}
        tags: [flag]
  b:
    title: {en: B, zh: 乙}
    ending: {kind: safe, title: {en: End, zh: 终}}
"""

# (case, text, loader code) — the schema can express these, so it must reject them too
EXPRESSIBLE: list[tuple[str, str, str]] = [
    ("unknown-top-key", BASE.replace("title: Demo\n", "titel: Demo\n"), "CR010"),
    ("unknown-scene-key", BASE.replace("    text: {en: Hello", "    txt: {en: Hello"), "CR010"),
    ("unknown-choice-key", BASE.replace("        go: b\n", "        goto: b\n"), "CR010"),
    ("unknown-var-key", BASE.replace("max: 5}", "maximum: 5}"), "CR010"),
    ("unknown-ending-key", BASE.replace("kind: safe,", "kind: safe, mood: x,"), "CR010"),
    ("missing-go", BASE.replace("        go: b\n", ""), "CR012"),
    ("missing-say", BASE.replace("      - say: {en: Go, zh: 走}\n        go: b", "      - go: b"), "CR012"),
    ("missing-start", BASE.replace("start: a\n", ""), "CR012"),
    ("missing-scene-title", BASE.replace("    title: {en: B, zh: 乙}\n", ""), "CR012"),
    ("missing-tag-kind", BASE.replace("{kind: red-flag, title:", "{title:"), "CR012"),
    ("wrong-type-title", BASE.replace("title: Demo", "title: [1, 2]"), "CR011"),
    ("wrong-type-choices", BASE.replace("    choices:\n      - say", "    choices: 3\n    x:\n      - say"), "CR011"),
    ("wrong-type-once", BASE.replace("        go: b\n", "        go: b\n        once: maybe\n"), "CR011"),
    ("wrong-type-show", BASE.replace("max: 5}", "max: 5, show: 1}"), "CR011"),
    ("wrong-type-min", BASE.replace("min: 0", "min: low"), "CR011"),
    ("wrong-var-type", BASE.replace("type: int, default: 0, min: 0, max: 5", "type: float"), "CR011"),
    ("ending-kind", BASE.replace("kind: safe", "kind: good"), "CR011"),
    ("tag-kind", BASE.replace("kind: red-flag", "kind: warning"), "CR011"),
    ("no-choices-no-ending", BASE.replace("    ending: {kind: safe, title: {en: End, zh: 终}}\n", ""), "CR050"),
    (
        "empty-choices",
        BASE.replace("    ending: {kind: safe, title: {en: End, zh: 终}}\n", "    choices: []\n"),
        "CR050",
    ),
    ("ask-on-ending", BASE.replace("    ending:", "    ask: {en: 'Why not', zh: 为什么}\n    ending:"), "CR070"),
    ("ending-with-choices", BASE.replace("    ending:", "    choices: [{say: x, go: a}]\n    ending:"), "CR052"),
    ("bad-var-name", BASE.replace("  met: false", "  not: false"), "CR014"),
    ("bad-var-chars", BASE.replace("  met: false", "  met-2: false"), "CR014"),
    ("bad-scene-id", BASE.replace("  b:\n", "  'b c':\n").replace("go: b", "go: 'b c'"), "CR014"),
    ("bad-story-id", BASE.replace("id: demo", "id: '-demo'"), "CR014"),
    ("bad-language-code", BASE.replace("[en, zh]", "[en, Chinese]"), "CR014"),
    ("duplicate-language", BASE.replace("[en, zh]", "[en, zh, en]"), "CR013"),
    ("format-version", BASE.replace("crossroads: 1", "crossroads: 2"), "CR100"),
    ("null-text", BASE.replace("title: Demo", "title:"), "CR011"),
    ("bool-text", BASE.replace("title: Demo", "title: yes"), "CR011"),
    ("list-expression", BASE.replace('"score + 1"', "[1]"), "CR011"),
]

# (case, text, loader code) — beyond a schema: the loader rejects them, the schema accepts them
BEYOND_SCHEMA: list[tuple[str, str, str]] = [
    ("dangling-target", BASE.replace("        go: b\n", "        go: c\n"), "CR020"),
    ("dangling-start", BASE.replace("start: a\n", "start: z\n"), "CR020"),
    ("undeclared-var-expr", BASE.replace('"score + 1"', '"scor + 1"'), "CR031"),
    ("type-error-expr", BASE.replace('"score + 1"', '"met + 1"'), "CR032"),
    ("expr-syntax", BASE.replace('"score + 1"', '"score +"'), "CR030"),
    ("set-unknown-var", BASE.replace('{score: "score + 1"}', '{points: "1"}'), "CR031"),
    ("unknown-tag", BASE.replace("tags: [flag]", "tags: [flgg]"), "CR021"),
    ("undeclared-language", BASE.replace("{en: A, zh: 甲}", "{en: A, fr: A}"), "CR022"),
    ("default-out-of-range", BASE.replace("default: 0, min: 0", "default: 9, min: 0"), "CR060"),
    ("duplicate-key", BASE.replace("title: Demo\n", "title: Demo\ntitle: Again\n"), "CR013"),
    ("interpolation", BASE.replace("{en: Hello, zh: 你好}", "{en: 'Hi {nam}', zh: 你好}"), "CR035"),
]


@pytest.mark.parametrize(("case", "text", "code"), EXPRESSIBLE, ids=[c[0] for c in EXPRESSIBLE])
def test_schema_and_loader_both_reject(validator, write_story, case: str, text: str, code: str) -> None:
    result = check_story(write_story(text))
    assert code in {d.code for d in result.errors}, f"{case}: loader gave {[str(d) for d in result.errors]}"
    assert schema_errors(validator, text), f"{case}: the schema accepted what the loader rejects ({code})"


@pytest.mark.parametrize(("case", "text", "code"), BEYOND_SCHEMA, ids=[c[0] for c in BEYOND_SCHEMA])
def test_rules_beyond_the_schema_are_the_loaders(validator, write_story, case: str, text: str, code: str) -> None:
    result = check_story(write_story(text))
    assert code in {d.code for d in result.errors}
    assert schema_errors(validator, text) == []


def test_base_story_is_accepted_by_both(validator, write_story) -> None:
    assert check_story(write_story(BASE)).errors == []
    assert schema_errors(validator, BASE) == []


def test_included_files_validate_as_included(validator) -> None:
    assert schema_errors(validator, "scenes:\n  x: {title: X, ending: {kind: bad, title: X}}\n") == []
    assert schema_errors(validator, "id: not-allowed-here\nscenes: {}\n")


def test_schema_command_prints_the_shipped_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == load_schema()
    assert main(["schema", "--path"]) == 0
    assert Path(capsys.readouterr().out.strip()).is_file()
    out = tmp_path / "s.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"].startswith("Crossroads story")
