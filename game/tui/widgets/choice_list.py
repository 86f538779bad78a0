"""ChoiceList: the numbered choices of a scene; digits, arrows + Enter, or the mouse pick one."""

from __future__ import annotations

from rich.text import Text as RichText
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option as ListOption

from game.engine import Option
from game.tui.prose import Wrapped


class ChoiceList(OptionList):
    """An OptionList of the engine's :class:`~game.engine.Option` s, numbered from 1; locked ones disabled."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; max-height: 100%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._laid_out_width = 0
        self._replacing = False

    def _refresh_scrollbars(self) -> None:
        if not self._replacing:
            super()._refresh_scrollbars()

    def _on_resize(self, event: events.Resize) -> None:
        # OptionList drops its rendered lines and repaints on every resize: one more frame after each choice,
        # as the next scene's choices make the list taller or shorter. Lines depend on the width they wrap to.
        width = self.scrollable_content_region.width  # what the lines are wrapped to (a scrollbar takes room)
        if width == self._laid_out_width:
            event.prevent_default()
        self._laid_out_width = width

    def show_options(self, options: list[Option], locked_label: str) -> None:
        """Replace the choices shown; highlight the first enabled one."""
        prompts = []
        for number, option in enumerate(options, 1):
            prompt = RichText(f"{number}. ", style="bold")
            prompt.append(option.text)
            if not option.enabled:
                prompt.append(f"  🔒 {option.reason or locked_label}", style="italic")
            hang = len(f"{number}. ")
            prompts.append(ListOption(Wrapped(prompt, hang), id=f"choice-{number - 1}", disabled=not option.enabled))
        # While the list is replaced its old height is still in place: a longer list would get a scrollbar for
        # a moment (and a second layout pass and frame after every choice). Scrollbars follow the next layout.
        self._replacing = True
        try:
            self.clear_options()
            self.add_options(prompts)
        finally:
            self._replacing = False
        self.highlight_first(options)

    def highlight_first(self, options: list[Option]) -> None:
        """Highlight the first enabled choice."""
        self.highlighted = next((i for i, option in enumerate(options) if option.enabled), None)
