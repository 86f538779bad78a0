"""PlayScreen: the scene's header and Markdown text, its choices, and a side panel of meters and red flags.

Above the choices, nothing ever covers them: a line naming the red flags the last choice walked into (the next
choice replaces it) and the scene's question (``ask:``). A scene taller than its pane is shown from the top
when it has a question (the question is beside the choices); without one, the text is scrolled to its end,
where the question usually is, so that the choices and what they answer are in view together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from rich.console import RenderableType
from rich.text import Text as RichText
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Header, OptionList, Static
from textual.widgets._header import HeaderTitle

from game.i18n import tr
from game.tui.localize import localize_bindings, show_bindings
from game.tui.prose import Wrapped
from game.tui.scrolling import scroll_pages
from game.tui.widgets.choice_list import ChoiceList
from game.tui.widgets.flag_line import FlagLine
from game.tui.widgets.footer import GameFooter
from game.tui.widgets.markdown_text import MarkdownText
from game.tui.widgets.settled import SettledVertical, TextPane
from game.tui.widgets.side_panel import SidePanel

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp

AnyWidget = TypeVar("AnyWidget", bound=Widget)
NARROW = 80
ROOMY = 100
LABELS = {
    "undo": "undo",
    "history": "history",
    "save": "save",
    "load": "load",
    "toggle_panel": "panel",
    "to_title": "title_screen",
}


class PlayScreen(Screen):
    """Where the story is played; all game logic is in :class:`~game.engine.Playthrough` (``app.play``)."""

    AUTO_FOCUS = "#choices"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[Binding(str(n), f"pick({n - 1})", f"Choice {n}", show=False) for n in range(1, 10)],
        Binding("b,backspace,ctrl+z", "undo", "Back"),
        Binding("h", "history", "History"),
        Binding("s", "save", "Save"),
        Binding("l", "load", "Load"),
        Binding("p", "toggle_panel", "Panel"),
        Binding("t", "to_title", "Title"),
        # The choices keep the focus; these scroll the scene text above them.
        Binding("pagedown,space", "scroll_text(1)", "Scroll down", show=False, priority=True),
        Binding("pageup", "scroll_text(-1)", "Scroll up", show=False, priority=True),
    ]

    app: CrossroadsApp

    def __init__(self) -> None:
        super().__init__()
        self.panel_forced: bool | None = None
        self._shown: dict[str, object] = {}
        self._scrolled_for: object = None
        self._widgets: dict[str, Widget] = {}

    def compose(self) -> ComposeResult:
        yield Header(id="header")
        with Horizontal(id="play-body"):
            with Vertical(id="scene-pane"):
                with TextPane(id="scene-scroll"):
                    yield MarkdownText(id="scene-text")
                with SettledVertical(id="choice-dock"):
                    yield FlagLine(id="flag-line", markup=False)
                    yield Static(id="ask-line", markup=False)
                    yield ChoiceList(id="choices")
                    yield Static(id="choices-hint", markup=False)
            yield SidePanel(id="side-panel")
        yield GameFooter()

    def _one(self, selector: str, kind: type[AnyWidget] = Widget) -> AnyWidget:  # type: ignore[assignment]
        """``query_one`` remembered: the play screen's widgets are composed once (each query costs a CSS match)."""
        found = self._widgets.get(selector)
        if found is None:
            found = self._widgets[selector] = self.query_one(selector, kind)
        return found  # type: ignore[return-value]

    def on_mount(self) -> None:
        self._widgets["#header-title"] = self._one("#header").query_one(HeaderTitle)
        self._fold(self.app.size.width)
        self.refresh_scene()

    def on_screen_resume(self) -> None:
        self._set_header()

    def _set_header(self) -> None:
        play = self.app.play
        if play is None:
            return
        lang = self.app.story_lang
        self.app.title = play.story.title.get(lang, play.story.default_language)  # fires only when it changes
        chapter = play.chapter(lang) or ""
        if self.sub_title != chapter:
            # Screen.sub_title is a reactive that repaints the whole screen (a second, full redraw after a
            # choice that changes chapter); set it quietly and redraw the header's title line only.
            self.set_reactive(Screen.sub_title, chapter)
            header = self._one("#header", Header)
            self._one("#header-title", HeaderTitle).update(header.format_title())

    def on_resize(self, event: events.Resize) -> None:
        self._fold(event.size.width)
        play = self.app.play
        if play is not None:  # the flag line explains the flags from 80 columns up, names them below
            brief = event.size.width < NARROW
            self._one("#flag-line", FlagLine).show(play, self.app.story_lang, self.app.settings.hold_flags, brief)
        self.call_after_refresh(self._fit_text)

    def _fold(self, width: int) -> None:
        narrow = width < NARROW
        show = self.panel_forced if self.panel_forced is not None else not narrow
        self._one("#side-panel", SidePanel).display = show
        self.set_class(narrow, "-narrow")
        self.set_class(width >= 140, "-wide")
        # The footer shows what fits; every key is in the help (? or F1).
        roomy = width >= ROOMY
        show_bindings(self, {"history": not narrow, "to_title": not narrow, "load": roomy, "toggle_panel": roomy})

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        self.refresh_scene()

    def refresh_scene(self) -> None:
        """Redraw everything from ``app.play``."""
        with self.app.batch_update():
            self._refresh_scene()

    def _refresh_scene(self) -> None:
        app = self.app
        play = app.play
        if play is None:
            return
        ui = app.ui_lang
        lang = app.story_lang
        localize_bindings(self, LABELS, ui)
        chapter = play.chapter(lang)
        title = play.title(lang)
        text = play.text(lang)
        if self._shown.get("#scene-text") != (chapter, title, text):
            self._shown["#scene-text"] = (chapter, title, text)
            accent = self.app.current_theme.accent or "bold"
            header = [RichText(chapter or "", style="italic dim"), RichText(title, style=f"bold {accent}")]
            self._one("#scene-text", MarkdownText).set_markdown(text, header)
        options = play.choices(lang)
        key = tuple((o.text, o.enabled, o.reason) for o in options)
        if self._shown.get("#choices") != key:
            self._shown["#choices"] = key
            self._one("#choices", ChoiceList).show_options(options, tr("locked", ui))
        else:
            self._one("#choices", ChoiceList).highlight_first(options)
        hold = app.settings.hold_flags
        self._one("#flag-line", FlagLine).show(play, lang, hold, brief=app.size.width < NARROW)
        ask = play.ask(lang) or ""
        self._update("#ask-line", ask, lambda: Wrapped(RichText(ask, style="bold")))
        self._one("#ask-line").display = bool(ask)
        self._one("#side-panel", SidePanel).show(play, lang, hold)
        self._set_header()
        self._scrolled_for = None
        self._show_hint(overflow=False)
        overflow = self._fit_now()
        if overflow:  # the hint grows a sentence about scrolling: measure again with it
            self._show_hint(overflow=True)
            self._fit_now()
        if overflow is None:
            self.call_after_refresh(self._fit_text)
        else:
            self._one("#scene-scroll").scroll_home(animate=False, immediate=True)
            self.call_after_refresh(self._place_text)

    def _fit_now(self) -> bool | None:
        """Fit the text pane to the new scene before it is drawn (one frame per choice, not three).

        Measures the choice dock's children and the text at the widths of the current layout (which a new
        scene does not change) and sets the pane's height as :meth:`_fit_text` would after a layout pass.
        Returns whether the text overflows its pane, or None when there is no layout yet to measure with.
        """
        pane = self._one("#scene-pane")
        dock = self._one("#choice-dock")
        scroll = self._one("#scene-scroll", VerticalScroll)
        if not pane.size.width or not scroll.size.width:
            return None
        dock_height = _outer_height(dock, pane.size.width, self.size)
        if dock.styles.max_height is not None and dock.styles.max_height.is_percent:
            dock_height = min(dock_height, int(pane.size.height * dock.styles.max_height.value / 100))
        room = max(3, pane.size.height - dock_height)
        if scroll.styles.max_height is None or scroll.styles.max_height.value != room:
            scroll.styles.max_height = room
        text = self._one("#scene-text", MarkdownText)
        inner = scroll.size.width - scroll.styles.gutter.width - scroll.styles.scrollbar_size_vertical
        return _outer_height(text, inner + scroll.styles.scrollbar_size_vertical, self.size) > room

    def _fit_text(self) -> None:
        """Let the text pane end where its text ends, so short scenes keep their choices right below them.

        The pane may grow up to the room the choices leave; longer text scrolls inside it.
        """
        pane = self._one("#scene-pane")
        dock = self._one("#choice-dock")
        room = max(3, pane.size.height - dock.outer_size.height)
        scroll = self._one("#scene-scroll", VerticalScroll)
        if scroll.styles.max_height is None or scroll.styles.max_height.value != room:
            scroll.styles.max_height = room
        self.call_after_refresh(self._place_text)

    def _place_text(self) -> None:
        """Once per scene: show the text from its top, or from its end when the question is only in the text."""
        play = self.app.play
        if play is None:
            return
        key = (play.state, self.app.story_lang)
        if self._scrolled_for != key:
            self._scrolled_for = key
            scroll = self._one("#scene-scroll", VerticalScroll)
            if play.ask(self.app.story_lang) or not play.choices():
                scroll.scroll_home(animate=False, immediate=True)
            else:
                scroll.scroll_end(animate=False, immediate=True)
        self._show_hint()

    def _show_hint(self, overflow: bool | None = None) -> None:
        """The key hint under the choices; it mentions scrolling when the text is taller than its pane
        (``overflow``; by default, as laid out now).

        Narrow screens get the short form, one line. A hint that changes height makes the text pane refit.
        """
        play = self.app.play
        if play is None:
            return
        ui = self.app.ui_lang
        short = "_short" if self.app.size.width < NARROW else ""
        count = len(play.choices())
        if count > 1:
            hint = tr("choices_hint" + short, ui, n=count)
        else:
            hint = tr("choices_hint_one" + short, ui) if count else tr("no_choices", ui)
        laid_out = overflow is None
        if laid_out:
            overflow = self._one("#scene-scroll", VerticalScroll).max_scroll_y > 0
        if overflow:
            hint = f"{hint}{tr('hint_gap' + short, ui)}{tr('scroll_hint' + short, ui)}"
        if self._shown.get("#choices-hint") != hint:
            self._update("#choices-hint", hint, lambda: Wrapped(RichText(hint, style="dim")))
            if laid_out:
                self.call_after_refresh(self._fit_text)

    def action_scroll_text(self, pages: int) -> None:
        """Scroll the scene text a page down (1) or up (-1)."""
        scroll_pages(self._one("#scene-scroll"), pages)

    def _update(self, selector: str, key: object, make: Callable[[], RenderableType]) -> None:
        """Update a Static only when what it shows changed (each update costs a layout pass)."""
        if self._shown.get(selector) != key:
            self._shown[selector] = key
            self._one(selector, Static).update(make())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id.startswith("choice-"):
            self.action_pick(int(event.option.id.removeprefix("choice-")))

    def action_pick(self, number: int) -> None:
        """Take the choice at 0-based position ``number``."""
        play = self.app.play
        if play is None or play.is_ending:
            return
        options = play.choices(self.app.story_lang)
        if not 0 <= number < len(options):
            return
        if not options[number].enabled:
            self.app.bell()
            self.notify(options[number].reason or tr("locked", self.app.ui_lang), severity="warning")
            return
        self.app.take_choice(number)

    def action_undo(self) -> None:
        """Go back one step."""
        self.app.undo()

    def action_history(self) -> None:
        """Show the transcript."""
        self.app.action_history()

    def action_save(self) -> None:
        """Save to a named slot."""
        self.app.action_save()

    def action_load(self) -> None:
        """Load a save."""
        self.app.action_load()

    def action_toggle_panel(self) -> None:
        """Fold the side panel away or bring it back."""
        panel = self._one("#side-panel", SidePanel)
        self.panel_forced = not panel.display
        panel.display = self.panel_forced

    def action_to_title(self) -> None:
        """Back to the title screen (the game is autosaved)."""
        self.app.to_title()


def _outer_height(widget: Widget, width: int, viewport: Size) -> int:
    """The height ``widget`` will take in a vertical layout ``width`` cells wide (its margins included).

    For a container, the sum of its displayed children; otherwise its content height at its content width
    (``max-width`` in cells applied) plus padding and border: what Textual's layout gives an ``auto`` height.
    """
    if not widget.display:
        return 0
    styles = widget.styles
    outer = width - styles.margin.width
    if styles.max_width is not None and styles.max_width.is_cells:
        outer = min(outer, int(styles.max_width.value))
    inner = max(0, outer - styles.gutter.width)
    if widget.children and not isinstance(widget, Static | OptionList):
        content = sum(_outer_height(child, inner, viewport) for child in widget.children)
    else:
        content = widget.get_content_height(Size(inner, viewport.height), viewport, inner)
    return content + styles.gutter.height + styles.margin.height
