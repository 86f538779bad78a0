"""The CI entry point must fail when any step fails, and install the pinned test environment the README names."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_ci_stops_on_the_first_failed_step() -> None:
    assert "set -euo pipefail" in CI
    # `a && b` under `set -e` does not stop the script when `a` fails: no command may be chained that way.
    assert not [c for c in _commands(CI) if "&&" in c]


def test_ci_runs_the_readme_install_and_test_command() -> None:
    match = re.search(r"^(pip install -e \"\.\[test\]\" -c constraints/test\.txt) && (pytest)$", README, re.MULTILINE)
    assert match, "the README's test command must install with the constraints file"
    commands = _commands(CI)
    assert match.group(1) in commands
    assert commands.index(match.group(1)) < commands.index(match.group(2))


def test_constraints_pin_every_test_dependency() -> None:
    pins = {}
    for line in (ROOT / "constraints" / "test.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"{line!r} is not an exact pin"
            pins[name.lower().replace("_", "-")] = version
    for needed in ("textual", "rich", "markdown-it-py", "textual-serve", "ruff", "pytest-textual-snapshot", "pyyaml"):
        assert needed in pins, f"{needed} is not pinned"
