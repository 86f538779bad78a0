"""The debrief at an ending, as data and as Markdown: What? / So what? / Now what?

*What?* is the player's path as a timeline, marking the red flags they walked past and the exits they did
not take. *So what?* explains those flags. *Now what?* gives the ending's advice and the safe exits (the
reporting channels and the law, as the story states them). Pure text: the TUI renders the Markdown and
``export_markdown`` writes it to a file. The story's own text goes in through :func:`game.prose.to_markdown`
(one line per paragraph, whatever the line breaks of the YAML source), or :func:`game.prose.to_paragraphs`
where it must stay on one line (a list item).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game.classroom.i18n import colon, label, plural, ui_lang
from game.engine import Playthrough
from game.model import Story, Tag, Text
from game.prose import MARKDOWN, to_markdown, to_paragraphs


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One decision on the path: where, what was chosen, the red flags it carried, the exits passed up."""

    number: int
    scene_id: str
    scene_title: str
    choice_text: str
    red_flags: tuple[Tag, ...]
    exits_passed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DebriefData:
    """Everything the debrief shows, already in one language."""

    lang: str
    story_title: str
    ending_id: str | None
    ending_title: str | None
    ending_kind: str | None
    ending_summary: str | None
    timeline: tuple[TimelineEntry, ...]
    red_flags: tuple[Tag, ...]
    what: str | None
    so_what: str | None
    now_what: str | None
    safe_exits: tuple[Tag, ...]


def _text(value: Text | None, lang: str, story: Story) -> str | None:
    return value.get(lang, story.default_language).strip() if value is not None else None


def build_debrief(play: Playthrough, lang: str | None = None) -> DebriefData:
    """The debrief of ``play`` as it stands (normally at an ending) in ``lang``."""
    story = play.story
    lang = lang if lang in story.languages else play.lang
    fallback = story.default_language
    timeline = []
    for number, step in enumerate(play.history, start=1):
        scene = story.scenes[step.scene]
        values = dict(step.before.vars)
        choice = scene.choices[step.choice]
        flags = tuple(story.tags[t] for t in choice.tags if t in story.tags and story.tags[t].kind == "red-flag")
        exits = tuple(
            scene.choices[i].say.render(lang, fallback, values)
            for i in step.offered
            if i != step.choice and any(_kind(story, t) == "safe-exit" for t in scene.choices[i].tags)
        )
        timeline.append(
            TimelineEntry(
                number,
                step.scene,
                scene.title.render(lang, fallback, values),
                choice.say.render(lang, fallback, values),
                flags,
                exits,
            )
        )
    scene = play.scene
    ending = scene.ending
    debrief = scene.debrief
    exits = tuple(story.tags_of_kind("safe-exit"))
    return DebriefData(
        lang=lang,
        story_title=story.title.get(lang, fallback),
        ending_id=scene.id if ending else None,
        ending_title=ending.title.get(lang, fallback) if ending else None,
        ending_kind=ending.kind if ending else None,
        ending_summary=_text(ending.summary, lang, story) if ending else None,
        timeline=tuple(timeline),
        red_flags=tuple(play.tags_met("red-flag")),
        what=_text(debrief.what, lang, story) if debrief else None,
        so_what=_text(debrief.so_what, lang, story) if debrief else None,
        now_what=_text(debrief.now_what, lang, story) if debrief else None,
        safe_exits=exits,
    )


def _kind(story: Story, tag_id: str) -> str | None:
    tag = story.tags.get(tag_id)
    return tag.kind if tag else None


def _block(text: str) -> str:
    """Story text as Markdown blocks, one line per paragraph."""
    return to_markdown(text)


def _line(text: str) -> str:
    """Story text as Markdown on one line (its paragraphs joined), for a list item or a heading."""
    return " ".join(to_paragraphs(text, MARKDOWN))


def debrief_markdown(data: DebriefData, story: Story, heading_level: int = 1, header: bool = True) -> str:
    """The debrief as Markdown (headings start at ``heading_level``).

    ``header=False`` leaves out the title and ending lines, for screens that already show them.
    """
    ui = ui_lang(data.lang)
    fallback = story.default_language
    h = "#" * heading_level
    c = colon(ui)
    lines = [f"{h} {label(ui, 'debrief')}{c}{data.story_title}", ""] if header else []
    if data.ending_title and header:
        kind = label(ui, f"kind_{data.ending_kind}") if data.ending_kind else ""
        kind = f"（{kind}）" if ui == "zh" else f" ({kind})"  # Chinese brackets in Chinese
        lines += [f"**{label(ui, 'ending')}**{c}{data.ending_title}{kind}", ""]
        if data.ending_summary:
            lines += [_block(data.ending_summary), ""]
    lines += [f"{h}# {label(ui, 'what')}", ""]
    if data.what:
        lines += [_block(data.what), ""]
    lines += [f"{h}## {label(ui, 'your_path')}", ""]
    for entry in data.timeline:
        item = [f"{entry.number}. **{entry.scene_title}** — {label(ui, 'you_chose')}{c}{entry.choice_text}"]
        item += [f"   ⚑ {label(ui, 'red_flag')}{c}{flag.title.get(data.lang, fallback)}" for flag in entry.red_flags]
        item += [f"   ⇢ {label(ui, 'exit_not_taken')}{c}{exit_text}" for exit_text in entry.exits_passed]
        lines.append("  \n".join(item))  # hard line breaks keep the marks inside the step's list item
    if data.ending_title:
        lines.append(f"{len(data.timeline) + 1}. **{data.ending_title}**")
    lines.append("")
    if not any(entry.exits_passed for entry in data.timeline):
        lines += [f"*{label(ui, 'no_exits_missed')}*", ""]
    lines += [f"{h}# {label(ui, 'so_what')}", ""]
    if data.so_what:
        lines += [_block(data.so_what), ""]
    if data.red_flags:
        lines += [f"{h}## {label(ui, 'flags_explained')}", ""]
        for flag in data.red_flags:
            explain = _line(flag.explain.get(data.lang, fallback)) if flag.explain else ""
            lines.append(f"- **{flag.title.get(data.lang, fallback)}** — {explain}".rstrip(" —"))
        lines.append("")
    else:
        lines += [f"*{label(ui, 'no_red_flags')}*", ""]
    lines += [f"{h}# {label(ui, 'now_what')}", ""]
    if data.now_what:
        lines += [_block(data.now_what), ""]
    for tag in data.safe_exits:
        explain = _line(tag.explain.get(data.lang, fallback)) if tag.explain else ""
        lines.append(f"- **{tag.title.get(data.lang, fallback)}** — {explain}".rstrip(" —"))
    return "\n".join(lines).rstrip() + "\n"


def play_debrief_markdown(
    play: Playthrough, lang: str | None = None, heading_level: int = 1, header: bool = True
) -> str:
    """Shortcut: the Markdown debrief of a playthrough."""
    return debrief_markdown(build_debrief(play, lang), play.story, heading_level, header)


def export_markdown(play: Playthrough, target: Path, lang: str | None = None) -> Path:
    """Write the debrief to ``target`` atomically and return the path."""
    from game.persist.atomic import write_atomic

    write_atomic(target, play_debrief_markdown(play, lang).encode("utf-8"))
    return target


def default_export_path(play: Playthrough) -> Path:
    """Where the TUI saves an exported debrief: ``debriefs/<story>-<ending>-<n>.md`` under the data folder."""
    from game.ids import folder_name
    from game.paths import data_dir

    folder = data_dir() / "debriefs"
    stem = f"{folder_name(play.story.id)}-{folder_name(play.scene.id)}"
    for n in range(1, 10_000):
        candidate = folder / f"{stem}-{n}.md"
        if not candidate.exists():
            return candidate
    return folder / f"{stem}.md"


def class_votes_markdown(play: Playthrough, votes: Mapping[int, Mapping[str, Any]], lang: str | None = None) -> str:
    """The class's route as it was voted (facilitator mode): for each decision put to the class, the option it
    followed, how that was decided, and every option's count; ``votes`` maps a step of the history to the vote
    recorded there (:func:`game.classroom.records.vote_entry`). Empty when nothing was voted on."""
    story = play.story
    lang = lang if lang in story.languages else play.lang
    ui = ui_lang(lang)
    c = colon(ui)
    history = play.history
    lines = [f"## {label(ui, 'class_route')}", ""]
    for step_index in sorted(votes):
        if step_index >= len(history):
            continue
        step, vote = history[step_index], votes[step_index]
        scene = story.scenes[step.scene]
        values = dict(step.before.vars)
        counts = {int(index): int(count) for index, count in vote.get("counts", [])}
        chosen = scene.choices[step.choice].say.render(lang, story.default_language, values)
        how = label(ui, f"decided_{vote.get('decision', 'majority')}")
        lines.append(
            f"{len(lines) - 1}. **{scene.title.render(lang, story.default_language, values)}** — "
            f"{label(ui, 'class_followed')}{c}{chosen} ({how})"
        )
        for index, count in counts.items():
            say = scene.choices[index].say.render(lang, story.default_language, values)
            word = plural(ui, "votes", count)
            lines.append(f"   - {say}{c}{word}")
    return "\n".join(lines) + "\n" if len(lines) > 2 else ""
