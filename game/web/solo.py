"""Individual play on phones: one :class:`~game.session.GameSession` per device in the server's process.

Each device's game is resumed by its token after a reload or a dropped connection. The session is kept in
memory only (``local=False``): nothing is autosaved and no ending is counted on the teacher's machine; the
anonymous record is written to the teacher's records when the game reaches an ending, or as abandoned when
the server stops or the phone starts again.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.model import Story
from game.session import FLAGS, Event, GameSession
from game.web.views import intro_view, scene_view


class StaleStep(Exception):
    """A choice sent for a step the game has already left (a double tap, or an old tab)."""


class NotOffered(Exception):
    """A choice number that is not an enabled option of the current scene."""


@dataclass(slots=True)
class PhoneGame:
    """One device's play session and the red flags its last choice walked into."""

    session: GameSession
    new_flags: list[str] = field(default_factory=list)
    started: bool = False

    def view(self, lang: str) -> dict[str, Any]:
        """The content note before the game starts, then the scene as the phone draws it, in ``lang``."""
        play = self.session.play
        if not self.started:
            return intro_view(play, lang)
        story = play.story
        flags = [story.tags[t].title.get(lang, story.default_language) for t in self.new_flags if t in story.tags]
        return scene_view(play, lang, flags)

    def start(self) -> None:
        """The student has read the content note: the first scene's time starts now."""
        if not self.started:
            self.started = True  # the session begins (and may be recorded) with the first choice
            self.session.shown_at = self.session.clock()

    def choose(self, step: object, number: object) -> None:
        """Take choice ``number`` (1-based, as shown) at ``step``; raises StaleStep or NotOffered."""
        play = self.session.play
        if not self.started or step != len(play.history):
            raise StaleStep
        options = play.choices()
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= len(options):
            raise NotOffered
        option = options[number - 1]
        self.new_flags = []
        if not option.enabled or not self.session.choose(option.choice.index):
            raise NotOffered

    def heard(self, event: Event) -> None:
        """The session's events: keep the red flags just walked into for the next view."""
        if event.kind == FLAGS:
            self.new_flags = [tag.id for tag in event.tags]

    def undo(self) -> None:
        """Step back one decision (also out of an ending, which then starts a new record)."""
        if self.session.undo(1):
            self.new_flags = []


@dataclass(slots=True)
class PhoneGames:
    """Every device's game in one class, keyed by device token."""

    story: Story
    records: Path | None = None
    clock: Callable[[], float] = time.monotonic
    lesson: str | None = None  # a lesson whose start point every game begins at (its steps replayed silently)
    games: dict[str, PhoneGame] = field(default_factory=dict)

    def game_for(self, token: str, lang: str) -> PhoneGame:
        """The device's game, made when it first asks."""
        game = self.games.get(token)
        if game is None:
            game = PhoneGame(GameSession(self.story, lang, clock=self.clock, local=False, records=self.records))
            game.session.on_event = game.heard
            if self.lesson:
                game.session.new_game(lesson=self.lesson)
            self.games[token] = game
        game.session.set_language(lang)
        return game

    def choose(self, token: str, lang: str, step: object, number: object) -> PhoneGame:
        """Take a choice in the device's game (its record is written when it reaches an ending)."""
        game = self.game_for(token, lang)
        game.choose(step, number)
        return game

    def restart(self, token: str, lang: str) -> PhoneGame:
        """A new game for the device; an unfinished one is recorded as abandoned."""
        game = self.game_for(token, lang)
        game.session.new_game(lesson=self.lesson)
        game.new_flags = []
        game.start()
        return game

    def close_all(self) -> None:
        """Close every game (the server is stopping): each session records an unfinished game as abandoned."""
        for game in self.games.values():
            game.session.close()

    def where(self) -> Counter[str]:
        """How many unfinished games stand at each scene."""
        return Counter(g.session.play.scene.id for g in self.games.values() if not g.session.play.is_ending)

    def endings(self) -> Counter[str]:
        """How many devices stand at each ending now."""
        return Counter(g.session.play.scene.id for g in self.games.values() if g.session.play.is_ending)

    @property
    def playing(self) -> int:
        """Devices with a game that has not ended."""
        return sum(1 for game in self.games.values() if not game.session.play.is_ending)
