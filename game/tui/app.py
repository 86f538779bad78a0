"""CrossroadsApp: the Textual app that plays stories (title, play, history, saves, endings, help).

A thin front end over :class:`~game.session.GameSession` (``app.session``), which does everything a play session
does; screens only draw ``app.play`` and forward keys to the app. Public hooks for other tools:
:meth:`CrossroadsApp.start_story`, :meth:`CrossroadsApp.reload_story` and :meth:`CrossroadsApp.show_story_error`
(used by ``--watch``), :meth:`CrossroadsApp.export_debrief` (ending and facilitator screens).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.diagnostics import Diagnostic
from game.engine import Playthrough
from game.i18n import UI_LANGUAGES, tr, ui_lang
from game.model import Story
from game.persist.settings import Settings, load_settings, save_settings
from game.playtext import event_message
from game.session import CLOSE_TIMEOUT, FLAGS, Event, GameSession
from game.sources import StoryEntry
from game.threads import UiThread
from game.tui import cjk_overlay
from game.tui.localize import localize_bindings
from game.tui.palette import open_palette, system_commands
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.too_small import guard_size

APP_LABELS = {"help": "help", "toggle_language": "language_short", "quit": "quit", "command_palette": "palette"}


class CrossroadsApp(App[int]):
    """The Crossroads player. ``entries`` are the stories offered on the title screen (at least one loads)."""

    CSS_PATH = "app.tcss"
    TITLE = "Crossroads"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("f2", "toggle_language", "Language"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        entries: list[StoryEntry] | Story,
        lang: str | None = None,
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        cjk_overlay.install()  # wide characters stay whole under notifications and the palette key
        if isinstance(entries, Story):
            entries = [StoryEntry(Path(entries.root or "."), entries, [])]
        self.entries: list[StoryEntry] = entries
        self.entry: StoryEntry = next(entry for entry in entries if entry.story is not None)
        self.settings_problem: str | None = None
        if settings is None:
            settings, self.settings_problem = load_settings()
        self.settings: Settings = settings
        self.lang: str = lang or settings.lang or self.story.default_language
        self.session: GameSession | None = None
        self.exit_problems: list[str] = []
        self.ui_thread = UiThread()
        self._quiet_flags = False
        self.after_title: list[Callable[[], Screen]] = []  # screens to open over the title at start
        self.resume_at_start = False  # --continue: open the autosaved game at once

    # -- what is shown ---------------------------------------------------------------------------------

    @property
    def play(self) -> Playthrough | None:
        """The playthrough being played (owned by the session), or None on the title screen at start."""
        return self.session.play if self.session is not None else None

    @property
    def story(self) -> Story:
        """The story selected on the title screen (or being played)."""
        story = self.entry.story
        assert story is not None
        return story

    @property
    def story_lang(self) -> str:
        """The language of story text: the chosen language when the story has it, else its default."""
        return self.lang if self.lang in self.story.languages else self.story.default_language

    @property
    def ui_lang(self) -> str:
        """The language of the UI's own strings."""
        return ui_lang(self.lang)

    def on_mount(self) -> None:
        self.ui_thread.bind()
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.watch(self, "theme", self._remember_theme, init=False)
        localize_bindings(self, APP_LABELS, self.ui_lang)
        self.push_screen(TitleScreen())
        for make in self.after_title:
            self.push_screen(make())
        self.call_after_refresh(lambda: guard_size(self, self.size))
        if self.resume_at_start:
            self.continue_game()
        if self.settings_problem:
            self.notify(self.settings_problem, severity="warning", timeout=8)
        _exit_on_signals(self)

    def on_resize(self, event: events.Resize) -> None:
        guard_size(self, event.size)

    def _remember_theme(self, theme: str) -> None:
        self._store_settings(self.settings.with_(theme=theme))

    def _store_settings(self, settings: Settings) -> None:
        self.settings = settings
        try:
            save_settings(settings)
        except OSError as exc:
            self.notify(str(exc), severity="warning")

    def select_entry(self, index: int) -> None:
        """Make ``entries[index]`` the story the title screen offers (ignored for stories that did not load)."""
        if 0 <= index < len(self.entries) and self.entries[index].story is not None:
            self.entry = self.entries[index]

    def _refresh_all(self) -> None:
        localize_bindings(self, APP_LABELS, self.ui_lang)
        for screen in self.screen_stack:
            apply = getattr(screen, "apply_language", None)
            if apply is not None and screen.is_mounted:
                apply()

    def _play_screen(self) -> PlayScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, PlayScreen)), None)

    def _unwind_to_title(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, TitleScreen):
            self.pop_screen()

    # -- session events ---------------------------------------------------------------------------------------

    def session_event(self, event: Event) -> None:
        """Show what a session reports; safe from any thread (the autosave writer's included), never blocking."""
        if not self.ui_thread.run(self._show_event, event):  # the app has stopped: say it at exit instead
            self.exit_problems.append(event_message(event, self.ui_lang))

    def _show_event(self, event: Event) -> None:
        if event.kind == FLAGS:
            return  # the play screen names them on the line above the choices (no toast over the choices)
        self.notify(event_message(event, self.ui_lang), severity="error", timeout=10, markup=False)

    # -- starting and ending games -------------------------------------------------------------------------

    def _session_for(self, story: Story) -> GameSession:
        """The session, kept across games of the same story (a new one for another story)."""
        if self.session is None or self.session.story.id != story.id:
            if self.session is not None:
                self.session.abandon()
            self.session = GameSession(story, self.story_lang, "solo", on_event=self.session_event)
        return self.session

    def _show_game(self) -> None:
        from game.tui.screens.ending import EndingScreen

        self._unwind_to_title()
        self.push_screen(PlayScreen())
        if self.play is not None and self.play.is_ending:
            self.push_screen(EndingScreen())

    def start_story(self, story: Story, lang: str | None = None) -> None:
        """Play ``story`` from the start in ``lang``; other tools call this too."""
        known = next((entry for entry in self.entries if entry.story is story), None)
        if known is None:
            known = StoryEntry(Path(story.root or "."), story, [])
            self.entries.append(known)
        self.entry = known
        if lang:
            self.lang = lang
        session = self._session_for(story)
        session.set_language(self.story_lang)
        session.new_game(story)
        self._show_game()

    def new_game(self) -> None:
        """Start the selected story from the beginning (an earlier game stays loadable as the previous autosave)."""
        self.start_story(self.story)

    def continue_game(self) -> None:
        """Resume the selected story from its autosave."""
        self.load_slot(None)

    def load_slot(self, slot: str | None) -> None:
        """Load a save slot of the selected story (``None``: the autosave) and play on from it."""
        session = self._session_for(self.story)
        if session.resume(slot):
            session.set_language(self.story_lang)  # the player's language, not the one the save was made in
            self._show_game()
        else:
            self._refresh_all()

    def to_title(self) -> None:
        """Leave the game for the title screen (it is autosaved; Continue resumes it)."""
        if self.session is not None:
            self.session.abandon()
        self._unwind_to_title()

    # -- playing --------------------------------------------------------------------------------------

    def take_choice(self, number: int) -> None:
        """Take the choice at 0-based ``number`` of the current options and show what follows.

        At an ending the session writes the record (and counts the ending) before the debrief is shown."""
        from game.tui.screens.ending import EndingScreen

        session = self.session
        if session is None:
            return
        options = session.play.choices()
        if not 0 <= number < len(options):
            return
        to_ending = self.story.scenes[options[number].target].is_ending
        if to_ending:  # the debrief lists every red flag: no toasts over it, only what failed
            self.clear_notifications()
        self._quiet_flags = to_ending
        try:
            if not session.choose(options[number].choice.index):
                return
        finally:
            self._quiet_flags = False
        if session.play.is_ending:
            self.push_screen(EndingScreen())
        else:
            screen = self._play_screen()
            if screen is not None:
                screen.refresh_scene()

    def undo(self, steps: int = 1) -> None:
        """Go back ``steps`` decisions (leaving the ending screen when on it)."""
        from game.tui.screens.ending import EndingScreen

        if self.session is None:
            return
        if not self.session.undo(steps):
            self.notify(tr("nothing_to_undo", self.ui_lang))
            return
        if isinstance(self.screen, EndingScreen):
            self.pop_screen()
        screen = self._play_screen()
        if screen is not None:
            screen.refresh_scene()

    def export_debrief(self) -> None:
        """Offer the debrief as Markdown: a download in the browser, a file under the data folder in a terminal."""
        from game.tui.debrief_export import export_debrief

        if self.play is not None:
            export_debrief(self, self.play, self.story_lang)

    # -- external hooks (--watch) ---------------------------------------------------------------------------

    def reload_story(self, story: Story) -> None:
        """Replay the current game's choices on a new version of the story, keeping as many as fit."""
        from game.tui.screens.ending import EndingScreen

        old = self.entry
        self.entry = StoryEntry(old.path, story, [])
        self.entries[self.entries.index(old)] = self.entry
        if self.session is None:
            self._refresh_all()
            return
        self.session.reload(story)
        play = self.session.play
        if isinstance(self.screen, EndingScreen) and not play.is_ending:
            self.pop_screen()
        screen = self._play_screen()
        if screen is not None:
            screen.refresh_scene()
            if play.is_ending and not isinstance(self.screen, EndingScreen):
                self.push_screen(EndingScreen())
        self._refresh_all()

    def show_story_error(self, diagnostics: list[Diagnostic]) -> None:
        """Show a dismissable panel of diagnostics over the game, which stays where it is."""
        from game.tui.screens.story_error import StoryErrorScreen

        if isinstance(self.screen, StoryErrorScreen):
            self.pop_screen()
        self.push_screen(StoryErrorScreen(diagnostics))

    # -- leaving ----------------------------------------------------------------------------------------------

    def close_session(self, timeout: float = CLOSE_TIMEOUT) -> list[str]:
        """End the play session (abandoned record, unwritten records, last autosave, at most ``timeout`` s)."""
        if self.session is None:
            return []
        problems = self.session.close(timeout)
        self.session = None
        self.exit_problems.extend(problems)
        return problems

    def on_unmount(self) -> None:
        self.close_session()

    # -- actions (keys, menus and the command palette) ------------------------------------------------------

    def action_help(self) -> None:
        """Show the help (or close it)."""
        from game.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen())

    def action_toggle_language(self) -> None:
        """Switch between English and Simplified Chinese, UI and story at once."""
        current = self.ui_lang
        self.lang = UI_LANGUAGES[(UI_LANGUAGES.index(current) + 1) % len(UI_LANGUAGES)]
        if self.session is not None:
            self.session.set_language(self.story_lang)
        self._store_settings(self.settings.with_(lang=self.lang))
        self._refresh_all()

    def action_toggle_alerts(self) -> None:
        """Show red-flag alerts during play, or hold them until the ending (for class use)."""
        self._store_settings(self.settings.with_(hold_flags=not self.settings.hold_flags))
        self._refresh_all()

    def action_history(self) -> None:
        """Show the transcript of the current game."""
        from game.tui.screens.history import HistoryScreen

        if self.play is not None and not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_gallery(self) -> None:
        """Show the endings gallery of the selected story."""
        from game.tui.screens.gallery import GalleryScreen

        if not isinstance(self.screen, GalleryScreen):
            self.push_screen(GalleryScreen())

    def action_save(self) -> None:
        """Ask for a slot name and save the current game there."""
        from game.tui.screens.saves import SavesScreen

        if self.play is None:
            return

        def done(name: str | None) -> None:
            if not name or self.session is None:
                return
            try:
                info = self.session.save_as(name)
            except OSError as exc:
                self.notify(tr("save_failed", self.ui_lang, error=str(exc)), severity="error")
                return
            self.notify(tr("saved", self.ui_lang, name=info.name), markup=False)

        self.push_screen(SavesScreen("save", self.story.id), done)

    def action_load(self) -> None:
        """Pick a save of the selected story and load it."""
        from game.tui.screens.saves import SavesScreen

        def done(slot: str | None) -> None:
            if slot:
                self.load_slot(slot)

        self.push_screen(SavesScreen("load", self.story.id), done)

    def action_new_game(self) -> None:
        """Start the selected story again."""
        self.new_game()

    def action_undo(self) -> None:
        """Go back one step."""
        self.undo()

    def action_to_title(self) -> None:
        """Back to the title screen."""
        self.to_title()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: the game's actions and Textual's own, in the UI language (game.tui.palette)."""
        return system_commands(self, screen)

    def action_command_palette(self) -> None:
        """Open the command palette (its prompt in the UI language)."""
        open_palette(self)

    async def action_quit(self) -> None:
        """Quit: the game is recorded as abandoned (unless finished) and the last autosave written, waiting
        for it at most 2 s; anything that could not be saved is said after the app closes."""
        self.quit_now()

    def quit_now(self) -> None:
        """Close the session and exit (also on SIGTERM/SIGHUP and when a browser tab closes)."""
        self.close_session()
        message = "\n".join(f"crossroads: warning: {problem}" for problem in self.exit_problems)
        self.exit(0, message=message or None)


def _exit_on_signals(app: CrossroadsApp) -> None:
    """SIGTERM and SIGHUP close the session like Ctrl+Q (on the event loop where asyncio allows it)."""
    import asyncio
    import signal

    from game.session import install_exit_signals

    try:
        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None:
                loop.add_signal_handler(number, app.quit_now)
    except (NotImplementedError, RuntimeError):  # Windows: plain signal handlers
        install_exit_signals(app.quit_now)
