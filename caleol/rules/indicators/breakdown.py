"""Indicators split by territory (the law sets the mixité objectives per EPCI, the CUS
its PS-2 commitments per département) and the live impact of one attribution."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from caleol.rules.indicators.definitions import (
    PS2_OUTSIDE_QPV,
    PS2_PRIORITY,
    Q1_OUTSIDE_QPV,
    QPV_Q2_Q4,
)
from caleol.rules.indicators.evaluation import Bases, basis_of, evaluate
from caleol.rules.indicators.records import (
    EVERYWHERE,
    AttributionRecord,
    CountingBasis,
    Period,
    Territory,
)
from caleol.rules.indicators.results import IndicatorResult
from caleol.rules.indicators.targets import Target


@dataclass(frozen=True)
class EpciMixite:
    epci: str
    name: str
    q1_outside_qpv: IndicatorResult
    qpv_q2_q4: IndicatorResult


def mixite_by_epci(
    records: Sequence[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    bases: Bases | None = None,
) -> list[EpciMixite]:
    """The two mixité indicators for each EPCI of the territory: the law sets them per EPCI."""
    targets = list(targets)
    names = {r.epci: r.epci_label for r in records if territory.matches(r)}
    out = []
    for epci, name in sorted(names.items(), key=lambda item: (item[1], item[0])):
        scope = replace(territory, epci=epci, name=f"EPCI {name}")
        out.append(EpciMixite(
            epci,
            name,
            evaluate(Q1_OUTSIDE_QPV, records, period, scope, targets,
                     basis_of(Q1_OUTSIDE_QPV, bases)),
            evaluate(QPV_Q2_Q4, records, period, scope, targets, basis_of(QPV_Q2_Q4, bases)),
        ))
    return out


@dataclass(frozen=True)
class DepartmentPriority:
    """PS-2 and its share outside QPV for one département, as the CUS tabulates them."""

    department: str
    ps2: IndicatorResult
    outside_qpv: IndicatorResult


def priority_by_department(
    records: Sequence[AttributionRecord],
    period: Period,
    territory: Territory = EVERYWHERE,
    targets: Iterable[Target] = (),
    bases: Bases | None = None,
) -> list[DepartmentPriority]:
    """PS-2 « % total » and « % hors QPV » for each département of the territory."""
    targets = list(targets)
    departments = sorted({r.department for r in records if territory.matches(r)})
    out = []
    for department in departments:
        scope = replace(territory, department=department,
                        name=f"département {department}" if department else "")
        out.append(DepartmentPriority(
            department,
            evaluate(PS2_PRIORITY, records, period, scope, targets,
                     basis_of(PS2_PRIORITY, bases)),
            evaluate(PS2_OUTSIDE_QPV, records, period, scope, targets,
                     basis_of(PS2_OUTSIDE_QPV, bases)),
        ))
    return out


def impact_of_attribution(
    records: Sequence[AttributionRecord],
    candidate: AttributionRecord,
    targets: Iterable[Target] = (),
    bases: Bases | None = None,
) -> tuple[IndicatorResult, IndicatorResult]:
    """How attributing the dwelling to this candidate would move its EPCI's indicator.

    The indicator is QPV Q2-Q4 when the dwelling is in a QPV, Q1 hors QPV otherwise
    (an unknown location shows up as an exclusion of Q1 hors QPV), each on its basis.
    Counted on signed leases, the candidate is counted as if the lease were signed on
    the decision date, for the decision's year.

    Returns:
        (before, after) for the same EPCI, year and basis.
    """
    period = Period.year(candidate.decision_date.year)
    territory = Territory(epci=candidate.epci)
    definition = QPV_Q2_Q4 if candidate.in_qpv else Q1_OUTSIDE_QPV
    basis = basis_of(definition, bases)
    if basis is CountingBasis.LEASES and not candidate.lease_signed:
        candidate = replace(candidate, lease_signed=True, lease_date=candidate.decision_date)
    others = [r for r in records if r.id != candidate.id]
    targets = list(targets)
    before = evaluate(definition, others, period, territory, targets, basis)
    after = evaluate(definition, [*others, candidate], period, territory, targets, basis)
    return before, after
