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
from caleol.services.documents.measured import MeasuredParagraph, MeasuredTable, shared_layout

CELL = "<b>057 23 01 00101 A5788</b><br/>Mme Céline Zimmermann, « oui »"
LONG = " ".join(f"Mot{i} <b>gras</b> et <font color='#b3261e'>rouge</font>" for i in range(400))

Maker = Callable[[str, object], Paragraph]


def story(make: Maker, table: type[Table] = Table) -> list[Flowable]:
    """Twins in columns of different widths, then a paragraph long enough to be cut
    across pages, then its twin (which must stay whole and unchanged), then a table
    cut across pages, its header repeated."""
    st = styles()
    rows = [[make(CELL, st.cell), make(CELL, st.cell), make("non", st.cell)]
            for _ in range(3)]
    long_rows = [[make("Candidat", st.cell_head), make("Décision", st.cell_head)]] + [
        [make(f"{CELL} {i}", st.cell), make("oui" if i % 2 else "Motif, condition " * 12, st.cell)]
        for i in range(60)]
    return [
        make("Logement 1 / 2", st.h2),
        table(rows, colWidths=[22 * mm, 40 * mm, 15 * mm]),
        table([[make(CELL, st.cell)]], colWidths=[60 * mm]),
        make(LONG, st.body),
        make(LONG, st.body),
        make("Logement 1 / 2", st.h2),
        table(long_rows, colWidths=[40 * mm, 100 * mm], repeatRows=1),
    ]


def pdf(flowables: list[Flowable]) -> bytes:
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=1).build(flowables)
    return out.getvalue()


def test_shared_paragraphs_draw_what_reportlab_draws() -> None:
    plain = pdf(story(Paragraph))
    with shared_layout():
        shared = story(MeasuredParagraph, MeasuredTable)
    assert pdf(shared) == plain
    assert plain.count(b"/Type /Page\n") >= 5  # LONG and the long table were cut


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


def test_a_table_is_sized_again_only_when_it_may_not_fit(
        monkeypatch: pytest.MonkeyPatch) -> None:
    st = styles()
    cells = [[MeasuredParagraph(CELL, st.cell), ""] for _ in range(6)]
    table = MeasuredTable(cells, colWidths=[40 * mm, 10 * mm])
    spanned = MeasuredTable(cells, colWidths=[40 * mm, 10 * mm],
                            style=[("SPAN", (1, 0), (1, 1))])
    sized: list[float] = []
    original = Table._calc

    def counted(self: Table, width: float, height: float) -> None:
        sized.append(height)
        original(self, width, height)

    monkeypatch.setattr(Table, "_calc", counted)
    width, height = table.wrap(100 * mm, 500)
    assert table.wrap(100 * mm, 400) == (width, height)  # still fits: same sizes
    assert len(sized) == 1
    table.wrap(100 * mm, height / 2)  # may not fit: sized as reportlab does
    table.wrap(90 * mm, 500)  # another width
    assert len(sized) == 3
    spanned.wrap(100 * mm, 500)
    spanned.wrap(100 * mm, 20)  # reportlab stops sizing past the first rows…
    assert spanned.wrap(100 * mm, 500) == (width, height)  # …so they are sized again
    assert len(sized) == 6


def test_a_face_measures_a_word_once_and_as_reportlab_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from caleol import paths
    from caleol.services.documents.fonts import FONT, MeasuredFont, register_fonts

    register_fonts()
    face = pdfmetrics.getFont(FONT)
    assert isinstance(face, MeasuredFont)
    plain = TTFont("plain", str(paths.resources_dir() / "fonts" / "DejaVuSans.ttf"))
    measured: list[str] = []
    original = TTFont.stringWidth

    def counted(self: TTFont, text: str, size: float, encoding: str = "utf8") -> float:
        measured.append(text)
        return original(self, text, size, encoding)

    monkeypatch.setattr(TTFont, "stringWidth", counted)
    word = "Zimmermann-Wąsowicz « oui » 1 234,56 €"  # measured by no other test
    words = [word, "Mme", word]
    widths = [pdfmetrics.stringWidth(w, FONT, 7.5) for w in words]
    assert widths == [original(plain, w, 7.5) for w in words]
    assert pdfmetrics.stringWidth(word, FONT, 9) == original(plain, word, 9)
    assert pdfmetrics.stringWidth(word, FONT, 7.5) == widths[0]
    assert measured.count(word) == 2  # once per size
