"""CSV exports that Excel opens correctly in France.

`;` as separator, UTF-8 with a byte-order mark (otherwise Excel reads the accents as
ANSI), decimal comma and no thousands separator (so the cells are numbers, not text),
CRLF line ends, text cells neutralised against formula injection
(`caleol.services.excel_csv`, shared with the table exports). Rates are written in
percent.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from caleol.rules.flux import ReservataireReview
from caleol.rules.indicators import (
    AttributionRecord,
    EpciMixite,
    ExclusionCause,
    IndicatorResult,
    Measure,
)
from caleol.rules.nur import format_nur
from caleol.services.excel_csv import ENCODING, ExcelWriter, number
from caleol.services.reports.annual import (
    flags_text,
    qpv_text,
    quartile_text,
    reservation_text,
)
from caleol.services.reports.blocks import status_text
from caleol.services.reports.reservataire import ORIENTATION_HEADER

Cell = str | int | Decimal | None


def percent(fraction: Decimal | None, places: int = 2) -> str:
    return "" if fraction is None else number(fraction * 100, places)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    buffer = io.StringIO()
    ExcelWriter(buffer).writerows(header, rows)
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    return csv_text(header, rows).encode(ENCODING)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    path.write_bytes(csv_bytes(header, rows))


INDICATOR_HEADER = [
    "Code", "Indicateur", "Période", "Territoire", "Base de comptage", "Numérateur",
    "Dénominateur", "Taux (%)", "Objectif", "Écart (points ou nombre)", "Résultat",
    "Exclues : QPV inconnu", "Exclues : ressources inconnues", "Exclues : seuil inconnu",
    "Référence",
]


def indicator_rows(results: Sequence[IndicatorResult]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for r in results:
        is_rate = r.definition.measure is Measure.RATE
        target = "" if r.target is None else (
            percent(r.target) if is_rate else number(r.target, 0)
        )
        gap = r.gap
        gap_text = "" if gap is None else (number(gap * 100) if is_rate else number(gap, 0))
        rows.append([
            r.code, r.label, r.period.label, r.territory.label, r.basis.label,
            r.numerator, r.denominator, percent(r.rate) if is_rate else "", target, gap_text,
            status_text(r).replace("—", ""),
            r.excluded.get(ExclusionCause.UNKNOWN_QPV, 0),
            r.excluded.get(ExclusionCause.UNKNOWN_RESOURCES, 0),
            r.excluded.get(ExclusionCause.UNKNOWN_THRESHOLD, 0),
            r.reference,
        ])
    return rows


EPCI_HEADER = [
    "EPCI", "Hors QPV : attributions", "Hors QPV : 1er quartile", "Hors QPV : taux (%)",
    "Hors QPV : objectif (%)", "Hors QPV : exclues", "QPV : attributions",
    "QPV : quartiles 2 à 4", "QPV : taux (%)", "QPV : objectif (%)", "QPV : exclues",
]


def epci_rows(rows: Sequence[EpciMixite]) -> list[list[Cell]]:
    out: list[list[Cell]] = []
    for row in rows:
        q1, qpv = row.q1_outside_qpv, row.qpv_q2_q4
        out.append([
            row.name, q1.denominator, q1.numerator, percent(q1.rate), percent(q1.target),
            q1.excluded_total, qpv.denominator, qpv.numerator, percent(qpv.rate),
            percent(qpv.target), qpv.excluded_total,
        ])
    return out


ATTRIBUTION_HEADER = [
    "NUR", "Logement", "Département", "EPCI", "Agence", "Commission", "Date CALEOL",
    "Date du bail", "Localisation", "Ressources annuelles (€)", "Unités de consommation",
    "Ressources par UC (€/an)", "Seuil 1er quartile (€/UC)", "Quartile", "Réservation",
    "Ménage",
]


def attribution_rows(records: Sequence[AttributionRecord]) -> list[list[Cell]]:
    """Every attribution with the data the indicators use (the drill-down, for Excel),
    named by its demande's NUR (the record's id is internal)."""
    rows: list[list[Cell]] = []
    for r in sorted(records, key=lambda r: (r.decision_date, r.id)):
        rows.append([
            format_nur(r.nur), r.dwelling_ref, r.department, r.epci_label, r.agency, r.commission,
            r.decision_date.strftime("%d/%m/%Y"),
            r.lease_date.strftime("%d/%m/%Y") if r.lease_date else "",
            qpv_text(r.in_qpv), number(r.annual_resources), number(r.consumption_units, 1),
            number(r.resources_per_uc), number(r.quartile_threshold), quartile_text(r),
            reservation_text(r), flags_text(r),
        ])
    return rows


def orientation_rows(review: ReservataireReview) -> list[list[Cell]]:
    """The réservataire's yearly table (same columns as the PDF)."""
    rows: list[list[Cell]] = []
    for o in review.orientations:
        rows.append([
            f"{o.dwelling_ref} – {o.address}" if o.address else o.dwelling_ref,
            o.commune, o.typology,
            "inconnu" if o.in_qpv is None else ("QPV" if o.in_qpv else "hors QPV"),
            o.construction_year, o.financing,
            o.caleol_date.strftime("%d/%m/%Y") if o.caleol_date else "",
            "oui" if o.lease_signed else "non",
            "" if o.priority_household is None else ("oui" if o.priority_household else "non"),
            o.outcome.label, o.reason,
        ])
    return rows


__all__ = [
    "ATTRIBUTION_HEADER", "EPCI_HEADER", "INDICATOR_HEADER", "ORIENTATION_HEADER",
    "attribution_rows", "csv_bytes", "csv_text", "epci_rows", "indicator_rows",
    "orientation_rows", "write_csv",
]
