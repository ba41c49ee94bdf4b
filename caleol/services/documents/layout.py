"""What every caleol document is made of: the A4 page's geometry, colours, styles,
paragraphs (escaped, French spacing), check marks, tables.

DejaVu Sans is embedded (subset) in every PDF so accents, "€" and no-break spaces
render the same everywhere and the file stays readable without the fonts installed.
The pages themselves (letterhead, "page x / y", « (suite) », building the PDF) are
`pages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from caleol.fr import french_spacing
from caleol.services.documents.fonts import FONT, FONT_BOLD, register_fonts
from caleol.services.documents.measured import MeasuredParagraph, MeasuredTable

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 18 * mm
MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 26 * mm  # room for the letterhead
MARGIN_BOTTOM = 20 * mm  # room for the page number
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

INK = colors.HexColor("#1a1a1a")
ACCENT = colors.HexColor("#1f3a5f")
RULE = colors.HexColor("#8a94a3")
HEADER_FILL = colors.HexColor("#dce3ec")
ZEBRA_FILL = colors.HexColor("#f4f6f9")
PASS_COLOUR = colors.HexColor("#1b7a34")
FAIL_COLOUR = colors.HexColor("#b3261e")
UNKNOWN_COLOUR = colors.HexColor("#9a6700")


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_right: ParagraphStyle
    centred: ParagraphStyle
    right: ParagraphStyle
    letter: ParagraphStyle
    signature: ParagraphStyle


def _make_styles() -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK,
                          spaceAfter=4)
    cell = ParagraphStyle("cell", parent=body, fontSize=7.5, leading=9.2, spaceAfter=0)
    return Styles(
        title=ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=14,
                             leading=18, alignment=TA_CENTER, textColor=ACCENT, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=10, leading=13,
                                alignment=TA_CENTER, spaceAfter=10),
        h1=ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15,
                          textColor=ACCENT, spaceBefore=10, spaceAfter=5, keepWithNext=1),
        h2=ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=12,
                          textColor=ACCENT, spaceBefore=8, spaceAfter=3, keepWithNext=1),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=FONT_BOLD, textColor=ACCENT),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        centred=ParagraphStyle("centred", parent=body, alignment=TA_CENTER),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        letter=ParagraphStyle("letter", parent=body, fontSize=10, leading=13.5,
                              alignment=TA_JUSTIFY, spaceAfter=7),
        signature=ParagraphStyle("signature", parent=body, fontSize=10, leading=13.5,
                                 leftIndent=95 * mm, spaceAfter=0),
    )


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = _make_styles()
    return _styles


def text(value: str) -> str:
    """Plain text → paragraph markup: escaped, line breaks kept, French spacing."""
    return french_spacing(escape(value)).replace("\n", "<br/>")


def para(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain (escaped) text; names with "&" or "<" print as typed."""
    return MeasuredParagraph(text(value), style or styles().body)


def markup(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of trusted markup (built by the renderers, values already escaped).

    The renderers' own words get French no-break spaces here, once for every document.
    """
    return MeasuredParagraph(french_spacing(value), style or styles().body)


STATUS_MARKS = {
    "pass": ("✓", PASS_COLOUR),
    "fail": ("✗", FAIL_COLOUR),
    "unknown": ("?", UNKNOWN_COLOUR),
}


def status_mark(status: str | None) -> str:
    """Coloured ✓ / ✗ / ? markup for a check status (missing check: ?)."""
    glyph, colour = STATUS_MARKS.get(status or "unknown", STATUS_MARKS["unknown"])
    return f'<font color="{colour.hexval()}"><b>{glyph}</b></font>'


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths_mm: Sequence[float],
    *,
    zebra: bool = True,
    detail_rows: Sequence[int] = (),
) -> Table:
    """A grid whose header repeats on every page it spans; cells wrap (Paragraphs).

    `detail_rows` (0-based indexes into `rows`) hold one paragraph spanning the whole
    width, kept on the same page as the row above it.
    """
    st = styles()
    head = [MeasuredParagraph(text(h), st.cell_head) for h in header]
    body = [[c if isinstance(c, Flowable) else para(str(c), st.cell) for c in row]
            for row in rows]
    widths = [w * mm for w in widths_mm]
    table = MeasuredTable([head, *body], colWidths=widths, repeatRows=1, splitByRow=1,
                          hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.25, RULE),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if zebra and not detail_rows:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA_FILL]))
    for index in detail_rows:
        row = index + 1  # after the header
        commands += [
            ("SPAN", (0, row), (-1, row)),
            ("BACKGROUND", (0, row), (-1, row), ZEBRA_FILL),
            ("NOSPLIT", (0, row - 1), (-1, row)),
        ]
    table.setStyle(TableStyle(commands))
    return table


def key_value_table(pairs: Sequence[tuple[str, str]], columns: int = 2) -> Table:
    """Label/value pairs laid out `columns` pairs per row (dwelling characteristics)."""
    st = styles()
    label_w = 30 * mm
    value_w = CONTENT_WIDTH / columns - label_w
    rows: list[list[Any]] = []
    for start in range(0, len(pairs), columns):
        row: list[Any] = []
        for label, value in pairs[start:start + columns]:
            row += [para(label, st.cell_head), para(value, st.cell)]
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    table = MeasuredTable(rows, colWidths=[label_w, value_w] * columns, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 7.5),
        ("BOX", (0, 0), (-1, -1), 0.25, RULE),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, RULE),
        ("BACKGROUND", (0, 0), (0, -1), HEADER_FILL),
        *[("BACKGROUND", (2 * c, 0), (2 * c, -1), HEADER_FILL) for c in range(1, columns)],
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table
