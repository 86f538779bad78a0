"""The docs stay true: every diagnostic code the code can emit is documented, and doc examples load."""

from __future__ import annotations

import re
from pathlib import Path

from game.loader import check_story

ROOT = Path(__file__).resolve().parent.parent


def test_every_emitted_code_is_documented() -> None:
    emitted = set()
    for path in (ROOT / "game").rglob("*.py"):
        emitted |= set(re.findall(r'"(CR\d{3})"', path.read_text(encoding="utf-8")))
    documented = set(re.findall(r"^\| (CR\d{3}) \|", (ROOT / "docs" / "diagnostics.md").read_text(), re.M))
    assert emitted, "no codes found"
    assert emitted <= documented, f"undocumented codes: {sorted(emitted - documented)}"


def test_the_three_scene_example_in_the_guide_loads(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "story-format.md").read_text(encoding="utf-8")
    example = re.search(r"## 1\. A three-scene story\n\n```yaml\n(.*?)```", guide, re.S).group(1)
    (tmp_path / "story.yaml").write_text(example, encoding="utf-8")
    result = check_story(tmp_path)
    assert result.story is not None and result.diagnostics == []
    assert len(result.story.scenes) == 3
