"""The facilitator's decision point as a state machine: vote, reveal, continue (pure Python, no Textual).

:class:`ClassVote` drives a :class:`~game.session.GameSession` in ``facilitator`` mode. At each decision point
the teacher types the class's counts (:class:`~game.classroom.votes.VoteTally`), follows the majority or the
selected option (a tie-break or an override), which notes the vote with the session and reveals the options'
red flags (:attr:`Phase.REVEAL`); continuing takes the choice. Going back from the reveal forgets the vote;
going back from a vote undoes the last decision, whose vote the session forgets with it. The facilitator
screen only draws this state and forwards keys.
"""

from __future__ import annotations

from enum import StrEnum

from game.classroom.votes import VoteTally
from game.session import GameSession


class Phase(StrEnum):
    """Where the class is at the current scene."""

    VOTE = "vote"  # counting votes (or nothing to count: one way on)
    REVEAL = "reveal"  # a choice was followed; its red flags are shown until the teacher continues
    ENDING = "ending"  # the story ended: the debrief


class ClassVote:
    """The vote at the current scene of ``session``; see the module docstring."""

    def __init__(self, session: GameSession) -> None:
        self.session = session
        self.phase = Phase.VOTE
        self.tally: VoteTally | None = None
        self.followed: tuple[int, str] | None = None
        self.selected = 0  # position in ``tally.options``
        self.fresh = True  # the next digit replaces the selected count instead of extending it
        self.start()

    def start(self) -> None:
        """A fresh vote on the current scene's options (or the ending phase)."""
        play = self.session.play
        self.followed = None
        self.selected = 0
        self.fresh = True
        if play.is_ending:
            self.phase = Phase.ENDING
            self.tally = None
            return
        self.phase = Phase.VOTE
        self.tally = VoteTally.for_options(o.choice.index for o in play.choices() if o.enabled)

    @property
    def voting(self) -> bool:
        """True while counts can be entered."""
        return self.phase is Phase.VOTE and self.tally is not None and bool(self.tally.options)

    @property
    def selected_option(self) -> int:
        """The choice index of the selected option."""
        assert self.tally is not None
        return self.tally.options[self.selected]

    # -- entering counts -----------------------------------------------------------------------------------

    def select(self, delta: int) -> None:
        """Move the selection by ``delta`` options (wrapping)."""
        if self.voting:
            assert self.tally is not None
            self.selected = (self.selected + delta) % len(self.tally.options)
            self.fresh = True

    def digit(self, digit: int) -> None:
        """Type a digit of the selected count (the first digit after selecting replaces it)."""
        if self.voting:
            assert self.tally is not None
            index = self.selected_option
            current = 0 if self.fresh else self.tally.counts[index]
            self.tally.set(index, current * 10 + digit)
            self.fresh = False

    def erase(self) -> None:
        """Delete the last digit of the selected count."""
        if self.voting:
            assert self.tally is not None
            index = self.selected_option
            self.tally.set(index, self.tally.counts[index] // 10)
            self.fresh = False

    def bump(self, delta: int) -> None:
        """Add or remove one vote for the selected option."""
        if self.voting:
            assert self.tally is not None
            self.tally.bump(self.selected_option, delta)
            self.fresh = True

    def clear(self) -> None:
        """Set every count back to zero."""
        if self.voting:
            assert self.tally is not None
            self.tally.clear()
            self.fresh = True

    # -- deciding ------------------------------------------------------------------------------------------

    def proceed(self) -> bool:
        """Enter: go on after the reveal, follow the majority, or go straight on when there is one way.
        False when there is nothing to do (no majority yet, or at the ending)."""
        if self.phase is Phase.REVEAL:
            self.go_on()
            return True
        if not self.voting:
            return False
        assert self.tally is not None
        if len(self.tally.options) == 1:  # one way on: nothing to vote on
            self.follow(self.tally.options[0])
            self.go_on()
            return True
        if self.tally.majority is None:
            return False
        self.follow(self.tally.majority)
        return True

    def follow_selected(self) -> None:
        """F: follow the selected option, whatever the vote says (tie-break or override)."""
        if self.voting:
            self.follow(self.selected_option)

    def follow(self, index: int) -> None:
        """Decide on choice ``index``: note the vote with the session and reveal."""
        assert self.tally is not None
        decision = self.tally.decision(index)
        if len(self.tally.options) > 1:
            self.session.vote(self.tally.as_mapping(), index, decision)
        self.followed = (index, decision)
        self.phase = Phase.REVEAL

    def go_on(self) -> None:
        """Take the followed choice (the session times it, autosaves, and records an ending) and vote anew."""
        assert self.followed is not None
        self.session.choose(self.followed[0])
        self.start()

    def back(self) -> bool:
        """Back: leave the reveal (forgetting its vote), else undo the last decision. False at the start."""
        if self.phase is Phase.REVEAL:
            self.session.forget_vote()
            self.phase = Phase.VOTE
            self.followed = None
            return True
        if not self.session.undo(1):
            return False
        self.start()
        return True
