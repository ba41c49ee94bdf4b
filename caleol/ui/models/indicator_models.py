"""Column specs of the Indicateurs screen: the indicators and the attributions behind one.

Both grids are `ColumnTableModel`s over plain rows (`IndicatorResult`, `DrillRow`);
nothing here computes an indicator, it only formats what `rules.indicators` returns.
Unknowns are never folded into a rate: the excluded count has its own column and its
causes in the tooltip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QColor

from caleol import fr
from caleol.rules.indicators import (
    NOT_APPLICABLE,
    AttributionRecord,
    ExclusionCause,
    IndicatorResult,
    Measure,
    basis_line,
)
from caleol.ui.models.table import CENTER, RIGHT, Column, ColumnTableModel, number_column

MET_COLOUR = QColor("#1b7a35")
MISSED_COLOUR = QColor("#b3261e")


def is_rate(result: IndicatorResult) -> bool:
    return result.definition.measure is Measure.RATE


def _sortable(value: Decimal | None) -> tuple[bool, Decimal]:
    return (value is None, value if value is not None else Decimal(0))


def format_value(result: IndicatorResult, value: Decimal | None) -> str:
    """A rate as « 27,3 % », a count as a whole number, unknown as « — »."""
    if value is None:
        return "—"
    if is_rate(result):
        return fr.format_percent(value, 1)
    return fr.format_decimal(value, 0)


def measured(result: IndicatorResult) -> Decimal | None:
    """What the « Taux » column shows: the rate, or for a count the count itself (its
    rate over the denominator means nothing: 9 mutations among 38 showed « 0 »), as
    the reports do."""
    return result.rate if is_rate(result) else Decimal(result.numerator)


def format_gap(result: IndicatorResult) -> str:
    """Signed gap; « sans objet » when no attribution is on the target's contingent."""
    if result.not_applicable and result.target is not None:
        return NOT_APPLICABLE
    gap = result.gap
    if gap is None:
        return "—"
    sign = "+" if gap > 0 else ""
    if is_rate(result):
        return f"{sign}{fr.format_decimal(gap * 100, 1)} pt"
    return f"{sign}{fr.format_decimal(gap, 0)}"


def _gap_colour(result: IndicatorResult) -> QColor | None:
    met = result.met
    if met is None:
        return None
    return MET_COLOUR if met else MISSED_COLOUR


def excluded_tooltip(result: IndicatorResult) -> str:
    if not result.excluded_total:
        return "Aucune attribution écartée pour donnée inconnue."
    lines = [f"{count} : {cause.label}" for cause, count in result.excluded.items()]
    return "Écartées faute de donnée connue :\n" + "\n".join(lines)


INDICATOR_COLUMNS: tuple[Column[IndicatorResult], ...] = (
    Column("code", "Code", header_tooltip="Code de l'indicateur (CUS, CIA, convention)"),
    Column("label", "Indicateur", tooltip=lambda r: f"{r.label}\n{r.reference}"),
    number_column("numerator", "Num.", header_tooltip="Numérateur : attributions comptées"),
    number_column("denominator", "Dén.", header_tooltip="Dénominateur : attributions "
                                                         "de la population mesurée"),
    # value = the result itself: the text depends on whether it is a rate or a count
    Column("rate", "Taux", value=lambda r: r, formatter=lambda r: format_value(r, measured(r)),
           alignment=RIGHT, sort_key=lambda r: _sortable(measured(r))),
    Column("target", "Objectif", value=lambda r: r,
           formatter=lambda r: format_value(r, r.target), alignment=RIGHT,
           sort_key=lambda r: _sortable(r.target)),
    Column("gap", "Écart", value=lambda r: r, formatter=format_gap, alignment=RIGHT,
           foreground=_gap_colour, bold=lambda r: r.met is False,
           sort_key=lambda r: _sortable(r.gap),
           header_tooltip="Écart à l'objectif (points de pourcentage pour un taux)"),
    Column("basis", "Base", value=lambda r: r.basis.short_label,
           tooltip=basis_line,
           header_tooltip="Base de comptage : baux signés (date du bail) ou attributions "
                          "prononcées par la CALEOL (date de la décision)"),
    number_column("excluded_total", "Écartées", tooltip=excluded_tooltip,
                  foreground=lambda r: MISSED_COLOUR if r.excluded_total else None,
                  header_tooltip="Attributions écartées faute de donnée connue "
                                 "(QPV, ressources, seuil) : jamais cachées dans le taux"),
)


class IndicatorTableModel(ColumnTableModel[IndicatorResult]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(INDICATOR_COLUMNS, parent=parent)


# --- drill-down ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillRow:
    """One attribution behind an indicator and the part it plays in it."""

    role: str
    record: AttributionRecord

    @property
    def counted(self) -> bool:
        return self.role == ROLE_NUMERATOR


ROLE_NUMERATOR = "Numérateur"
ROLE_DENOMINATOR = "Dénominateur seul"


def drill_rows(result: IndicatorResult,
               records: Mapping[int, AttributionRecord]) -> list[DrillRow]:
    """Numerator first, then the rest of the denominator, then the excluded by cause."""
    numerator = set(result.numerator_ids)
    rows = [DrillRow(ROLE_NUMERATOR, records[i]) for i in result.numerator_ids if i in records]
    rows += [DrillRow(ROLE_DENOMINATOR, records[i]) for i in result.denominator_ids
             if i in records and i not in numerator]
    for cause, ids in result.excluded_ids.items():
        rows += [DrillRow(f"Écartée : {_cause_short(cause)}", records[i])
                 for i in ids if i in records]
    return rows


def _cause_short(cause: ExclusionCause) -> str:
    return {
        ExclusionCause.UNKNOWN_QPV: "QPV inconnu",
        ExclusionCause.UNKNOWN_RESOURCES: "ressources inconnues",
        ExclusionCause.UNKNOWN_THRESHOLD: "seuil inconnu",
    }[cause]


def _qpv_text(value: bool | None) -> str:
    return "inconnu" if value is None else ("QPV" if value else "hors QPV")


def _per_uc(row: DrillRow) -> Decimal | None:
    value = row.record.resources_per_uc
    return None if value is None else value.quantize(Decimal(1))


DRILL_COLUMNS: tuple[Column[DrillRow], ...] = (
    Column("role", "Rôle", bold=lambda r: r.counted,
           foreground=lambda r: MISSED_COLOUR if r.role.startswith("Écartée") else None),
    Column("decision_date", "Décision", value=lambda r: r.record.decision_date, alignment=RIGHT),
    Column("dwelling", "Logement", value=lambda r: r.record.dwelling_ref),
    Column("epci", "EPCI", value=lambda r: r.record.epci_label),
    Column("commission", "Commission", value=lambda r: r.record.commission),
    Column("lease", "Bail", value=lambda r: r.record.lease_date,
           formatter=fr.format_short_date, alignment=RIGHT),
    Column("qpv", "QPV", value=lambda r: _qpv_text(r.record.in_qpv), alignment=CENTER),
    Column("per_uc", "Ressources/UC", value=_per_uc,
           formatter=lambda v: fr.format_money(v, places=0), alignment=RIGHT,
           sort_key=_sortable),
    Column("threshold", "Seuil Q1", value=lambda r: r.record.quartile_threshold,
           formatter=lambda v: fr.format_money(v, places=0), alignment=RIGHT,
           sort_key=_sortable),
)


class DrillDownModel(ColumnTableModel[DrillRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(DRILL_COLUMNS, parent=parent)

    def show(self, result: IndicatorResult | None,
             records: Mapping[int, AttributionRecord]) -> None:
        self.set_rows(drill_rows(result, records) if result is not None else [])


def records_by_id(records: Iterable[AttributionRecord]) -> dict[int, AttributionRecord]:
    return {r.id: r for r in records}
