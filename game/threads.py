"""UiThread: run a callback on the UI's event loop from any thread, never blocking.

The autosave writer reports its failures from its own thread. Textual's ``call_from_thread`` waits for the
result, which deadlocks when the UI thread is itself waiting for the writer (the final flush at exit), and
raises when called from the UI thread. This hands the callback to the loop and returns at once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any


class UiThread:
    """The UI's thread and loop, bound when the app or screen mounts."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.ident: int | None = None

    def bind(self) -> None:
        """Remember the running loop and its thread (call from the UI thread, e.g. in ``on_mount``)."""
        self.loop = asyncio.get_running_loop()
        self.ident = threading.get_ident()

    def run(self, callback: Callable[..., Any], *args: Any) -> bool:
        """Run ``callback(*args)`` on the UI thread (now, when already on it); False when the UI has stopped."""
        if self.ident is None or threading.get_ident() == self.ident:
            callback(*args)
            return True
        try:
            assert self.loop is not None
            self.loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop is closed
            return False
        return True
