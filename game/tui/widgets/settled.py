"""Widgets that take the size a layout pass gives them without asking for a second pass.

When a layout pass resizes a widget, Textual sets its ``virtual_size`` reactive, which asks for layout again:
after every choice the play screen was laid out and drawn twice, the second time identically (the first pass
already measured the new content to size it). The play screen's text, the flag line and the choice dock are
``auto`` sized by their content and have no scrollbars, so the size the pass gives them is final; they take it
quietly (and are still repainted in the same frame). The text's scrolling pane does the same while its
text fits; when the text overflows (or stops overflowing), its scrollbar comes or goes, takes or gives back a
column, and the text must be wrapped again: then it asks for the second pass as usual.
"""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.widget import Widget


class SettledSize(Widget):
    """Mixin for widgets whose size a layout pass settles."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


class SettledVertical(SettledSize, Vertical):
    """A Vertical that takes its size quietly."""


class TextPane(VerticalScroll):
    """The scene text's scrolling pane: takes its size quietly while its content fits without a scrollbar."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        fits = virtual_size.height <= container_size.height and not self.show_vertical_scrollbar
        return super()._size_updated(size, virtual_size, container_size, layout=layout and not fits)
