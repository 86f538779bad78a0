"""Table-driven corpus of malformed stories: each must give one exact ``path:line:col: CODE`` diagnostic.

Every case is a complete story file with one mistake; the test asserts the code and the precise position,
so a regression in location tracking or in a check shows up as a clear diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.loader import check_story

BASE = """\
crossroads: 1
id: demo
title: {en: Demo, zh: 演示}
languages: [en, zh]
start: a
vars:
  score: {type: int, default: 0, min: 0, max: 5}
  met: {type: bool, show: true}
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
  b:
    title: {en: B, zh: 乙}
    ending: {kind: safe, title: {en: End, zh: 终}}
"""

# (case id, text replacements applied to BASE or a whole file, expected "line:col: CODE" of the first error)
CASES: list[tuple[str, str, str]] = [
    ("yaml-syntax", BASE.replace("title: {en: Demo, zh: 演示}", "title: [Demo, zh: 演示}"), "CR001"),
    (
        "duplicate-key",
        BASE.replace("title: {en: Demo, zh: 演示}\n", "title: {en: Demo, zh: 演示}\ntitle: Again\n"),
        "4:1: CR013",
    ),
    ("unknown-top-key", BASE.replace("title: {en: Demo, zh: 演示}\n", "titel: {en: Demo, zh: 演示}\n"), "3:1: CR010"),
    ("unknown-scene-key", BASE.replace("    text: {en: Hello", "    txt: {en: Hello"), "14:5: CR010"),
    ("unknown-choice-key", BASE.replace("        go: b\n", "        goto: b\n"), "17:9: CR010"),
    ("missing-go", BASE.replace("        go: b\n", ""), "16:9: CR012"),
    ("missing-start", BASE.replace("start: a\n", ""), "1:1: CR012"),
    ("dangling-target", BASE.replace("        go: b\n", "        go: c\n"), "17:13: CR020"),
    ("dangling-start", BASE.replace("start: a\n", "start: z\n"), "5:8: CR020"),
    ("undeclared-var-expr", BASE.replace('"score + 1"', '"scor + 1"'), "18:23: CR031"),
    ("type-error-expr", BASE.replace('"score + 1"', '"met + 1"'), "18:23: CR032"),
    ("bool-effect-int", BASE.replace('{score: "score + 1"}', '{met: "score"}'), "18:21: CR032"),
    ("expr-syntax", BASE.replace('"score + 1"', '"score +"'), "CR030"),
    ("expr-attribute", BASE.replace('"score + 1"', '"score.real"'), "18:23: CR034"),
    ("expr-call", BASE.replace('"score + 1"', "\"__import__('os')\""), "18:23: CR033"),
    ("set-unknown-var", BASE.replace('{score: "score + 1"}', '{points: "1"}'), "18:15: CR031"),
    ("unknown-tag", BASE.replace("        go: b\n", "        go: b\n        tags: [flgg]\n"), "18:16: CR021"),
    ("unknown-language", BASE.replace("{en: A, zh: 甲}", "{en: A, fr: A}"), "13:20: CR022"),
    ("wrong-type-title", BASE.replace("title: {en: Demo, zh: 演示}", "title: [1, 2]"), "3:8: CR011"),
    (
        "wrong-type-choices",
        BASE.replace("    choices:\n      - say", "    choices: 3\n    x:\n      - say"),
        "15:14: CR011",
    ),
    ("ending-kind", BASE.replace("kind: safe", "kind: good"), "21:20: CR011"),
    ("no-choices-no-ending", BASE.replace("    ending: {kind: safe, title: {en: End, zh: 终}}\n", ""), "19:3: CR050"),
    ("ending-with-choices", BASE.replace("    ending:", "    choices: [{say: x, go: a}]\n    ending:"), "21:14: CR052"),
    ("default-out-of-range", BASE.replace("default: 0, min: 0", "default: 9, min: 0"), "7:31: CR060"),
    ("bad-var-name", BASE.replace("  met: {type: bool, show: true}", "  not: false"), "8:3: CR014"),
    ("bad-scene-id", BASE.replace("  b:\n", "  'b c':\n").replace("go: b", "go: 'b c'"), "19:3: CR014"),
    ("format-version", BASE.replace("crossroads: 1", "crossroads: 2"), "1:13: CR100"),
    ("interpolation", BASE.replace("{en: Hello, zh: 你好}", "{en: 'Hi {nam}', zh: 你好}"), "14:20: CR035"),
    (
        "unsafe-tag",
        BASE.replace("title: {en: Demo, zh: 演示}", "title: !!python/object/apply:os.system [ls]"),
        "3:8: CR006",
    ),
    ("two-documents", BASE + "---\nx: 1\n", "CR001"),
    ("comma-in-flow-text", BASE.replace("{en: Hello, zh: 你好}", "{en: Hello, world, zh: 你好}"), "14:23: CR022"),
]


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_malformed_story_reports_exact_location(write_story, case: str, text: str, expected: str) -> None:
    folder = write_story(text)
    result = check_story(folder)
    assert result.story is None, f"{case}: a story with an error must not load"
    errors = [str(d) for d in result.errors]
    assert errors, f"{case}: expected an error"
    assert any(expected in e for e in errors), f"{case}: expected '{expected}' in {errors}"
    for line in errors:
        path, line_no, col, rest = line.split(":", 3)
        assert path.endswith("story.yaml") and int(line_no) >= 1 and int(col) >= 1, line
        assert rest.strip().startswith("CR"), line


def test_base_story_is_clean(write_story) -> None:
    result = check_story(write_story(BASE))
    assert result.story is not None
    assert result.diagnostics == []


def test_all_problems_reported_in_one_run(write_story) -> None:
    text = BASE.replace("titel", "title").replace("go: b", "go: nowhere").replace('"score + 1"', '"scor + 1"')
    text = text.replace("    text: {en: Hello", "    txt: {en: Hello")
    codes = sorted(d.code for d in check_story(write_story(text)).errors)
    assert codes == ["CR010", "CR020", "CR031"]


def test_missing_translation_is_a_warning(write_story) -> None:
    result = check_story(write_story(BASE.replace("{en: B, zh: 乙}", "{en: B}")))
    assert result.story is not None
    assert [(d.code, d.location.line) for d in result.warnings] == [("CR023", 20)]


def test_unreachable_scene_is_a_warning(write_story) -> None:
    text = BASE + "  lost:\n    title: {en: Lost, zh: 迷}\n    ending: {kind: bad, title: {en: Lost, zh: 迷}}\n"
    result = check_story(write_story(text))
    assert [(d.code, d.location.line, d.location.col) for d in result.warnings] == [("CR051", 22, 3)]


def test_not_utf8(write_story) -> None:
    folder = write_story(BASE)
    (folder / "story.yaml").write_bytes(BASE.encode() + b"# caf\xe9\n")
    errors = check_story(folder).errors
    assert [(d.code, d.location.line, d.location.col) for d in errors] == [("CR002", 22, 6)]


def test_include_outside_folder_is_rejected(write_story, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("scenes: {}\n")
    folder = write_story(BASE.replace("scenes:\n", "include: [../secret.yaml, /etc/passwd]\nscenes:\n", 1))
    errors = [(d.code, d.location.line, d.location.col) for d in check_story(folder).errors]
    assert errors == [("CR040", 11, 11), ("CR040", 11, 27)]


def test_include_missing_and_duplicate(write_story) -> None:
    text = BASE.replace("scenes:\n", "include: [more.yaml, more.yaml, gone.yaml]\nscenes:\n", 1)
    folder = write_story({"story.yaml": text, "more.yaml": "scenes: {}\n"})
    errors = [(d.code, d.location.col) for d in check_story(folder).errors]
    assert errors == [("CR042", 22), ("CR041", 33)]


def test_include_errors_point_into_the_included_file(write_story) -> None:
    text = BASE.replace("scenes:\n", "include: [more.yaml]\nscenes:\n", 1)
    more = "scenes:\n  c:\n    title: C\n    choices:\n      - {say: x, go: nowhere}\n"
    folder = write_story({"story.yaml": text, "more.yaml": more})
    errors = [str(d) for d in check_story(folder).errors]
    assert len(errors) == 1 and "more.yaml:5:22: CR020" in errors[0], errors


def test_duplicate_scene_across_files(write_story) -> None:
    text = BASE.replace("scenes:\n", "include: [more.yaml]\nscenes:\n", 1)
    more = "scenes:\n  a:\n    title: again\n    ending: {kind: bad, title: x}\n"
    folder = write_story({"story.yaml": text, "more.yaml": more})
    errors = [str(d) for d in check_story(folder).errors]
    assert len(errors) == 1 and "more.yaml:2:3: CR013" in errors[0] and "first at" in errors[0]


def test_did_you_mean_suggestions(write_story) -> None:
    messages = [d.message for d in check_story(write_story(BASE.replace("        go: b\n", "        goo: b\n"))).errors]
    assert any("did you mean 'go'?" in m for m in messages), messages


# YAML slips a newcomer makes, each with a plain-words hint and the position where the fix goes.
SYNTAX_CASES = [
    ("tab", BASE.replace("    text: {en: Hello", "\ttext: {en: Hello"), "14:1", "a tab is used for indentation"),
    (
        "colon-in-text",
        BASE.replace("    text: {en: Hello, zh: 你好}", "    text: Note: hello"),
        "14:11",
        "': ' must be in quotes",
    ),
    (
        "leading-star",
        BASE.replace("    text: {en: Hello, zh: 你好}", "    text: *Hi* there"),
        "14:11",
        "'*' must be in quotes",
    ),
    (
        "leading-brace",
        BASE.replace("    text: {en: Hello, zh: 你好}", "    text: {x} left"),
        "14:11",
        "'{' must be in quotes",
    ),
    ("missing-colon", BASE.replace("        go: b", "        go b"), "17:9", "needs ':' after its key"),
    ("colon-in-flow", BASE.replace("{en: Hello, zh: 你好}", "{en: Note: hi, zh: 你好}"), "", "must be in quotes"),
]


@pytest.mark.parametrize(("case", "text", "where", "hint"), SYNTAX_CASES, ids=[c[0] for c in SYNTAX_CASES])
def test_yaml_slips_get_plain_hints(write_story, case: str, text: str, where: str, hint: str) -> None:
    (error,) = check_story(write_story(text)).errors
    assert error.code == "CR001"
    assert hint in error.message
    if where:
        assert f"{error.location.line}:{error.location.col}" == where


@pytest.mark.parametrize(
    ("expression", "col", "hint"),
    [("score = 1", 20, "use '=='"), ("score > 1 && met", 24, "'and'"), ("!met", 14, "'not'")],
)
def test_expression_slips_get_hints(write_story, expression: str, col: int, hint: str) -> None:
    text = BASE.replace("        go: b\n", f'        go: b\n        if: "{expression}"\n', 1)
    (error,) = check_story(write_story(text)).errors
    assert (error.code, error.location.line, error.location.col) == ("CR030", 18, col)
    assert hint in error.message


def test_no_knock_on_errors(write_story) -> None:
    # a misspelled 'go' is one error, not also "missing go" and "unreachable scene"
    text = BASE.replace("        go: b\n", "        goo: b\n")
    assert [d.code for d in check_story(write_story(text)).diagnostics] == ["CR010"]
    # a malformed language list is one error, not one per translated text
    text = BASE.replace("languages: [en, zh]", "languages: en, zh")
    assert [d.code for d in check_story(write_story(text, name="l")).diagnostics] == ["CR011"]


def test_untranslated_plain_text_warns_in_multilingual_story(write_story) -> None:
    result = check_story(write_story(BASE.replace("{en: A, zh: 甲}", "Hall A")))
    assert [(d.code, d.location.line) for d in result.warnings] == [("CR024", 13)]
    neutral = check_story(write_story(BASE.replace("{en: A, zh: 甲}", "'2006'"), name="n"))
    assert neutral.warnings == []


def test_unused_variable_and_constant_false_choice_are_warnings(write_story) -> None:
    text = BASE.replace("  met: {type: bool, show: true}\n", "  met: false\n  spare: 3\n")
    text = text.replace(
        "        go: b\n", '        go: b\n      - say: {en: Never, zh: 从不}\n        go: b\n        if: "1 > 2"\n', 1
    )
    result = check_story(write_story(text))
    assert result.story is not None
    found = sorted((d.code, d.location.line, d.location.col) for d in result.warnings)
    assert found == [("CR055", 8, 3), ("CR055", 9, 3), ("CR056", 21, 13)]


def test_signpost_choice_is_not_warned(write_story) -> None:
    signpost = (
        '      - say: {en: Door, zh: 门}\n        go: b\n        if: "false"\n        locked: {en: Shut, zh: 关}\n'
    )
    text = BASE.replace(
        '        set: {score: "score + 1"}\n', '        set: {score: "score + 1", met: "score > 1"}\n' + signpost
    )
    text = text.replace("    text: {en: Hello, zh: 你好}", "    text: {en: 'Hello {met}', zh: 你好}")
    assert check_story(write_story(text)).warnings == []
