"""CrossroadsApp: the Textual app that plays stories (title, play, history, saves, endings, help).

The app holds the current :class:`~game.engine.Playthrough` (``app.play``) and does every action on it, so
screens only draw and forward keys. Public hooks for other tools: :meth:`CrossroadsApp.start_story`,
:meth:`CrossroadsApp.reload_story` and :meth:`CrossroadsApp.show_story_error` (used by ``--watch``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from game.classroom.records import RecordKeeper
from game.diagnostics import Diagnostic
from game.engine import ChoiceError, Playthrough
from game.model import Story
from game.persist import saves
from game.persist.settings import Settings, load_settings, save_settings
from game.tui import cjk_overlay
from game.tui.i18n import UI_LANGUAGES, save_notice, save_problem, tr, ui_lang
from game.tui.localize import localize_bindings
from game.tui.palette import open_palette, system_commands
from game.tui.screens.play import PlayScreen
from game.tui.screens.title import TitleScreen
from game.tui.screens.too_small import guard_size
from game.tui.sources import StoryEntry

if TYPE_CHECKING:  # the executor is imported on the first autosave, not at start-up
    from concurrent.futures import Future, ThreadPoolExecutor

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
        self.play: Playthrough | None = None
        self.keeper: RecordKeeper | None = None
        self.shown_at = time.monotonic()
        self._writer: ThreadPoolExecutor | None = None
        self.after_title: list[Callable[[], Screen]] = []  # screens to open over the title at start

    # -- what is shown ---------------------------------------------------------------------------------

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
        if self.settings.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.watch(self, "theme", self._remember_theme, init=False)
        localize_bindings(self, APP_LABELS, self.ui_lang)
        self.push_screen(TitleScreen())
        for make in self.after_title:
            self.push_screen(make())
        self.call_after_refresh(lambda: guard_size(self, self.size))
        if self.settings_problem:
            self.notify(self.settings_problem, severity="warning", timeout=8)

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

    # -- starting and ending games -------------------------------------------------------------------------

    def start_story(self, story: Story, lang: str | None = None, play: Playthrough | None = None) -> None:
        """Play ``story`` (from the start, or the given playthrough) in ``lang``; other tools call this too."""
        from game.tui.screens.ending import EndingScreen

        known = next((entry for entry in self.entries if entry.story is story), None)
        if known is None:
            known = StoryEntry(Path(story.root or "."), story, [])
            self.entries.append(known)
        self.entry = known
        if lang:
            self.lang = lang
        self._abandon()
        self.play = play or Playthrough(story, self.story_lang)
        self.play.lang = self.story_lang  # a restored save speaks the language chosen now, not the one saved in
        self.keeper = RecordKeeper(story, self.story_lang, mode="solo")
        self.shown_at = time.monotonic()
        self._autosave()
        self._unwind_to_title()
        self.push_screen(PlayScreen())
        if self.play.is_ending:
            self.push_screen(EndingScreen())

    def new_game(self) -> None:
        """Start the selected story from the beginning."""
        self.start_story(self.story)

    def continue_game(self) -> None:
        """Resume the selected story from its autosave."""
        self.load_slot(saves.AUTOSAVE)

    def load_slot(self, slot: str) -> None:
        """Load a save slot of the selected story and play on from it."""
        try:
            play, notice = saves.load_save(self.story, slot)
        except saves.SaveError as exc:
            moved = exc.set_aside_to.name if exc.set_aside_to else None
            name = tr("autosave", self.ui_lang) if slot == saves.AUTOSAVE else slot
            self.notify(save_problem(str(exc), moved, name, self.ui_lang), severity="error", timeout=10)
            self._refresh_all()
            return
        self.start_story(self.story, play=play)
        if notice:
            self.notify(save_notice(notice, self.ui_lang), severity="warning", timeout=8)

    def to_title(self) -> None:
        """Leave the game for the title screen (it is autosaved; Continue resumes it)."""
        self._abandon()
        self._unwind_to_title()

    def _abandon(self) -> None:
        if self.play is not None and not self.play.is_ending:
            if self.keeper is not None:
                self.keeper.finish(None)
        self.keeper = None

    def _autosave(self) -> None:
        """Autosave the game as it is now; the file is written on a background thread, in order."""
        if self.play is None:
            return
        path, body = saves.prepare(self.play, saves.AUTOSAVE, saves.AUTOSAVE, self.story_lang)
        if self._writer is None:
            from concurrent.futures import ThreadPoolExecutor

            self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crossroads-autosave")
        future = self._writer.submit(saves.write_prepared, path, body)
        future.add_done_callback(self._autosave_done)

    def _autosave_done(self, future: Future[None]) -> None:
        error = future.exception()
        if error is not None:
            message = tr("autosave_failed", self.ui_lang, error=str(error))
            self.call_from_thread(self.notify, message, severity="error")

    def flush_saves(self) -> None:
        """Wait until every autosave has been written (called on exit)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None

    def on_unmount(self) -> None:
        self.flush_saves()

    # -- playing --------------------------------------------------------------------------------------

    def take_choice(self, number: int) -> None:
        """Take the choice at 0-based ``number`` of the current options, autosave, and show what follows."""
        from game.persist.progress import record_ending
        from game.tui.screens.ending import EndingScreen

        play = self.play
        if play is None:
            return
        options = play.choices()
        scene_id = play.scene.id
        try:
            play.choose(number)
        except ChoiceError as exc:
            self.notify(str(exc), severity="warning")
            return
        option = options[number]
        if self.keeper is not None:
            self.keeper.choice_made(scene_id, option.choice.index, time.monotonic() - self.shown_at)
        self.shown_at = time.monotonic()
        self._autosave()
        # The play screen names the red flags just walked into above the choices (no toast covers them).
        if play.is_ending:
            try:
                record_ending(play.story, play.scene.id)
            except OSError as exc:
                self.notify(str(exc), severity="warning")
            if self.keeper is not None:
                self.keeper.finish(play.scene.id)
            self.keeper = None
            self.clear_notifications()  # the ending's debrief lists every red flag; stale toasts would cover it
            self.push_screen(EndingScreen())
        else:
            screen = self._play_screen()
            if screen is not None:
                screen.refresh_scene()

    def undo(self, steps: int = 1) -> None:
        """Go back ``steps`` decisions (leaving the ending screen when on it)."""
        from game.tui.screens.ending import EndingScreen

        play = self.play
        if play is None:
            return
        was_ending = play.is_ending
        undone = play.undo(steps)
        if not undone:
            self.notify(tr("nothing_to_undo", self.ui_lang))
            return
        if was_ending and self.keeper is None:
            self.keeper = RecordKeeper(play.story, self.story_lang, mode="solo")
        elif self.keeper is not None:
            self.keeper.undone(undone)  # the record keeps only the choices that stand
        self._autosave()
        if isinstance(self.screen, EndingScreen):
            self.pop_screen()
        screen = self._play_screen()
        if screen is not None:
            screen.refresh_scene()

    # -- external hooks (--watch) ---------------------------------------------------------------------------

    def reload_story(self, story: Story) -> None:
        """Replay the current playthrough's choices on a new version of the story, keeping as many as fit."""
        from game.tui.screens.ending import EndingScreen

        old = self.entry
        self.entry = StoryEntry(old.path, story, [])
        self.entries[self.entries.index(old)] = self.entry
        if self.play is None:
            self._refresh_all()
            return
        wanted = [(step.scene, step.choice) for step in self.play.history]
        play = Playthrough(story, self.story_lang)
        kept = 0
        for scene_id, index in wanted:
            if play.scene.id != scene_id or not 0 <= index < len(play.scene.choices):
                break
            try:
                play.choose_choice(play.scene.choices[index])
            except ChoiceError:
                break
            kept += 1
        self.play = play
        lost = len(wanted) - kept
        self._autosave()
        if isinstance(self.screen, EndingScreen) and not play.is_ending:
            self.pop_screen()
        screen = self._play_screen()
        if screen is not None:
            screen.refresh_scene()
            if play.is_ending and not isinstance(self.screen, EndingScreen):
                self.push_screen(EndingScreen())
        self._refresh_all()
        message = tr("reload_lost", self.ui_lang, n=lost) if lost else tr("reloaded", self.ui_lang, n=kept)
        self.notify(message, severity="warning" if lost else "information")

    def show_story_error(self, diagnostics: list[Diagnostic]) -> None:
        """Show a dismissable panel of diagnostics over the game, which stays where it is."""
        from game.tui.screens.story_error import StoryErrorScreen

        if isinstance(self.screen, StoryErrorScreen):
            self.pop_screen()
        self.push_screen(StoryErrorScreen(diagnostics))

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
        if self.play is not None:
            self.play.lang = self.story_lang
        self._store_settings(self.settings.with_(lang=self.lang))
        self._refresh_all()

    def set_language(self, lang: str) -> None:
        """Switch to ``lang`` (one of :data:`~game.tui.i18n.UI_LANGUAGES` or a story language)."""
        self.lang = lang
        if self.play is not None:
            self.play.lang = self.story_lang
        self._store_settings(self.settings.with_(lang=lang))
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
            if not name or self.play is None:
                return
            try:
                info = saves.write_save(self.play, name, self.story_lang)
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
        """Quit (the game is already autosaved after every choice)."""
        self._abandon()
        self.exit(0)
