"""``crossroads list [--lang L]``: the bundled stories and the stories played or checked recently.

For each story: its id (what ``crossroads play ID`` takes, for a bundled one), title, languages, and how many
scenes and endings it has; recent stories also show where they are. Labels in English or Chinese (``--lang``,
else the language chosen in the game's settings). Exit 0.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "bundled": "Bundled stories (play one with: crossroads play ID)",
        "recent": "Recent stories",
        "no_recent": "No recent stories yet: stories you play or check from a folder appear here.",
        "broken": "has errors",
        "missing": "no longer there",
    },
    "zh": {
        "bundled": "内置故事（用 crossroads play 故事ID 开始）",
        "recent": "最近的故事",
        "no_recent": "还没有最近的故事：从文件夹中游玩或检查过的故事会列在这里。",
        "broken": "有错误",
        "missing": "已不在原处",
    },
}


def count_phrase(count: int, noun: str, lang: str) -> str:
    """``1 scene``, ``2 scenes``; in Chinese ``1 个场景``: the plural right in both languages."""
    if lang == "zh":
        return f"{count} 个{ {'scene': '场景', 'ending': '结局'}[noun] }"
    return f"{count} {noun}" + ("" if count == 1 else "s")


def sizes(scenes: int, endings: int, lang: str) -> str:
    """``12 scenes, 1 ending`` / ``12 个场景，1 个结局``."""
    separator = "，" if lang == "zh" else ", "
    return count_phrase(scenes, "scene", lang) + separator + count_phrase(endings, "ending", lang)


@dataclass(frozen=True, slots=True)
class Row:
    """One story as listed."""

    id: str
    title: str
    languages: str
    size: str
    where: str = ""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``list`` sub-command."""
    parser = subparsers.add_parser(
        "list",
        help="list the bundled and recent stories",
        description="List the bundled stories (their ids work wherever a story PATH does) and the stories "
        "played or checked recently.",
    )
    parser.add_argument("--lang", metavar="L", help="language of labels and titles: en or zh")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print both lists."""
    from game.cli import EXIT_OK

    lang = _lang(args.lang)
    words = STRINGS[lang]
    print(words["bundled"] + ("：" if lang == "zh" else ":"))
    _print(_bundled(lang, words))
    print()
    recent = _recent(lang, words)
    if not recent:
        print(words["no_recent"])
        return EXIT_OK
    print(words["recent"] + ("：" if lang == "zh" else ":"))
    _print(recent)
    return EXIT_OK


def _lang(requested: str | None) -> str:
    if requested:
        return "zh" if requested.startswith("zh") else "en"
    from game.persist.settings import load_settings

    settings, _problem = load_settings()
    return "zh" if (settings.lang or "").startswith("zh") else "en"


def _bundled(lang: str, words: dict[str, str]) -> list[Row]:
    from game.sources import resolve_stories

    rows = []
    for entry in resolve_stories(None).entries:
        story = entry.story
        if story is None:
            rows.append(Row(entry.name, "", "", words["broken"]))
            continue
        title = story.title.get(lang, story.default_language)
        rows.append(
            Row(story.id, title, ", ".join(story.languages), sizes(len(story.scenes), len(story.endings()), lang))
        )
    return rows


def _recent(lang: str, words: dict[str, str]) -> list[Row]:
    from pathlib import Path

    from game.paths import display_path
    from game.persist.recent import recent_stories

    rows = []
    for item in recent_stories():
        title = item.title.get(lang) or next(iter(item.title.values()), "")
        folder = Path(item.path).parent
        where = display_path(folder) if folder.exists() else f"{display_path(folder)} ({words['missing']})"
        rows.append(Row(item.id, title, ", ".join(item.languages), sizes(item.scenes, item.endings, lang), where))
    return rows


def _print(rows: list[Row]) -> None:
    """The rows as aligned columns (widths in terminal cells, so Chinese titles line up too)."""
    from game.prose import text_width

    columns = [[row.id, row.title, row.languages, row.size, row.where] for row in rows]
    widths = [max((text_width(cells[i]) for cells in columns), default=0) for i in range(5)]
    for cells in columns:
        padded = [cell + " " * (widths[i] - text_width(cell)) for i, cell in enumerate(cells)]
        print(("  " + "   ".join(padded)).rstrip())
