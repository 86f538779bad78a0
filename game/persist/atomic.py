"""Atomic, versioned JSON files: write to a temporary file, fsync, then rename over the target.

A reader sees either the old file or the new one, never a half-written one, even if the process or the
machine dies mid-write. Every document carries a ``format`` name and a ``version`` so that a file from
another program or a future version is recognised and set aside instead of misread.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from game.persist import safejson


class DocumentError(ValueError):
    """A JSON document is missing, corrupt, or not of the expected format and version."""


TEMP_SUFFIX = ".tmp"
STALE_TEMP_SECONDS = 3600  # where a process cannot be asked whether it is alive, temp files this old are litter


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` atomically (temp file in the same folder, fsync, rename, fsync folder).

    ``data`` may be one ``bytes`` or chunks of them, written as they come (a report too large to hold whole).
    The temp file's name carries the writer's process id, so :func:`remove_stale_temps` can tell litter left
    by a killed process from a write in progress.
    """
    make_dirs(path.parent)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or creation inside ``folder`` durable, where the platform allows it (not on Windows)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def make_dirs(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each creation made durable in its parent folder."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        created.mkdir(exist_ok=True)
        fsync_dir(created.parent)


def process_alive(pid: int) -> bool | None:
    """Whether process ``pid`` runs: True/False on POSIX, None where it cannot be asked safely (Windows)."""
    if os.name != "posix":
        return None  # os.kill(pid, 0) would terminate the process on Windows
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def remove_stale_temps(folder: Path) -> int:
    """Delete temp files in ``folder`` left by writers that died (killed mid-write); return how many."""

    removed = 0
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return 0
    for candidate in candidates:
        parts = candidate.name.rsplit(".", 3)  # .NAME.PID.RANDOM.tmp -> [".NAME", PID, RANDOM, "tmp"]
        pid = int(parts[1]) if len(parts) == 4 and parts[1].isdigit() else None
        alive = process_alive(pid) if pid is not None else None
        if alive is None:
            try:
                alive = time.time() - candidate.stat().st_mtime < STALE_TEMP_SECONDS
            except OSError:
                continue
        if not alive:
            try:
                candidate.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def write_document(path: Path, kind: str, version: int, body: dict[str, Any]) -> None:
    """Write ``body`` as a JSON document tagged with its ``format`` kind and ``version``."""
    document = {"format": kind, "version": version, **body}
    write_atomic(path, safejson.dumps(document, indent=1).encode("utf-8"))


def read_document(path: Path, kind: str, version: int) -> dict[str, Any]:
    """Read a document written by :func:`write_document`; raise :class:`DocumentError` saying what is wrong."""
    try:
        document = safejson.read_file(path, kind)
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except OSError as exc:
        raise DocumentError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except safejson.DamagedJSON as exc:
        raise DocumentError(f"{exc} (damaged or truncated file)") from None
    if not isinstance(document, dict) or document.get("format") != kind:
        raise DocumentError(f"{path}: not a Crossroads {kind} file")
    if document.get("version") != version:
        raise DocumentError(
            f"{path}: {kind} version {document.get('version')!r} is not supported (this Crossroads reads {version})"
        )
    return document


def read_or_set_aside(path: Path, kind: str, version: int) -> tuple[dict[str, Any] | None, str | None]:
    """Read a document; when it is damaged or foreign, rename it aside and return (None, what happened).

    For per-user files whose reader falls back to defaults: a bad file is kept for inspection but never read
    again, and never stops the program.
    """
    try:
        return read_document(path, kind, version), None
    except DocumentError as exc:
        try:
            moved = set_aside(path)
        except OSError:
            return None, str(exc)
        return None, f"{exc}; it was set aside as {moved.name}"


def set_aside(path: Path) -> Path:
    """Rename a bad file to ``name.bad``, ``name.bad1``... so it is kept but no longer read; return the new path."""
    for n in range(1000):
        candidate = path.with_name(f"{path.name}.bad{n or ''}")
        if not candidate.exists():
            path.replace(candidate)
            fsync_dir(path.parent)
            return candidate
    raise OSError(f"cannot set aside {path}")
