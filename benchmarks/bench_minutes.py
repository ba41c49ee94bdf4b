"""Generating and signing the PV of a séance of 60 dwellings × 3 candidates.

Measure: `render_minutes` (the laid-out PV, PDF/A, with its two signature fields)
then `signing.sign_signatures` (the seal in both boxes, PAdES, one PKCS#12 load), as
`produce_minutes` does for a closed séance, on `sample_minutes_data(60, 3)`.
Baseline: a bare reportlab document (`SimpleDocTemplate`, plain `Table`s) with the
same candidate and decision rows, the same cells, no header/footer, no signature.
"""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from benchmarks.common import Measure, load_average, median_times

PASSPHRASE = b"banc-d-essai"


def bare_reportlab(data) -> bytes:  # type: ignore[no-untyped-def]
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from caleol.services.documents.layout import styles
    from caleol.services.documents.minutes import candidate_row, decision_row

    st = styles()
    story = []
    for exam in data.dwellings:
        story.append(Paragraph(exam.dwelling.reference, st.h2))
        story.append(Table([candidate_row(c) for c in exam.candidates], repeatRows=0))
        story.append(Table([decision_row(c) for c in exam.candidates], repeatRows=0))
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
        baseline, baseline_cpu = median_times(lambda: bare_reportlab(data), runs)
    return [Measure(f"PV {dwellings} dwellings × {per_dwelling}, rendered and signed",
                    value, baseline, "bare reportlab, same rows", limit=1.0, max_ratio=1.5,
                    load=load_average(), cpu=cpu, baseline_cpu=baseline_cpu)]
