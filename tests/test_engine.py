"""The pure engine: choices, conditions, effects, once-only choices, undo, history and snapshots."""

from __future__ import annotations

import json

import pytest

from game.engine import ChoiceError, Playthrough, SnapshotError
from game.loader import load_story

STORY = """\
crossroads: 1
id: engine-demo
title: Engine demo
languages: [en, zh]
start: hall
vars:
  coins: {type: int, default: 1, min: 0, max: 3, show: true}
  key: false
  name: {type: str, default: Ana}
tags:
  greed: {kind: red-flag, title: Greed}
  leave: {kind: safe-exit, title: Leave}
scenes:
  hall:
    title: {en: Hall, zh: 大厅}
    text:
      - {en: "You have {coins} coins, {name}.", zh: "你有 {coins} 枚硬币，{name}。"}
      - {if: "key", en: "The key is heavy.", zh: "钥匙沉甸甸的。"}
      - {if: 'visits("hall") > 1', en: "Back again.", zh: "又回来了。"}
    ask: {en: "What will you do with {coins} coins?", zh: "手里有 {coins} 枚硬币，你怎么办？"}
    choices:
      - say: {en: Take coins, zh: 拿硬币}
        go: hall
        set: {coins: "coins + 5"}
        tags: [greed]
        once: true
      - say: {en: Take the key, zh: 拿钥匙}
        go: hall
        if: "not key"
        set: {key: "true"}
      - say: {en: Open the door, zh: 开门}
        go: door
        if: "key"
        locked: {en: "It is locked.", zh: "门锁着。"}
      - say: {en: Walk away, zh: 离开}
        go: away
        tags: [leave]
  door:
    title: Door
    set: {coins: "coins - 1"}
    ending: {kind: mixed, title: Through the door}
  away:
    title: Away
    ending: {kind: safe, title: Gone}
"""


@pytest.fixture
def story(write_story):
    return load_story(write_story(STORY))


def texts(play: Playthrough) -> list[tuple[str, bool]]:
    return [(o.text, o.enabled) for o in play.choices()]


def test_start_state_and_text(story) -> None:
    play = Playthrough(story)
    assert play.scene.id == "hall"
    assert play.text() == "You have 1 coins, Ana."
    assert play.text("zh") == "你有 1 枚硬币，Ana。"
    assert play.visits == {"hall": 1}
    assert texts(play) == [("Take coins", True), ("Take the key", True), ("Open the door", False), ("Walk away", True)]
    assert play.choices()[2].reason == "It is locked."


def test_disabled_choice_cannot_be_taken(story) -> None:
    play = Playthrough(story)
    with pytest.raises(ChoiceError, match="choice 3 of scene 'hall' is not available now"):
        play.choose(2)  # locked
    with pytest.raises(ChoiceError, match="choice 9 of scene 'hall' is not available now"):
        play.choose(8)  # no such choice


def test_effects_clamp_once_and_conditional_text(story) -> None:
    play = Playthrough(story)
    play.choose(0)  # take coins: 1 + 5 clamped to 3, once-only
    assert play.vars["coins"] == 3
    assert [t for t, _ in texts(play)] == ["Take the key", "Open the door", "Walk away"]
    assert "Back again." in play.text()
    play.choose(1)  # take the key (source index 1: indices never shift when a choice is hidden)
    assert play.vars["key"] is True
    assert "The key is heavy." in play.text()
    assert texts(play) == [("Open the door", True), ("Walk away", True)]
    play.choose(2)
    assert play.is_ending and play.ending.kind == "mixed"
    assert play.vars["coins"] == 2  # the door scene's on-enter effect
    assert play.path == ["hall", "hall", "hall", "door"]


def test_tags_met_and_exits_passed(story) -> None:
    play = Playthrough(story)
    play.choose(0)
    play.choose(1)
    play.choose(2)
    assert [t.id for t in play.tags_met()] == ["greed"]
    assert [t.id for t in play.tags_met("safe-exit")] == []
    passed = [(step.scene, choice.index) for step, choice in play.exits_passed()]
    assert passed == [("hall", 3), ("hall", 3), ("hall", 3)]


def test_undo_restores_exact_state(story) -> None:
    play = Playthrough(story)
    states = [play.state]
    for index in range(3):
        play.choose(index)
        states.append(play.state)
    assert play.undo(2) == 2
    assert play.state == states[1]
    assert play.undo(10) == 1
    assert play.state == states[0]
    assert play.undo() == 0


def test_snapshot_round_trip_is_json(story) -> None:
    play = Playthrough(story, "zh")
    play.choose(1)
    data = json.loads(json.dumps(play.snapshot()))
    restored, notice = Playthrough.restore(story, data)
    assert notice is None
    assert restored.state == play.state
    assert restored.lang == "zh"
    assert [(s.scene, s.choice) for s in restored.history] == [(s.scene, s.choice) for s in play.history]


def test_snapshot_from_changed_story_resumes_at_scene(story, write_story) -> None:
    play = Playthrough(story)
    play.choose(1)
    changed = load_story(write_story(STORY.replace("title: Engine demo", "title: Engine demo 2"), name="v2"))
    restored, notice = Playthrough.restore(changed, play.snapshot())
    assert notice and "changed" in notice
    assert restored.state == play.state


def test_snapshot_whose_scene_is_gone_is_refused(story, write_story) -> None:
    play = Playthrough(story)
    play.choose(3)
    text = STORY.replace("go: away", "go: door").replace("  away:\n    title: Away\n", "  gone:\n    title: Away\n")
    changed = load_story(write_story(text, name="v2"))
    data = play.snapshot()
    with pytest.raises(SnapshotError, match="no longer exists"):
        Playthrough.restore(changed, data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a Crossroads save"),
        ({"version": 99}, "unsupported save version"),
        ({"version": 1, "story_id": "x"}, "damaged"),
        (
            {"version": 1, "story_id": "other", "story_hash": "", "choices": [], "state": {"scene": "hall"}},
            "belongs to",
        ),
        (
            {"version": 1, "story_id": "engine-demo", "story_hash": "", "choices": [["hall", "x"]], "state": {}},
            "malformed",
        ),
    ],
)
def test_bad_snapshots_are_refused_clearly(story, data: object, message: str) -> None:
    with pytest.raises(SnapshotError, match=message):
        Playthrough.restore(story, data)


def test_tampered_snapshot_of_same_version_is_refused(story) -> None:
    play = Playthrough(story)
    data = play.snapshot()
    data["choices"] = [["hall", 2]]  # a locked choice
    with pytest.raises(SnapshotError):
        Playthrough.restore(story, data)


def test_replay_is_deterministic(story) -> None:
    moves = [("hall", 0), ("hall", 1), ("hall", 2)]
    a = Playthrough.replay(story, moves)
    b = Playthrough.replay(story, moves)
    assert a.state == b.state and a.snapshot() == b.snapshot()


def test_content_hash_changes_with_content(story, write_story) -> None:
    same = load_story(write_story(STORY, name="copy"))
    other = load_story(write_story(STORY + "\n# comment\n", name="other"))
    assert story.content_hash == same.content_hash
    assert story.content_hash != other.content_hash


def test_ask_is_the_scenes_question_interpolated_in_each_language(story) -> None:
    play = Playthrough(story)
    assert play.ask() == "What will you do with 1 coins?"
    assert play.ask("zh") == "手里有 1 枚硬币，你怎么办？"
    play.choose(0)
    assert play.ask() == "What will you do with 3 coins?"
    play.choose(next(o.choice.index for o in play.choices() if o.text == "Walk away"))
    assert play.is_ending and play.ask() is None
