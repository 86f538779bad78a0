"""Live class votes from phones: what the class is deciding now, each device's vote, and what phones see.

Pure Python and synchronous: the facilitator screen calls :meth:`LiveVote.open`, :meth:`close`,
:meth:`reveal` and :meth:`finish` as the lesson moves on; the web server calls :meth:`vote` for each phone.
Every change bumps :attr:`LiveVote.version` and notifies the listeners (the server's event streams and the
facilitator's vote panel), all on one event loop. Votes are kept per device token only while a decision is
open; the class record keeps the counts, never the tokens.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class Phase(Enum):
    """Where the class is: waiting for the teacher, voting, vote closed, result shown, or finished."""

    WAITING = "waiting"
    OPEN = "open"
    CLOSED = "closed"
    REVEALED = "revealed"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class LiveOption:
    """One option of a decision as a phone shows it: its choice index, text and (after the reveal) its flags."""

    index: int
    text: str
    red_flags: tuple[str, ...] = ()
    safe_exit: bool = False


@dataclass(frozen=True, slots=True)
class LiveDecision:
    """A decision put to the class: scene title, the question, the options, in one language each."""

    scene: str
    title: dict[str, str]
    question: dict[str, str]
    options: dict[str, tuple[LiveOption, ...]]

    def indices(self) -> tuple[int, ...]:
        """The choice indices a vote may name."""
        first = next(iter(self.options.values()), ())
        return tuple(option.index for option in first)


class VoteRefused(Exception):
    """A vote that cannot count: no open decision, a stale decision, or an option that is not offered."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


Listener = Callable[["LiveVote"], None]
_ids = itertools.count(1)


@dataclass(slots=True)
class LiveVote:
    """The live state of a class vote, shared by the server and the facilitator screen."""

    phase: Phase = Phase.WAITING
    decision: LiveDecision | None = None
    decision_id: int = 0
    version: int = 0
    votes: dict[str, int] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    _listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after every change; returns a function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _changed(self) -> None:
        self.version += 1
        for listener in list(self._listeners):
            listener(self)

    # -- the teacher's side -------------------------------------------------------------------------

    def open(self, decision: LiveDecision) -> int:
        """Put a new decision to the class; earlier votes are forgotten. Returns the decision's id."""
        self.decision = decision
        self.decision_id = next(_ids)
        self.votes = {}
        self.phase = Phase.OPEN
        self._changed()
        return self.decision_id

    def close(self) -> None:
        """Stop accepting votes for the current decision."""
        if self.phase is Phase.OPEN:
            self.phase = Phase.CLOSED
            self._changed()

    def reveal(self, decision: LiveDecision | None = None) -> None:
        """Show phones the result and, with ``decision`` carrying flags, the red flags on each option."""
        if self.decision is None:
            return
        if decision is not None:
            self.decision = decision
        self.phase = Phase.REVEALED
        self._changed()

    def finish(self, summary: dict[str, str]) -> None:
        """The class reached an ending: phones show ``summary`` (per language, HTML from the debrief renderer)."""
        self.summary = dict(summary)
        self.decision = None
        self.votes = {}
        self.phase = Phase.FINISHED
        self._changed()

    def reset(self) -> None:
        """Back to waiting (a new class session, or the teacher stepped back)."""
        self.decision = None
        self.votes = {}
        self.summary = {}
        self.phase = Phase.WAITING
        self._changed()

    # -- the phones' side ----------------------------------------------------------------------------

    def vote(self, token: str, decision_id: object, option: object) -> None:
        """Record (or change) one device's vote; raises :class:`VoteRefused` when it cannot count."""
        if self.phase is not Phase.OPEN or self.decision is None:
            raise VoteRefused("closed")
        if decision_id != self.decision_id:
            raise VoteRefused("stale")
        if isinstance(option, bool) or not isinstance(option, int) or option not in self.decision.indices():
            raise VoteRefused("option")
        if self.votes.get(token) == option:
            return
        self.votes[token] = option
        self._changed()

    def counts(self) -> dict[int, int]:
        """Votes per choice index for the current decision, in option order."""
        if self.decision is None:
            return {}
        counts = dict.fromkeys(self.decision.indices(), 0)
        for option in self.votes.values():
            counts[option] += 1
        return counts

    def vote_of(self, token: str) -> int | None:
        """The option this device voted for in the current decision, if any."""
        return self.votes.get(token)
