"""Diagnostics: located, coded messages about story files and other user input.

Every problem the loader finds is a :class:`Diagnostic` with a stable code (documented in
``docs/diagnostics.md``), a severity, and a source location, printed as ``path:line:col: CODE: message``
in the style of compilers and linters.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a diagnostic is: errors stop a story from loading, warnings do not (unless strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a source file; ``line`` and ``col`` are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    def shifted(self, columns: int) -> Location:
        """This location moved ``columns`` characters to the right (for positions inside a scalar)."""
        return Location(self.path, self.line, self.col + columns)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in user input, with its stable code."""

    code: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        tag = self.code if self.severity is Severity.ERROR else f"{self.code} (warning)"
        return f"{self.location}: {tag}: {self.message}"

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict, for ``--json`` output and editors."""
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
        }


class StoryError(Exception):
    """Raised when a story cannot be loaded; carries every diagnostic found, errors and warnings."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics: list[Diagnostic] = sorted(diagnostics, key=_sort_key)
        errors = [d for d in self.diagnostics if d.is_error]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        super().__init__(str(first) if first else "story could not be loaded")

    @property
    def errors(self) -> list[Diagnostic]:
        """Only the error-level diagnostics."""
        return [d for d in self.diagnostics if d.is_error]


def _sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    loc = diagnostic.location
    return (loc.path, loc.line, loc.col, diagnostic.code)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics ordered by file, line, column and code."""
    return sorted(diagnostics, key=_sort_key)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ``" (did you mean 'x'?)"`` suffix when a close match exists, else an empty string."""
    import difflib

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
