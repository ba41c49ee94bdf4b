"""The signature blocks of the PV, the extract and the rectificatif.

Each block is a title, a name and an empty framed area; its absolute position is
recorded while drawing, so the signing step puts the PDF signature field exactly
over it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from caleol.services.documents.fonts import FONT
from caleol.services.documents.layout import CONTENT_WIDTH, RULE, styles, text
from caleol.services.signing import SignatureSlot

# Field names of the two PV signatures (also used by rectificatifs and extracts).
PRESIDENT_FIELD = "Président"
SECRETARY_FIELD = "Secrétaire"

SIGNATURE_BOX_HEIGHT = 24 * mm


class SignatureBox(Flowable):
    """Title, name and an empty framed area where the signature field is placed."""

    def __init__(self, title: str, name: str, field_name: str, width: float,
                 slots: list[SignatureSlot]) -> None:
        super().__init__()
        self.title = title
        self.name = name
        self.field_name = field_name
        self.box_width = width
        self.slots = slots
        st = styles()
        self._title = Paragraph(f"<b>{text(title)}</b>", st.body)
        self._name = Paragraph(text(name), st.body)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._tw, self._th = self._title.wrap(self.box_width, avail_height)
        self._nw, self._nh = self._name.wrap(self.box_width, avail_height)
        self.height = self._th + self._nh + 2 * mm + SIGNATURE_BOX_HEIGHT
        self.width = self.box_width
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        y = self.height - self._th
        self._title.drawOn(canv, 0, y)
        y -= self._nh
        self._name.drawOn(canv, 0, y)
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.setDash(2, 2)
        canv.rect(0, 0, self.box_width, SIGNATURE_BOX_HEIGHT)
        canv.restoreState()
        x1, y1 = canv.absolutePosition(0, 0)
        x2, y2 = canv.absolutePosition(self.box_width, SIGNATURE_BOX_HEIGHT)
        self.slots.append(SignatureSlot(
            field_name=self.field_name,
            page=canv.getPageNumber() - 1,
            box=(round(x1) + 1, round(y1) + 1, round(x2) - 1, round(y2) - 1),
        ))


def signature_row(signers: Sequence[tuple[str, str, str]],
                  slots: list[SignatureSlot]) -> Table:
    """Signature blocks side by side: (title, name, field name) each."""
    gap = 10 * mm
    width = (CONTENT_WIDTH - gap * (len(signers) - 1)) / len(signers)
    cells: list[Any] = []
    widths: list[float] = []
    for i, (title, name, field_name) in enumerate(signers):
        if i:
            cells.append("")
            widths.append(gap)
        cells.append(SignatureBox(title, name, field_name, width, slots))
        widths.append(width)
    table = Table([cells], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table
