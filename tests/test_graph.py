"""The story map: Mermaid and DOT, endings styled by kind, red flags marked, conditions on dashed edges."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game.cli import main
from game.interop.graph import KIND_COLOURS, RED_FLAG, to_dot, to_mermaid
from game.loader import load_story

HERE = Path(__file__).parent
TUTORIAL = HERE.parent / "story" / "tutorial"
CLASS_MONITOR = HERE.parent / "story" / "class-monitor"

TRICKY = """\
crossroads: 1
id: tricky
title: 'Quotes " and \\ back'
start: a
vars:
  n: {type: int, default: 0, min: 0, max: 2}
tags:
  rf: {kind: red-flag, title: 'Flag "x"'}
scenes:
  a:
    title: 'A "quoted" <b>|pipe|</b> `tick`'
    choices:
      - say: 'Say "hi" \\ then'
        go: b
        if: "n < 1"
        tags: [rf]
      - say: Plain
        go: b
        once: true
  b:
    title: B
    ending: {kind: bad, title: 'End "b"'}
"""


def edges_of_dot(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if " -> " in line]


def test_dot_styles_endings_by_kind_and_marks_red_flags_and_conditions() -> None:
    dot = to_dot(load_story(TUTORIAL))
    scammed = next(line for line in dot.splitlines() if line.strip().startswith('"scammed" ['))
    assert f'fillcolor="{KIND_COLOURS["bad"][0]}"' in scammed and "peripheries=2" in scammed
    checked = next(line for line in dot.splitlines() if line.strip().startswith('"checked" ['))
    assert f'fillcolor="{KIND_COLOURS["safe"][0]}"' in checked
    assert "penwidth=3" in next(line for line in dot.splitlines() if line.strip().startswith('"message" ['))
    edges = edges_of_dot(dot)
    assert len(edges) == sum(len(s.choices) for s in load_story(TUTORIAL).scenes.values())
    tap = next(e for e in edges if e.startswith('"message" -> "form"'))
    assert f'color="{RED_FLAG}"' in tap and "⚑ Tap the link" in tap and "(Artificial urgency)" in tap
    report = next(e for e in edges if e.startswith('"friend" -> "checked"'))
    assert "style=dashed" in report and "if suspicion >= 2" in report
    assert "(once)" in next(e for e in edges if e.startswith('"form" -> "friend"'))
    delete = next(e for e in edges if e.startswith('"message" -> "deleted"'))
    assert "color=" not in delete and "dashed" not in delete


def test_dot_escapes_quotes_and_backslashes(write_story) -> None:
    dot = to_dot(load_story(write_story(TRICKY)))
    assert 'label="Quotes \\" and \\\\ back"' in dot
    assert '"⚑ Say \\"hi\\" \\\\ then' in dot
    # every double quote inside a label is escaped: stripping escapes leaves balanced quotes on each line
    for line in dot.splitlines():
        assert line.replace("\\\\", "").replace('\\"', "").count('"') % 2 == 0, line


def test_mermaid_structure_and_escaping(write_story) -> None:
    mermaid = to_mermaid(load_story(write_story(TRICKY)))
    lines = mermaid.splitlines()
    assert lines[:4] == ["---", 'title: "Quotes \\" and \\\\ back"', "---", "flowchart TD"]
    node = next(line for line in lines if line.strip().startswith("s0["))
    assert "#quot;quoted#quot;" in node and "#lt;b#gt;" in node and "#124;pipe#124;" in node and "#96;" in node
    assert node.endswith(":::start")
    assert '    s1(["B<br/>[bad ending: End #quot;b#quot;]"]):::bad' in lines
    edges = [line for line in lines if "-->" in line or "-.->" in line]
    assert edges[0].startswith("    s0 -.->|") and "if n #lt; 1" in edges[0]
    assert edges[1].startswith("    s0 -->|") and "(once)" in edges[1]
    assert f"    linkStyle 0 stroke:{RED_FLAG},stroke-width:3px,color:{RED_FLAG}" in lines
    assert not any(line.startswith("    linkStyle 1 ") for line in lines)
    for kind in ("safe", "mixed", "bad"):
        assert any(line.startswith(f"    classDef {kind} fill:") for line in lines)
    for line in lines[4:]:
        assert line.count('"') % 2 == 0, line


def test_mermaid_labels_in_chinese() -> None:
    mermaid = to_mermaid(load_story(TUTORIAL), "zh")
    assert "中奖短信" in mermaid and "赶紧点开链接" in mermaid and "糟糕结局" in mermaid


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
@pytest.mark.parametrize("path", [TUTORIAL, CLASS_MONITOR], ids=["tutorial", "class-monitor"])
def test_dot_renders_with_graphviz(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(path), "--format", "dot"]) == 0
    dot = capsys.readouterr().out
    svg = subprocess.run(["dot", "-Tsvg"], input=dot.encode(), capture_output=True, check=True).stdout.decode()
    assert svg.lstrip().startswith("<?xml") and "</svg>" in svg
    story = load_story(path)
    assert len(re.findall(r'<g id="node\d+" class="node">', svg)) == len(story.scenes)


def test_graph_command_output_file_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "map.mmd"
    assert main(["graph", str(TUTORIAL), "--format", "mermaid", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("---\ntitle:")
    assert main(["graph", str(TUTORIAL), "--lang", "fr"]) == 2
    assert "no language 'fr'" in capsys.readouterr().err
    assert main(["graph", str(tmp_path / "missing")]) == 2
    with pytest.raises(SystemExit):
        main(["graph", str(TUTORIAL), "--format", "png"])
