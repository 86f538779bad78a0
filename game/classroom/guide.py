"""The facilitator guide, generated from a story: everything a teacher needs for a 45-minute lesson.

Learning objectives, a lesson plan (brief 5, play 15–20, debrief 15+), the content note and a "safe
container" briefing to read aloud, the story map, every decision point with its options, red flags and
discussion questions, every ending with its debrief, and the law and reporting channels.

Objectives, the legal text and the reporting channels come from an optional ``guide.yaml`` beside the
story (keys ``objectives``, ``law``, ``channels``; text as a string or a language map); without it the
objectives are derived from the red-flag and safe-exit catalog. The lesson kit that opens the guide
(:mod:`game.classroom.lesson_kit`) also reads ``case_source`` (text), ``safeguarding`` (a list of texts) and
``vocabulary`` (a list of ``{term, meaning}``) from it. Renderers are in :mod:`guide_render`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from game.classroom.conditions import condition_words
from game.classroom.i18n import fill, kit, paren, ui_lang
from game.diagnostics import Diagnostic, Location
from game.model import Story, Tag

GUIDE_FILE = "guide.yaml"
GUIDE_KEYS = ("objectives", "law", "channels", "case_source", "safeguarding", "vocabulary")

_DEFAULTS = {
    "en": {
        "objective_flags": "Recognise the red flags in the story: {flags}.",
        "objective_exits": "Name the safe exits and say when each one is still open: {exits}.",
        "objective_debrief": "Explain, in a What? / So what? / Now what? debrief, how small steps led to each ending "
        "and what a person can do instead.",
        "safe_container": [
            "This story is fiction. The people in it are invented, though it is based on the kind of case that "
            "really happens.",
            "There are no wrong votes. Mistakes in the story are expected: that is how we learn what the traps "
            "look like.",
            "Nobody is judged for a choice, in the story or in the discussion. Votes are anonymous.",
            "Speak about the characters, not about yourself or classmates. You may pass at any time.",
            "If something in the story touches you personally, you can talk to me after class.",
        ],
        "brief": "Brief: read the content note and the safe container aloud; state the objectives.",
        "play": "Play in facilitator mode (`crossroads play --facilitator`): at each decision point, about a minute "
        "of pair talk, then the class votes and you follow the majority, or a minority option to reach an exit. "
        "Red flags appear after the vote.",
        "debrief": "Debrief on the ending screen: What? (the path and the flags walked past), So what? (why they "
        "worked), Now what? (reporting channels and the law). Use the questions below.",
        "homework": "Optional homework: students replay alone and hand in `crossroads results export FILE`; "
        "`crossroads report` summarises the class.",
        "default_questions": [
            "Where was the first red flag, and who noticed it?",
            "What would you tell a friend at this point?",
        ],
        "derived_channels": "The safe exits in this story",
        "no_law": "This story does not state a legal text; see the safe exits and endings below.",
    },
    "zh": {
        "objective_flags": "识别故事中的危险信号：{flags}。",
        "objective_exits": "说出安全出口，并说明每个出口在什么时候仍然可行：{exits}。",
        "objective_debrief": "通过“发生了什么？/这意味着什么？/现在该怎么做？”的复盘，"
        "解释一步步的小选择如何导向各个结局，以及还可以怎样做。",
        "safe_container": [
            "这个故事是虚构的，人物都是编造的，但它取材于现实中确实发生过的一类案例。",
            "投票没有对错。故事里犯错是意料之中的：正是这样我们才看清陷阱的样子。",
            "无论在故事里还是在讨论中，没有人会因为某个选择而被评判。投票是匿名的。",
            "请谈论故事中的人物，而不是你自己或同学。你随时可以选择不发言。",
            "如果故事中的内容触动了你个人，下课后可以来找我谈。",
        ],
        "brief": "导入：朗读内容提示和安全约定；说明学习目标。",
        "play": "以课堂引导模式游玩（`crossroads play --facilitator`）：每个决策点先两人讨论约一分钟，再全班投票；"
        "你按多数意见继续，或为了走到出口而选择少数意见。危险信号在投票后揭晓。",
        "debrief": "在结局画面进行复盘：发生了什么（路径与错过的信号）、这意味着什么（这些手段为何奏效）、"
        "现在该怎么做（举报渠道与法律规定）。可使用下面的讨论问题。",
        "homework": "可选作业：学生课后独自重玩，并提交 `crossroads results export FILE` 导出的文件；"
        "`crossroads report` 可汇总全班结果。",
        "default_questions": ["第一个危险信号出现在哪里？谁注意到了？", "如果你的朋友走到这一步，你会对他说什么？"],
        "derived_channels": "本故事中的安全出口",
        "no_law": "本故事没有给出法律条文；请参阅下面的安全出口和结局。",
    },
}


def defaults(lang: str) -> dict:
    """The built-in guide wording in ``lang`` (English when we have no translation)."""
    return _DEFAULTS[ui_lang(lang)]


@dataclass(frozen=True, slots=True)
class OptionInfo:
    """A choice as the guide lists it."""

    number: int
    text: str
    target_id: str
    target_title: str
    condition: str | None
    red_flags: tuple[Tag, ...]
    exits: tuple[Tag, ...]
    once: bool


@dataclass(frozen=True, slots=True)
class DecisionInfo:
    """A decision point: a scene with two or more choices."""

    number: int
    scene_id: str
    title: str
    chapter: str | None
    options: tuple[OptionInfo, ...]
    questions: tuple[str, ...]
    own_questions: bool


@dataclass(frozen=True, slots=True)
class EndingInfo:
    """An ending with its debrief."""

    scene_id: str
    title: str
    kind: str
    summary: str | None
    what: str | None
    so_what: str | None
    now_what: str | None


@dataclass(slots=True)
class Guide:
    """The whole guide in one language."""

    lang: str
    title: str
    blurb: str | None
    content_note: str | None
    story_id: str
    story_hash: str
    objectives: list[str]
    safe_container: list[str]
    decisions: list[DecisionInfo]
    endings: list[EndingInfo]
    red_flags: list[Tag]
    safe_exits: list[Tag]
    law: str | None
    channels: list[str]
    story_map: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GuideExtras:
    """What ``guide.yaml`` adds: objectives, legal text, reporting channels (language maps)."""

    objectives: tuple[dict[str, str], ...] = ()
    law: dict[str, str] | None = None
    channels: tuple[dict[str, str], ...] = ()
    case_source: dict[str, str] | None = None
    safeguarding: tuple[dict[str, str], ...] = ()
    vocabulary: tuple[tuple[dict[str, str], dict[str, str]], ...] = ()


def read_extras(story: Story) -> tuple[GuideExtras, list[Diagnostic]]:
    """Read the optional ``guide.yaml`` beside the story; return the extras and any diagnostics."""
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from game.yamlsource import read_document, scalar_value

    root = Path(story.root) if story.root else None
    if root is None:
        return GuideExtras(), []
    path = (root if root.is_dir() else root.parent) / GUIDE_FILE
    if not path.is_file():
        return GuideExtras(), []
    shown = str(path)
    document, problems = read_document(shown, path.read_bytes())
    if document is None or document.root is None:
        return GuideExtras(), problems

    def where(node: object) -> Location:
        mark = node.start_mark  # type: ignore[attr-defined]
        return Location(shown, mark.line + 1, mark.column + 1)

    def text(node: object) -> dict[str, str] | None:
        if isinstance(node, ScalarNode) and isinstance(scalar_value(node), str):
            return {"*": str(scalar_value(node))}
        if isinstance(node, MappingNode):
            out = {}
            for key, value in node.value:
                if isinstance(value, ScalarNode) and isinstance(scalar_value(value), str):
                    out[str(key.value)] = str(scalar_value(value))
                else:
                    problems.append(Diagnostic("CR801", "expected text for each language", where(value)))
            return out
        problems.append(Diagnostic("CR801", "expected a text or a map of languages to text", where(node)))
        return None

    def texts(node: object) -> tuple[dict[str, str], ...]:
        if not isinstance(node, SequenceNode):
            problems.append(Diagnostic("CR801", "expected a list", where(node)))
            return ()
        return tuple(t for t in (text(item) for item in node.value) if t)

    if not isinstance(document.root, MappingNode):
        problems.append(Diagnostic("CR801", "guide.yaml must be a mapping", where(document.root)))
        return GuideExtras(), problems
    fields: dict[str, object] = {}
    for key, value in document.root.value:
        name = str(key.value)
        if name not in GUIDE_KEYS:
            problems.append(
                Diagnostic("CR802", f"unknown key '{name}' (expected one of: {', '.join(GUIDE_KEYS)})", where(key))
            )
            continue
        fields[name] = value

    def vocabulary(node: object) -> tuple[tuple[dict[str, str], dict[str, str]], ...]:
        out = []
        if not isinstance(node, SequenceNode):
            problems.append(Diagnostic("CR801", "expected a list of {term: ..., meaning: ...}", where(node)))
            return ()
        for item in node.value:
            entry = {str(k.value): v for k, v in item.value} if isinstance(item, MappingNode) else {}
            if set(entry) != {"term", "meaning"}:
                problems.append(Diagnostic("CR801", "expected {term: ..., meaning: ...}", where(item)))
                continue
            term, meaning = text(entry["term"]), text(entry["meaning"])
            if term and meaning:
                out.append((term, meaning))
        return tuple(out)

    extras = GuideExtras(
        objectives=texts(fields["objectives"]) if "objectives" in fields else (),
        law=text(fields["law"]) if "law" in fields else None,
        channels=texts(fields["channels"]) if "channels" in fields else (),
        case_source=text(fields["case_source"]) if "case_source" in fields else None,
        safeguarding=texts(fields["safeguarding"]) if "safeguarding" in fields else (),
        vocabulary=vocabulary(fields["vocabulary"]) if "vocabulary" in fields else (),
    )
    return extras, problems


def _pick(values: dict[str, str], lang: str, fallback: str) -> str:
    return values.get(lang) or values.get(fallback) or values.get("*") or next(iter(values.values()), "")


def _condition(story: Story, choice: object, lang: str) -> str | None:
    """A choice's condition for teachers, in words and brackets: "(only if ...)", or None."""
    condition = getattr(choice, "condition", None)
    if condition is None:
        return None
    if not condition.names and not condition.scene_refs and getattr(choice, "locked", None) is not None:
        return paren(lang, str(kit(lang, "closed_door")))
    return paren(lang, fill(str(kit(lang, "only_if")), words=condition_words(condition.source, story, lang)))


def build_guide(story: Story, lang: str | None = None, extras: GuideExtras | None = None) -> Guide:
    """The guide for ``story`` in ``lang`` (default: the story's first language)."""
    lang = lang if lang in story.languages else story.default_language
    fb = story.default_language
    words = defaults(lang)
    extras = extras or GuideExtras()
    red_flags = story.tags_of_kind("red-flag")
    safe_exits = story.tags_of_kind("safe-exit")

    def get(text: object) -> str | None:
        return text.get(lang, fb).strip() if text is not None else None  # type: ignore[attr-defined]

    if extras.objectives:
        objectives = [_pick(o, lang, fb) for o in extras.objectives]
    else:
        objectives = []
        if red_flags:
            sep = "、" if ui_lang(lang) == "zh" else ", "
            flags = sep.join(t.title.get(lang, fb) for t in red_flags)
            objectives.append(words["objective_flags"].replace("{flags}", flags))
        if safe_exits:
            sep = "、" if ui_lang(lang) == "zh" else ", "
            exits = sep.join(t.title.get(lang, fb) for t in safe_exits)
            objectives.append(words["objective_exits"].replace("{exits}", exits))
        objectives.append(words["objective_debrief"])

    decisions = []
    story_map = []
    for scene in story.scenes.values():
        title = scene.title.get(lang, fb)
        targets = list(dict.fromkeys(c.target for c in scene.choices))
        story_map.append((scene.id, title, [(t, story.scenes[t].title.get(lang, fb)) for t in targets]))
        if len(scene.choices) < 2:  # a single way on is a passage, not a decision
            continue
        options = []
        for number, choice in enumerate(scene.choices, start=1):
            tags = [story.tags[t] for t in choice.tags if t in story.tags]
            options.append(
                OptionInfo(
                    number,
                    choice.say.get(lang, fb),
                    choice.target,
                    story.scenes[choice.target].title.get(lang, fb),
                    _condition(story, choice, lang),
                    tuple(t for t in tags if t.kind == "red-flag"),
                    tuple(t for t in tags if t.kind == "safe-exit"),
                    choice.once,
                )
            )
        own = tuple(q.get(lang, fb).strip() for q in scene.discuss)
        decisions.append(
            DecisionInfo(
                len(decisions) + 1,
                scene.id,
                title,
                get(scene.chapter),
                tuple(options),
                own or tuple(words["default_questions"]),
                bool(own),
            )
        )
    endings = []
    for scene in story.endings():
        ending = scene.ending
        assert ending is not None
        debrief = scene.debrief
        endings.append(
            EndingInfo(
                scene.id,
                ending.title.get(lang, fb),
                ending.kind,
                get(ending.summary),
                get(debrief.what) if debrief else None,
                get(debrief.so_what) if debrief else None,
                get(debrief.now_what) if debrief else None,
            )
        )
    return Guide(
        lang=lang,
        title=story.title.get(lang, fb),
        blurb=get(story.blurb),
        content_note=get(story.content_note),
        story_id=story.id,
        story_hash=story.content_hash,
        objectives=objectives,
        safe_container=list(words["safe_container"]),
        decisions=decisions,
        endings=endings,
        red_flags=red_flags,
        safe_exits=safe_exits,
        law=_pick(extras.law, lang, fb) if extras.law else None,
        channels=[_pick(c, lang, fb) for c in extras.channels],
        story_map=story_map,
    )
