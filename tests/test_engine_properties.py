"""Property tests: random story graphs load cleanly and play deterministically; mangled files never crash."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine import Playthrough
from game.loader import check_story


@st.composite
def story_documents(draw) -> dict:
    n = draw(st.integers(2, 8))
    ids = [f"s{i}" for i in range(n)]
    scenes: dict = {}
    for i, scene_id in enumerate(ids):
        if i == n - 1:
            scenes[scene_id] = {"title": scene_id, "ending": {"kind": "safe", "title": "End"}}
            continue
        choices = [{"say": "next", "go": ids[i + 1]}]  # always one way forward
        for _ in range(draw(st.integers(0, 3))):
            choice = {"say": "x", "go": draw(st.sampled_from(ids))}
            if draw(st.booleans()):
                choice["if"] = f"n {draw(st.sampled_from(['<', '>=', '==']))} {draw(st.integers(-3, 5))}"
            if draw(st.booleans()):
                choice["set"] = {"n": f"n + {draw(st.integers(-2, 3))}", "b": "not b"}
            if draw(st.booleans()):
                choice["once"] = True
            choices.append(choice)
        scenes[scene_id] = {
            "title": scene_id,
            "text": [{"en": "n is {n}"}, {"if": "b", "en": "b!"}],
            "choices": choices,
        }
    return {
        "crossroads": 1,
        "id": "gen",
        "title": "Generated",
        "start": "s0",
        "vars": {"n": {"type": "int", "default": 0, "min": -2, "max": 4}, "b": False},
        "scenes": scenes,
    }


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=story_documents(), picks=st.lists(st.integers(0, 10), max_size=25))
def test_generated_stories_play_deterministically(write_story, doc: dict, picks: list[int]) -> None:
    folder = write_story(yaml.safe_dump(doc, allow_unicode=True), name="gen")
    result = check_story(folder)
    assert result.errors == [], result.errors
    story = result.story
    a, b = Playthrough(story), Playthrough(story)
    for pick in picks:
        if a.is_ending:
            break
        options = [o.choice.index for o in a.choices() if o.enabled]
        assert options, "every scene keeps its always-available forward choice"
        index = options[pick % len(options)]
        a.choose(index)
        b.choose(index)
        assert a.state == b.state
        assert -2 <= a.vars["n"] <= 4
    restored, notice = Playthrough.restore(story, a.snapshot())
    assert notice is None and restored.state == a.state
    steps = len(a.history)
    a.undo(steps)
    assert a.state == Playthrough(story).state


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, 10_000), junk=st.text(max_size=4))
def test_mangled_story_files_never_crash(write_story, position: int, junk: str) -> None:
    from tests.test_loader_corpus import BASE

    cut = position % (len(BASE) + 1)
    folder = write_story(BASE[:cut] + junk + BASE[cut + len(junk) :], name="mangled")
    result = check_story(folder)  # must not raise
    for diagnostic in result.diagnostics:
        assert diagnostic.location.line >= 1 and diagnostic.location.col >= 1
        assert diagnostic.code.startswith("CR")


_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=8), st.sampled_from(["s0", "a"]))
_yaml_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(["crossroads", "id", "title", "start", "scenes", "vars", "say", "go", "if", "x"]),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=25,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_yaml_values)
def test_random_yaml_documents_never_crash_the_loader(write_story, document: object) -> None:
    folder = write_story(yaml.safe_dump(document, allow_unicode=True), name="random")
    result = check_story(folder)  # must not raise
    assert result.story is None or result.errors == []
    assert all(d.code.startswith("CR") for d in result.diagnostics)


@settings(  # no deadline and a fixed seed: the outcome never depends on the machine's load
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=story_documents(), picks=st.lists(st.integers(0, 10), min_size=1, max_size=20), back=st.integers(1, 20))
def test_undo_restores_the_exact_earlier_state(write_story, doc: dict, picks: list[int], back: int) -> None:
    story = check_story(write_story(yaml.safe_dump(doc), name="undo")).story
    play = Playthrough(story)
    states = [play.state]
    for pick in picks:
        if play.is_ending:
            break
        options = [o.choice.index for o in play.choices() if o.enabled]
        play.choose(options[pick % len(options)])
        states.append(play.state)
    steps = min(back, len(states) - 1)
    assert play.undo(back) == steps
    assert play.state == states[-1 - steps]
    assert play.text() == Playthrough.replay(story, [(s.scene, s.choice) for s in play.history]).text()
