"""Keep double-width (CJK) characters whole where one widget overlaps another (Textual issue #6357).

The cause, in Textual 8.2 (``textual/_compositor.py``): the compositor cuts every screen line at the left and
right edge of *every* visible widget (``Compositor.cuts``), including widgets that lie underneath another one.
``Compositor._render_chops`` then divides each widget's line at all the cuts inside it (``Strip.divide`` ->
``rich.segment.Segment.divide``) and keeps, for each piece, the front-most widget's piece. When an edge of a
widget *underneath* (the side panel's border, a choice list's border, a footer key under the docked
command-palette key) falls in the middle of a wide character of the widget *on top* (a notification, the
palette key), Rich's ``Segment.split_cells`` replaces that character by two spaces, so the top widget shows a
blank where the character was: one character per hidden edge, a band of several columns where edges crowd
(``危险信号：步步升      求``, ``^p   令``). Partial updates (``ChopsUpdate``) then crop pieces at the edges of
the region being redrawn, which can blank a character again.

The workaround, applied by :func:`install` (the app calls it once at start-up):

- a line of a widget is divided only where what is visible changes (where a piece is already taken by a widget
  in front, or is free), not at every edge of the widgets behind it; the cuts inside a run it owns get an
  empty piece, so nothing behind fills them;
- partial updates widen each region to the whole pieces it touches and end every piece where its text ends,
  so a piece is always written whole.

The screen's content is unchanged everywhere else; only characters that were blanked now show. It replaces two
private methods, so Textual's version is bounded in ``pyproject.toml``; :func:`install` refuses other versions
(and leaves Textual alone) rather than guess.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from importlib.metadata import version

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip

PATCHED_SERIES = "8.2."
"""The Textual release series whose private compositor methods this module replaces."""

_EMPTY = Strip([], 0)
_ORIGINAL = {"_render_chops": Compositor._render_chops, "render_partial_update": Compositor.render_partial_update}


def _render_chops(
    self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
) -> Sequence[Mapping[int, Strip]]:
    """Like Textual's, but divides a widget's line only where its visibility changes (see the module doc)."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            # Runs of neighbouring pieces that are all free, or all taken by widgets in front.
            free = [line.get(cut) is None for cut in final_cuts[:-1]]
            starts = [index for index in range(len(free)) if index == 0 or free[index] != free[index - 1]]
            boundaries = [final_cuts[index] for index in starts[1:]] + [final_cuts[-1]]
            pieces = strip.divide([cut - render_x for cut in boundaries])
            for cut, was_free in zip(final_cuts, free, strict=False):
                if was_free:
                    line[cut] = _EMPTY  # inside a run this line shows: nothing behind may fill it
            for index, piece in zip(starts, pieces, strict=False):
                if free[index]:
                    line[final_cuts[index]] = piece
    return chops  # type: ignore[return-value]


def render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Like Textual's, but every piece touched by a redrawn region is written whole."""
    screen_region = self.size.region
    update_regions = self._dirty_regions.copy()
    self._dirty_regions.clear()
    if not update_regions:
        return None
    crop = Region.from_union(list(update_regions)).intersection(screen_region)
    spans = list(self._regions_to_spans(update_regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    chops = self._render_chops(crop, is_rendered_line)
    cuts = self.cuts
    chop_ends: list[list[int]] = [[] for _ in chops]
    for y in {y for y, _, _ in spans}:
        chop_ends[y] = [
            next_cut if strip is None else x + strip.cell_length
            for (x, strip), next_cut in zip(chops[y].items(), cuts[y][1:], strict=False)
        ]
    widened = []
    for y, x1, x2 in spans:
        for x, end in zip(chops[y], chop_ends[y], strict=False):
            if x < x1 < end:
                x1 = x
            if x < x2 < end:
                x2 = end
        widened.append((y, x1, x2))
    return ChopsUpdate(chops, widened, chop_ends)


def is_installed() -> bool:
    """Whether the workaround is in place."""
    return Compositor._render_chops is _render_chops


def install() -> bool:
    """Apply the workaround once (idempotent); False (and Textual untouched) on an unexpected Textual version."""
    if is_installed():
        return True
    if not version("textual").startswith(PATCHED_SERIES):
        return False
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    Compositor.render_partial_update = render_partial_update  # type: ignore[method-assign]
    return True


def uninstall() -> None:
    """Put Textual's own methods back (for tests that show the bug)."""
    Compositor._render_chops = _ORIGINAL["_render_chops"]  # type: ignore[method-assign]
    Compositor.render_partial_update = _ORIGINAL["render_partial_update"]  # type: ignore[method-assign]
