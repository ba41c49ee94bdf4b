"""Page template, fonts and styles of the report PDFs, kept in this one module.

A4, French, a header with the landlord and the report title, a footer "page x / y".
When the shared `caleol.services.documents.layout` exists, this module is the only
one to switch over to it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Spacer

from caleol.fr import format_date

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")

ACCENT = colors.HexColor("#1F4E79")
LIGHT = colors.HexColor("#E8EEF5")
GRID = colors.HexColor("#9AA9BA")
OK = colors.HexColor("#2E7D32")
KO = colors.HexColor("#C62828")
NEUTRAL = colors.HexColor("#7F8C8D")
TARGET = colors.HexColor("#B0BEC5")


def _font_file(name: str) -> Path | None:
    shipped = resources.files("caleol") / "resources" / "fonts" / name
    if shipped.is_file():
        return Path(str(shipped))
    system = _SYSTEM_FONTS / name
    return system if system.is_file() else None


def register_fonts() -> tuple[str, str]:
    """Register DejaVu (accents, €, typographic spaces); Helvetica if it is missing."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT, FONT_BOLD
    regular, bold = _font_file("DejaVuSans.ttf"), _font_file("DejaVuSans-Bold.ttf")
    if regular is None or bold is None:
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT,
                                  boldItalic=FONT_BOLD)
    return FONT, FONT_BOLD


@dataclass(frozen=True)
class Styles:
    font: str
    bold: str
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    mono: ParagraphStyle


def styles() -> Styles:
    font, bold = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=12.5, alignment=TA_LEFT,
                          spaceAfter=4)
    return Styles(
        font=font,
        bold=bold,
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=16, leading=20,
                             textColor=ACCENT, spaceAfter=4),
        h1=ParagraphStyle("h1", parent=body, fontName=bold, fontSize=12.5, leading=16,
                          textColor=ACCENT, spaceBefore=10, spaceAfter=5),
        h2=ParagraphStyle("h2", parent=body, fontName=bold, fontSize=10.5, leading=13,
                          spaceBefore=6, spaceAfter=3),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=NEUTRAL),
        cell=ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        cell_bold=ParagraphStyle("cell_bold", parent=body, fontName=bold, fontSize=8,
                                 leading=10, spaceAfter=0),
        mono=ParagraphStyle("mono", parent=body, fontSize=8.5, leading=11.5, spaceAfter=0,
                            leftIndent=6 * mm),
    )


def escape(text: str) -> str:
    """Paragraph text is mini-HTML: escape what the user typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """One Paragraph per line of a multi-line explanation."""
    return [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    st: Styles,
    *,
    header_rows: int = 1,
    align_right_from: int | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    font_size: float | None = None,
) -> Table:
    """A grid table: header shaded and repeated on each page, numbers right-aligned.

    `font_size` shrinks the text of dense tables (the annexes).
    """
    cell, cell_bold = st.cell, st.cell_bold
    if font_size is not None:
        cell = ParagraphStyle("dense", parent=cell, fontSize=font_size, leading=font_size + 2)
        cell_bold = ParagraphStyle("dense_bold", parent=cell_bold, fontSize=font_size,
                                   leading=font_size + 2)
    wrapped = []
    for index, row in enumerate(rows):
        style = cell_bold if index < header_rows else cell
        wrapped.append([
            c if isinstance(c, Flowable) else Paragraph(escape(str(c)), style) for c in row
        ])
    result = Table(wrapped, colWidths=list(widths), repeatRows=header_rows)
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    result.setStyle(TableStyle(commands + list(extra)))
    if align_right_from is not None:
        for row in wrapped[header_rows:]:
            for cell in row[align_right_from:]:
                if isinstance(cell, Paragraph):
                    cell.style = ParagraphStyle("num", parent=cell.style, alignment=2)
    return result


class _NumberedCanvas(Canvas):
    """Defers page drawing so the footer can say "page x / y"."""

    header_left = ""
    header_right = ""
    font = "Helvetica"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setFont(self.font, 8)
        self.setFillColor(NEUTRAL)
        self.drawString(15 * mm, height - 10 * mm, self.header_left)
        self.drawRightString(width - 15 * mm, height - 10 * mm, self.header_right)
        self.setStrokeColor(GRID)
        self.setLineWidth(0.4)
        self.line(15 * mm, height - 11.5 * mm, width - 15 * mm, height - 11.5 * mm)
        self.drawRightString(width - 15 * mm, 8 * mm, f"page {self._pageNumber} / {total}")
        self.restoreState()


def render(
    story: list[Flowable],
    *,
    landlord: str,
    title: str,
    generated_on: date,
    landscape_pages: bool = False,
) -> bytes:
    """Build the PDF in memory: the callers write the bytes where the user asked."""
    font, _ = register_fonts()
    size = landscape(A4) if landscape_pages else A4
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=size, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=17 * mm,
        bottomMargin=15 * mm, title=title, author=landlord, creator="caleol",
        lang="fr-FR",
    )
    canvas_class = type(
        "ReportCanvas", (_NumberedCanvas,),
        {"header_left": landlord, "font": font,
         "header_right": f"{title} — édité le {format_date(generated_on)}"},
    )
    doc.build(story, canvasmaker=canvas_class)
    return buffer.getvalue()


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)
