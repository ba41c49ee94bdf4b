"""Targets: data per indicator, year and territory, with where each comes from.

Which target applies to a measure: among the targets stored by the landlord and the
commitments of the CUS shipped here (`CUS_TARGETS`, per département), the most
specific whose territory covers the one measured, a stored one winning a tie (the
landlord overrides a commitment by storing a target for the same territory); else the
indicator's legal or contractual default (`IndicatorDefinition.legal_default`); else
none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from caleol.rules.indicators.definitions import DEFINITIONS
from caleol.rules.indicators.records import Territory


@dataclass(frozen=True)
class Target:
    """A target set by a CUS, a CIA or a convention: data, editable per year and territory.

    `value` is a fraction for rate indicators (`Decimal("0.25")`) and a number of
    attributions for count indicators. `source` names the text that sets it.
    """

    indicator_code: str
    year: int
    value: Decimal
    territory: Territory = field(default_factory=Territory)
    source: str = field(default="", compare=False)


def find_target(
    targets: Iterable[Target], code: str, year: int, territory: Territory
) -> Target | None:
    """The most specific target whose territory covers the one measured, else None.

    A target set for an EPCI applies to that EPCI whatever other filter is added (its
    département, an agency); a landlord-wide target applies everywhere.
    """
    best: Target | None = None
    for target in targets:
        if target.indicator_code != code or target.year != year:
            continue
        if not target.territory.covers(territory):
            continue
        if best is None or target.territory.specificity > best.territory.specificity:
            best = target
    return best


def select_target(
    targets: Iterable[Target], code: str, year: int, territory: Territory
) -> Decimal | None:
    """The value of `find_target`, None when no target covers the territory."""
    found = find_target(targets, code, year, territory)
    return None if found is None else found.value


def _cus(code: str, department: str, values: tuple[str, str, str]) -> list[Target]:
    """One commitment per year 2024, 2025, 2026 for a département."""
    return [
        Target(code, year, Decimal(value) / 100, Territory(department=department),
               f"avenant CUS Vivest 2024-2026, département {department}")
        for year, value in zip((2024, 2025, 2026), values, strict=True)
    ]


# The 2024-2026 commitments of the CUS amendment, per département
# (docs/reference/metz-metropole-cus-vivest-2021-2026.txt, « Engagements annuels en
# pourcentage » of PS-2: « % total » and « % hors QPV », 54-Meurthe-et-Moselle and
# 57-Moselle). PS-1 is 25 % everywhere, the legal default: no row needed.
CUS_TARGETS: tuple[Target, ...] = (
    *_cus("PS-2", "54", ("25", "26", "25")),
    *_cus("PS-2", "57", ("25", "25", "25")),
    *_cus("PS-2-HQPV", "54", ("90", "90", "90")),
    *_cus("PS-2-HQPV", "57", ("60", "60", "60")),
)


def default_targets(year: int) -> list[Target]:
    """The legal or contractual defaults (25 %, 50 %, 5 %...) as editable, landlord-wide
    Target rows (the per-département CUS commitments apply by themselves)."""
    return [
        Target(d.code, year, d.legal_default, source="valeur légale ou contractuelle par défaut")
        for d in DEFINITIONS if d.legal_default is not None
    ]


def applicable_target(
    stored: Iterable[Target], code: str, year: int, territory: Territory
) -> Target | None:
    """The stored target or the shipped CUS commitment (module docstring's order)."""
    mine = find_target(stored, code, year, territory)
    shipped = find_target(CUS_TARGETS, code, year, territory)
    if shipped is None or (
        mine is not None and mine.territory.specificity >= shipped.territory.specificity
    ):
        return mine
    return shipped
