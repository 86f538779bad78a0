"""Exporting the debrief from the terminal UI: a download in the browser (``crossroads serve``), a Markdown file
under the data folder in a terminal (the path is shown)."""

from __future__ import annotations

import io

from textual.app import App

from game.classroom.debrief import default_export_path, export_markdown, play_debrief_markdown
from game.engine import Playthrough
from game.i18n import tr, ui_lang


def export_debrief(app: App, play: Playthrough, lang: str) -> None:
    """Offer ``play``'s debrief in ``lang`` and tell the player where it went (or why it could not be saved)."""
    ui = ui_lang(lang)
    if app.is_web:  # the server's disk is out of the student's reach: the browser downloads it
        text = play_debrief_markdown(play, lang)
        app.deliver_text(io.StringIO(text), save_filename=default_export_path(play).name, mime_type="text/markdown")
        app.notify(tr("debrief_download", ui))
        return
    try:
        path = export_markdown(play, default_export_path(play), lang)
    except OSError as exc:
        app.notify(tr("export_failed", ui, error=str(exc)), severity="error", markup=False)
        return
    app.notify(tr("exported_to", ui, path=str(path)), timeout=10, markup=False)
