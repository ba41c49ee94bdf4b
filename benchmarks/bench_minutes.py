"""Generating and signing the PV of a séance of 60 dwellings × 3 candidates.

Measure: `render_minutes` (the laid-out PV, PDF/A, with its two signature fields)
then `signing.sign_signatures` (the seal in both boxes, PAdES, one PKCS#12 load), as
`produce_minutes` does for a closed séance, on `sample_minutes_data(60, 3)`.

Baseline: reportlab alone laying out the same cells: for each dwelling its heading,
its candidates' table and its decisions' table, every cell a reportlab `Paragraph` of
the same markup in the same style and the same DejaVu faces (registered anew as plain
reportlab `TTFont`s), in a `SimpleDocTemplate`; no header/footer, no signature. The
cells' markup is taken from caleol's row functions before the clock starts, and
nothing of caleol's layout code (`MeasuredParagraph`, `MeasuredFont`) is in the
baseline: it is what the PV would cost if caleol added nothing to reportlab. (Until
4 December 2026 the baseline built its cells with caleol's row functions, so every
speed-up of the PV's paragraphs sped the baseline up as well.)
"""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.common import Measure, load_average, median_times

if TYPE_CHECKING:
    from caleol.services.documents.data import MinutesData

PASSPHRASE = b"banc-d-essai"
BARE_FONTS = {"DejaVuSans": "BareDejaVuSans", "DejaVuSans-Bold": "BareDejaVuSans-Bold"}

Cells = list[tuple[str, Any]]  # (markup, reportlab ParagraphStyle) per cell of a row


def _register_bare_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from caleol import paths

    if "BareDejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return
    folder = paths.resources_dir() / "fonts"
    pdfmetrics.registerFont(TTFont("BareDejaVuSans", str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("BareDejaVuSans-Bold", str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily("BareDejaVuSans", normal="BareDejaVuSans",
                                  bold="BareDejaVuSans-Bold", italic="BareDejaVuSans",
                                  boldItalic="BareDejaVuSans-Bold")


def bare_cells(data: MinutesData) -> list[tuple[str, Any, list[Cells], list[Cells]]]:
    """Each dwelling's heading and rows as plain markup and reportlab styles."""
    from reportlab.lib.styles import ParagraphStyle

    from caleol.services.documents.layout import styles
    from caleol.services.documents.minutes import candidate_row, decision_row

    _register_bare_fonts()
    bare_styles: dict[int, ParagraphStyle] = {}

    def bare(style: ParagraphStyle) -> ParagraphStyle:
        found = bare_styles.get(id(style))
        if found is None:
            found = bare_styles[id(style)] = ParagraphStyle(
                f"{style.name}-bare", parent=style,
                fontName=BARE_FONTS.get(style.fontName, style.fontName))
        return found

    def cells(row: list[Any]) -> Cells:
        return [(cell.text, bare(cell.style)) for cell in row]

    heading = bare(styles().h2)
    return [(exam.dwelling.reference, heading,
             [cells(candidate_row(c)) for c in exam.candidates],
             [cells(decision_row(c)) for c in exam.candidates])
            for exam in data.dwellings]


def bare_reportlab(dwellings: list[tuple[str, Any, list[Cells], list[Cells]]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    story: list[Any] = []
    for reference, heading, candidates, decisions in dwellings:
        story.append(Paragraph(reference, heading))
        for rows in (candidates, decisions):
            story.append(Table([[Paragraph(markup, style) for markup, style in row]
                                for row in rows], repeatRows=0))
    out = BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return out.getvalue()


def run(runs: int, *, dwellings: int = 60, per_dwelling: int = 3) -> list[Measure]:
    from caleol.services import signing
    from caleol.services.documents.minutes import render_minutes
    from caleol.services.documents.samples import sample_minutes_data
    from caleol.services.documents.signing_plan import plan_signatures

    data = sample_minutes_data(dwellings, per_dwelling)
    with tempfile.TemporaryDirectory() as folder:
        p12 = Path(folder) / "banc.p12"
        signing.create_demo_certificate(p12, PASSPHRASE)

        def produce() -> bytes:
            certificate = signing.load_certificate(p12, PASSPHRASE)
            plan, signatures = plan_signatures(data.letterhead.landlord, data.president,
                                               data.secretary, certificate)
            return signing.sign_signatures(render_minutes(data, plan), signatures,
                                           location=data.letterhead.city)

        value, cpu = median_times(produce, runs)
        cells = bare_cells(data)
        baseline, baseline_cpu = median_times(lambda: bare_reportlab(cells), runs)
    return [Measure(f"PV {dwellings} dwellings × {per_dwelling}, rendered and signed",
                    value, baseline, "reportlab alone, same cells", limit=1.0, max_ratio=1.5,
                    load=load_average(), cpu=cpu, baseline_cpu=baseline_cpu)]
