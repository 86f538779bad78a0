"""Twee import of each story format's links, conditions, assignments and special passages.

The small Twee files in tests/fixtures/twee/ were written for these tests, one per story format, with
every construct the import maps (and a few it does not, which must be reported, located, once per kind).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.interop.twee import import_twee, to_yaml
from game.interop.twee_expr import assignment, from_crossroads, to_crossroads
from game.loader import check_story

FIXTURES = Path(__file__).parent / "fixtures" / "twee"


def imported(name: str, tmp_path: Path):
    path = FIXTURES / f"{name}.twee"
    result = import_twee(path.read_text(encoding="utf-8"), f"{name}.twee")
    folder = tmp_path / name
    folder.mkdir()
    (folder / "story.yaml").write_text(to_yaml(result.story), encoding="utf-8")
    check = check_story(folder)
    assert check.errors == [], [str(d) for d in check.errors]
    return result, check.story


def choices(story, scene: str) -> list[tuple[str, str, str | None, list[tuple[str, str]]]]:
    return [
        (
            c.say.get("en", "en"),
            c.target,
            c.condition.source if c.condition else None,
            [(e.variable, e.expr.source) for e in c.effects],
        )
        for c in story.scenes[scene].choices
    ]


def messages(result) -> str:
    return "\n".join(str(w) for w in result.warnings)


def test_harlowe(tmp_path: Path) -> None:
    result, story = imported("harlowe", tmp_path)
    assert result.format == "harlowe" and story.ifid == "11111111-2222-4333-8444-555555555555"
    assert {n: v.default for n, v in story.variables.items()} == {"gold": 3, "met": False}  # from the startup passage
    assert choices(story, "Start") == [
        ("Go to the shop", "Shop", None, []),  # (link-goto:)
        ("Buy bread", "Bakery", None, [("gold", "gold - 1")]),  # (link:)[(set:)(go-to:)]
        ("Wander", "Street", None, []),  # (click-goto:)
        ("Bank", "Bank", "gold > 2", []),  # [[link]] inside (if:)[...]
    ]
    assert choices(story, "Shop") == [("Street", "Street", None, [])]  # (go-to:)
    assert [(e.variable, e.expr.source) for e in story.scenes["Shop"].on_enter] == [("met", "true")]
    blocks = [
        (b.text.get("en", "en"), b.condition.source if b.condition else None) for b in story.scenes["Start"].blocks
    ]
    assert blocks[0] == ("You have {gold} coins.", None)
    assert ("You feel poor.", "not (gold > 2)") in blocks  # (else:)
    assert story.scenes["Street"].blocks[0].text.get("en", "en") == "**Busy** and *loud*."
    assert "Init" not in story.scenes and "Footer" not in story.scenes
    text = messages(result)
    assert "harlowe.twee:16:1: CR410 (warning): (display:) kept as text (1 time): harlowe.twee:16" in text
    assert "CR412 (warning): 2 special passages not made into scenes ('Init', 'Footer')" not in text  # init is read
    assert "1 special passage not made into scenes ('Footer')" in text


def test_sugarcube(tmp_path: Path) -> None:
    result, story = imported("sugarcube", tmp_path)
    assert result.format == "sugarcube"
    assert {n: v.default for n, v in story.variables.items()} == {"gold": 10, "hasKey": False, "name": "Ann"}
    assert story.scenes["Start"].title.get("en", "en") == "The Square"
    assert choices(story, "Start") == [
        ("Shop", "Shop", None, []),  # <<link "t" "p">>
        ("Bakery", "Bakery", None, [("gold", "gold - 1")]),  # <<link [[…]]>> with <<set $gold -= 1>>
        ("Guard", "Gate", None, [("hasKey", "true")]),  # <<button>> with <<set>><<goto>>
        ("Buy", "Shop", None, [("gold", "gold - 5")]),  # setter link
        ("Odd", "Shop", None, []),  # a setter that does not map: warned, choice kept
        ("Rich", "Bank", "gold >= 5", []),  # <<if>>
        ("Gate", "Gate", None, []),  # <<actions>>
        ("Leave", "Home", None, []),
        ("Into the bank", "Bank", None, []),  # <<choice>>
        ("Home", "Home", None, []),  # a custom macro naming a passage
    ]
    assert choices(story, "Shop") == [("Gate", "Gate", None, [])]  # <<goto>>
    blocks = [
        (b.text.get("en", "en"), b.condition.source if b.condition else None) for b in story.scenes["Start"].blocks
    ]
    assert ("Key!", "not gold >= 5 and hasKey") in blocks or ("Key!", "not (gold >= 5) and hasKey") in blocks
    assert blocks[0] == ("Hello {name}.", None)
    assert "StoryCaption" not in story.scenes and "StoryInit" not in story.scenes and "w" not in story.scenes
    text = messages(result)
    assert 'sugarcube.twee:21:1: CR410 (warning): setter link [[…][$inv.push("x")]] left out' in text
    assert "sugarcube.twee:25:1: CR410 (warning): <<mywidget>> whose argument names a passage, taken as a link" in text
    assert not any("mywidget" in b[0] for b in blocks)  # mapped, so not kept as text
    assert "'StoryCaption', 'w'" in text


def test_chapbook(tmp_path: Path) -> None:
    result, story = imported("chapbook", tmp_path)
    assert result.format == "chapbook"
    foyer = story.scenes["Foyer"]
    assert [(e.variable, e.expr.source) for e in foyer.on_enter] == [("hasCloak", "true"), ("room", '"Foyer"')]
    blocks = [(b.text.get("en", "en"), b.condition.source if b.condition else None) for b in foyer.blocks]
    assert blocks[:3] == [
        ("You are in the {room}.", None),
        ("You wear a cloak. Go to the cloakroom", "hasCloak"),  # [if]
        ("You have no cloak.", "not hasCloak"),  # [else]
    ]
    assert "See the credits." in blocks[3][0]  # a web link is text
    assert choices(story, "Foyer") == [
        ("Go to the cloakroom", "Cloakroom", "hasCloak", []),
        ("Enter the bar", "Bar", None, []),  # {link to: …, label: …}
    ]
    assert choices(story, "Cloakroom") == [("Back", "Foyer", None, [])]  # {back link}: the one way in
    assert [(e.variable, e.expr.source) for e in story.scenes["Cloakroom"].on_enter] == [("hasCloak", "false")]
    assert choices(story, "Bar") == [("Start again", "Foyer", "hasCloak", []), ("Win", "Win", "not hasCloak", [])]
    assert choices(story, "Win") == [("Back", "Foyer", None, [])]  # embedded passage's choices
    text = messages(result)
    assert "chapbook.twee:17:1: CR410 (warning): [align] modifier kept as text (1 time)" in text
    assert "chapbook.twee:34:1: CR410 (warning): {embed passage} kept as text" in text
    assert "example.org" not in text


def test_chapbook_start_vars_are_defaults_when_nothing_links_back() -> None:
    text = (
        ':: StoryData\n{"format": "Chapbook"}\n\n:: Start\nscore: 2\nseen: false\n--\nHi {score}.\n[[Next]]\n\n'
        ":: Next\nscore: score + 1\n--\nBye.\n"
    )
    story = import_twee(text, "d.twee").story
    assert story["vars"] == {"score": 2, "seen": False}
    assert "set" not in story["scenes"]["Start"] and story["scenes"]["Next"]["set"] == {"score": "score + 1"}


@pytest.mark.parametrize(
    ("fmt", "source", "expected"),
    [
        ("harlowe", "$a is not 3 and not $b", "a != 3 and not b"),
        ("harlowe", '(history:) contains "Hall"', 'visited("Hall")'),
        ("harlowe", "$list contains 3", None),
        ("sugarcube", "$a gte 2 || $b isnot 'x'", 'a >= 2 or b != "x"'),
        ("sugarcube", 'visited("Hall") > 1', 'visits("Hall") > 1'),
        ("sugarcube", "_temp is 1", None),
        ("chapbook", "room === 'Outside' && !hasCloak", 'room == "Outside" and not hasCloak'),
        ("chapbook", "Math.random() > 0.5", None),
    ],
)
def test_conditions_to_crossroads(fmt: str, source: str, expected: str | None) -> None:
    assert to_crossroads(source, fmt, {"Hall": "Hall"}) == expected


@pytest.mark.parametrize(
    ("fmt", "source", "expected"),
    [
        ("harlowe", "$gold to $gold - 5", ("gold", "gold - 5")),
        ("harlowe", "3 into $x", ("x", "3")),
        ("sugarcube", "$n += 2", ("n", "n + 2")),
        ("sugarcube", "$n = 'a'", ("n", '"a"')),
        ("sugarcube", "$inv.push(1)", None),
    ],
)
def test_assignments(fmt: str, source: str, expected) -> None:
    assert assignment(source, fmt) == expected


@pytest.mark.parametrize(
    ("source", "harlowe", "sugarcube", "chapbook"),
    [
        ("not met and (s + 1 >= 2 or x == 'a')", 'not $met and ($s + 1 >= 2 or $x is "a")',
         'not $met and ($s + 1 >= 2 or $x is "a")', '!met && (s + 1 >= 2 || x === "a")'),
        ("visits('hall') > 1", '(count: (history:), "hall") > 1', 'visited("hall") > 1', None),
        ("coins // 2 > 1", None, None, None),
    ],
)  # fmt: skip
def test_conditions_from_crossroads(source: str, harlowe, sugarcube, chapbook) -> None:
    assert [from_crossroads(source, fmt) for fmt in ("harlowe", "sugarcube", "chapbook")] == [
        harlowe,
        sugarcube,
        chapbook,
    ]


def test_story_format_comes_from_story_data_else_a_warned_guess() -> None:
    result = import_twee(":: Start\n<<set $a to 1>>[[B]]\n:: B\nb\n", "g.twee")
    assert result.format == "sugarcube"
    assert any(w.code == "CR405" and "names no story format" in w.message for w in result.warnings)
    snowman = import_twee(':: StoryData\n{"format": "Snowman"}\n:: Start\n<% s.a = 1 %>[[B]]\n:: B\nb\n', "s.twee")
    assert snowman.format == "plain"
    assert any("story-format code (<%) kept as text" in w.message for w in snowman.warnings)


def test_snowman_rendered_passages_are_embeds_not_scenes() -> None:
    text = ':: Start\n<%= story.render("Header") %>\n[[Next]]\n:: Header\nHP: <%= s.hp %>\n:: Next\nEnd.\n'
    result = import_twee(text, "s.twee")
    assert list(result.story["scenes"]) == ["Start", "Next"] and result.problems == []


def test_harlowe_it_and_sugarcube_semicolon_setters() -> None:
    assert assignment("$trust to it + 1", "harlowe") == ("trust", "trust + 1")
    text = ':: StoryData\n{"format": "SugarCube"}\n:: Start\n[[Buy|End][$gold to $gold - 2; $n to $n + 1]]\n:: End\nx\n'
    choice = import_twee(text, "s.twee").story["scenes"]["Start"]["choices"][0]
    assert choice["set"] == {"gold": "gold - 2", "n": "n + 1"}


def test_passages_only_embedded_or_only_in_menus_are_not_scenes() -> None:
    harlowe = (
        ':: StoryData\n{"format": "Harlowe"}\n:: Start\n(display: "Status")\n[[End]]\n:: Status\nHP: $hp\n:: End\nx\n'
    )
    result = import_twee(harlowe, "h.twee")
    assert list(result.story["scenes"]) == ["Start", "End"] and result.problems == []
    assert any("h.twee:6:1: CR410" in str(w) and "only embedded" in w.message for w in result.warnings)
    sugar = (
        ':: StoryData\n{"format": "SugarCube"}\n:: StoryMenu\n[[Inventory]]\n'
        ":: Start\n[[End]]\n:: Inventory\ni\n:: End\nx\n"
    )
    result = import_twee(sugar, "s.twee")
    assert list(result.story["scenes"]) == ["Start", "End"]
    assert any("menu page" in w.message for w in result.warnings)


def test_sugarcube_constructs_from_public_games(tmp_path: Path) -> None:
    """Constructs found importing public SugarCube games (issue 15's trial): each one a choice, or kept."""
    result, story = imported("sugarcube-games", tmp_path)
    assert choices(story, "Street") == [
        ("Fight", "Fight", None, []),  # <<link "t" "p">> whose body is a custom macro: still a choice to p
        ("Show the artifact", "Guild", None, []),  # both branches of an <<if>> that does not carry over
        ("Leave", "Alley", None, []),
        ("Forum | Home", "Forum-Home", None, []),  # a quoted component may hold '|' (SugarCube's own rule)
        ("Fine, Mom.", "Fine-Mom", None, []),  # a passage whose name has quotes is linked as written
        ("Alley", "Alley", None, []),  # <<hub\n "Alley">>: a macro name ends at any white space
    ]
    assert "Avatar" not in story.scenes  # only embedded by the sidebar (StoryCaption)
    text = messages(result)
    assert "sugarcube-games.twee:8:1: CR410 (warning): <<link>> body left out (it is not <<set>>) (1 time)" in text
    assert "sugarcube-games.twee:9:1: CR410 (warning): <<if>> condition kept as text (1 time)" in text
    assert "sugarcube-games.twee:17:1: CR410 (warning): <<hub>> whose argument names a passage" in text
    street = story.scenes["Street"].blocks[0].text.get("en", "en")
    assert "<<else>>" in street and "You have nothing to show." in street  # the else branch kept as text
    # <<endif>> closes <<if>>; a condition on a variable changed where the import cannot follow (a <<set>>
    # inside a condition, an input macro) is kept as text, so its choice stays reachable; an unclosed <<if>>'s
    # string argument is not a link ('Guild' names a passage)
    assert choices(story, "Alley") == [("Buy the yard", "Yard", None, []), ("Shout", "Fight", None, [])]
    alley = [
        (b.text.get("en", "en"), b.condition.source if b.condition else None) for b in story.scenes["Alley"].blocks
    ]
    assert ("Rich.<<set $rich to true>>", "coins > 2") in alley
    assert story.variables["mood"].default == ""  # compared with text: a text variable
    assert "sugarcube-games.twee:30:13: CR410 (warning): condition on 'rich', whose changes do not all carry" in text
    assert "sugarcube-games.twee:32:24: CR410 (warning): condition on 'mood', whose changes" in text
    assert "sugarcube-games.twee:33:1: CR410 (warning): <<if>> kept as text (1 time)" in text


def test_chapbook_constructs_from_public_games(tmp_path: Path) -> None:
    """{reveal link: …, passage:}, modifiers joined by ';', and embeds of embeds (a page, its menu, its items)."""
    result, story = imported("chapbook-games", tmp_path)
    assert choices(story, "Home") == [
        ("Phase 1", "Phase", None, []),  # Home embeds Page, which embeds Menu, which links to Phase
        ("…", "Home-more", None, []),  # the revealed passage is the next scene
    ]
    assert "Page" not in story.scenes and "Menu" not in story.scenes
    blocks = [
        (b.text.get("en", "en"), b.condition.source if b.condition else None) for b in story.scenes["Phase"].blocks
    ]
    assert blocks[-1] == ("[if seen; align center]\nSeen.", "seen")  # [if …; align …]: the condition holds
    assert "Go there." in blocks[0][0] and blocks[0][1] is None  # [else;] after an [if] that does not map
    text = messages(result)
    assert "chapbook-games.twee:20:1: CR410 (warning): [else] after a condition that does not carry over" in text
    assert "[continue;]" not in text and "[else;]" not in text


def test_harlowe_else_after_a_condition_that_does_not_carry_over() -> None:
    text = (
        ':: StoryData\n{"format": "Harlowe"}\n:: Start\n(if: $list contains 3)[Yes [[A]]](else:)[No [[B]]]\n'
        ":: A\na\n:: B\nb\n"
    )
    result = import_twee(text, "h.twee")
    assert [c["go"] for c in result.story["scenes"]["Start"]["choices"]] == ["A", "B"]
    assert any(
        "h.twee:4:34: CR410" in str(w) and "(else:) after a condition that does not carry over" in w.message
        for w in result.warnings
    )
