"""Paragraphs sharing their parse and line breaking draw exactly what reportlab's own
would: twins at different widths, a twin cut across two pages, and the sharing itself
(a parse, a line breaking made once) scoped to one document."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table

from caleol.services.documents.layout import styles
from caleol.services.documents.measured import MeasuredParagraph, shared_layout

CELL = "<b>057 23 01 00101 A5788</b><br/>Mme Céline Zimmermann, « oui »"
LONG = " ".join(f"Mot{i} <b>gras</b> et <font color='#b3261e'>rouge</font>" for i in range(400))

Maker = Callable[[str, object], Paragraph]


def story(make: Maker) -> list[Flowable]:
    """Twins in columns of different widths, then a paragraph long enough to be cut
    across pages, then its twin (which must stay whole and unchanged)."""
    st = styles()
    rows = [[make(CELL, st.cell), make(CELL, st.cell), make("non", st.cell)]
            for _ in range(3)]
    return [
        make("Logement 1 / 2", st.h2),
        Table(rows, colWidths=[22 * mm, 40 * mm, 15 * mm]),
        Table([[make(CELL, st.cell)]], colWidths=[60 * mm]),
        make(LONG, st.body),
        make(LONG, st.body),
        make("Logement 1 / 2", st.h2),
    ]


def pdf(flowables: list[Flowable]) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1).build(flowables)
    return out.getvalue()


def test_shared_paragraphs_draw_what_reportlab_draws() -> None:
    plain = pdf(story(Paragraph))
    with shared_layout():
        shared = story(MeasuredParagraph)
    assert pdf(shared) == plain
    assert plain.count(b"/Type /Page\n") >= 3  # LONG was cut across pages


def test_twins_share_their_parse_and_line_breaking_within_a_document() -> None:
    st = styles()
    with shared_layout():
        first, twin = MeasuredParagraph(CELL, st.cell), MeasuredParagraph(CELL, st.cell)
    assert twin.frags is first.frags
    first.wrap(40 * mm, 100)
    twin.wrap(40 * mm, 100)
    assert twin.blPara is first.blPara
    twin.wrap(22 * mm, 100)  # another width: lines of its own
    assert twin.blPara is not first.blPara
    assert len(twin.blPara.lines) > len(first.blPara.lines)


def test_outside_a_document_nothing_is_shared(monkeypatch: pytest.MonkeyPatch) -> None:
    st = styles()
    first, twin = MeasuredParagraph(CELL, st.cell), MeasuredParagraph(CELL, st.cell)
    assert twin.frags is not first.frags
    breaks: list[float] = []
    original = Paragraph.breakLines

    def counted(self: Paragraph, widths: list[float]) -> object:
        breaks.append(widths[0])
        return original(self, widths)

    monkeypatch.setattr(Paragraph, "breakLines", counted)
    assert first.wrap(40 * mm, 100) == first.wrap(40 * mm, 500)  # measured once
    twin.wrap(40 * mm, 100)
    assert len(breaks) == 2
    first.wrap(22 * mm, 100)
    assert len(breaks) == 3
