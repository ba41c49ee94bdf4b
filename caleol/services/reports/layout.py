"""The reports' page furniture, on top of the shared `caleol.services.documents.layout`.

Reports use the shared A4 pages (`caleol.services.documents.pages`: letterhead, "page
x / y", DejaVu embedded), in landscape for the réservataire review's eleven-column
table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from caleol.fr import format_date
from caleol.services.documents import fonts, pages
from caleol.services.documents import layout as shared
from caleol.services.documents.data import Letterhead

FONT = fonts.FONT
FONT_BOLD = fonts.FONT_BOLD
ACCENT = shared.ACCENT
GRID = shared.RULE
LIGHT = shared.HEADER_FILL
OK = shared.PASS_COLOUR
KO = shared.FAIL_COLOUR
NEUTRAL = colors.HexColor("#7F8C8D")
TARGET = colors.HexColor("#B0BEC5")

PORTRAIT_WIDTH = shared.CONTENT_WIDTH
LANDSCAPE_WIDTH = landscape(A4)[0] - shared.MARGIN_LEFT - shared.MARGIN_RIGHT


def register_fonts() -> tuple[str, str]:
    fonts.register_fonts()
    return FONT, FONT_BOLD


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    mono: ParagraphStyle


def styles() -> Styles:
    """The shared styles; a left-aligned title and an indented style for calculations."""
    base = shared.styles()
    return Styles(
        title=ParagraphStyle("report_title", parent=base.title, alignment=0, fontSize=15,
                             leading=19, spaceAfter=4),
        h1=base.h1,
        h2=base.h2,
        body=base.body,
        small=ParagraphStyle("report_small", parent=base.small, textColor=NEUTRAL),
        # names wrap at their hyphens (« CC de Freyming-/Merlebach »), never overflow
        cell=ParagraphStyle("report_cell", parent=base.cell, embeddedHyphenation=2,
                            splitLongWords=1),
        cell_bold=ParagraphStyle("report_cell_head", parent=base.cell_head,
                                 embeddedHyphenation=2, splitLongWords=1),
        mono=ParagraphStyle("report_calc", parent=base.body, fontSize=8.5, leading=11.5,
                            spaceAfter=0, leftIndent=6 * mm),
    )


def escape(text: str) -> str:
    """Paragraph text is mini-HTML: escape what the user typed."""
    return shared.text(text)


def paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """One Paragraph per line of a multi-line explanation."""
    return [Paragraph(escape(line), style) for line in text.splitlines() if line.strip()]


PADDING = 3  # points, left and right of every cell


def _dense_cell(value: str, style: ParagraphStyle, width: float) -> str | Paragraph:
    """Body text of big tables as a plain string wrapped by hand to the column, or a
    Paragraph when a word is wider than the column (a name such as
    « CC de Freyming-Merlebach »): the Paragraph breaks it at its hyphen, where a
    plain string would run into the next column.

    The plain string is far cheaper (no markup parsing), so an annex of thousands of
    rows renders in seconds; the text is the same.
    """
    room = width - 2 * PADDING
    lines: list[str] = []
    for part in value.split("\n"):
        lines.extend(simpleSplit(part, style.fontName, style.fontSize, room) or [""])
    if any(stringWidth(line, style.fontName, style.fontSize) > room for line in lines):
        return Paragraph("<br/>".join(escape(p) for p in value.split("\n")), style)
    return "\n".join(lines)


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    st: Styles,
    *,
    header_rows: int = 1,
    align_right_from: int | None = None,
    extra: Sequence[tuple[Any, ...]] = (),
    font_size: float | None = None,
    max_width: float = PORTRAIT_WIDTH,
) -> Table:
    """A grid table: header shaded and repeated on each page, numbers right-aligned.

    Widths wider than `max_width` are scaled down proportionally. `font_size` marks a
    dense table (the annexes): smaller text, body cells drawn as plain wrapped strings.
    """
    total = sum(widths)
    if total > max_width:
        widths = [w * max_width / total for w in widths]
    cell, cell_bold = st.cell, st.cell_bold
    if font_size is not None:
        cell = ParagraphStyle("dense", parent=cell, fontSize=font_size, leading=font_size + 2)
        cell_bold = ParagraphStyle("dense_bold", parent=cell_bold, fontSize=font_size,
                                   leading=font_size + 2)
    right = ParagraphStyle("number", parent=cell, alignment=2)
    wrapped = []
    for index, row in enumerate(rows):
        is_header = index < header_rows
        line: list[Any] = []
        for column, value in enumerate(row):
            if isinstance(value, Flowable):
                line.append(value)
            elif font_size is not None and not is_header:
                line.append(_dense_cell(str(value), cell, widths[column]))
            else:
                number = align_right_from is not None and column >= align_right_from
                style = cell_bold if is_header else (right if number else cell)
                line.append(Paragraph(escape(str(value)), style))
        wrapped.append(line)
    result = Table(wrapped, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        # every cell, Paragraphs included, starts in the embedded font (reportlab's
        # default cell font is a non-embedded Helvetica)
        ("FONTNAME", (0, 0), (-1, -1), cell.fontName),
        ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    if font_size is not None:
        commands += [
            ("FONTNAME", (0, header_rows), (-1, -1), cell.fontName),
            ("FONTSIZE", (0, header_rows), (-1, -1), font_size),
            ("LEADING", (0, header_rows), (-1, -1), font_size + 2),
            ("TEXTCOLOR", (0, header_rows), (-1, -1), cell.textColor),
        ]
        if align_right_from is not None:
            commands.append(("ALIGN", (align_right_from, header_rows), (-1, -1), "RIGHT"))
    result.setStyle(TableStyle(commands + list(extra)))
    return result


def long_table(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    st: Styles,
    *,
    chunk: int = 50,
    **options: Any,
) -> list[Flowable]:
    """A table of hundreds or thousands of rows as consecutive tables of `chunk` rows.

    reportlab re-measures the rest of a table at every page break, so one table of
    3 000 rows takes tens of seconds; slices of 50 rows, each with the header, do not.
    """
    if not rows:
        return [table([header], widths, st, **options)]
    return [
        table([header, *rows[start:start + chunk]], widths, st, **options)
        for start in range(0, len(rows), chunk)
    ]


def spacer(height_mm: float = 3) -> Spacer:
    return Spacer(1, height_mm * mm)


def render(
    story: list[Flowable],
    *,
    landlord: str,
    title: str,
    generated_on: date,
    subtitle: str = "",
    landscape_pages: bool = False,
) -> bytes:
    """Build the PDF in memory: the callers write the bytes where the user asked."""
    register_fonts()
    return pages.build_pdf(story, letterhead=Letterhead(landlord=landlord, agency=subtitle),
                           title=title, header_right=f"Édité le {format_date(generated_on)}",
                           footer_left=title, landscape_pages=landscape_pages).data
