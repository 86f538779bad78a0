"""Class-vote tally: counts, shares, majority, ties, overrides and the text histogram."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from game.classroom.votes import MAJORITY, NO_VOTES, OVERRIDE, TIE_BREAK, VoteTally


def test_majority_tie_override_and_no_votes() -> None:
    tally = VoteTally.for_options([0, 1, 3])
    assert tally.leaders() == [] and tally.majority is None and tally.decision(1) == NO_VOTES
    tally.set(0, 12)
    tally.set(1, 8)
    tally.bump(3, 2)
    assert tally.total == 22 and tally.majority == 0 and not tally.is_tie
    assert tally.decision(0) == MAJORITY and tally.decision(3) == OVERRIDE
    tally.bump(1, 4)
    assert tally.is_tie and tally.majority is None and tally.leaders() == [0, 1]
    assert tally.decision(1) == TIE_BREAK and tally.decision(3) == OVERRIDE
    tally.clear()
    assert tally.total == 0


def test_counts_are_clamped_and_unknown_options_refused() -> None:
    tally = VoteTally.for_options([0, 1])
    assert tally.bump(0, -5) == 0
    tally.set(1, 10**9)
    assert tally.counts[1] == 9999
    with pytest.raises(KeyError):
        tally.bump(7)


def test_bars_scale_to_the_leader_and_show_any_nonzero_count() -> None:
    tally = VoteTally(options=(0, 1, 2), counts={0: 100, 1: 1, 2: 0})
    bars = tally.bars(20)
    assert bars == {0: "█" * 20, 1: "█", 2: ""}


@given(st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=9))
def test_shares_sum_to_one_and_leaders_have_the_top_count(counts: list[int]) -> None:
    tally = VoteTally(options=tuple(range(len(counts))), counts=dict(enumerate(counts)))
    if tally.total:
        assert abs(sum(tally.share(i) for i in tally.options) - 1.0) < 1e-9
        top = max(counts)
        assert tally.leaders() == [i for i, c in enumerate(counts) if c == top]
        for i in tally.options:
            assert tally.decision(i) in ({MAJORITY, TIE_BREAK} if counts[i] == top else {OVERRIDE})
    else:
        assert all(tally.share(i) == 0 for i in tally.options)
