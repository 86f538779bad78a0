"""The safe JSON reader: every documented limit at the limit and one past it, and the damaged-file messages."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from game.persist import safejson
from game.persist.safejson import MAX_DEPTH, MAX_INT_DIGITS, DamagedJSON, dumps, loads, read_file, typed


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_nesting_at_the_limit_is_read_and_one_past_it_is_damaged() -> None:
    assert loads(_nested(MAX_DEPTH), "f.json") is not None
    with pytest.raises(DamagedJSON) as caught:
        loads(_nested(MAX_DEPTH + 1), "f.json")
    assert str(caught.value) == f"f.json:1:{MAX_DEPTH + 1}: nested deeper than {MAX_DEPTH} levels"


@pytest.mark.parametrize("depth", [1_000, 100_000, 1_000_000])
def test_nesting_past_pythons_recursion_limit_is_damaged_not_a_crash(depth: int) -> None:
    with pytest.raises(DamagedJSON, match="nested deeper than"):
        loads('{"a":\n' + "[" * depth, "f.json")


def test_integer_digits_at_the_limit_and_one_past_it() -> None:
    assert loads("9" * MAX_INT_DIGITS, "f.json") == int("9" * MAX_INT_DIGITS)
    with pytest.raises(DamagedJSON) as caught:
        loads('{\n  "seconds": -' + "9" * (MAX_INT_DIGITS + 1) + "}", "f.json")
    assert str(caught.value).startswith("f.json:2:14: a number of 4,301 digits")


@pytest.mark.parametrize("number", ["1e400", "-1e400", "1" + "0" * 400 + ".5", "1.8e308"])
def test_floats_that_overflow_are_damaged(number: str) -> None:
    with pytest.raises(DamagedJSON, match=r"f\.json:1:7: .*too (large|long)|digits"):
        loads('{"s": ' + number + "}", "f.json")


def test_the_largest_finite_float_is_read() -> None:
    assert loads("[1.7976931348623157e308]", "f.json") == [1.7976931348623157e308]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_constants_are_damaged(constant: str) -> None:
    with pytest.raises(DamagedJSON, match=f"f.json:1:8: '{constant}' is not a number JSON allows"):
        loads('{"s": [' + constant + "]}", "f.json")


@pytest.mark.parametrize("kind", [k for k in safejson.SIZE_LIMITS if safejson.SIZE_LIMITS[k] <= 8 * safejson.MiB])
def test_size_limit_per_kind_at_the_limit_and_one_past_it(kind: str) -> None:
    limit = safejson.size_limit(kind)
    at_limit = '{"a": "' + "x" * (limit - 9) + '"}'
    assert len(at_limit.encode()) == limit
    assert loads(at_limit.encode(), "f.json", kind) == {"a": "x" * (limit - 9)}
    with pytest.raises(DamagedJSON, match=f"over the limit of {limit:,} for this kind of file"):
        loads((at_limit + " ").encode(), "f.json", kind)


def test_the_cache_limit_is_the_documented_one() -> None:
    # 256 MiB is too much to allocate in a test; the mechanism is the one tested above for every other kind
    assert safejson.size_limit("crossroads-compiled-story") == 256 * safejson.MiB


def test_every_documented_kind_has_a_limit_in_the_docs() -> None:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "playing.md").read_text(encoding="utf-8")
    for kind in safejson.SIZE_LIMITS:
        assert f"`{kind}`" in docs, kind


def test_read_file_never_reads_more_than_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "settings.json"
    big.write_bytes(b" " * (safejson.size_limit("crossroads-settings") * 4))
    with pytest.raises(DamagedJSON, match="larger than the limit of 65,536 bytes"):
        read_file(big, "crossroads-settings")


def test_syntax_errors_and_bad_utf8_are_located() -> None:
    with pytest.raises(DamagedJSON, match=r"^f\.json:2:3: not valid JSON"):
        loads('{"a": 1,\n  }', "f.json")
    with pytest.raises(DamagedJSON, match=r"^f\.json:2:3: not valid JSON \(not UTF-8"):
        loads(b'[\n"a\xff"]', "f.json")


def test_line_numbers_of_a_jsonl_line_are_kept() -> None:
    with pytest.raises(DamagedJSON, match=r"^r\.jsonl:7:65: nested"):
        loads(_nested(70), "r.jsonl", line=7)


def test_control_characters_are_removed_from_every_string_and_key() -> None:
    text = '{"ti\\u001btle": ["\\u001b]52;c;aGk=\\u0007x", "\u009b31m", "caf\\u00e9\\tok\\n"]}'
    assert loads(text, "f.json") == {"title": ["]52;c;aGk=x", "31m", "café\tok\n"]}


def test_dumps_refuses_non_finite_numbers() -> None:
    with pytest.raises(ValueError):
        dumps({"s": math.inf})
    assert json.loads(dumps({"s": 1.5, "t": "中"})) == {"s": 1.5, "t": "中"}


def test_typed_helper() -> None:
    assert typed(3, int, 0) == 3
    assert typed(True, int, 0) == 0
    assert typed("x", int, 0) == 0
    assert typed(True, bool, False) is True
    assert typed(None, str, "d") == "d"


def test_clean_false_keeps_control_characters_for_data_never_shown() -> None:
    assert loads('["\\u001bOQ"]', "ws", clean=False) == ["\x1bOQ"]
