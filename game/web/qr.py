"""The join address as a QR code drawn with text: two modules a character cell, with ``▀ ▄ █`` and spaces.

The code itself comes from segno (a maintained QR encoder); this module only turns its matrix into lines a
terminal can show. Dark modules are drawn as spaces on a light background by the caller's styling, so
the code scans on dark and light terminal themes alike: here a dark module is ``False`` ink, written as a
space, and a light module is a block.
"""

from __future__ import annotations

import segno

QUIET_ZONE = 2


def qr_lines(data: str) -> list[str]:
    """The QR code of ``data`` as text lines (light modules drawn as blocks, with a quiet zone)."""
    code = segno.make(data, error="m", micro=False)
    matrix = [list(row) for row in code.matrix_iter(scale=1, border=QUIET_ZONE)]
    if len(matrix) % 2:
        matrix.append([0] * len(matrix[0]))
    glyphs = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    lines = []
    for top, bottom in zip(matrix[0::2], matrix[1::2], strict=True):
        lines.append("".join(glyphs[(bool(a), bool(b))] for a, b in zip(top, bottom, strict=True)))
    return lines


def qr_size(data: str) -> tuple[int, int]:
    """Columns and rows the code of ``data`` takes."""
    lines = qr_lines(data)
    return len(lines[0]), len(lines)
