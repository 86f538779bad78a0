"""Plain line mode (``crossroads play --plain``), driven through a subprocess like a screen reader or script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TUTORIAL


def start_plain(home: Path, *args: str) -> subprocess.Popen[str]:
    """A plain-mode game running in the background, its standard streams piped."""
    env = {**os.environ, "CROSSROADS_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "game", "play", "--plain", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env=env,
    )


def crossroads(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``crossroads ARGS`` in a subprocess with its own data folder, as a script or screen reader would."""
    env = {**os.environ, "CROSSROADS_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "game", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def run_plain(home: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return crossroads(home, "play", "--plain", *args, stdin=stdin)


def test_plays_to_an_ending_with_debrief_and_records_it(crossroads_home: Path) -> None:
    result = run_plain(crossroads_home, "1\n1\n", str(TUTORIAL))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Content note: A short story about online fraud" in out
    assert "== A message at midnight ==" in out
    assert "1. Tap the link before time runs out" in out
    assert "== The claim form ==" in out
    assert "Ending: Scammed (Bad ending)" in out
    assert "⚑ Red flag: Artificial urgency" in out and "⚑ Red flag: A request for personal data" in out
    assert "The red flags explained" in out
    assert "⇢ Exit not taken: Wait, and look the company up yourself" in out
    assert "**" not in out, "Markdown emphasis is stripped for screen readers"
    assert out.rstrip().endswith("The end.")
    endings = json.loads((crossroads_home / "endings.json").read_text(encoding="utf-8"))
    assert endings["stories"]["tutorial"] == {"scammed": 1}


def test_chinese(crossroads_home: Path) -> None:
    result = run_plain(crossroads_home, "2\n", str(TUTORIAL), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    assert "== 午夜的短信 ==" in result.stdout
    assert "2. 先不急，自己查一下这家公司" in result.stdout
    assert "结局：没有上当（安全结局）" in result.stdout
    assert "发生了什么？" in result.stdout


def test_end_of_input_ends_cleanly_and_autosaves(crossroads_home: Path) -> None:
    result = run_plain(crossroads_home, "1\n", str(TUTORIAL))
    assert result.returncode == 0
    assert result.stderr == ""
    assert "Autosaved. Goodbye." in result.stdout
    save = json.loads((crossroads_home / "saves" / "tutorial" / "autosave.json").read_text(encoding="utf-8"))
    assert save["format"] == "crossroads-save"
    assert save["snapshot"]["choices"] == [["message", 0]]
    assert save["scene"] == "form"


def test_back_history_help_quit_and_bad_input(crossroads_home: Path) -> None:
    result = run_plain(crossroads_home, "1\nhistory\nback\nback\n7\nfoo\nhelp\n\n2\nquit\n", str(TUTORIAL))
    assert result.returncode == 0
    out = result.stdout
    assert "You chose: Tap the link before time runs out" in out
    assert "Went back one step." in out
    assert "You are at the start: nothing to undo." in out
    assert out.count("Please type a number from 1 to 3") == 2
    assert "Commands: back [N] (undo)" in out
    assert "== The real website ==" in out


def test_a_locked_choice_says_why(crossroads_home: Path) -> None:
    result = run_plain(crossroads_home, "1\n3\n2\nquit\n", str(TUTORIAL))
    assert "2. Report it as spam (locked — You are not suspicious enough yet (2 needed).)" in result.stdout
    assert "Choice 2 is locked. You are not suspicious enough yet" in result.stdout


def test_plain_mode_never_imports_textual(crossroads_home: Path) -> None:
    code = (
        "import sys, io\n"
        "from argparse import Namespace\n"
        "from game.plain import run_plain\n"
        f"rc = run_plain(Namespace(path={str(TUTORIAL)!r}, lang='en'), io.StringIO('1\\n1\\n'), io.StringIO())\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'rich')))\n"
        "print(rc, bad)\n"
    )
    env = {**os.environ, "CROSSROADS_HOME": str(crossroads_home)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "0 []", result.stderr


def test_missing_path_exits_2(crossroads_home: Path, tmp_path: Path) -> None:
    result = run_plain(crossroads_home, "", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "crossroads: error: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_story_prints_located_diagnostics_and_exits_1(crossroads_home: Path, write_story) -> None:
    folder = write_story("crossroads: 1\nid: broken\ntitle: Broken\nstart: nowhere\nscenes:\n  a:\n    title: A\n")
    result = run_plain(crossroads_home, "", str(folder))
    assert result.returncode == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"{folder / 'story.yaml'}:")
    assert ": CR" in first
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("content", ["{", '{"format": "crossroads-settings", "version": 1, "lang": 5}'])
def test_damaged_settings_never_stop_plain_mode(crossroads_home: Path, content: str) -> None:
    crossroads_home.mkdir()
    (crossroads_home / "settings.json").write_text(content, encoding="utf-8")
    result = run_plain(crossroads_home, "3\n", str(TUTORIAL))
    assert result.returncode == 0
    assert "Ending: Safe, but unaware" in result.stdout


def test_red_flag_is_announced_when_walked_into(crossroads_home: Path) -> None:
    out = run_plain(crossroads_home, "1\n", str(TUTORIAL)).stdout
    flag_at = out.index("⚑ Red flag: Artificial urgency. Scammers rush you")
    assert flag_at < out.index("== The claim form ==")


def test_chinese_lines_use_chinese_punctuation(crossroads_home: Path) -> None:
    out = run_plain(crossroads_home, "1\n1\n", str(TUTORIAL), "--lang", "zh").stdout
    assert "内容提示：这是一个关于网络诈骗的短故事" in out
    assert "结局：上当受骗（" in out
    assert "⚑ 危险信号：人为制造的紧迫感。" in out


def records(home: Path) -> list[dict]:
    path = home / "records" / "records-v1.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_continue_resumes_the_autosave_and_the_record_holds_the_whole_game(crossroads_home: Path) -> None:
    run_plain(crossroads_home, "1\n3\nquit\n", str(TUTORIAL))  # message -> form -> friend, then quit
    (abandoned,) = records(crossroads_home)
    result = run_plain(crossroads_home, "1\n2\n", str(TUTORIAL), "--continue")
    assert result.returncode == 0, result.stderr
    assert "== The claim form ==" not in result.stdout.split("== ")[1]  # it opens where the game was left
    assert result.stdout.index("== A second opinion ==") < result.stdout.index("== The claim form ==")
    _, finished = records(crossroads_home)
    assert finished["id"] == abandoned["id"] and finished["ending"]["scene"] == "checked"
    assert [c["scene"] for c in finished["choices"]] == ["message", "form", "friend", "form"]


def test_a_new_plain_game_keeps_the_earlier_game_loadable(crossroads_home: Path) -> None:
    run_plain(crossroads_home, "1\n3\n1\nquit\n", str(TUTORIAL))  # three steps, back at the form
    result = run_plain(crossroads_home, "3\n", str(TUTORIAL))  # a new game, one choice, to an ending
    assert "A new game. Your earlier game (step 3) is kept as “Previous autosave”" in result.stdout
    folder = crossroads_home / "saves" / "tutorial"
    previous = json.loads((folder / "previous-autosave.json").read_text(encoding="utf-8"))
    assert previous["steps"] == 3 and previous["scene"] == "form"
    assert json.loads((folder / "autosave.json").read_text(encoding="utf-8"))["scene"] == "deleted"


def test_sigterm_records_the_game_as_abandoned(crossroads_home: Path) -> None:
    import signal

    if not hasattr(signal, "SIGTERM") or os.name != "posix":
        pytest.fail("this test needs POSIX signals")  # CI runs on Linux; never silently skipped
    process = start_plain(crossroads_home, str(TUTORIAL))
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("1\n")
    process.stdin.flush()
    seen = ""
    while "== The claim form ==" not in seen:
        seen += process.stdout.readline()
    while not seen.rstrip().endswith(":"):  # the prompt, after the choice's autosave was queued
        seen += process.stdout.read(1)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    (record,) = records(crossroads_home)
    assert record["ending"] is None and [c["scene"] for c in record["choices"]] == ["message"]


def test_story_text_is_reflowed_to_80_columns_when_not_a_terminal(crossroads_home: Path) -> None:
    from tests.conftest import CLASS_MONITOR

    out = run_plain(crossroads_home, "quit\n", str(CLASS_MONITOR)).stdout
    text_lines = [line for line in out.splitlines() if not line.startswith(("Choice (", "Type the number"))]
    assert max(len(line) for line in text_lines) <= 80
    assert any(len(line) > 60 for line in text_lines)  # paragraphs fill the width rather than one line each


def test_the_scenes_question_is_asked_before_the_choices(crossroads_home: Path) -> None:
    from tests.conftest import ROOT

    out = run_plain(crossroads_home, "1\nquit\n", str(ROOT / "tests/stories/lessons/timed.yaml")).stdout
    assert out.index("A man offers you 12,000 coins.") < out.index("Do you take them?") < out.index("1. Take them")


def test_a_damaged_settings_file_is_set_aside_and_said(crossroads_home: Path) -> None:
    settings = crossroads_home / "settings.json"
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text('{"lang": ' + "[" * 100_000, encoding="utf-8")
    result = run_plain(crossroads_home, "quit\n", str(TUTORIAL))
    assert result.returncode == 0
    assert "crossroads: warning:" in result.stderr and "settings.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert not settings.exists() and list(crossroads_home.glob("settings.json*.bad"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_line_plain_mode_prints_fits_80_columns(crossroads_home: Path, lang: str) -> None:
    """Not only story text: red flags with their explanations, choices, help and the debrief fit the width."""
    from game.i18n import tr
    from game.prose import text_width

    result = run_plain(crossroads_home, "1\n2\n1\n1\n1\n1\n1\nhelp\nquit\n", "class-monitor", "--lang", lang)
    assert result.returncode == 0
    prompt = tr("plain_prompt", lang)  # a piped answer is not echoed: what follows a prompt starts a line
    lines = result.stdout.replace(prompt, prompt + "\n").splitlines()
    assert "⚑" in result.stdout  # a red flag with its explanation was announced
    assert max(text_width(line) for line in lines) <= 80
    assert not [line for line in lines if line[:1] and line[0] in "，。、；：？！）」』”"]
