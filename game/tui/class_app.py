"""ClassApp: the teacher's dashboard for ``crossroads class`` — each phone plays its own game.

The classroom server (:mod:`game.web.server`) runs on this app's event loop, so no thread or process is
added per phone. The dashboard shows how phones join (QR code, address, room code), how many are playing,
where they are, and the endings reached; ``r`` opens the class report of the records written so far.
Stopping the app stops the server, which records every unfinished game as abandoned.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, Static

from game.i18n import tr, ui_lang
from game.model import Story
from game.tui.widgets.join_panel import JoinPanel
from game.web.server import ClassServer

BAR_WIDTH = 16


class ClassApp(App[None]):
    """The class dashboard: join panel on the left, live counts on the right."""

    CSS_PATH = "class_app.tcss"
    TITLE = "Crossroads"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "report", "Report"),
        Binding("j", "toggle_qr", "QR"),
        Binding("ctrl+q,q", "quit", "Quit"),
    ]

    def __init__(self, story: Story, server: ClassServer, lang: str, records: Path) -> None:
        super().__init__()
        self.story = story
        self.server = server
        self.lang = ui_lang(lang)
        self.records = records
        self.failure: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="class-body"):
            yield Static(id="join-slot")
            with VerticalScroll(id="class-stats"):
                yield Static(id="class-counts")
                yield Static(id="class-where")
                yield Static(id="class-endings")
                yield Static(id="class-records")
        yield Footer()

    async def on_mount(self) -> None:
        self.title = tr("class_dashboard", self.lang)
        self.sub_title = self.story.title.get(self.lang, self.story.default_language)
        try:
            base = await self.server.start()
        except OSError as exc:
            self.failure = tr("server_failed", self.lang, reason=exc.strerror or str(exc))
            self.exit(return_code=2)
            return
        panel = JoinPanel(base, self.server.room.code, self.lang, id="join-panel")
        await self.query_one("#join-slot", Static).remove()
        await self.query_one("#class-body", Horizontal).mount(panel, before=0)
        self._fit_qr()
        self.refresh_counts()
        self.set_interval(1.0, self.refresh_counts)

    def on_resize(self) -> None:
        self._fit_qr()

    def _fit_qr(self) -> None:
        panels = self.query(JoinPanel)
        if panels:
            panels.first().show_qr(self.size.width >= 80 and self.size.height >= 22)

    def refresh_counts(self) -> None:
        """Redraw the counts from the server's games."""
        games = self.server.games
        if games is None:
            return
        lang, fallback = self.lang, self.story.default_language
        joined = self.server.room.device_count
        endings = games.endings()
        counts = " · ".join(
            [
                tr("phones_joined", lang, n=joined),
                tr("phones_playing", lang, n=games.playing),
                tr("phones_ended", lang, n=sum(endings.values())),
            ]
        )
        self.query_one("#class-counts", Static).update(Text(counts, style="bold"))
        where = {sid: self.story.scenes[sid].title.get(lang, fallback) for sid in games.where()}
        self.query_one("#class-where", Static).update(self._table(tr("where_they_are", lang), games.where(), where))
        names = {}
        for sid in endings:
            ending = self.story.scenes[sid].ending
            kind = tr(f"kind_{ending.kind}", lang) if ending else ""
            names[sid] = f"{self.story.scenes[sid].title.get(lang, fallback)} ({kind})"
        self.query_one("#class-endings", Static).update(self._table(tr("endings_reached", lang), endings, names))
        self.query_one("#class-records", Static).update(Text(tr("records_to", lang, path=str(self.records)), "dim"))

    def _table(self, heading: str, counts: Counter[str], names: dict[str, str]) -> Text:
        out = Text(heading + "\n", style="bold")
        if not counts:
            out.append(tr("nobody_yet", self.lang) + "\n", style="dim")
            return out
        top = max(counts.values())
        for scene_id, count in counts.most_common():
            bar = "█" * max(1, round(count / top * BAR_WIDTH))
            out.append(f"{count:>3} ")
            out.append(f"{bar:<{BAR_WIDTH}} ", style="green")
            out.append(names.get(scene_id, scene_id) + "\n")
        return out

    def action_toggle_qr(self) -> None:
        """Show or hide the QR code."""
        panels = self.query(JoinPanel)
        if panels:
            panel = panels.first()
            panel.show_qr(panel.has_class("-no-qr"))

    def action_report(self) -> None:
        """The class report of the records written so far."""
        from game.classroom.local_report import local_report_markdown
        from game.tui.screens.markdown_view import MarkdownScreen

        markdown = local_report_markdown(self.lang)
        self.push_screen(MarkdownScreen(markdown or tr("no_records_yet", self.lang)))

    async def action_quit(self) -> None:
        """Stop the server (recording unfinished games as abandoned), then leave."""
        await self.server.stop()
        self.exit()
