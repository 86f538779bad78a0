"""The join QR code drawn in text matches segno's matrix module for module."""

from __future__ import annotations

import segno

from game.web.qr import QUIET_ZONE, qr_lines, qr_size

URL = "http://192.168.1.20:8000/?room=ACDE"


def test_text_qr_code_is_segnos_matrix() -> None:
    lines = qr_lines(URL)
    code = segno.make(URL, error="m", micro=False)
    expected = [[bool(m) for m in row] for row in code.matrix_iter(border=QUIET_ZONE)]
    dark_top = {" ": True, "▀": False, "▄": True, "█": False}  # a light module is drawn as ink
    dark_bottom = {" ": True, "▀": True, "▄": False, "█": False}
    drawn = []
    for line in lines:
        drawn.append([dark_top[ch] for ch in line])
        drawn.append([dark_bottom[ch] for ch in line])
    assert drawn[: len(expected)] == expected
    assert all(not any(row) for row in drawn[len(expected) :])  # the padding row is light


def test_join_code_fits_the_dashboard_at_80_columns() -> None:
    columns, rows = qr_size(URL)
    assert columns <= 36 and rows <= 19
