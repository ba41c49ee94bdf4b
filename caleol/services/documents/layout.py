"""What every caleol document shares: A4 page, letterhead, "page x / y", fonts, tables.

DejaVu Sans is embedded (subset) in every PDF so accents, "€" and no-break spaces
render the same everywhere and the file stays readable without the fonts installed.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from caleol.fr import french_spacing
from caleol.services.documents.data import Letterhead
from caleol.services.documents.fonts import FONT, FONT_BOLD, register_fonts
from caleol.services.documents.pdfa import DocumentInfo, to_pdfa
from caleol.services.signing import SignatureSlot

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 18 * mm
MARGIN_RIGHT = 18 * mm
MARGIN_TOP = 26 * mm  # room for the letterhead
MARGIN_BOTTOM = 20 * mm  # room for the page number
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_BASELINE = PAGE_HEIGHT - 12 * mm
FOOTER_BASELINE = 10 * mm

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
    return Paragraph(text(value), style or styles().body)


def markup(value: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of trusted markup (built by the renderers, values already escaped).

    The renderers' own words get French no-break spaces here, once for every document.
    """
    return Paragraph(french_spacing(value), style or styles().body)


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
    head = [Paragraph(text(h), st.cell_head) for h in header]
    body = [[c if isinstance(c, Flowable) else para(str(c), st.cell) for c in row]
            for row in rows]
    widths = [w * mm for w in widths_mm]
    table = Table([head, *body], colWidths=widths, repeatRows=1, splitByRow=1,
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
    table = Table(rows, colWidths=[label_w, value_w] * columns, hAlign="LEFT")
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


# --- page furniture and building ---------------------------------------------------------


class PageGroupStart(Flowable):
    """Zero-size marker: page numbering restarts at 1 from the page it is drawn on.

    Lets one PDF hold several letters, each numbered "page x / y" on its own.
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        # An attribute of the NumberedCanvas below; reportlab types `canv` as any Canvas.
        self.canv._caleol_group_starts.add(self.canv.getPageNumber())  # type: ignore[attr-defined]


def _numbered_canvas(footer_left: str) -> type[rl_canvas.Canvas]:
    class NumberedCanvas(rl_canvas.Canvas):
        """Defers each page so the footer can say "page x / y" once y is known."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []
            self._caleol_group_starts: set[int] = {1}

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._saved_pages.append(dict(self.__dict__))
            # What Canvas.showPage does after drawing: a fresh page state (reportlab's
            # own private method, missing from its stubs).
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            numbers = _page_numbers(len(self._saved_pages), self._caleol_group_starts)
            for state, (number, total) in zip(self._saved_pages, numbers, strict=True):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                rl_canvas.Canvas.showPage(self)
            rl_canvas.Canvas.save(self)

        def _draw_footer(self, number: int, total: int) -> None:
            self.saveState()
            self.setFont(FONT, 7.5)
            self.setFillColor(RULE)
            self.drawString(MARGIN_LEFT, FOOTER_BASELINE, french_spacing(footer_left))
            self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, FOOTER_BASELINE,
                                 f"page {number} / {total}")
            self.restoreState()

    return NumberedCanvas


def _page_numbers(count: int, group_starts: set[int]) -> list[tuple[int, int]]:
    """Per page (1-based), its number and the page count of its group."""
    starts = sorted(s for s in group_starts if 1 <= s <= count) or [1]
    if starts[0] != 1:
        starts.insert(0, 1)
    bounds = [*starts, count + 1]
    out: list[tuple[int, int]] = []
    for first, nxt in pairwise(bounds):
        total = nxt - first
        out.extend((i + 1, total) for i in range(total))
    return out


class RunningHeading(Flowable):
    """Zero-size marker: from here on, a page that starts inside this block repeats
    `heading` followed by « (suite) » above its first line; `RunningHeading("")` ends
    the block. Lets a dwelling's tables say whose they are on every page they span.
    """

    def __init__(self, heading: str) -> None:
        super().__init__()
        self.heading = heading

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        # Read by the page footer/header of the canvas (an attribute reportlab's Canvas
        # does not declare).
        self.canv._caleol_running = self.heading  # type: ignore[attr-defined]


class KeepStart(CondPageBreak):
    """Starts a new page unless `flowables` and the first `rows` rows of `table` (its
    header included) fit in what is left of this one.

    A dwelling's description and the start of its candidates' table stay together,
    while a long table still splits (its header repeated, « (suite) » above it): no
    heading alone at a page's foot, and no half page left empty for a block that
    would have split anyway.
    """

    def __init__(self, flowables: Sequence[Flowable], table: Flowable | None = None,
                 rows: int = 2) -> None:
        super().__init__(0)
        self.flowables = list(flowables)
        self.table = table
        self.rows = rows

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        needed = 0.0
        for flowable in self.flowables:
            needed += flowable.wrap(avail_width, avail_height)[1] + flowable.getSpaceBefore()
            needed += flowable.getSpaceAfter()
        if isinstance(self.table, Table):
            self.table.wrap(avail_width, avail_height)
            # The row heights Table.wrap just computed (not in reportlab's stubs).
            heights: list[float] = self.table._rowHeights  # type: ignore[attr-defined]
            needed += sum(heights[:self.rows + 1])
        elif self.table is not None:
            needed += self.table.wrap(avail_width, avail_height)[1]
        self.height = needed
        return super().wrap(avail_width, avail_height)


RUNNING_BASELINE = PAGE_HEIGHT - MARGIN_TOP + 2.5 * mm  # between the header rule and the text
LOGO_HEIGHT = 10 * mm
DRAFT_COLOUR = colors.HexColor("#c62828")
WATERMARK_COLOUR = colors.HexColor("#f3d6d6")  # light enough to read the text over it


def _header_drawer(letterhead: Letterhead, right: str,
                   watermark: str) -> Callable[[Any, Any], None]:
    logo = _logo_reader(letterhead.logo)

    def draw(canv: Any, doc: Any) -> None:
        canv.saveState()
        line_y = HEADER_BASELINE - 15
        if watermark:  # drawn first: the page's content goes over it
            canv.saveState()
            canv.setFont(FONT_BOLD, 54)
            canv.setFillColor(WATERMARK_COLOUR)
            canv.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canv.rotate(55)
            canv.drawCentredString(0, 0, watermark)
            canv.restoreState()
        left = MARGIN_LEFT
        if logo is not None:
            width, height = logo.getSize()
            shown = LOGO_HEIGHT * width / height if height else LOGO_HEIGHT
            canv.drawImage(logo, left, line_y + 1.5 * mm, width=shown, height=LOGO_HEIGHT,
                           mask="auto")
            left += shown + 3 * mm
        canv.setFont(FONT_BOLD, 10)
        canv.setFillColor(ACCENT)
        canv.drawString(left, HEADER_BASELINE, letterhead.landlord)
        canv.setFont(FONT, 8)
        canv.setFillColor(INK)
        canv.drawString(left, HEADER_BASELINE - 10, letterhead.agency)
        canv.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, HEADER_BASELINE, french_spacing(right))
        if watermark:
            canv.setFont(FONT_BOLD, 9)
            canv.setFillColor(DRAFT_COLOUR)
            canv.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, HEADER_BASELINE - 10, watermark)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_LEFT, line_y, PAGE_WIDTH - MARGIN_RIGHT, line_y)
        running = getattr(canv, "_caleol_running", "")
        if running:
            canv.setFont(FONT_BOLD, 9.5)
            canv.setFillColor(ACCENT)
            canv.drawString(MARGIN_LEFT, RUNNING_BASELINE, french_spacing(f"{running} (suite)"))
        canv.restoreState()

    return draw


def _logo_reader(logo: bytes | None) -> ImageReader | None:
    """The landlord's logo, or None when there is none or it cannot be read."""
    if not logo:
        return None
    try:
        reader = ImageReader(io.BytesIO(logo))
        reader.getSize()
    except (OSError, ValueError):
        return None
    return reader


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    signature_slots: tuple[SignatureSlot, ...] = ()


def build_pdf(
    story: list[Flowable],
    *,
    letterhead: Letterhead,
    title: str,
    header_right: str,
    footer_left: str,
    slots: list[SignatureSlot] | None = None,
    watermark: str = "",
    pdfa: bool = False,
    keywords: Sequence[str] = (),
) -> RenderedPdf:
    """Lay out `story` on A4 pages with the letterhead and "page x / y" footer.

    Args:
        watermark: printed across every page and in its header, as text (a draft
            says so on each page a reader might print alone).
        pdfa: produce PDF/A-2b (records kept for decades: PV, rectificatif).
    """
    register_fonts()
    buffer = io.BytesIO()
    subject = f"{letterhead.landlord} — {letterhead.agency}"
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=letterhead.landlord,
        subject=subject,
        keywords=list(keywords),
        creator="caleol",
        lang="fr-FR",
        initialFontName=FONT,  # no unembedded Helvetica in the page resources
    )
    # No frame padding: tables of CONTENT_WIDTH then fill exactly the text block.
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, CONTENT_WIDTH,
                  PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(
        id="page", frames=[frame],
        onPage=_header_drawer(letterhead, header_right, watermark))])
    doc.build(story, canvasmaker=_numbered_canvas(footer_left))
    data = buffer.getvalue()
    if pdfa:
        data = to_pdfa(data, DocumentInfo(title=title, author=letterhead.landlord,
                                          subject=subject, keywords=tuple(keywords)))
    return RenderedPdf(data, tuple(slots or ()))
