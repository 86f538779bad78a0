"""A bounded, seeded mutation fuzz of the bundled stories: no mutated story makes ``check`` crash.

The issue's fuzzer found one crash class (a number of 5,000 digits, beyond Python's integer-digit limit);
this keeps a few thousand mutations of the same kind as a regression test. A longer run:
``.venv/bin/python -m tests.hostile.fuzz 20000``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.fuzz import ROOT, crashes


@pytest.mark.parametrize(
    ("story", "target", "count"),
    [("tutorial", "story.yaml", 2000), ("class-monitor", "story.yaml", 300)],
)
def test_no_mutation_crashes_check(tmp_path: Path, story: str, target: str, count: int) -> None:
    found = list(crashes(ROOT / "story" / story, target, count, seed=11, folder=tmp_path))
    assert not found, f"mutation {found[0][0]} crashed check_story:\n{found[0][2]}"
