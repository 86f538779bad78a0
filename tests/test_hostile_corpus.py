"""The hostile-input corpus, table-driven: every attack against every file type it applies to.

Each case runs the real command in a subprocess (a fresh CROSSROADS_HOME, a scratch working folder) and asserts
the exit code, a message naming the file (and, for damage, the line and column), that no traceback is printed,
that no byte of a control sequence reaches stdout, and that nothing is written outside the data folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from game.textsafe import has_control
from tests.hostile.attacks import ESCAPES, FILE_TYPES, JSON_ATTACKS, choices_story, deep_story, digits_story

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "hostile" / "stories"
TUTORIAL = ROOT / "story" / "tutorial"
GOOD_RECORD = (ROOT / "tests/fixtures/records/class.jsonl").read_text(encoding="utf-8").splitlines()[0]


def run(tmp: Path, *args: str, stdin: str = "", script: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m game ARGS`` (or ``python -c SCRIPT``) with the data folder ``tmp/home``, in ``tmp/work``."""
    work = tmp / "work"
    work.mkdir(exist_ok=True)
    env = {**os.environ, "CROSSROADS_HOME": str(tmp / "home"), "PYTHONIOENCODING": "utf-8", "HOME": str(tmp)}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-c", script] if script is not None else [sys.executable, "-m", "game", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=work,
        timeout=120,
    )


def files_outside_home(tmp: Path) -> set[str]:
    home = tmp / "home"
    return {str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file() and not p.is_relative_to(home)}


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, result.stderr[-2000:]
    assert not has_control(result.stdout.replace("\r", "")), repr(
        [c for c in result.stdout if has_control(c) and c != "\r"][:5]
    )


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    story = tmp_path / "stories" / "tutorial"
    shutil.copytree(TUTORIAL, story)
    return tmp_path


def tutorial(tmp: Path) -> str:
    return str(tmp / "stories" / "tutorial")


# -- per-user files: settings, endings, saves ----------------------------------------------------------------------

OWNED = ("settings", "endings", "save")


@pytest.mark.parametrize("attack", sorted(JSON_ATTACKS))
@pytest.mark.parametrize("file_name", OWNED)
def test_per_user_files(tmp: Path, file_name: str, attack: str) -> None:
    file_type = FILE_TYPES[file_name]
    make, located = JSON_ATTACKS[attack]
    target = tmp / "home" / file_type.relative
    target.parent.mkdir(parents=True, exist_ok=True)
    content = make(file_type)
    target.write_bytes(content)
    before = files_outside_home(tmp)
    if file_name == "save":  # what Continue and Load do: list the slots, then restore the autosave
        script = (
            "import sys\nfrom game.loader import load_story\nfrom game.persist import saves\n"
            f"story = load_story({tutorial(tmp)!r})\n"
            "infos, problems = saves.list_saves('tutorial')\n"
            "for info in infos: print('slot', info.name, info.scene_title, info.saved_at)\n"
            "for problem in problems: print(problem)\n"
            "try:\n    play, notice = saves.load_save(story)\n    print('loaded', play.title(), notice)\n"
            "except saves.SaveError as exc:\n    print(exc)\n"
        )
        result = run(tmp, script=script)
    else:  # start-up reads the settings; reaching an ending reads and rewrites the endings file
        result = run(tmp, "play", "--plain", tutorial(tmp), stdin="2\n")
    assert_clean(result)
    assert result.returncode == 0, result.stderr
    assert files_outside_home(tmp) == before
    set_aside = target.with_name(target.name + ".bad")
    if located or (file_name == "save" and attack == "wrong-types"):
        assert set_aside.read_bytes() == content, "the damaged file is kept, set aside"
    if file_name == "save" and located:
        assert f"{target}:" in result.stdout and "set aside as autosave.json.bad" in result.stdout
        position = result.stdout.split(f"{target}:", 1)[1].split(":")[:2]
        assert all(part.isdigit() for part in position), result.stdout
    if file_name == "endings":
        reached = json.loads((tmp / "home" / "endings.json").read_text(encoding="utf-8"))
        assert reached["stories"]["tutorial"]  # the ending just reached is counted in a fresh file


@pytest.mark.parametrize("attack", sorted(a for a, (_make, located) in JSON_ATTACKS.items() if located))
@pytest.mark.parametrize("file_name", ("settings", "endings"))
def test_per_user_file_messages_name_file_line_and_column(tmp: Path, file_name: str, attack: str) -> None:
    from game.persist import progress, settings

    file_type = FILE_TYPES[file_name]
    target = tmp / "home" / file_type.relative
    target.write_bytes(JSON_ATTACKS[attack][0](file_type))
    os.environ["CROSSROADS_HOME"] = str(tmp / "home")
    message = settings.load_settings()[1] if file_name == "settings" else progress._read()[1]
    assert message is not None and message.startswith(f"{target}:")
    line, col = message.split(f"{target}:", 1)[1].split(":")[:2]
    assert line.isdigit() and col.isdigit()
    assert "set aside as" in message and not target.exists()


# -- records: a file the user names is never renamed; bad lines are skipped and listed ------------------------------


def _record_line(attack: str) -> bytes:
    if attack == "escapes":
        record = json.loads(GOOD_RECORD)
        record["id"] = "evil"
        record["choices"][0]["scene"] = "message" + ESCAPES
        record["ending"] = {"scene": "scammed" + ESCAPES, "kind": "bad" + ESCAPES}
        record["lang"] = "en" + ESCAPES
        return json.dumps(record).encode()
    if attack == "wrong-types":
        record = json.loads(GOOD_RECORD)
        record["id"] = "wrong"
        record["ending"] = {"scene": "scammed", "kind": ["a"]}
        record["choices"][0]["tags"] = [{"x": 1}]
        return json.dumps(record).encode()
    return JSON_ATTACKS[attack][0](FILE_TYPES["records"]).replace(b"\n", b" ")


@pytest.mark.parametrize("output", ["md", "html"])
@pytest.mark.parametrize("attack", sorted(JSON_ATTACKS))
def test_records_in_a_report(tmp: Path, attack: str, output: str) -> None:
    records = tmp / "work" / "hand-in.jsonl"
    records.parent.mkdir()
    content = GOOD_RECORD.encode() + b"\n" + _record_line(attack) + b"\n"
    records.write_bytes(content)
    before = files_outside_home(tmp)
    result = run(tmp, "report", "--format", output, str(records))
    assert_clean(result)
    assert result.returncode == 0, result.stderr
    assert records.read_bytes() == content, "a file the user named is never changed"
    assert files_outside_home(tmp) == before
    if attack not in ("escapes",):
        assert f"{records}:2:" in result.stderr


# -- the compiled cache ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("attack", ["deep-nesting", "5000-digits", "nan", "truncated", "wrong-types", "escapes"])
def test_damaged_cache_entries_fall_back_to_the_story(tmp: Path, attack: str) -> None:
    first = run(tmp, "play", "--plain", tutorial(tmp), stdin="quit\n")
    assert first.returncode == 0
    [entry] = (tmp / "home" / "cache" / "compiled").glob("*.json")
    head = entry.read_bytes().split(b"\n", 1)[0]
    make, _located = JSON_ATTACKS[attack]
    body = make(FILE_TYPES["settings"])
    if attack == "escapes":
        body = entry.read_bytes().split(b"\n", 1)[1].replace(b"The Prize Message", json.dumps(ESCAPES)[1:-1].encode())
    header = json.loads(head)
    header["sha256"] = hashlib.sha256(body).hexdigest()
    entry.write_bytes(json.dumps(header).encode() + b"\n" + body)
    before = files_outside_home(tmp)
    result = run(tmp, "play", "--plain", tutorial(tmp), stdin="2\n")
    assert_clean(result)
    assert result.returncode == 0
    assert files_outside_home(tmp) == before
    set_aside = entry.with_name(entry.name + ".bad")
    assert set_aside.exists() == (attack != "escapes"), "a damaged entry is kept aside, a valid one used"
    assert "The Prize Message" in result.stdout or "]52;c;" in result.stdout


# -- story files ----------------------------------------------------------------------------------------------------

STORIES = {
    "escapes": (CORPUS / "escapes", 0, "CR007"),
    "grow": (CORPUS / "grow", 0, "CR036"),
    "outside-id": (CORPUS / "outside-id", 1, "CR014"),
    "newline-id": (CORPUS / "newline-id", 1, "CR014"),
    "5000-digits": (digits_story, 1, "CR008"),
    "deep-nesting": (deep_story, 1, "CR004"),
    "100000-choices": (choices_story, 1, "CR057"),
}


def _story_folder(tmp: Path, name: str, small: bool = False) -> Path:
    """The story ``name`` in a scratch folder; ``small`` shrinks the 100,000-choice scene to 1,000 (same error)."""
    source, _code, _expected = STORIES[name]
    folder = tmp / "stories" / name
    if isinstance(source, Path):
        shutil.copytree(source, folder)
    else:
        folder.mkdir(parents=True)
        text = choices_story(1000) if small and source is choices_story else source()
        (folder / "story.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", sorted(STORIES))
def test_story_check(tmp: Path, name: str) -> None:
    folder = _story_folder(tmp, name)
    result = run(tmp, "check", str(folder))
    _source, code, expected = STORIES[name]
    assert_clean(result)
    assert result.returncode == code
    out = result.stdout + result.stderr
    located = [line for line in out.splitlines() if f": {expected}" in line]
    assert located and all(line.startswith(f"{folder / 'story.yaml'}:") for line in located)
    assert all(line.split(":")[1].isdigit() and line.split(":")[2].isdigit() for line in located)


@pytest.mark.parametrize("name", sorted(STORIES))
def test_story_play_and_explore(tmp: Path, name: str) -> None:
    folder = _story_folder(tmp, name, small=True)
    before = files_outside_home(tmp)
    played = run(tmp, "play", "--plain", str(folder), stdin="1\n" * 60)
    explored = run(tmp, "explore", str(folder))
    _source, code, _expected = STORIES[name]
    for result in (played, explored):
        assert_clean(result)
        assert result.returncode == code
    assert files_outside_home(tmp) == before
    assert not (tmp.parent / "outside").exists()
    if name == "grow":
        autosave = tmp / "home" / "saves" / "grow" / "autosave.json"
        assert autosave.stat().st_size < 20_000
        assert "CR208" in explored.stdout
    if name == "escapes":
        assert "retitled" not in played.stdout or "\x1b" not in played.stdout


# -- command lines ---------------------------------------------------------------------------------------------------


COMMANDS = ["check", "explore", "play --plain", "graph", "guide", "export", "report", "import"]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_path_the_system_refuses_is_a_usage_error(tmp: Path, command: str) -> None:
    result = run(tmp, *command.split(), "x" * 5000)
    assert_clean(result)
    assert result.returncode == 2
    assert result.stderr.startswith("crossroads: error:") and "File name too long" in result.stderr
