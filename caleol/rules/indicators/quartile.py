"""The first quartile of resources per consumption unit (art. L441-1 CCH).

* The CCH (L441-1, 25th paragraph) defines the yearly threshold as « le niveau de
  ressources le plus élevé du quartile des demandeurs aux ressources les plus
  faibles »: the threshold itself belongs to the first quartile, so a household is in
  Q1 when its yearly resources per UC are **lower than or equal to** the threshold of
  the dwelling's EPCI for the year (`is_first_quartile`).
* **Resources per UC** are the household's yearly resources (the monthly resources
  declared in the demande x 12, as the SNE does) divided by the consumption units of
  the **modified OECD scale** used by the SNE and INSEE to set the thresholds: 1 for
  the first person, 0.5 for every other person aged 14 or more, 0.3 per child under
  14 (`quartile_consumption_units`). It happens to have the same weights as the
  charter's solvency scale, but it is a different rule from a different text, so it
  is kept separate. Zero resources are a known value (0 €/UC, first quartile).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from caleol.rules.indicators.records import (
    EVERYWHERE,
    AttributionRecord,
    CountingBasis,
    Period,
    Territory,
    select_records,
)


class ExclusionCause(StrEnum):
    """Why a record is left out of an indicator: a datum it needs is unknown.

    One cause per record, checked in the order: unknown QPV, unknown resources,
    unknown threshold.
    """

    UNKNOWN_QPV = "qpv_inconnu"
    UNKNOWN_RESOURCES = "ressources_inconnues"
    UNKNOWN_THRESHOLD = "seuil_inconnu"

    @property
    def label(self) -> str:
        return {
            "qpv_inconnu": "localisation QPV / hors QPV inconnue",
            "ressources_inconnues": "ressources du ménage inconnues",
            "seuil_inconnu": "seuil du 1er quartile de l'EPCI inconnu pour l'année",
        }[self.value]


def quartile_consumption_units(
    persons_14_or_over: int, children_under_14: int
) -> Decimal:
    """Consumption units of the modified OECD scale (SNE quartile thresholds).

    Args:
        persons_14_or_over: household members aged 14 or more, applicant included.
        children_under_14: members under 14.

    Raises:
        ValueError: when the household has no member aged 14 or more.
    """
    if persons_14_or_over < 1 or children_under_14 < 0:
        raise ValueError("Le ménage doit compter au moins une personne de 14 ans ou plus.")
    return (
        Decimal(1)
        + Decimal("0.5") * (persons_14_or_over - 1)
        + Decimal("0.3") * children_under_14
    )


def is_first_quartile(resources_per_uc: Decimal, threshold: Decimal) -> bool:
    """At or below the threshold is Q1: the threshold is the top of the first quartile."""
    return resources_per_uc <= threshold


def quartile_exclusion(record: AttributionRecord) -> ExclusionCause | None:
    """The datum missing to place the record in a quartile, None when it can be placed."""
    if record.resources_per_uc is None:
        return ExclusionCause.UNKNOWN_RESOURCES
    if record.quartile_threshold is None:
        return ExclusionCause.UNKNOWN_THRESHOLD
    return None


def in_first_quartile(record: AttributionRecord) -> bool:
    """Q1 for a record whose quartile is known (`quartile_exclusion` is None)."""
    per_uc = record.resources_per_uc
    assert per_uc is not None and record.quartile_threshold is not None
    return is_first_quartile(per_uc, record.quartile_threshold)


@dataclass(frozen=True)
class QuartileTable:
    """The CIL tabulation: quartile rows x QPV / outside QPV / unknown location columns."""

    q1: Mapping[bool | None, int]
    q2_q4: Mapping[bool | None, int]
    unknown_resources: Mapping[bool | None, int]
    zero_resources: int

    def total(self, location: bool | None) -> int:
        return self.q1[location] + self.q2_q4[location] + self.unknown_resources[location]


def quartile_table(
    records: Iterable[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    basis: CountingBasis = CountingBasis.LEASES,
) -> QuartileTable:
    """Attributions by quartile and location, unknowns in their own row and column."""
    q1: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    upper: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    unknown: dict[bool | None, int] = {True: 0, False: 0, None: 0}
    zero = 0
    for record in select_records(records, period, territory, basis):
        if quartile_exclusion(record) is not None:
            unknown[record.in_qpv] += 1
        elif in_first_quartile(record):
            q1[record.in_qpv] += 1
        else:
            upper[record.in_qpv] += 1
        zero += record.annual_resources == 0
    return QuartileTable(q1, upper, unknown, zero)
