"""ChoiceList: the numbered choices of a scene; digits, arrows + Enter, or the mouse pick one."""

from __future__ import annotations

from rich.text import Text as RichText
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
        self.clear_options()
        self.add_options(prompts)
        self.highlight_first(options)

    def highlight_first(self, options: list[Option]) -> None:
        """Highlight the first enabled choice."""
        self.highlighted = next((i for i, option in enumerate(options) if option.enabled), None)
