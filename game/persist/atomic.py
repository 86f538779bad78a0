"""Atomic, versioned JSON files: write to a temporary file, fsync, then rename over the target.

A reader sees either the old file or the new one, never a half-written one, even if the process or the
machine dies mid-write. Every document carries a ``format`` name and a ``version`` so that a file from
another program or a future version is recognised and set aside instead of misread.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from game.persist import safejson


class DocumentError(ValueError):
    """A JSON document is missing, corrupt, or not of the expected format and version."""


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file in the same folder, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    try:  # make the rename itself durable where the platform allows it
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


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
            return candidate
    raise OSError(f"cannot set aside {path}")
