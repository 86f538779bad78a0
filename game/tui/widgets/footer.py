"""GameFooter: Textual's compact Footer that rebuilds itself only when the keys it shows change.

Textual's Footer recomposes (a new layout pass and frame) whenever the screen announces that its bindings may
have changed, which it does on every change of a reactive declared with ``bindings=True``, such as the
highlighted choice of an ``OptionList``. A choice highlights the first option of the next scene, so every
choice cost a Footer rebuild for the same keys. This footer compares what it would show first.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class GameFooter(Footer):
    """A compact Footer that skips rebuilds that would show the same keys."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._shown_keys: object = None

    def _keys(self, screen: Screen) -> object:
        active = screen.active_bindings
        shown = tuple(
            (key, binding.action, binding.description, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in active.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING
        )
        return (shown, self.app.app_focus)

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            keys = self._keys(screen)
            if keys == self._shown_keys and self._bindings_ready:
                return
            self._shown_keys = keys
        super().bindings_changed(screen)
