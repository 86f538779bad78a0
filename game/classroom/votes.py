"""Class votes at a decision point: the tally, the histogram, the majority, ties and overrides.

Pure Python, no Textual: the facilitator screen keeps a :class:`VoteTally` and draws what it says. The
teacher types the class's count for each option (or nudges it with +/−); the majority is a suggestion and
the teacher decides, for instance to follow a minority option that leads to an exit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

MAX_COUNT = 9999
MAJORITY = "majority"
TIE_BREAK = "tie-break"
OVERRIDE = "override"
NO_VOTES = "no-votes"


@dataclass(slots=True)
class VoteTally:
    """Counts for the options of one decision point, keyed by the choice's source index."""

    options: tuple[int, ...]
    counts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.counts = {index: max(0, min(MAX_COUNT, int(self.counts.get(index, 0)))) for index in self.options}

    @classmethod
    def for_options(cls, options: Iterable[int]) -> VoteTally:
        """An empty tally for these choice indices."""
        return cls(tuple(options))

    def set(self, index: int, count: int) -> None:
        """Set an option's count (clamped to 0..9999)."""
        self._check(index)
        self.counts[index] = max(0, min(MAX_COUNT, int(count)))

    def bump(self, index: int, delta: int = 1) -> int:
        """Add ``delta`` (may be negative) to an option's count; return the new count."""
        self._check(index)
        self.set(index, self.counts[index] + delta)
        return self.counts[index]

    def clear(self) -> None:
        """Set every count back to zero."""
        self.counts = dict.fromkeys(self.options, 0)

    def _check(self, index: int) -> None:
        if index not in self.counts:
            raise KeyError(f"choice {index} is not an option of this vote")

    @property
    def total(self) -> int:
        """How many votes were cast."""
        return sum(self.counts.values())

    def share(self, index: int) -> float:
        """An option's share of the votes, 0.0 to 1.0 (0.0 when nobody voted)."""
        return self.counts[index] / self.total if self.total else 0.0

    def leaders(self) -> list[int]:
        """The options with the most votes (empty when nobody voted), in option order."""
        if not self.total:
            return []
        top = max(self.counts.values())
        return [index for index in self.options if self.counts[index] == top]

    @property
    def is_tie(self) -> bool:
        """True when two or more options share the most votes."""
        return len(self.leaders()) > 1

    @property
    def majority(self) -> int | None:
        """The single option with the most votes, or ``None`` on a tie or with no votes."""
        leaders = self.leaders()
        return leaders[0] if len(leaders) == 1 else None

    def decision(self, chosen: int) -> str:
        """How following ``chosen`` relates to the vote: majority, tie-break, override or no-votes."""
        self._check(chosen)
        leaders = self.leaders()
        if not leaders:
            return NO_VOTES
        if chosen not in leaders:
            return OVERRIDE
        return TIE_BREAK if len(leaders) > 1 else MAJORITY

    def bars(self, width: int) -> dict[int, str]:
        """A text histogram: for each option a bar of ``█`` scaled so the leader fills ``width``."""
        top = max(self.counts.values(), default=0)
        out = {}
        for index in self.options:
            count = self.counts[index]
            cells = round(count / top * width) if top else 0
            if count and not cells:
                cells = 1
            out[index] = "█" * cells
        return out

    def as_mapping(self) -> Mapping[int, int]:
        """The counts, option order preserved."""
        return {index: self.counts[index] for index in self.options}
