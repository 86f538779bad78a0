"""The record options shared by ``play`` and ``serve``: ``--class LABEL`` stamps records, ``--rehearse`` skips them.

Both travel in the environment (:data:`game.classroom.records.CLASS_ENV`, ``REHEARSE_ENV``), like the records
file of ``serve``, so the browser sessions ``serve`` starts inherit them.
"""

from __future__ import annotations

import argparse
import os


def add_record_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--class LABEL`` and ``--rehearse`` to a command."""
    parser.add_argument(
        "--class", dest="class_label", metavar="LABEL", help="stamp the records with a class label, e.g. 10B"
    )
    parser.add_argument("--rehearse", action="store_true", help="a teacher's rehearsal: write no records")


def apply_record_arguments(args: argparse.Namespace) -> int | None:
    """Put the options in the environment; return an exit code (after saying why) when the label is bad."""
    from game.classroom.records import CLASS_ENV, REHEARSE_ENV, class_label_problem
    from game.cli import fail

    label = getattr(args, "class_label", None)
    if label is not None:
        problem = class_label_problem(label)
        if problem is not None:
            return fail(f"--class {label!r}: {problem}")
        os.environ[CLASS_ENV] = label.strip()
    if getattr(args, "rehearse", False):
        os.environ[REHEARSE_ENV] = "1"
    return None
