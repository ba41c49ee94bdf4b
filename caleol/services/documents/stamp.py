"""The visible part of a signature: a small one-page PDF drawn in the documents' font.

pyHanko's own text stamp draws in Courier, a font it does not embed (PDF/A forbids
that, and it clashes with the documents); this page is laid out by reportlab with
DejaVu Sans embedded, then imported by the signing service as the stamp's
appearance, at exactly the size of the signature field.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from caleol.fr import french_spacing
from caleol.services.documents.fonts import FONT, FONT_BOLD, register_fonts

INK = colors.HexColor("#1a1a1a")
FRAME = colors.HexColor("#1f3a5f")
PADDING = 4.0  # points
LARGEST, SMALLEST = 9.0, 4.5  # font sizes tried, largest first
LEADING = 1.22


def _layout(lines: Sequence[tuple[str, bool]], width: float, size: float
            ) -> list[tuple[str, bool]]:
    """Lines wrapped to `width` at font size `size` (bold flag kept per line)."""
    out: list[tuple[str, bool]] = []
    for line, bold in lines:
        font = FONT_BOLD if bold else FONT
        out += [(part, bold) for part in simpleSplit(line, font, size, width) or [""]]
    return out


def stamp_pdf(lines: Sequence[tuple[str, bool]], width: float, height: float) -> bytes:
    """A one-page PDF of `width` × `height` points showing `lines` (text, bold?), framed,
    in the largest size that fits."""
    register_fonts()
    lines = [(french_spacing(line), bold) for line, bold in lines]
    inner_w, inner_h = width - 2 * PADDING, height - 2 * PADDING
    size = LARGEST
    laid = _layout(lines, inner_w, size)
    while size > SMALLEST and (len(laid) * size * LEADING > inner_h or any(
            stringWidth(t, FONT_BOLD if b else FONT, size) > inner_w for t, b in laid)):
        size -= 0.25
        laid = _layout(lines, inner_w, size)
    buffer = io.BytesIO()
    # types-reportlab declares initialFontName a float; reportlab takes a font's name.
    canv = canvas.Canvas(buffer, pagesize=(width, height),
                         initialFontName=FONT,  # type: ignore[arg-type]
                         pageCompression=1)
    canv.setStrokeColor(FRAME)
    canv.setLineWidth(0.8)
    canv.rect(0.5, 0.5, width - 1, height - 1)
    canv.setFillColor(INK)
    block = len(laid) * size * LEADING
    y = height - PADDING - (inner_h - block) / 2 - size
    for text, bold in laid:
        canv.setFont(FONT_BOLD if bold else FONT, size)
        canv.drawString(PADDING, y, text)
        y -= size * LEADING
    canv.showPage()
    canv.save()
    return buffer.getvalue()
