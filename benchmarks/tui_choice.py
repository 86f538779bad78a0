"""One choice to the next scene fully drawn, vs replacing a Static's text with the same scene text.

All three apps run headless in this process at 80x24 and are driven the same way: the action a key would run
is run directly, then the event loop runs freely for SETTLE seconds, and the time is taken from the action's
start to the last frame handed to the display (``App._display``) in that window, i.e. until the screen stopped
changing. Timed: the action that shows the tutorial's second scene; untimed: going back.
- static: a bare app (Header, Static, Footer) whose action swaps the Static's text (the baseline);
- markdown: the same bare app with Textual's ``Markdown`` widget instead (the alternative considered);
- crossroads: the real play screen: ``pick(0)`` takes a choice (engine, autosave, side panel, choices).

Run by hand: ``python benchmarks/tui_choice.py [presses]``. Prints medians; never part of the tests.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Markdown, Static

ROOT = Path(__file__).resolve().parent.parent
SETTLE = 0.25
sys.path.insert(0, str(ROOT))

from game.engine import Playthrough  # noqa: E402
from game.loader import load_story  # noqa: E402

STORY = load_story(ROOT / "story" / "tutorial")
_play = Playthrough(STORY, "en")
FIRST = _play.text()
_play.choose(0)  # source index 0
SECOND = _play.text()


class Bare(App):
    """Header, one text widget, Footer; ``1`` shows the second scene's text, ``b`` the first's."""

    BINDINGS: ClassVar = [("1", "show(1)", "next"), ("b", "show(0)", "back")]

    def __init__(self, markdown: bool) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        yield Header()
        yield Markdown(FIRST, id="text") if self.markdown else Static(FIRST, id="text")
        yield Footer()

    async def action_show(self, which: int) -> None:
        text = SECOND if which else FIRST
        widget = self.query_one("#text")
        if self.markdown:
            await widget.update(text)
        else:
            widget.update(text)


async def measure(app: App, presses: int, setup: list[str], forward: str, back: str) -> list[float]:
    """Seconds from running ``forward`` to the last frame handed to the display because of it."""
    stamps: list[float] = []
    out = []
    async with app.run_test(size=(80, 24)) as pilot:
        original = app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None:
                stamps.append(time.perf_counter())

        app._display = display
        for key in setup:
            await pilot.press(key)
        await pilot.pause()
        for _ in range(presses):
            await pilot.pause()
            stamps.clear()
            start = time.perf_counter()
            await app.run_action(forward)
            await asyncio.sleep(SETTLE)  # no pilot here: Pilot.pause forces extra frames
            if stamps:
                out.append(stamps[-1] - start)
            await app.run_action(back)
            await pilot.pause()
    return out


async def main() -> None:
    """Measure the three apps and print a table."""
    presses = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    os.environ["CROSSROADS_HOME"] = tempfile.mkdtemp()
    from game.persist.settings import Settings
    from game.tui.app import CrossroadsApp
    from game.tui.sources import resolve_stories

    results = {
        "static": await measure(Bare(markdown=False), presses, [], "show(1)", "show(0)"),
        "markdown": await measure(Bare(markdown=True), presses, [], "show(1)", "show(0)"),
        "crossroads": await measure(
            CrossroadsApp(resolve_stories(str(ROOT / "story" / "tutorial")).entries, "en", Settings(hold_flags=True)),
            presses,
            ["enter"],
            "screen.pick(0)",
            "screen.undo",
        ),
    }
    base = statistics.median(results["static"])
    print(f"presses: {presses} each, 80x24, headless")
    print(f"{'app':<12} {'median (ms)':>12} {'p90 (ms)':>9} {'ratio':>7}")
    for name, values in results.items():
        median = statistics.median(values)
        p90 = sorted(values)[int(len(values) * 0.9) - 1]
        print(f"{name:<12} {median * 1000:>12.2f} {p90 * 1000:>9.2f} {median / base:>7.2f}")
    print("target: crossroads <= 2.00x static")


if __name__ == "__main__":
    asyncio.run(main())
