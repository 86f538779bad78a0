"""A background writer for files the player should never wait for (the autosave), that cannot hang or lose
its error.

Jobs run in order on one daemon thread; a job waiting for its turn is replaced by a newer job with the same
key (only the latest autosave matters). A job's failure is handed to ``on_error`` on the writer thread (the
front end moves it to its own thread) and kept in :attr:`BackgroundWriter.errors`. :meth:`flush` waits for
the queue to drain but gives up after a timeout, and since the thread is a daemon a write stuck in the
kernel never keeps the program from exiting.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

Job = Callable[[], None]


class BackgroundWriter:
    """One writer thread with a coalescing queue; see the module docstring."""

    def __init__(self, on_error: Callable[[str, Exception], None] | None = None, name: str = "crossroads-writer"):
        self.on_error = on_error
        self.name = name
        self.errors: list[tuple[str, Exception]] = []
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._busy = False
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, key: str, job: Job) -> None:
        """Queue ``job``; a queued job with the same ``key`` is dropped in its favour."""
        with self._cond:
            self._jobs.pop(key, None)
            self._jobs[key] = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._jobs:
                    self._cond.wait()
                key, job = self._jobs.popitem(last=False)
                self._busy = True
            try:
                job()
            except Exception as exc:  # reported to the player, never lost: the thread must outlive any failure
                self.errors.append((key, exc))
                if self.on_error is not None:
                    try:
                        self.on_error(key, exc)
                    except Exception as report_error:  # the front end is gone (e.g. its loop closed)
                        self.errors.append((key, report_error))
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    @property
    def idle(self) -> bool:
        """True when nothing is queued or being written."""
        with self._cond:
            return not self._jobs and not self._busy

    def flush(self, timeout: float) -> bool:
        """Wait until every queued job has run, at most ``timeout`` seconds; True when they all ran."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._jobs and not self._busy, timeout=timeout)
