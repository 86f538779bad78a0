"""Individual play on phones: one game per device in the server's process, and what the dashboard counts.

Each device's game is resumed by its token after a reload or a dropped connection; its anonymous record is
written to the teacher's records when it reaches an ending, or as abandoned when the server stops.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.classroom.records import RecordKeeper
from game.engine import ChoiceError, Playthrough
from game.model import Story
from game.web.views import intro_view, red_flag_titles, scene_view


class StaleStep(Exception):
    """A choice sent for a step the game has already left (a double tap, or an old tab)."""


@dataclass(slots=True)
class PhoneGame:
    """One device's playthrough, its record and the time its current decision began."""

    play: Playthrough
    keeper: RecordKeeper
    clock: Callable[[], float] = time.monotonic
    shown_at: float = 0.0
    new_flags: tuple[str, ...] = ()
    started: bool = False

    def view(self, lang: str) -> dict[str, Any]:
        """The content note before the game starts, then the scene as the phone draws it, in ``lang``."""
        if not self.started:
            return intro_view(self.play, lang)
        return scene_view(self.play, lang, red_flag_titles(self.play, self.new_flags, lang))

    def start(self) -> None:
        """The student has read the content note: the first scene's time starts now."""
        if not self.started:
            self.started = True
            self.shown_at = self.clock()

    def choose(self, step: object, number: object) -> None:
        """Take choice ``number`` (1-based, as shown) at ``step``; raises StaleStep or ChoiceError."""
        if not self.started or step != len(self.play.history):
            raise StaleStep
        if isinstance(number, bool) or not isinstance(number, int):
            raise ChoiceError("not a choice number")
        before = self.play.scene.id
        self.play.choose(number - 1)
        step_taken = self.play.history[-1]
        now = self.clock()
        self.keeper.choice_made(before, step_taken.choice, now - self.shown_at)
        self.shown_at = now
        self.new_flags = self.play.story.scenes[before].choices[step_taken.choice].tags
        if self.play.is_ending:
            self.keeper.finish(self.play.scene.id)

    def undo(self) -> None:
        """Step back one decision (also out of an ending, which then no longer counts)."""
        if self.play.undo(1):
            self.keeper.undone(1)
            self.new_flags = ()
            self.shown_at = self.clock()

    @property
    def finished(self) -> bool:
        """True once this game's record has been written."""
        return self.keeper.finished


@dataclass(slots=True)
class PhoneGames:
    """Every device's game in one class, keyed by device token."""

    story: Story
    records: Path | None = None
    clock: Callable[[], float] = time.monotonic
    games: dict[str, PhoneGame] = field(default_factory=dict)

    def game_for(self, token: str, lang: str) -> PhoneGame:
        """The device's game, started when it first asks."""
        game = self.games.get(token)
        if game is None:
            play = Playthrough(self.story, lang)
            keeper = RecordKeeper(self.story, play.lang, "solo", self.records)
            game = PhoneGame(play, keeper, self.clock, self.clock())
            self.games[token] = game
        return game

    def choose(self, token: str, lang: str, step: object, number: object) -> PhoneGame:
        """Take a choice in the device's game; counts the ending when one is reached."""
        game = self.game_for(token, lang)
        game.choose(step, number)
        return game

    def restart(self, token: str, lang: str) -> PhoneGame:
        """A new game for the device; an unfinished one is recorded as abandoned first."""
        old = self.games.pop(token, None)
        if old is not None and not old.finished and old.play.history:
            old.keeper.finish(None)
        game = self.game_for(token, lang)
        game.start()
        return game

    def abandon_all(self) -> int:
        """Write the abandoned record of every unfinished game (the server is stopping); return how many."""
        count = 0
        for game in self.games.values():
            if not game.finished and game.play.history:
                game.keeper.finish(None)
                count += 1
        return count

    def where(self) -> Counter[str]:
        """How many unfinished games stand at each scene."""
        return Counter(game.play.scene.id for game in self.games.values() if not game.play.is_ending)

    def endings(self) -> Counter[str]:
        """How many devices stand at each ending now."""
        return Counter(game.play.scene.id for game in self.games.values() if game.play.is_ending)

    @property
    def playing(self) -> int:
        """Devices with a game that has not ended."""
        return sum(1 for game in self.games.values() if not game.play.is_ending)
