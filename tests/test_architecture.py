"""Architecture and security rules, enforced: layering, no Textual in the engine, no unsafe calls anywhere."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"
SOURCES = sorted(GAME.rglob("*.py"))
CORE = ("model", "expr", "diagnostics", "yamlsource", "loader", "engine", "paths", "ids", "textsafe")


def _modules_after_import(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=GAME.parent)
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", CORE)
def test_core_modules_load_without_textual(module: str) -> None:
    loaded = _modules_after_import(f"import game.{module}")
    assert not any(name == "textual" or name.startswith("textual.") for name in loaded)


@pytest.mark.parametrize("module", ["game.serve_guard", "game.persist.safejson"])
def test_hostile_input_guards_are_pure(module: str) -> None:
    loaded = _modules_after_import(f"import {module}")
    assert not {"textual", "rich", "aiohttp", "textual_serve"} & {name.split(".")[0] for name in loaded}


def test_check_command_path_does_not_import_textual() -> None:
    loaded = _modules_after_import(
        "from game.cli import build_parser\nimport game.commands.check as c\nbuild_parser()\n"
        "from game.loader import check_story\ncheck_story('story/tutorial')"
    )
    assert "textual" not in loaded and "rich" not in loaded


def test_core_imports_only_core() -> None:
    """model/expr/loader/engine never import the layers above them."""
    upper = ("game.tui", "game.cli", "game.commands", "game.classroom", "game.analysis", "game.interop", "textual")
    for module in CORE:
        tree = ast.parse((GAME / f"{module}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(upper), f"game/{module}.py imports {name}"


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield node


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(GAME)))
def test_no_unsafe_calls(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            assert name not in {"CLoader", "UnsafeLoader", "FullLoader", "unsafe_load", "full_load"}, (
                f"{path}:{node.lineno}: unsafe YAML loader {name}"
            )
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
            assert "pickle" not in names and "marshal" not in names, f"{path}:{node.lineno}: pickle/marshal"
    for call in _calls(tree):
        func = call.func
        if isinstance(func, ast.Name):
            assert func.id not in {"eval", "exec", "compile", "__import__"}, f"{path}:{call.lineno}: {func.id}()"
        if isinstance(func, ast.Attribute):
            assert func.attr not in {"format", "format_map"} or not _is_string_format(func), (
                f"{path}:{call.lineno}: str.format is banned (author text must never reach it); use f-strings"
            )
            if func.attr == "load" and isinstance(func.value, ast.Name) and func.value.id == "yaml":
                loader = next((k.value for k in call.keywords if k.arg == "Loader"), None)
                assert isinstance(loader, ast.Name | ast.Attribute), f"{path}:{call.lineno}: yaml.load without Loader"
                name = loader.id if isinstance(loader, ast.Name) else loader.attr
                assert name in {"CSafeLoader", "SafeLoader", "_SafeLoader"}, f"{path}:{call.lineno}: {name}"


def _is_string_format(func: ast.Attribute) -> bool:
    # ``"...".format`` or ``something.format`` on a value that is not a known safe formatter object
    return not (isinstance(func.value, ast.Name) and func.value.id in {"logging", "datetime", "date", "time"})


def _imported(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (inside functions too), relative imports resolved."""
    package = ".".join(path.relative_to(GAME.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            out.append((node.lineno, base))
    return out


UI_LIBRARIES = ("textual", "rich", "textual_serve")


def _is_ui_library(name: str) -> bool:
    return any(name == lib or name.startswith(lib + ".") for lib in UI_LIBRARIES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(GAME)))
def test_only_the_terminal_ui_and_serve_import_textual_or_rich(path: Path) -> None:
    relative = path.relative_to(GAME)
    allowed = relative.parts[0] == "tui" or relative == Path("serve.py")
    if allowed:
        return
    for line, name in _imported(path):
        assert not _is_ui_library(name), f"game/{relative}:{line} imports {name}"


TUI_MODULES = [path for path in SOURCES if path.relative_to(GAME).parts[0] == "tui" and path.name != "__init__.py"]


@pytest.mark.parametrize("path", TUI_MODULES, ids=lambda p: str(p.relative_to(GAME)))
def test_every_module_in_the_terminal_ui_needs_it(path: Path) -> None:
    """A module with no Textual in it (directly or through another TUI module) belongs outside game/tui."""
    names = [name for _, name in _imported(path)]
    assert any(_is_ui_library(name) or name.startswith("game.tui") for name in names), (
        f"game/{path.relative_to(GAME)} uses no Textual: move it out of game/tui"
    )


def test_the_architecture_test_sees_imports_inside_functions(tmp_path: Path) -> None:
    sample = GAME / "plain.py"
    names = {name for _, name in _imported(sample)}
    assert "game.persist.settings" in names  # imported inside run_plain


FRONT_ENDS = ("plain.py", "tui/app.py", "tui/screens/facilitator.py")


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_every_front_end_plays_through_game_session(front_end: str) -> None:
    names = {name for _, name in _imported(GAME / front_end)}
    assert "game.session" in names, f"game/{front_end} does not use game.session"


def test_the_browser_runs_the_same_front_end() -> None:
    from game.serve import play_command

    assert play_command(None, None, False).split()[-2:] == ["game", "play"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(GAME)))
def test_no_posix_only_module_without_a_fallback(path: Path) -> None:
    for line, name in _imported(path):
        assert name not in {"fcntl", "termios", "pwd", "grp"}, f"game/{path.relative_to(GAME)}:{line}: {name}"


def test_the_session_sits_below_every_front_end() -> None:
    names = {name for _, name in _imported(GAME / "session.py")}
    assert not any(name.startswith(("game.tui", "game.plain", "game.serve")) or _is_ui_library(name) for name in names)


def test_prose_module_is_pure() -> None:
    """game.prose (every output's Markdown) runs without Textual or Rich, and parses with markdown-it-py."""
    loaded = _modules_after_import(
        "import game.prose as p\np.to_plain('*a* b', 40, 'en')\np.to_html('a')\np.to_paragraphs('a', p.HARLOWE)"
    )
    assert not {name.split(".")[0] for name in loaded} & {"textual", "rich"}
    assert "markdown_it" in loaded


def test_story_commands_do_not_import_textual() -> None:
    loaded = _modules_after_import(
        "from game.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['list', '--lang', 'en'])"
    )
    assert not {name.split(".")[0] for name in loaded} & {"textual", "rich"}
