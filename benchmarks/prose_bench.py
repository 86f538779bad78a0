"""Prose benchmark: all of the flagship story's text to plain text at width 80, against a bare markdown-it parse.

Run by hand: ``python -m benchmarks.prose_bench [--repeat N]``. Both sides get the same strings (every scene
text block, choice, title, ending summary and debrief of ``story/class-monitor``, in English and Chinese) and
are timed, best of N, in this process:

* ``bare``: ``MarkdownIt("commonmark").parse(text)`` for each text (the baseline; the parser is built once);
* ``plain``: :func:`game.prose.to_plain` at width 80 with its caches emptied first (parse, walk, reflow);
* ``cached``: :func:`game.prose.to_plain` again, its caches full (what a front end pays on a redraw).

It prints the times and the ratios to ``bare``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from markdown_it import MarkdownIt

from benchmarks.load_bench import best_of
from game import prose
from game.loader import load_story
from game.model import Story, Text

ROOT = Path(__file__).resolve().parent.parent


def flagship_texts(story: Story) -> list[tuple[str, str]]:
    """(text, lang) for the story text a reader meets: scene blocks, choices, titles, endings, debriefs."""
    pieces: list[Text] = []
    for scene in story.scenes.values():
        pieces.append(scene.title)
        pieces.extend(block.text for block in scene.blocks)
        pieces.extend(choice.say for choice in scene.choices)
        if scene.ending is not None and scene.ending.summary is not None:
            pieces.append(scene.ending.summary)
        if scene.debrief is not None:
            pieces.extend(p for p in (scene.debrief.what, scene.debrief.so_what, scene.debrief.now_what) if p)
    return [(piece.values[lang], lang) for piece in pieces for lang in story.languages if piece.values.get(lang)]


def main() -> None:
    """Time the three ways and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = flagship_texts(load_story(ROOT / "story" / "class-monitor", cache=False))
    characters = sum(len(text) for text, _ in texts)
    markdown_it = MarkdownIt("commonmark")

    def bare() -> None:
        for text, _ in texts:
            markdown_it.parse(text)

    def cold() -> None:
        prose.parse.cache_clear()
        prose.to_plain.cache_clear()
        for text, lang in texts:
            prose.to_plain(text, 80, lang)

    def warm() -> None:
        for text, lang in texts:
            prose.to_plain(text, 80, lang)

    prose.to_plain("warm *up*", 80)  # import markdown-it and build the parser outside the timing
    baseline = best_of(args.repeat, bare)
    timings = {"bare": baseline, "plain": best_of(args.repeat, cold)}
    warm()
    timings["cached"] = best_of(args.repeat, warm)
    print(f"class-monitor: {len(texts)} texts, {characters} characters, best of {args.repeat}")
    for name, seconds in timings.items():
        print(f"{name:>7}: {seconds * 1000:8.2f} ms  {seconds / baseline:5.2f}x")


if __name__ == "__main__":
    main()
