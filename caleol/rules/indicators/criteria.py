"""The questions an indicator asks of one attribution: is it in the population, is it
counted. Each answers True, False, or the `ExclusionCause` that keeps it out of the
calculation because a datum it needs is unknown (never silently a "no")."""

from __future__ import annotations

from collections.abc import Callable

from caleol.rules.indicators.quartile import (
    ExclusionCause,
    in_first_quartile,
    quartile_exclusion,
)
from caleol.rules.indicators.records import (
    AttributionRecord,
    EtatContingent,
    ReservataireKind,
)

Verdict = bool | ExclusionCause
Criterion = Callable[[AttributionRecord], Verdict]


def everyone(record: AttributionRecord) -> Verdict:
    return True


def outside_qpv(record: AttributionRecord) -> Verdict:
    return ExclusionCause.UNKNOWN_QPV if record.in_qpv is None else not record.in_qpv


def inside_qpv(record: AttributionRecord) -> Verdict:
    return ExclusionCause.UNKNOWN_QPV if record.in_qpv is None else record.in_qpv


def first_quartile_or_relocation(record: AttributionRecord) -> Verdict:
    """Q1, or an urban-renewal (NPNRU) relocation, which the law puts with the first
    quartile whatever its resources."""
    if record.urban_renewal_relocation:
        return True
    cause = quartile_exclusion(record)
    return cause if cause is not None else in_first_quartile(record)


def above_first_quartile(record: AttributionRecord) -> Verdict:
    cause = quartile_exclusion(record)
    return cause if cause is not None else not in_first_quartile(record)


def non_reserved(record: AttributionRecord) -> Verdict:
    return record.non_reserved


def priority_household(record: AttributionRecord) -> Verdict:
    """L441-1, PDALHPD or CIA priority, DALO included."""
    return record.priority or record.dalo


def priority_on_non_reserved(record: AttributionRecord) -> Verdict:
    """The attributions PS-2 counts: priority households on non-reserved or returned
    dwellings."""
    return record.non_reserved and (record.priority or record.dalo)


def dalo(record: AttributionRecord) -> Verdict:
    return record.dalo


def _on_etat_contingent(record: AttributionRecord, part: EtatContingent) -> bool:
    """Attributed on the State's contingent (a vacancy the State gave back is not)."""
    return (
        record.reserved_for is ReservataireKind.ETAT
        and record.etat_contingent is part
        and not record.returned_by_reservataire
    )


def on_etat_contingent(record: AttributionRecord) -> bool:
    """Attributed on the State's contingent, either part (given back: not)."""
    return record.reserved_for is ReservataireKind.ETAT and not record.returned_by_reservataire


def etat_prioritaires(record: AttributionRecord) -> Verdict:
    return _on_etat_contingent(record, EtatContingent.PRIORITAIRES)


def etat_agents(record: AttributionRecord) -> Verdict:
    return _on_etat_contingent(record, EtatContingent.AGENTS)


def employee(record: AttributionRecord) -> Verdict:
    return record.action_logement_employee


def social_tenant(record: AttributionRecord) -> Verdict:
    return record.current_social_tenant or record.internal_mutation


def internal_mutation(record: AttributionRecord) -> Verdict:
    return record.internal_mutation


def npnru_relocation(record: AttributionRecord) -> bool:
    return record.urban_renewal_relocation


def zero_resources_in_first_quartile(record: AttributionRecord) -> bool:
    """Counted in Q1 for having no resources (a relocation counts as a relocation)."""
    return not record.urban_renewal_relocation and record.annual_resources == 0
