"""One choice to the next scene fully drawn, vs a bare Textual ``Markdown`` widget updated with the same text.

All three apps run headless in this process at 80x24, taking turns press by press (so that a busy machine slows
them alike), and are driven the same way: the action a key would run is run directly, then the event loop runs
freely for SETTLE seconds, and the time is taken from the action's
start to the last frame handed to the display (``App._display``) in that window, i.e. until the screen stopped
changing. Timed: the action that shows the tutorial's second scene; untimed: going back.
- markdown: a bare app (Header, Textual's ``Markdown`` widget, Footer) whose action updates the Markdown with
  the next scene's text: the baseline (the least a Markdown scene viewer does);
- static: the same bare app with a Static instead (for reference only: its time is bimodal, 7-23 ms, so a ratio
  to it means little);
- crossroads: the real play screen with default settings: ``pick(0)`` takes a choice (engine, autosave, the flag
  line above the choices, side panel, choices).

Target: crossroads <= 1.2x markdown, measured in the same run.

Run by hand: ``python benchmarks/tui_choice.py [presses]``. Prints medians; never part of the tests.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Markdown, Static

ROOT = Path(__file__).resolve().parent.parent
SETTLE = 0.25
TARGET = 1.2
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


class Runner:
    """One app under measurement, started once and then timed one press at a time (so apps can take turns)."""

    def __init__(self, app: App, setup: list[str], forward: str, back: str) -> None:
        self.app, self.setup, self.forward, self.back = app, setup, forward, back
        self.stamps: list[float] = []
        self.times: list[float] = []

    async def start(self, stack: AsyncExitStack) -> None:
        self.pilot = await stack.enter_async_context(self.app.run_test(size=(80, 24)))
        original = self.app._display

        def display(screen, renderable) -> None:
            original(screen, renderable)
            if renderable is not None:
                self.stamps.append(time.perf_counter())

        self.app._display = display
        for key in self.setup:
            await self.pilot.press(key)
        await self.pilot.pause()

    async def once(self) -> None:
        """Seconds from running ``forward`` to the last frame handed to the display because of it."""
        await self.pilot.pause()
        self.stamps.clear()
        start = time.perf_counter()
        await self.app.run_action(self.forward)
        await asyncio.sleep(SETTLE)  # no pilot here: Pilot.pause forces extra frames
        if self.stamps:
            self.times.append(self.stamps[-1] - start)
        await self.app.run_action(self.back)
        await self.pilot.pause()


async def main() -> None:
    """Measure the three apps and print a table."""
    presses = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    os.environ["CROSSROADS_HOME"] = tempfile.mkdtemp()
    from game.persist.settings import Settings
    from game.sources import resolve_stories
    from game.tui.app import CrossroadsApp

    runners = {
        "markdown": Runner(Bare(markdown=True), [], "show(1)", "show(0)"),
        "static": Runner(Bare(markdown=False), [], "show(1)", "show(0)"),
        "crossroads": Runner(
            CrossroadsApp(resolve_stories(str(ROOT / "story" / "tutorial")).entries, "en", Settings()),
            ["enter"],
            "screen.pick(0)",
            "screen.undo",
        ),
    }
    async with AsyncExitStack() as stack:
        for runner in runners.values():
            await runner.start(stack)
        # The apps take turns, one press each, in a rotating order: a busy machine slows them all alike.
        order = list(runners.values())
        for press in range(presses):
            for runner in order[press % 3 :] + order[: press % 3]:
                await runner.once()
    results = {name: runner.times for name, runner in runners.items()}
    base = statistics.median(results["markdown"])
    print(f"presses: {presses} each, 80x24, headless")
    print(f"{'app':<12} {'median (ms)':>12} {'p90 (ms)':>9} {'x markdown':>11}")
    for name, values in results.items():
        median = statistics.median(values)
        p90 = sorted(values)[int(len(values) * 0.9) - 1]
        print(f"{name:<12} {median * 1000:>12.2f} {p90 * 1000:>9.2f} {median / base:>11.2f}")
    print(f"target: crossroads <= {TARGET:.2f}x markdown")


if __name__ == "__main__":
    asyncio.run(main())
