"""Paging a scrollable pane from keys bound on its screen (the focus stays on the menu or the choices)."""

from __future__ import annotations

from textual.widget import Widget


def scroll_pages(pane: Widget, pages: int) -> None:
    """Scroll ``pane`` a page down (``pages`` > 0) or up."""
    if pages > 0:
        pane.scroll_page_down()
    else:
        pane.scroll_page_up()
