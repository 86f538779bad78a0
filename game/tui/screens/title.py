"""TitleScreen: the story's title, blurb and content note, and the main menu (Enter starts a new game)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text as RichText
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from game.i18n import LANGUAGE_NAMES, tr
from game.persist.saves import AUTOSAVE, has_save, slot_info
from game.tui.localize import localize_bindings, show_bindings
from game.tui.prose import Prose, Wrapped, warm_up
from game.tui.scrolling import scroll_pages
from game.tui.widgets.footer import GameFooter

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp

NARROW = 80
SHORT = 24
MENU = ("new", "continue", "load", "gallery", "language", "alerts", "quit")
LABELS = {"new_game": "new_game", "continue_game": "continue", "load_game": "load", "gallery": "endings"}


class TitleScreen(Screen):
    """The first screen: pick a story (when several are bundled), read its note, start or continue."""

    AUTO_FOCUS = "#menu"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_game", "New game"),
        Binding("c", "continue_game", "Continue"),
        Binding("l", "load_game", "Load"),
        Binding("e", "gallery", "Endings"),
        # The menu keeps the focus; these scroll the story's blurb and content note above it.
        Binding("pagedown", "scroll_info(1)", "Scroll down", show=False, priority=True),
        Binding("pageup", "scroll_info(-1)", "Scroll up", show=False, priority=True),
    ]

    app: CrossroadsApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="title-body"):
            if len(self.app.entries) > 1:
                with VerticalScroll(id="story-column"):
                    yield Static(id="stories-heading", classes="heading")
                    yield OptionList(id="stories", markup=False)
                    yield Static(id="story-problem")
            with Vertical(id="title-main"):
                with VerticalScroll(id="title-info"):
                    yield Static(id="story-title", markup=False)
                    yield Static(id="story-blurb", markup=False)
                    yield Static(id="content-note", markup=False)
                yield OptionList(id="menu", markup=False)
                yield Static(id="title-hint", markup=False)
        yield GameFooter()

    def on_mount(self) -> None:
        self.apply_language()
        self.call_after_refresh(self.query_one("#title-info").scroll_home, animate=False)
        # Once the title is drawn, build the Markdown parser the first scene will need.
        self.set_timer(0.05, lambda: self.run_worker(warm_up, thread=True, exit_on_error=False))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW or event.size.height < SHORT, "-narrow")
        show_bindings(self, {"load_game": event.size.width >= NARROW, "gallery": event.size.width >= NARROW})
        self.call_after_refresh(self._show_hint)

    def _show_hint(self) -> None:
        """The key hint under the menu; it says how to scroll when the story's note is taller than its room."""
        ui = self.app.ui_lang
        hint = tr("title_hint", ui)
        if self.query_one("#title-info", VerticalScroll).max_scroll_y > 0:
            hint = f"{hint}{tr('hint_gap_short', ui)}{tr('scroll_note_hint', ui)}"
        self.query_one("#title-hint", Static).update(Wrapped(RichText(hint, style="dim")))

    def action_scroll_info(self, pages: int) -> None:
        """Scroll the blurb and content note a page down (1) or up (-1)."""
        scroll_pages(self.query_one("#title-info"), pages)

    def on_screen_resume(self) -> None:
        self.apply_language()

    def apply_language(self) -> None:
        """Redraw every text in the app's current language (also after returning to this screen)."""
        app = self.app
        ui = app.ui_lang
        localize_bindings(self, LABELS, ui)
        story = app.story
        lang = app.story_lang
        if self.query("#stories"):
            stories = self.query_one("#stories", OptionList)
            highlighted = stories.highlighted
            stories.clear_options()
            for entry in app.entries:
                if entry.story is not None:
                    label = entry.story.title.get(
                        lang if lang in entry.story.languages else "", entry.story.default_language
                    )
                    stories.add_option(ListOption(label, id=f"story-{app.entries.index(entry)}"))
                else:
                    label = tr("story_broken", ui, title=entry.name)
                    stories.add_option(ListOption(label, id=f"story-{app.entries.index(entry)}", disabled=True))
            stories.highlighted = highlighted if highlighted is not None else app.entries.index(app.entry)
            self.query_one("#stories-heading", Static).update(tr("stories", ui))
            problems = [
                f"{entry.name}: {entry.diagnostics[0] if entry.diagnostics else '?'}"
                for entry in app.entries
                if entry.story is None
            ]
            self.query_one("#story-problem", Static).update(RichText("\n".join(problems), style="italic"))
        fallback = story.default_language
        self.query_one("#story-title", Static).update(Wrapped(RichText(story.title.get(lang, fallback), style="bold")))
        blurb = story.blurb.get(lang, fallback) if story.blurb else ""
        self.query_one("#story-blurb", Static).update(Prose(blurb))
        note = self.query_one("#content-note", Static)
        note.display = story.content_note is not None
        if story.content_note is not None:
            note.border_title = tr("content_note", ui)
            note.update(Prose(story.content_note.get(lang, fallback)))
        self._show_hint()
        self.call_after_refresh(self._show_hint)
        self._fill_menu()
        app.title = story.title.get(lang, fallback)
        app.sub_title = ""

    def _fill_menu(self) -> None:
        app = self.app
        ui = app.ui_lang
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        can_continue = has_save(app.story.id)
        kept = slot_info(app.story.id, AUTOSAVE) if can_continue else None
        labels = {
            "new": tr("new_keeps_previous", ui, n=kept.steps) if kept and kept.steps else tr("new_game", ui),
            "continue": tr("continue", ui) if can_continue else f"{tr('continue', ui)} — {tr('no_autosave', ui)}",
            "load": tr("load", ui),
            "gallery": tr("endings_gallery", ui),
            "language": tr("language", ui, name=LANGUAGE_NAMES.get(app.ui_lang, app.ui_lang)),
            "alerts": tr("alerts_held" if app.settings.hold_flags else "alerts_on", ui),
            "quit": tr("quit", ui),
        }
        menu.clear_options()
        for key in MENU:
            menu.add_option(ListOption(labels[key], id=key, disabled=key == "continue" and not can_continue))
        menu.highlighted = highlighted if highlighted is not None else 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "stories":
            index = int((event.option.id or "story-0").removeprefix("story-"))
            self.app.select_entry(index)
            self.apply_language()
            self.query_one("#menu").focus()
            return
        action = event.option.id
        if action == "new":
            self.action_new_game()
        elif action == "continue":
            self.action_continue_game()
        elif action == "load":
            self.action_load_game()
        elif action == "gallery":
            self.action_gallery()
        elif action == "language":
            self.app.action_toggle_language()
        elif action == "alerts":
            self.app.action_toggle_alerts()
        elif action == "quit":
            self.app.exit()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "stories" and event.option.id:
            index = int(event.option.id.removeprefix("story-"))
            if self.app.entries[index] is not self.app.entry:
                self.app.select_entry(index)
                self.apply_language()

    def action_new_game(self) -> None:
        """Start the selected story from the beginning."""
        self.app.new_game()

    def action_continue_game(self) -> None:
        """Resume from the autosave (``c`` works even when the menu item is disabled: then it says why)."""
        if not has_save(self.app.story.id):
            self.notify(tr("no_autosave", self.app.ui_lang), severity="warning")
            return
        self.app.continue_game()

    def action_load_game(self) -> None:
        """Pick a save to load."""
        self.app.action_load()

    def action_gallery(self) -> None:
        """Show the endings reached."""
        self.app.action_gallery()
