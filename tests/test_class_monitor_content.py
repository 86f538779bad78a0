"""Content rules for the bundled stories and for "The Class Monitor" in particular (issue 13).

- The tag catalogue: a choice that carries a red flag is never also a safe exit (every bundled story).
- Text that follows the player's own path: sentences that are only true on some paths appear only there.
- Channels in their time: the 12339 hotline (November 2015) and 12339.gov.cn appear only where the story
  speaks from today, never as something a character can use in 2006-2011.
- Article 55 of the Counter-espionage Law is quoted word for word, with both paragraphs labelled.
- Chinese word choices: no 保密 for the bad kind of secrecy, no 未解锁, no italics, varied dialogue tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from game.classroom.debrief import play_debrief_markdown
from game.classroom.guide import read_extras
from game.engine import Playthrough
from game.loader import load_story
from game.model import Story, Text
from tests.conftest import CLASS_MONITOR, STORIES
from tests.test_class_monitor_story import CASE_PATH, all_texts

LANGS = ("en", "zh")
BUNDLED = sorted(p.parent for p in STORIES.glob("*/story.yaml"))

# Article 55 of the Counter-espionage Law of the People's Republic of China (2023 revision), word for word, with the
# English rendering, as given in the project's research notes (shared/research/classroom.md).
ARTICLE_55_ZH = {
    1: "实施间谍行为，有自首或者立功表现的，可以从轻、减轻或者免除处罚；有重大立功表现的，给予奖励。",
    2: "在境外受胁迫或者受诱骗参加间谍组织、敌对组织，从事危害中华人民共和国国家安全的活动，及时向中华人民共和国"
    "驻外机构如实说明情况，或者入境后直接或者通过所在单位及时向国家安全机关如实说明情况，并有悔改表现的，可以不予追究。",
}
ARTICLE_55_EN = {
    1: "Whoever commits espionage and surrenders voluntarily or performs meritorious service may be given a lighter "
    "or mitigated punishment or be exempted from punishment; whoever performs major meritorious service shall be "
    "rewarded.",
    2: "Whoever, having been coerced or deceived abroad into joining an espionage or hostile organisation and engaging "
    "in activities that endanger the national security of the People's Republic of China, promptly and truthfully "
    "explains the situation to a PRC mission abroad, or after entering the country promptly and truthfully explains "
    "the situation to the national security authorities, directly or through their employer, and shows repentance, "
    "may not be held accountable.",
}


@pytest.fixture(scope="module")
def story() -> Story:
    return load_story(CLASS_MONITOR)


def flat(text: str) -> str:
    """Whitespace (YAML line breaks inside paragraphs) folded to single spaces; CJK joins need no space."""
    text = " ".join(text.split())
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def play(story: Story, steps: list[str], lang: str = "en") -> Playthrough:
    """Play by target scene; ``"scene#n"`` picks the choice at 1-based source position n leading there."""
    p = Playthrough(story, lang)
    for step in steps:
        target, _, position = step.partition("#")
        options = [
            o.choice.index
            for o in p.choices()
            if o.enabled and o.target == target and (not position or o.choice.index + 1 == int(position))
        ]
        assert options, f"in {p.scene.id!r} no enabled choice for {step!r}"
        p.choose(options[0])
    return p


def seen(story: Story, steps: list[str], lang: str) -> str:
    """Everything a player reads on a path: every scene's text, then the debrief at the ending."""
    p = Playthrough(story, lang)
    shown = [p.text()]
    for i in range(len(steps)):
        p = play(story, steps[: i + 1], lang)
        shown.append(p.text())
    if p.is_ending:
        shown.append(play_debrief_markdown(p, lang))
    return flat("\n".join(shown))


# -- the tag catalogue ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", BUNDLED, ids=lambda p: p.name)
def test_a_choice_that_carries_a_red_flag_is_not_a_safe_exit(folder) -> None:
    bundled = load_story(folder)
    for scene in bundled.scenes.values():
        for choice in scene.choices:
            kinds = {bundled.tags[t].kind for t in choice.tags if t in bundled.tags}
            assert not {"red-flag", "safe-exit"} <= kinds, f"{folder.name}: {scene.id} choice {choice.index + 1}"


def test_vague_purpose_flags_the_case_path_not_the_cautious_asker(story: Story) -> None:
    intro = story.scenes["introduction"]
    accepting, asking = intro.choices[0], intro.choices[1]
    assert "vague-purpose" in accepting.tags and "vague-purpose" not in asking.tags
    p = play(story, CASE_PATH)
    assert "vague-purpose" in {t.id for t in p.tags_met("red-flag")}


def test_the_late_report_is_not_the_same_ending_as_the_prompt_one(story: Story) -> None:
    late = play(story, [*CASE_PATH[: CASE_PATH.index("puppet") + 1], "embassy-late"])
    prompt = play(story, [*CASE_PATH[: CASE_PATH.index("reveal") + 1], "embassy"])
    assert late.ending.kind == "mixed" and prompt.ending.kind == "safe"
    text = seen(story, [*CASE_PATH[: CASE_PATH.index("puppet") + 1], "embassy-late"], "en")
    assert "may not be held accountable" in text and "will not" not in text
    assert "cannot give back the year" in text  # what it cannot undo
    zh = seen(story, [*CASE_PATH[: CASE_PATH.index("puppet") + 1], "embassy-late"], "zh")
    assert "可以不予追究" in zh and "还不回那一年" in zh


# -- text that follows the player's path ---------------------------------------------------------------------

CASE_TO_LI = CASE_PATH[: CASE_PATH.index("li-desk") + 1]
TOOK_NOTHING_AT_LI = [*CASE_TO_LI, "wang-files#2"]  # "Lock his screen, stack his papers, and go home"
PUBLIC_PAGE_ONLY = ["monitor", "friendship", "introduction", "first-request", "more-requests#2"]  # committee page only

PATH_TEXT = [
    # (sentence en, sentence zh, a path where it must appear, a path where it must not)
    (
        "took from Li's computer",
        "你从老李电脑里拿走的东西",
        CASE_PATH,
        [*TOOK_NOTHING_AT_LI, "investigation", "caught"],
    ),
    (
        "you offer to help",
        "你主动提出帮忙",
        CASE_PATH[: CASE_PATH.index("wang-files") + 1],
        TOOK_NOTHING_AT_LI,
    ),
    (
        "It costs you money",
        "你赔了钱",
        ["monitor", "friendship", "introduction", "first-request", "more-requests#1", "returned-money"],
        [*PUBLIC_PAGE_ONLY, "returned-money"],
    ),
    (
        "a list with a friend's name on it",
        "写着朋友名字的名单",
        CASE_PATH,
        [
            *PUBLIC_PAGE_ONLY,
            "confide",
            *CASE_PATH[CASE_PATH.index("confide") + 1 :],
        ],
    ),
]


@pytest.mark.parametrize("sentence_en, sentence_zh, present, absent", PATH_TEXT, ids=[c[0] for c in PATH_TEXT])
def test_path_dependent_sentences(story: Story, sentence_en: str, sentence_zh: str, present, absent) -> None:
    for lang, sentence in (("en", sentence_en), ("zh", sentence_zh)):
        assert sentence in seen(story, present, lang), f"{lang}: {sentence!r} should show on {present[-1]}"
        assert sentence not in seen(story, absent, lang), f"{lang}: {sentence!r} contradicts this path"


def test_wang_task_is_assigned_to_a_player_who_took_nothing(story: Story) -> None:
    assert "group leader hands you a job" in seen(story, TOOK_NOTHING_AT_LI, "en")
    assert "课题组长派给你" in seen(story, TOOK_NOTHING_AT_LI, "zh")


def test_a_backup_job_opens_another_answer_to_the_transcript_deal(story: Story) -> None:
    before_fair = CASE_PATH[: CASE_PATH.index("career-fair") + 1]
    with_job = play(story, [*before_fair, "transcript-deal#2"])  # the home-province interview
    without = play(story, [*before_fair, "transcript-deal#1"])  # asking Dr Fang about retakes
    offer = "“I've already accepted another offer.”"
    assert offer in [o.text for o in with_job.choices()]
    assert offer not in [o.text for o in without.choices()]


def test_the_money_meter_and_the_never_took_a_penny_line_are_reachable(story: Story) -> None:
    p = play(story, [*PUBLIC_PAGE_ONLY, "confide#3"])  # vaguer answers, still no money
    assert p.vars["money"] == 0 and "never taken a penny" in p.text()


def test_unease_is_read_by_the_story(story: Story) -> None:
    readers = [
        scene.id
        for scene in story.scenes.values()
        for block in scene.blocks
        if block.condition is not None and "unease" in block.condition.source
    ]
    assert readers, "the unease meter changes nothing"


# -- channels and law in their time --------------------------------------------------------------------------


def speaks_from_today(story: Story, where: str) -> bool:
    """Debriefs and the safe-exit catalogue (shown only in debriefs and the guide) speak from today."""
    if " debrief " in where:
        return True
    match = re.fullmatch(r"tag (\S+) explain", where)
    return bool(match) and story.tags[match.group(1)].kind == "safe-exit"


def test_12339_only_where_the_story_speaks_from_today(story: Story) -> None:
    today = 0
    for where, text in all_texts(story):
        for lang in LANGS:
            if "12339" in text.values[lang]:
                assert speaks_from_today(story, where), f"{where} ({lang}) offers 12339 in 2006-2011"
                today += 1
    assert today >= 10  # the debriefs still name today's channels
    extras, problems = read_extras(story)
    assert not problems and extras.law is not None
    assert all("12339" in extras.law[lang] for lang in LANGS)  # the guide explains when 12339 opened


def statute_quotes(text: str, lang: str) -> Iterator[tuple[int, str]]:
    """Each labelled quotation of a paragraph of Article 55 in ``text``: (paragraph, quoted words)."""
    text = flat(text).replace("*", "")
    if lang == "zh":
        pattern = r"第([一二])款[^“”]{0,20}“([^”]*)”"
        for match in re.finditer(pattern, text):
            yield {"一": 1, "二": 2}[match.group(1)], match.group(2)
    else:
        for match in re.finditer(r"[Pp]aragraph ([12])\b[^“”]{0,120}?“([^”]*)”", text):
            yield int(match.group(1)), match.group(2)


def test_article_55_is_quoted_word_for_word(story: Story) -> None:
    extras, _ = read_extras(story)
    sources = [("guide law", Text(extras.law))] + [(w, t) for w, t in all_texts(story)]
    found: dict[tuple[str, str, int], int] = {}
    for where, text in sources:
        for lang, statute in (("zh", ARTICLE_55_ZH), ("en", ARTICLE_55_EN)):
            for paragraph, quoted in statute_quotes(text.values[lang], lang):
                assert quoted == statute[paragraph], f"{where} ({lang}) misquotes paragraph {paragraph}"
                whole = flat(text.values[lang])
                law_name = (
                    "中华人民共和国反间谍法" if lang == "zh" else "Counter-espionage Law of the People's Republic"
                )
                assert law_name in whole, f"{where} quotes Article 55 without the law's full name"
                key = ("guide" if where == "guide law" else "story", lang, paragraph)
                found[key] = found.get(key, 0) + 1
    for lang in LANGS:
        for paragraph in (1, 2):
            assert found.get(("guide", lang, paragraph)), f"guide lacks paragraph {paragraph} in {lang}"
            assert found.get(("story", lang, paragraph)), f"no debrief quotes paragraph {paragraph} in {lang}"


def test_statute_openings_are_never_quoted_loosely(story: Story) -> None:
    """A quotation that starts like the statute is the statute (the in-story notices paraphrase)."""
    for where, text in all_texts(story):
        for quoted in re.findall(r"“([^”]*)”", flat(text.values["zh"])):
            if quoted.startswith(("实施间谍行为", "在境外受胁迫或者受诱骗参加")):
                assert quoted in ARTICLE_55_ZH.values(), where
        for quoted in re.findall(r"“([^”]*)”", flat(text.values["en"])):
            if quoted.startswith("Whoever"):
                assert quoted in ARTICLE_55_EN.values(), where


# -- Chinese word choices ------------------------------------------------------------------------------------

# 保密 is a duty in national-security education; these are its only uses here (confidentiality kept for someone
# who comes forward, the security and confidentiality office, confidentiality training). Anything else is the
# bad kind of secrecy and must say 隐瞒 / 瞒着 / 封口.
POSITIVE_BAOMI = (
    "保卫保密部门",
    "为你保密",
    "为你的身份保密",
    "为反映情况的人保密",
    "为说明情况的人保密",
    "保密处理",
    "保密教育",
    "试卷的保密",
)


def story_and_guide_zh(story: Story) -> Iterator[tuple[str, str]]:
    for where, text in all_texts(story):
        yield where, text.values["zh"]
    extras, _ = read_extras(story)
    yield "guide law", extras.law["zh"]
    for i, channel in enumerate(extras.channels):
        yield f"guide channel {i}", channel["zh"]
    for i, objective in enumerate(extras.objectives):
        yield f"guide objective {i}", objective["zh"]


def test_baomi_only_in_its_positive_sense(story: Story) -> None:
    for where, zh in story_and_guide_zh(story):
        rest = flat(zh)
        for phrase in POSITIVE_BAOMI:
            rest = rest.replace(phrase, "")
        assert "保密" not in rest, f"{where}: 保密 for hiding something (use 隐瞒、瞒着、封口)"


@pytest.mark.parametrize(
    "word", ["未解锁", "杠杆", "内鬼", "问询室", "喜忧参半", "收网", "中国学生会", "境外情报机关", "举报人"]
)
def test_words_the_review_replaced_are_gone(story: Story, word: str) -> None:
    for where, zh in story_and_guide_zh(story):
        if word == "举报人" and where.startswith("guide"):
            continue  # the guide's channel list is about reporting in general
        assert word not in zh, f"{where}: {word}"


def test_archive_never_means_a_transcript(story: Story) -> None:
    for where, zh in story_and_guide_zh(story):
        assert "档案" not in zh, where


def test_locked_reasons_have_no_colon_for_the_ui_prefix(story: Story) -> None:
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.locked is not None:
                assert "：" not in choice.locked.values["zh"] and ":" not in choice.locked.values["en"], scene.id


def test_no_italics_in_chinese_and_bold_is_for_the_law_or_names(story: Story) -> None:
    for where, zh in story_and_guide_zh(story):
        assert not re.search(r"(?<!\*)\*(?!\*)", zh), f"{where}: italics in Chinese (quote messages instead)"


def test_split_dialogue_is_varied(story: Story) -> None:
    """The pattern “…，”他说，“…” (and "…,” he says. “…") is used sparingly, not as the house style."""
    zh_splits = en_splits = 0
    for _, text in all_texts(story):
        zh_splits += len(re.findall(r"，”[^“”]{1,8}(?:说|道|问)[^“”]{0,4}，“", flat(text.values["zh"])))
        en_splits += len(
            re.findall(
                r",” (?:he|she|Exxon|Kaidi|Eason) (?:says|said|writes|adds)\b[^“”]{0,30}“", flat(text.values["en"])
            )
        )
    assert zh_splits <= 2 and en_splits <= 4, (zh_splits, en_splits)


# -- the question each decision puts --------------------------------------------------------------------------


def test_every_decision_asks_its_question_in_both_languages(story: Story) -> None:
    decisions = [scene for scene in story.scenes.values() if len(scene.choices) >= 2]
    assert len(decisions) >= 15
    for scene in decisions:
        assert scene.ask is not None, f"{scene.id} has no ask line"
        for lang in LANGS:
            question = scene.ask.values[lang].strip()
            assert question.endswith("?" if lang == "en" else "？"), f"{scene.id} ({lang}): {question!r}"
