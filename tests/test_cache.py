"""The compiled cache: warm loads skip YAML; any change, new engine or damage falls back to YAML correctly."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import game.loader
from game import cache
from game.analysis.explore import explore
from game.diagnostics import StoryError
from game.engine import Playthrough
from game.loader import load_story

HERE = Path(__file__).parent
TUTORIAL = HERE.parent / "story" / "tutorial"

MAIN = """\
crossroads: 1
id: inc
title: {en: Included, zh: 包含}
languages: [en, zh]
start: a
include: [more.yaml]
vars:
  n: {type: int, default: 0, min: 0, max: 3, label: {en: N, zh: 数}, show: true}
tags:
  rf: {kind: red-flag, title: {en: Flag, zh: 旗}, explain: Why}
scenes:
  a:
    chapter: One
    title: {en: "A {n}", zh: 甲}
    set: {n: "n + 1"}
    text:
      - {en: "Hello {n}", zh: 你好}
      - {if: "visits('a') > 1", en: Again, zh: 又来了}
    discuss: [Why?]
    ask: {en: "Where now, at {n}?", zh: "到了 {n}，去哪儿？"}
    choices:
      - say: Loop
        go: a
        if: "n < 3"
        locked: Too many
        tags: [rf]
      - say: Once
        go: b
        once: true
"""
MORE = """\
scenes:
  b:
    title: B
    ending: {kind: bad, title: End, summary: Sum}
    debrief: {what: W, so_what: S, now_what: N}
"""


@pytest.fixture
def story_dir(write_story) -> Path:
    return write_story({"story.yaml": MAIN, "more.yaml": MORE})


@pytest.fixture
def yaml_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Counts the loads that really parse YAML."""
    calls: list[Path] = []
    real = game.loader.check_story

    def counting(path):
        calls.append(Path(path))
        return real(path)

    monkeypatch.setattr(game.loader, "check_story", counting)
    return calls


def fingerprint(story) -> str:
    """Everything a player or tool can observe, as JSON (the explorer's report plus every text)."""
    report = explore(story).to_json()
    report.pop("seconds")
    texts = {
        sid: [
            s.title.values,
            [b.text.values for b in s.blocks],
            [c.say.values for c in s.choices],
            str(s.location),
            s.ask.values if s.ask else None,
        ]
        for sid, s in story.scenes.items()
    }
    meta = [story.id, story.title.values, story.languages, story.start, story.content_hash, story.files, story.root]
    variables = {
        n: [v.type, v.default, v.minimum, v.maximum, v.show, str(v.location)] for n, v in story.variables.items()
    }
    return json.dumps([report, texts, meta, variables, sorted(story.tags)], ensure_ascii=False, default=str)


def test_warm_load_comes_from_the_cache_and_equals_the_yaml_load(story_dir: Path, yaml_loads, crossroads_home) -> None:
    cold = load_story(story_dir, cache=True)
    assert len(yaml_loads) == 1
    assert list((crossroads_home / "cache" / "compiled").glob("*.json"))
    warm = load_story(story_dir, cache=True)
    assert len(yaml_loads) == 1  # no YAML parse the second time
    assert warm is not cold and fingerprint(warm) == fingerprint(cold)
    play = Playthrough(warm)
    assert play.title() == "A 1" and play.text() == "Hello 1"
    assert play.ask() == "Where now, at 1?" and play.ask("zh") == "到了 1，去哪儿？"
    play.choose(0)
    assert play.text() == "Hello 2\n\nAgain"
    assert warm.scenes["b"].debrief.now_what.values == {"*": "N"}


def test_tutorial_round_trips_through_the_cache() -> None:
    cold = load_story(TUTORIAL, cache=True)
    assert fingerprint(load_story(TUTORIAL, cache=True)) == fingerprint(cold)


@pytest.mark.parametrize(
    ("changed", "old", "new"), [("story.yaml", "say: Loop", "say: Loop again"), ("more.yaml", "title: B", "title: B2")]
)
def test_a_changed_file_falls_back_to_yaml(story_dir: Path, yaml_loads, changed: str, old: str, new: str) -> None:
    load_story(story_dir, cache=True)
    path = story_dir / changed
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    story = load_story(story_dir, cache=True)
    assert len(yaml_loads) == 2
    assert new.split(": ")[1] in (story.scenes["a"].choices[0].say.values["*"], story.scenes["b"].title.values["*"])
    load_story(story_dir, cache=True)
    assert len(yaml_loads) == 2  # and the new version is cached


def test_a_broken_edit_raises_story_error_not_the_stale_cache(story_dir: Path) -> None:
    load_story(story_dir, cache=True)
    (story_dir / "more.yaml").write_text(MORE.replace("kind: bad", "kind: awful"), encoding="utf-8")
    with pytest.raises(StoryError) as info:
        load_story(story_dir, cache=True)
    assert info.value.errors[0].code == "CR011"


def test_a_new_engine_version_misses(story_dir: Path, yaml_loads, monkeypatch: pytest.MonkeyPatch) -> None:
    load_story(story_dir, cache=True)
    monkeypatch.setattr(cache, "ENGINE_KEY", "9.9.9/1/1")
    load_story(story_dir, cache=True)
    assert len(yaml_loads) == 2


def test_the_key_follows_the_code_that_builds_the_cache(tmp_path: Path) -> None:
    sources = [Path(cache.__file__).with_name(name) for name in cache.BUILDERS]
    assert cache.ENGINE_KEY.endswith("/" + cache.code_hash(sources))
    copies = []
    for source in sources:
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        copies.append(copy)
    assert cache.code_hash(copies) == cache.code_hash(sources)
    copies[1].write_bytes(copies[1].read_bytes() + b"\n# an edit to the loader\n")
    assert cache.code_hash(copies) != cache.code_hash(sources)


def test_a_decoder_bug_is_not_hidden_as_a_cache_miss(story_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_story(story_dir, cache=True)

    def broken(data):
        raise AttributeError("a bug in the decoder")

    monkeypatch.setattr(cache, "_decode_story", broken)
    with pytest.raises(AttributeError, match="a bug in the decoder"):
        cache.load_cached(story_dir / "story.yaml")


def entry_file(story_dir: Path) -> Path:
    return cache.entry_path(story_dir / "story.yaml")


def resign(raw_body: bytes) -> bytes:
    """A cache file with a valid checksum around ``raw_body`` (as a tamperer could write)."""
    header = {"format": cache.CACHE_FORMAT, "version": cache.CACHE_VERSION, "engine": cache.ENGINE_KEY}
    header["sha256"] = hashlib.sha256(raw_body).hexdigest()
    return json.dumps(header).encode() + b"\n" + raw_body


def tamper_body(raw: bytes, old: str, new: str) -> bytes:
    body = raw.partition(b"\n")[2].decode()
    assert old in body
    return resign(body.replace(old, new, 1).encode())


DAMAGE = {
    "empty": lambda raw: b"",
    "truncated": lambda raw: raw[: len(raw) // 2],
    "flipped-byte": lambda raw: raw[:-20] + bytes([raw[-20] ^ 1]) + raw[-19:],
    "garbage": lambda raw: b"\x00\xff not json at all",
    "header-only": lambda raw: raw.partition(b"\n")[0],
    "wrong-format": lambda raw: raw.replace(cache.CACHE_FORMAT.encode(), b"something-else", 1),
    "body-not-object": lambda raw: resign(b"[1, 2, 3]"),
    "body-missing-keys": lambda raw: resign(b'{"files": []}'),
    "hostile-expression": lambda raw: tamper_body(raw, '"n < 3"', "\"__import__('os').system('true')\""),
    "dangling-target": lambda raw: tamper_body(raw, '"go"' if '"go"' in raw.decode() else '"b",{"', '"zz",{"'),
    "wrong-effect-type": lambda raw: tamper_body(raw, '["n + 1","int"]', '["true","bool"]'),
    "bad-text": lambda raw: tamper_body(raw, '{"*":"Loop"}', '{"*":5}'),
    "stale-hash": lambda raw: tamper_body(raw, '"content_hash":"', '"content_hash":"0'),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_entry_falls_back_silently_and_correctly(story_dir: Path, yaml_loads, damage: str) -> None:
    reference = fingerprint(load_story(story_dir, cache=True))
    path = entry_file(story_dir)
    damaged = DAMAGE[damage](path.read_bytes())  # fails if the entry lacks the text this damage targets
    path.write_bytes(damaged)
    assert cache.load_cached(story_dir / "story.yaml") is None
    story = load_story(story_dir, cache=True)
    assert len(yaml_loads) == 2
    assert fingerprint(story) == reference
    assert cache.load_cached(story_dir / "story.yaml") is not None  # repaired by the clean load


def test_check_story_never_reads_the_cache(story_dir: Path) -> None:
    load_story(story_dir, cache=True)
    path = entry_file(story_dir)
    path.write_bytes(tamper_body(path.read_bytes(), '{"*":"Loop"}', '{"*":"From the cache"}'))
    assert load_story(story_dir, cache=True).scenes["a"].choices[0].say.values == {"*": "From the cache"}
    assert game.loader.check_story(story_dir).story.scenes["a"].choices[0].say.values == {"*": "Loop"}


def test_an_unwritable_cache_does_not_stop_loading(story_dir: Path, crossroads_home: Path) -> None:
    crossroads_home.mkdir(parents=True, exist_ok=True)
    (crossroads_home / "cache").write_text("a file where the folder should be", encoding="utf-8")
    assert load_story(story_dir, cache=True).id == "inc"
    assert cache.store(story_dir / "story.yaml", load_story(story_dir)) is False


def test_locations_follow_the_working_directory(story_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_story(story_dir, cache=True)
    monkeypatch.chdir(story_dir)
    warm = load_story(story_dir, cache=True)
    assert str(warm.scenes["b"].location) == "more.yaml:2:3"
    assert str(warm.scenes["a"].choices[0].location) == "story.yaml:22:9"
