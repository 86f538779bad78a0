"""A lock file shared by processes, for read-modify-write of shared per-user files (endings counts, records).

Portable: the lock is a file created with ``O_CREAT | O_EXCL``, which is atomic on POSIX and Windows alike
(no ``fcntl``). A process that dies holding the lock leaves the file behind; it is broken when its owner is
known to be dead (POSIX) or when it is older than :data:`STALE_SECONDS` (everywhere), since nobody holds
this lock longer than one small write.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from game.persist.atomic import make_dirs, process_alive

STALE_SECONDS = 10.0
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.005


class LockTimeout(OSError):
    """The lock stayed taken for longer than the wait allowed."""


@contextmanager
def locked(target: Path, wait: float = WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock of ``target`` (the file ``target.lock`` beside it) for the ``with`` block."""
    lock = _lock_of(target)
    make_dirs(lock.parent)
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            if _stale(lock):
                _break(lock)
                continue
            if time.monotonic() > deadline:
                raise LockTimeout(f"{lock}: still locked by another Crossroads after {wait:g} s") from None
            time.sleep(POLL_SECONDS)
            continue
        try:
            os.write(fd, str(os.getpid()).encode("ascii"))
        finally:
            os.close(fd)
        break
    try:
        yield
    finally:
        try:
            lock.unlink()
        except OSError:
            pass


def clear_stale(target: Path) -> None:
    """Remove the lock of ``target`` if its owner died (tidying at start; taking the lock would break it too)."""
    lock = _lock_of(target)
    if lock.exists() and _stale(lock):
        _break(lock)


def _lock_of(target: Path) -> Path:
    return target.with_name(target.name + ".lock")


def _stale(lock: Path) -> bool:
    try:
        owner = lock.read_text(encoding="ascii").strip()
        age = time.time() - lock.stat().st_mtime
    except (OSError, UnicodeDecodeError):
        return False  # vanished or being written: look again
    if owner.isdigit() and process_alive(int(owner)) is False:
        return True
    return age > STALE_SECONDS


def _break(lock: Path) -> None:
    try:
        lock.unlink()
    except OSError:
        pass
