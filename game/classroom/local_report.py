"""The class report of the records kept on this machine, as Markdown (the facilitator's R key)."""

from __future__ import annotations


def local_report_markdown(lang: str) -> str | None:
    """The Markdown class report of this machine's records, or ``None`` when there are none (or unreadable)."""
    from game.classroom.records import RecordsFileError, read_records, records_path
    from game.classroom.report import build_report
    from game.classroom.report_render import render_markdown
    from game.classroom.stories import stories_for

    path = records_path()
    if not path.exists():
        return None
    try:
        found = read_records([path])
    except RecordsFileError:
        return None
    if not found.records:
        return None
    stories = stories_for({r["story"]["id"] for r in found.records}, None)
    return render_markdown(build_report(found, stories if isinstance(stories, dict) else {}, lang))
