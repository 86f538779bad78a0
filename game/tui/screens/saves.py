"""SavesScreen: pick a slot to load, or name one to save to; returns the slot id (load) or name (save)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text as RichText
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from game.i18n import tr
from game.persist.saves import SlotInfo, list_saves

if TYPE_CHECKING:
    from game.tui.app import CrossroadsApp


class SavesScreen(ModalScreen[str | None]):
    """A modal list of save slots. In ``save`` mode an input takes a new name; picking a slot reuses its name."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    app: CrossroadsApp

    def __init__(self, mode: Literal["save", "load"], story_id: str) -> None:
        super().__init__()
        self.mode = mode
        self.story_id = story_id
        self.slots: list[SlotInfo] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="saves-box"):
            if self.mode == "save":
                yield Input(id="slot-name", max_length=40)
            yield OptionList(id="slots", markup=False)
            yield Static(id="saves-empty", markup=False)

    def on_mount(self) -> None:
        slots, problems = list_saves(self.story_id)
        self.slots = [slot for slot in slots if self.mode == "load" or not slot.is_autosave]
        for problem in problems:
            self.notify(problem, severity="warning", timeout=8)
        self.apply_language()
        if self.mode == "save":
            self.query_one(Input).focus()
        else:
            self.query_one(OptionList).focus()

    def apply_language(self) -> None:
        """Redraw in the app's current language."""
        ui = self.app.ui_lang
        box = self.query_one("#saves-box")
        box.border_title = tr("save_title" if self.mode == "save" else "load_title", ui)
        box.border_subtitle = f"Esc · {tr('cancel', ui)}"
        if self.mode == "save":
            name_input = self.query_one(Input)
            name_input.placeholder = tr("slot_name", ui)
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        for slot in self.slots:
            name = tr(slot.label_key, ui) if slot.label_key else slot.name
            title = self._scene_title(slot)
            line = tr("slot_line", ui, name=name, title=title, steps=slot.steps, when=slot.saved_at)
            listing.add_option(ListOption(line, id=slot.slot))
        listing.display = bool(self.slots)
        # What is highlighted is what Enter takes: the first save from the start, not nothing (where the first
        # ↓ would only move onto it), and the same save after a language switch.
        if self.slots:
            listing.highlighted = highlighted if highlighted is not None else 0
        empty = self.query_one("#saves-empty", Static)
        empty.display = not self.slots
        empty.update(RichText(tr("no_saves", ui), style="italic"))

    def _scene_title(self, slot: SlotInfo) -> str:
        """The save's scene title in the current language (the title stored in the save is the fallback)."""
        story = self.app.story
        scene = story.scenes.get(slot.scene) if story.id == self.story_id else None
        if scene is None:
            return slot.scene_title
        defaults = {name: var.default for name, var in story.variables.items()}
        return scene.title.render(self.app.story_lang, story.default_language, defaults)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if name:
            self.dismiss(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        slot = next((s for s in self.slots if s.slot == event.option.id), None)
        if slot is None:
            return
        if self.mode == "save":
            self.dismiss(slot.name)
        else:
            self.dismiss(slot.slot)

    def action_cancel(self) -> None:
        """Close without saving or loading."""
        self.dismiss(None)
