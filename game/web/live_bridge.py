"""LiveBridge: the facilitator's class vote and the phones' live vote kept in step (no Textual).

The facilitator screen owns a :class:`~game.classroom.class_vote.ClassVote` and calls :meth:`LiveBridge.sync`
after every change it draws. The bridge then opens a new decision to the phones, closes and reveals it when
the teacher follows an option, or shows the class debrief at the ending. Phone votes land in the teacher's
tally: each option's count is the phones' votes plus whatever the teacher added or removed by hand, so typed
counts (a show of hands in the room) and phone votes add up, and the teacher keeps the last word.
"""

from __future__ import annotations

from collections.abc import Callable

from game.classroom.class_vote import ClassVote
from game.classroom.class_vote import Phase as VotePhase
from game.web.live import LiveVote, Phase
from game.web.views import live_decision, live_summary


class LiveBridge:
    """Carries the class vote to the phones and the phones' votes back into the tally."""

    def __init__(self, live: LiveVote, vote: Callable[[], ClassVote | None], on_tally: Callable[[], None]) -> None:
        self.live = live
        self.vote = vote
        self.on_tally = on_tally
        self._key: tuple[int, str] | None = None  # the decision the phones are voting on: (step, scene)
        self._offsets: dict[int, int] = {}  # the teacher's own additions to each option's count
        self._phones: dict[int, int] = {}  # the phones' votes last written into the tally
        self._unsubscribe = live.subscribe(self._phones_voted)

    def close(self) -> None:
        """Stop listening to the phones (the facilitator screen is going away)."""
        self._unsubscribe()

    def sync(self) -> None:
        """Bring the phones in step with the class vote as it is now."""
        vote = self.vote()
        if vote is None:
            return
        play = vote.session.play
        key = (len(play.history), play.scene.id)
        if vote.phase is VotePhase.ENDING:
            if self.live.phase is not Phase.FINISHED or self._key != key:
                self._key = key
                self.live.finish(live_summary(play))
            return
        if vote.phase is VotePhase.VOTE:
            if self._key != key or self.live.phase is not Phase.OPEN:
                self._key = key
                self._offsets, self._phones = {}, {}
                if vote.voting and vote.tally is not None and len(vote.tally.options) > 1:
                    self.live.open(live_decision(play))
                else:
                    self.live.reset()  # one way on: nothing to vote about
                    return
            self._take_teacher_edits(vote)
            return
        if vote.phase is VotePhase.REVEAL and self.live.phase is Phase.OPEN and self._key == key:
            self.live.close()
            self.live.reveal()

    def _take_teacher_edits(self, vote: ClassVote) -> None:
        """Whatever the tally holds beyond the phones' votes is the teacher's own (kept when phones vote)."""
        if vote.tally is None:
            return
        self._offsets = {i: vote.tally.counts[i] - self._phones.get(i, 0) for i in vote.tally.options}

    def _phones_voted(self, live: LiveVote) -> None:
        vote = self.vote()
        if vote is None or vote.tally is None or not vote.voting or live.phase is not Phase.OPEN:
            return
        play = vote.session.play
        if self._key != (len(play.history), play.scene.id):
            return
        counts = live.counts()
        if counts == self._phones:
            return
        self._phones = counts
        for index in vote.tally.options:
            vote.tally.set(index, counts.get(index, 0) + self._offsets.get(index, 0))
        self.on_tally()
