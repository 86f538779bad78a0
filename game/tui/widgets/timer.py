"""PairTimer: an optional pair-discussion countdown in large digits, visible from the back of the room."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Digits, Static

DEFAULT_SECONDS = 60
STEP_SECONDS = 15
MAX_SECONDS = 15 * 60


def clock(seconds: int) -> str:
    """``m:ss`` for a number of seconds."""
    return f"{seconds // 60}:{seconds % 60:02d}"


class PairTimer(Widget):
    """A countdown that the facilitator starts, pauses and lengthens; hidden until first used."""

    DEFAULT_CSS = """
    PairTimer { height: auto; width: auto; display: none; }
    PairTimer.-on { display: block; }
    PairTimer Digits { width: auto; }
    PairTimer.-done Digits { color: $error; text-style: bold; }
    PairTimer #timer-label { color: $text-muted; }
    """

    TICK_SECONDS: ClassVar[float] = 1.0  # the real clock's period (tests drive :meth:`tick` themselves)
    remaining: reactive[int] = reactive(DEFAULT_SECONDS)
    running: reactive[bool] = reactive(False)

    def __init__(self, label: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.length = DEFAULT_SECONDS
        self._interval: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.label, id="timer-label", markup=False)
        yield Digits(clock(self.remaining), id="timer-digits")

    def on_mount(self) -> None:
        self._interval = self.set_interval(self.TICK_SECONDS, self.tick, pause=True)

    def set_label(self, label: str) -> None:
        """Change the caption (e.g. after a language switch)."""
        self.label = label
        if self.is_mounted:
            self.query_one("#timer-label", Static).update(label)

    def watch_remaining(self, value: int) -> None:
        if self.is_mounted:
            self.query_one(Digits).update(clock(value))
        self.set_class(value == 0, "-done")

    def toggle(self) -> None:
        """Start the countdown (from the full length when it had run out), or pause it."""
        self.add_class("-on")
        if self.running:
            self.running = False
            if self._interval is not None:
                self._interval.pause()
            return
        if self.remaining == 0:
            self.remaining = self.length
        self.running = True
        if self._interval is not None:
            self._interval.resume()

    def adjust(self, delta: int) -> None:
        """Lengthen or shorten the countdown by ``delta`` seconds (kept between 15 s and 15 min)."""
        self.add_class("-on")
        self.length = max(STEP_SECONDS, min(MAX_SECONDS, self.length + delta))
        self.remaining = max(0, min(MAX_SECONDS, self.remaining + delta))

    def reset(self) -> None:
        """Stop and rewind to the full length (for the next decision point)."""
        self.running = False
        if self._interval is not None:
            self._interval.pause()
        self.remaining = self.length

    def tick(self) -> None:
        """One second passed; at zero, stop and ring the bell."""
        if not self.running:
            return
        self.remaining = max(0, self.remaining - 1)
        if self.remaining == 0:
            self.running = False
            if self._interval is not None:
                self._interval.pause()
            self.app.bell()
