"""The QR code of a verification address (8.1.1 item 11): one encoder, segno, for HTML and PDF."""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors

ERROR = "m"
"""Error correction level M: the code still reads with 15% of it damaged (a worn print)."""

BORDER = 4
"""The quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4)."""


@lru_cache(maxsize=64)
def qr_code(url: str) -> segno.QRCode:
    """The (full-size, never micro) QR code of a URL."""
    return segno.make_qr(url, error=ERROR, boost_error=False)


def qr_svg(url: str) -> str:
    """The QR code as an inline SVG element, sized by CSS (it has a viewBox, no width)."""
    svg: str = qr_code(url).svg_inline(
        scale=1, border=BORDER, omitsize=True, svgclass="qr", title=url
    )
    return svg


def dark_runs(url: str) -> list[tuple[int, int, int]]:
    """The dark modules of the QR code as horizontal runs: (row, first column, length)."""
    runs = []
    for row, modules in enumerate(qr_code(url).matrix):
        col = 0
        while col < len(modules):
            if not modules[col]:
                col += 1
                continue
            start = col
            while col < len(modules) and modules[col]:
                col += 1
            runs.append((row, start, col - start))
    return runs


def qr_drawing(url: str, size: float) -> Drawing:
    """The QR code as a reportlab drawing `size` points square, quiet zone included."""
    modules = len(qr_code(url).matrix) + 2 * BORDER
    unit = size / modules
    drawing = Drawing(size, size)
    drawing.add(Rect(0, 0, size, size, fillColor=colors.white, strokeColor=None))
    for row, col, length in dark_runs(url):
        drawing.add(
            Rect(
                (BORDER + col) * unit,
                size - (BORDER + row + 1) * unit,
                length * unit,
                unit,
                fillColor=colors.black,
                strokeColor=None,
                strokeWidth=0,
            )
        )
    return drawing
