"""The pages of every caleol document: A4 (portrait, or landscape for a wide table),
the letterhead and its logo, "page x / y" (numbered per letter when one PDF holds
several), « (suite) » above a block that runs onto the next page, the draft mark,
a block's start kept with what follows, and the PDF built from a story (PDF/A-2b for
the records kept for decades).

The styles, tables and paragraphs the story is made of are `layout`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Table,
)

from caleol.fr import french_spacing
from caleol.services.documents.data import Letterhead
from caleol.services.documents.fonts import FONT, FONT_BOLD, register_fonts
from caleol.services.documents.layout import (
    ACCENT,
    INK,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    RULE,
)
from caleol.services.documents.pdfa import DocumentInfo, to_pdfa
from caleol.services.signing import SignatureSlot

HEADER_DROP = 12 * mm  # from the top of the page to the letterhead's baseline
FOOTER_BASELINE = 10 * mm
LOGO_HEIGHT = 10 * mm
DRAFT_COLOUR = colors.HexColor("#c62828")
WATERMARK_COLOUR = colors.HexColor("#f3d6d6")  # light enough to read the text over it


class PageGroupStart(Flowable):
    """Zero-size marker: page numbering restarts at 1 from the page it is drawn on.

    Lets one PDF hold several letters, each numbered "page x / y" on its own.
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        # An attribute of the NumberedCanvas below; reportlab types `canv` as any Canvas.
        self.canv._caleol_group_starts.add(self.canv.getPageNumber())  # type: ignore[attr-defined]


def _numbered_canvas(footer_left: str, page_width: float) -> type[rl_canvas.Canvas]:
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
            self.drawRightString(page_width - MARGIN_RIGHT, FOOTER_BASELINE,
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


def _header_drawer(letterhead: Letterhead, right: str, watermark: str,
                   page_size: tuple[float, float]) -> Callable[[Any, Any], None]:
    logo = _logo_reader(letterhead.logo)
    page_width, page_height = page_size
    baseline = page_height - HEADER_DROP
    running_baseline = page_height - MARGIN_TOP + 2.5 * mm  # between the rule and the text

    def draw(canv: Any, doc: Any) -> None:
        canv.saveState()
        line_y = baseline - 15
        if watermark:  # drawn first: the page's content goes over it
            canv.saveState()
            canv.setFont(FONT_BOLD, 54)
            canv.setFillColor(WATERMARK_COLOUR)
            canv.translate(page_width / 2, page_height / 2)
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
        canv.drawString(left, baseline, letterhead.landlord)
        canv.setFont(FONT, 8)
        canv.setFillColor(INK)
        canv.drawString(left, baseline - 10, letterhead.agency)
        canv.drawRightString(page_width - MARGIN_RIGHT, baseline, french_spacing(right))
        if watermark:
            canv.setFont(FONT_BOLD, 9)
            canv.setFillColor(DRAFT_COLOUR)
            canv.drawRightString(page_width - MARGIN_RIGHT, baseline - 10, watermark)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_LEFT, line_y, page_width - MARGIN_RIGHT, line_y)
        running = getattr(canv, "_caleol_running", "")
        if running:
            canv.setFont(FONT_BOLD, 9.5)
            canv.setFillColor(ACCENT)
            canv.drawString(MARGIN_LEFT, running_baseline,
                            french_spacing(f"{running} (suite)"))
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
    landscape_pages: bool = False,
) -> RenderedPdf:
    """Lay out `story` on A4 pages with the letterhead and "page x / y" footer.

    Args:
        watermark: printed across every page and in its header, as text (a draft
            says so on each page a reader might print alone).
        pdfa: produce PDF/A-2b (records kept for decades: PV, rectificatif).
        landscape_pages: A4 landscape, for a table of many columns.
    """
    register_fonts()
    page_size = landscape(A4) if landscape_pages else A4
    page_width, page_height = page_size
    buffer = io.BytesIO()
    subject = f"{letterhead.landlord} — {letterhead.agency}"
    doc = BaseDocTemplate(
        buffer,
        pagesize=page_size,
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
    # No frame padding: tables of the text block's width then fill it exactly.
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, page_width - MARGIN_LEFT - MARGIN_RIGHT,
                  page_height - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(
        id="page", frames=[frame],
        onPage=_header_drawer(letterhead, header_right, watermark, page_size))])
    doc.build(story, canvasmaker=_numbered_canvas(footer_left, page_width))
    data = buffer.getvalue()
    if pdfa:
        data = to_pdfa(data, DocumentInfo(title=title, author=letterhead.landlord,
                                          subject=subject, keywords=tuple(keywords)))
    return RenderedPdf(data, tuple(slots or ()))

