"""The DejaVu Sans faces every caleol PDF embeds, signature stamps included.

Its own module so the signing service can draw a stamp in the documents' font
without importing the document layout (which imports the signing service).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from caleol import paths

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

_registered = False
WIDTHS_KEPT = 50_000  # words and sizes remembered per face (a few MB at most)


class MeasuredFont(TTFont):
    """A TrueType face that remembers the width of the words it measured.

    Why: reportlab measures every word of every paragraph each time it breaks its
    lines and again when it draws them, in pure Python (its C accelerator is not
    installed): a PV of 60 dwellings measured some 25,000 words, most of them the same
    few hundred. A width depends on the text and the size only.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._widths: dict[tuple[str, float], float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:  # noqa: N802
        key = (text, size)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= WIDTHS_KEPT:
                self._widths.clear()
            width = self._widths[key] = super().stringWidth(text, size, encoding)
        return width


def register_fonts() -> None:
    """Register DejaVu Sans once per process; `<b>` in paragraphs maps to the bold face."""
    global _registered
    if _registered:
        return
    folder = paths.resources_dir() / "fonts"
    pdfmetrics.registerFont(MeasuredFont(FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(MeasuredFont(FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    _registered = True
