"""Hostile and damaged Twee files end in a clear, located message, never a traceback (issue 11's Twee items).

A table-driven corpus: every link form and macro of the three story formats repeated, unclosed or nested
far past reason; huge numbers and deep nesting in StoryData and passage metadata; control characters; an
oversize file; ``/dev/zero``. Each case runs ``crossroads import`` and asserts the exit code, the message
and its position, that no traceback is printed and that no control character reaches the output. Speed is
measured in benchmarks/twee_bench.py, not asserted here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.cli import main
from game.interop.twee import MAX_TWEE_BYTES, TweeError
from game.interop.twee_parse import decode

HARLOWE = ':: StoryData\n{"format": "Harlowe"}\n\n:: Start\n'
SUGARCUBE = ':: StoryData\n{"format": "SugarCube"}\n\n:: Start\n'
CHAPBOOK = ':: StoryData\n{"format": "Chapbook"}\n\n:: Start\n'
END = "\n[[End]]\n:: End\nThe end.\n"

# name, Twee text, exit code, a message that must be printed (or None)
CORPUS = [
    ("unclosed links (issue 11)", ":: Start\n" + "[[a" * 20000, 0, "wrote"),
    ("unclosed links, 210 KB", ":: Start\n" + "[[a" * 70000, 0, "wrote"),
    ("unclosed links, 210 KB, two passages", ":: Start\n" + "[[a" * 70000 + "\n:: B\nb", 1, "CR414"),
    ("arrow soup", ":: Start\n[[" + "->a" * 20000 + ">>]]" + END, 0, "h.twee:2:1: CR409"),
    ("bars and setters", ":: Start\n[[" + "a|" * 20000 + "][" * 20000 + "]]" + END, 0, "CR409"),
    ("harlowe link-goto unclosed", HARLOWE + '(link-goto: "a", ' * 20000 + END, 1, "CR414"),
    ("harlowe strings unclosed", HARLOWE + '(set: $a to "' * 20000 + END, 1, "CR414"),
    ("harlowe hooks nested", HARLOWE + "(if: $a)[" * 20000 + "x" + "]" * 20000 + END, 0, "CR410"),
    # 5,000 links in one passage: read in linear time; the first 50 are kept, with a warning at the passage (CR416)
    ("harlowe link hooks", HARLOWE + '(link: "a")[(go-to: "End")' * 5000 + END, 0, "h.twee:4:1: CR416"),
    ("harlowe click-goto", HARLOWE + '(click-goto: ?a, "End")' * 5000 + END, 0, "h.twee:4:1: CR416"),
    ("harlowe verbatim", HARLOWE + "`" + "a`b" * 20000 + END, 0, None),
    ("sugarcube macros unclosed", SUGARCUBE + "<<link [[a" * 20000 + END, 1, "CR414"),
    ("sugarcube ifs nested", SUGARCUBE + "<<if $a>>" * 20000 + "x" + "<</if>>" * 20000 + END, 0, "CR410"),
    ("sugarcube actions", SUGARCUBE + "<<actions " + "[[End]] " * 5000 + ">>" + END, 0, "h.twee:4:1: CR416"),
    ("sugarcube closers only", SUGARCUBE + "<</if>>" * 20000 + END, 0, None),
    ("sugarcube setters", SUGARCUBE + "[[a|End][$x to " * 20000 + END, 0, None),
    ("chapbook inserts unclosed", CHAPBOOK + "{link to: 'End'" * 20000 + END, 0, None),
    ("chapbook modifiers", CHAPBOOK + "[if a]\n[else]\n" * 20000 + END, 0, None),
    ("chapbook vars", CHAPBOOK + "a: 1\n" * 20000 + "--" + END, 0, None),
    ("chapbook back links", CHAPBOOK + "{back link}" * 20000 + END, 0, "CR410"),
    ("sugarcube quoted links unclosed", SUGARCUBE + '[["a|' * 20000 + END, 1, "…', which does not exist"),  # a name cut
    ("sugarcube quoted links", SUGARCUBE + '[["a | End"]]' * 5000 + END, 0, "CR409"),
    ("sugarcube links with macro bodies", SUGARCUBE + '<<link "a" "End">><<x>><</link>>' * 5000 + END, 0, "CR410"),
    ("sugarcube macro names on their own line", SUGARCUBE + '<<w\n"End">>' * 5000 + END, 0, "CR410"),
    (
        "sugarcube unmapped ifs with elses",
        SUGARCUBE + "<<if $a.b>>x<<else>>" * 20000 + "<</if>>" * 20000 + END,
        0,
        None,
    ),
    ("sugarcube endifs nested", SUGARCUBE + "<<if $a>>" * 20000 + "x" + "<<endif>>" * 20000 + END, 0, "CR410"),
    (
        "sugarcube lost variables",
        SUGARCUBE + '<<cycle "$m">><<if $a>><<set $m to 1>><</if>><<if $m is 2>>[[End]]<</if>>' * 5000 + END,
        0,
        "condition on 'm', whose changes do not all carry over",
    ),
    ("chapbook reveal links", CHAPBOOK + "{reveal link: 'a', passage: 'End'}" * 5000 + END, 0, None),
    ("chapbook reveal links unclosed", CHAPBOOK + "{reveal link: 'a', passage: 'End'" * 20000 + END, 0, None),
    (
        "chapbook modifier semicolons",
        CHAPBOOK + "[if a;" + ";" * 100000 + "]\n" + "[else;]\n[continue;]\n" * 20000 + END,
        0,
        None,
    ),
    (
        "chapbook embeds nested 3000 deep",
        CHAPBOOK + "".join(f"{{embed passage: 'P{i}'}}\n:: P{i}\n" for i in range(3000)) + "[[End]]" + END,
        1,  # embeds nested deeper than 40 bring nothing more: the start ends, and the import says why
        "CR414",
    ),
    ("snowman render unclosed", ":: Start\n" + "story.render('End'" * 20000 + END, 0, None),
    ("snowman render", ":: Start\n" + "<%= story.render('End') %>" * 5000 + END, 0, None),
    ("huge int in StoryData", ':: StoryData\n{"zoom": ' + "9" * 5000 + "}\n:: Start\nx" + END, 0, "h.twee:2:10: CR407"),
    ("deep StoryData", ":: StoryData\n" + "[" * 100000 + "\n:: Start\nx" + END, 0, "h.twee:2:1: CR407"),
    (
        "deep metadata",
        ":: Start " + "{" + '"a":{' * 5000 + "\nx" + END,
        0,
        "CR406 (warning): passage metadata ignored: nested deeper than 64 levels",
    ),
    ("huge int in metadata", ':: Start {"position": ' + "1" * 5000 + "}\nx" + END, 0, "h.twee:1:23: CR406"),
    ("unclosed tags", ":: Start [" + "t " * 20000 + "\nx\n", 1, "h.twee:1:10: CR403"),
    ("many passages", "".join(f":: P{i}\n[[P{i + 1}]]\n" for i in range(3000)) + ":: P3000\nend\n", 0, None),
]


@pytest.mark.parametrize(("name", "text", "code", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_hostile_twee_ends_in_a_clear_message(tmp_path: Path, capsys, monkeypatch, name, text, code, message) -> None:
    source = tmp_path / "h.twee"
    source.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "h.twee", "-o", str(tmp_path / "out")]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if message:
        assert message in err
    if code == 1:
        assert "h.twee" in err and not (tmp_path / "out" / "story.yaml").exists()


def test_control_characters_are_removed_with_a_located_warning(tmp_path: Path, capsys, monkeypatch) -> None:
    source = tmp_path / "c.twee"
    source.write_text(
        ":: Start\x07\nHello \x1b[2J \x1b]52;c;Y2F0\x07 there\x9b31m.\n[[Go\x1b]0;title\x07->End]]\n:: End\nBye.\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["import", "c.twee"]) == 0
    out, err = capsys.readouterr()
    assert "c.twee:1:9: CR408 (warning): control character U+0007 removed" in err
    assert "c.twee:2:7: CR408" in err and "c.twee:3:5: CR408" in err
    written = (tmp_path / "c" / "story.yaml").read_text(encoding="utf-8")
    for text in (out, err, written):
        assert not any(ch in text for ch in "\x1b\x07\x9b")
    assert "Hello [2J ]52;c;Y2F0 there31m." in written


def test_an_oversize_file_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:
    source = tmp_path / "big.twee"
    source.write_bytes(b":: Start\n" + b"a" * MAX_TWEE_BYTES)
    monkeypatch.chdir(tmp_path)
    assert main(["import", "big.twee"]) == 1
    err = capsys.readouterr().err
    assert "big.twee:1:1: CR401: the file is larger than 8 MiB" in err and "Traceback" not in err


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not() -> None:
    at_limit = b":: Start\n" + b"a" * (MAX_TWEE_BYTES - 9)
    assert len(decode(at_limit, "max.twee")) == MAX_TWEE_BYTES
    with pytest.raises(TweeError, match="CR401"):
        decode(at_limit + b"a", "max.twee")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_dev_zero_ends_in_a_clear_message(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["import", "/dev/zero", "-o", str(tmp_path / "zero")]) == 1
    err = capsys.readouterr().err
    assert "/dev/zero:1:1: CR401: the file is larger than 8 MiB" in err and "Traceback" not in err
