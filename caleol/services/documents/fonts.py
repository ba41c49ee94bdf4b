"""The DejaVu Sans faces every caleol PDF embeds, signature stamps included.

Its own module so the signing service can draw a stamp in the documents' font
without importing the document layout (which imports the signing service).
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from caleol import paths

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

_registered = False


def register_fonts() -> None:
    """Register DejaVu Sans once per process; `<b>` in paragraphs maps to the bold face."""
    global _registered
    if _registered:
        return
    folder = paths.resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    _registered = True
