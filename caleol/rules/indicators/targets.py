"""Targets: data per indicator, year and territory, with where each comes from.

Which target applies to a measure: among the targets stored by the landlord, the most
specific whose territory covers the one measured; else the national target the CCH
sets for every landlord (`IndicatorDefinition.legal_default`, with its article);
else none. A landlord's own commitments (its CUS, its charter, its reservation
conventions) are never written here: they are rows the landlord stores and edits
(`services.organisation.defaults` installs those of the attribution charter and of
the CUS amendment when an organisation is created).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

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
