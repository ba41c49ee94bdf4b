"""The yearly review sent to each réservataire before 28 February (R441-5-1 CCH).

For every dwelling oriented to the réservataire during the year: address, commune,
typology, QPV or not, construction, financing, date of the CALEOL, lease signed,
priority household (the Grand Nancy convention's table), then the gap to the flux
objective and its reasons (refusals, mismatch, no candidate).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph

from caleol.fr import format_date, format_short_date
from caleol.rules.flux import (
    DEFAULT_PROPOSAL_DELAY_DAYS,
    FluxObjective,
    OrientationRecord,
    ReservataireReview,
    review_reservataire,
)
from caleol.services.reports.charts import Bar, bar_chart
from caleol.services.reports.layout import (
    LANDSCAPE_WIDTH,
    Styles,
    escape,
    long_table,
    paragraphs,
    render,
    spacer,
    styles,
    table,
)


@dataclass(frozen=True)
class ReservataireReportInput:
    landlord: str
    reservataire_code: str
    reservataire_name: str
    year: int
    orientations: Sequence[OrientationRecord]
    generated_on: date
    objective: FluxObjective | None = None
    delay_days: int = DEFAULT_PROPOSAL_DELAY_DAYS
    objective_count: int | None = None  # when only the number is known, not its calculation

    def review(self) -> ReservataireReview:
        count = self.objective.objective if self.objective is not None else self.objective_count
        return review_reservataire(
            self.orientations, self.reservataire_code, self.year, count, self.delay_days
        )


def yes_no(value: bool | None) -> str:
    return "non renseigné" if value is None else ("oui" if value else "non")


ORIENTATION_HEADER = [
    "Logement – adresse", "Commune", "Typologie", "QPV / hors QPV", "Date de construction",
    "Type de financement", "Date de CALEOL", "Bail signé", "Public prioritaire", "Issue",
    "Motif",
]


def orientation_rows(review: ReservataireReview) -> list[list[str]]:
    """The convention's table, one row per dwelling oriented to the réservataire."""
    rows = []
    for o in review.orientations:
        address = f"{o.dwelling_ref} – {o.address}" if o.address else o.dwelling_ref
        rows.append([
            address, o.commune, o.typology,
            "inconnu" if o.in_qpv is None else ("QPV" if o.in_qpv else "hors QPV"),
            "" if o.construction_year is None else str(o.construction_year),
            o.financing,
            format_short_date(o.caleol_date) if o.caleol_date else "—",
            ("oui, le " + format_short_date(o.lease_date)) if o.lease_signed and o.lease_date
            else ("oui" if o.lease_signed else "non"),
            yes_no(o.priority_household),
            o.outcome.label, o.reason,
        ])
    return rows


def _chart(review: ReservataireReview) -> Flowable:
    objective = None if review.objective is None else Decimal(review.objective)
    met = None if review.gap is None else review.gap >= 0
    bars = [
        Bar("Logements orientés", Decimal(review.oriented), objective, met),
        Bar("Attribués à ses candidats", Decimal(review.attributed), None, None),
        Bar("Baux signés", Decimal(review.leases_signed), None, None),
        Bar("Ménages prioritaires", Decimal(review.priority_households), None, None),
        Bar("Rendus au bailleur", Decimal(review.returned), None, None),
    ]
    return bar_chart(bars, unit="", width=LANDSCAPE_WIDTH, title="Logements orientés et objectif")


def _reasons(review: ReservataireReview, st: Styles) -> list[Flowable]:
    if not review.reasons:
        return [Paragraph("Aucun écart motivé sur l'année.", st.body)]
    rows = [["Motif (refus, inadéquation, absence de candidat…)", "Nombre"]]
    rows.extend([reason, str(count)] for reason, count in review.reasons)
    return [table(rows, [150 * mm, 25 * mm], st, align_right_from=1)]


def build_reservataire_report(data: ReservataireReportInput) -> bytes:
    """The PDF of the yearly review for one réservataire (A4 landscape for the table)."""
    st = styles()
    review = data.review()
    title = f"Bilan annuel {data.year} de la gestion en flux — {data.reservataire_name}"
    story: list[Flowable] = [
        Paragraph(escape(title), st.title),
        Paragraph(escape(
            f"{data.landlord} — à transmettre avant le {format_date(review.due_date)} "
            "(art. R441-5-1 CCH) : logements proposés et attribués au cours de l'année, par "
            "typologie, financement, localisation, commune et période de construction."
        ), st.body),
        Paragraph("Synthèse", st.h1),
        *paragraphs(review.explanation, st.body),
        Paragraph("Écarts et motifs", st.h1),
        *_reasons(review, st),
        Paragraph("Logements orientés vers le réservataire", st.h1),
    ]
    if review.orientations:
        widths = [46, 32, 17, 18, 22, 20, 19, 22, 19, 28, 24]
        story.extend(long_table(
            ORIENTATION_HEADER, orientation_rows(review), [w * mm for w in widths], st,
            font_size=7, max_width=LANDSCAPE_WIDTH,
        ))
    else:
        story.append(Paragraph("Aucun logement orienté sur l'année.", st.body))
    story.extend([spacer(), _chart(review)])
    if data.objective is not None:
        story.append(KeepTogether([
            Paragraph("Calcul de l'objectif", st.h2),
            *paragraphs(data.objective.explanation, st.mono),
        ]))
    return render(story, landlord=data.landlord, title=title, generated_on=data.generated_on,
                  subtitle=data.reservataire_name, landscape_pages=True)
