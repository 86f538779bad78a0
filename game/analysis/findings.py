"""Findings of the explorer and the random playtester: located, coded, with the choices that lead there.

A finding prints like a diagnostic, ``path:line:col: CODE: message``, followed by the shortest (or the
sampled) sequence of choices that reproduces it. Codes:

* ``CR201`` an ending no sequence of choices reaches (error)
* ``CR202`` a softlock: a scene that is not an ending, with no choice available (error)
* ``CR203`` a loop from which no ending can be reached (error)
* ``CR204`` a scene no sequence of choices reaches (warning)
* ``CR205`` a choice that is never available (warning)
* ``CR206`` the state cap cut the search short; coverage is partial (warning)
* ``CR207`` a random playthrough did not end within the step limit (warning)
* ``CR208`` a text variable reaches the length cap and is cut (warning)
"""

from __future__ import annotations

from dataclasses import dataclass

from game.diagnostics import Location, Severity
from game.model import Story

Step = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found by exploring or sampling a story."""

    code: str
    message: str
    location: Location | None = None
    path: tuple[Step, ...] = ()
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        """True for errors (which make ``crossroads explore`` exit 1)."""
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        tag = self.code if self.is_error else f"{self.code} (warning)"
        return f"{where}{tag}: {self.message}"

    def to_json(self, story: Story) -> dict[str, object]:
        """A JSON-ready dict; the path lists each choice with its text in the default language."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": str(self.location) if self.location else None,
            "path": path_json(story, self.path),
        }


def path_json(story: Story, path: tuple[Step, ...] | list[Step]) -> list[dict[str, object]]:
    """A choice sequence as JSON: scene, 0-based choice index, and the choice's text."""
    lang = story.default_language
    return [
        {"scene": scene, "choice": index, "say": story.scenes[scene].choices[index].say.get(lang, lang)}
        for scene, index in path
    ]


def path_text(
    story: Story, path: tuple[Step, ...] | list[Step], lang: str | None = None, start: str | None = None
) -> str:
    """A choice sequence for people: ``start → [2] "Wait…" → checked``, using 1-based choice numbers.

    ``start`` is the scene the sequence begins at (default: the story's start).
    """
    lang = lang or story.default_language
    fallback = story.default_language
    start = start or story.start
    if not path:
        return f"{start} (the start)"
    parts = [start]
    for scene, index in path:
        choice = story.scenes[scene].choices[index]
        say = choice.say.get(lang, fallback).strip().replace("\n", " ")
        if len(say) > 40:
            say = say[:39] + "…"
        parts.append(f'[{index + 1}] "{say}" → {choice.target}')
    return " → ".join(parts)
