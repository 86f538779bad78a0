"""The classroom package is pure Python: importing it (and the report/guide/results commands) loads no Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MODULES = [
    "game.classroom.records",
    "game.classroom.votes",
    "game.classroom.debrief",
    "game.classroom.report",
    "game.classroom.report_render",
    "game.classroom.report_html",
    "game.classroom.guide",
    "game.classroom.guide_render",
    "game.commands.report",
    "game.commands.guide",
    "game.commands.results",
    "game.commands.serve",
]


def test_classroom_modules_import_no_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {MODULES!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'game.tui', 'aiohttp')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
