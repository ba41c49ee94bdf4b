"""The attribution records of the indicators, their targets and the live impact.

How the stored séances become `AttributionRecord`s (the yearly report prints these
choices in French, `annual.METHOD`; keep both in step):

* One record per dwelling on an agenda whose candidacies received an attribution
  decision (attribution, par ordre de priorité, sous condition suspensive). The
  record is the candidacy that holds the dwelling: the one whose lease is signed, else
  the best-ranked attribution not followed by a refusal or a lapsed condition. A
  dwelling whose every attributed candidate refused gives no record. Its id is the
  decision's id.
* Decision date = date of the séance; lease = the `lease_signed` event of the holder.
* Resources: the demande's resource lines x 12 (the SNE's yearly resources); a demande
  with no resource line has unknown resources, a line at 0 € means no resources.
  Consumption units: modified OECD scale on the members' ages on the decision date;
  a child without birth date makes them unknown.
* Quartile threshold: the dwelling's EPCI for the year of the lease (of the decision
  when no lease is signed).
* Reservation: the réservataire the vacancy was oriented to on the agenda (else the
  dwelling's); it counts as returned when the holder was not presented by that
  réservataire (its candidates failed, the landlord attributed it).
* Priority household: a priority criterion recorded on the demande (CCH, PDALHPD,
  CIA), DALO, or a SYPLO label. Internal mutation: a mutation motive on the demande.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import AgendaItem, Candidacy, CommissionSession, Commune, Dwelling
from caleol.db.models import Target as TargetRow
from caleol.db.models.enums import CandidacyEventKind, ReservataireType
from caleol.errors import NotFoundError
from caleol.rules.household import Role, age_on
from caleol.rules.indicators import (
    EVERYWHERE,
    AttributionRecord,
    Bases,
    EtatContingent,
    IndicatorResult,
    Period,
    ReservataireKind,
    Target,
    Territory,
    annual_resources_from_monthly,
    compute_all,
    impact_of_attribution,
    quartile_consumption_units,
)
from caleol.services.reports.queries.seances import (
    CandidacyRow,
    HouseholdRow,
    ItemRow,
    Lookups,
    event_date,
    from_reservataire,
    holder,
    load_items,
    reservation,
)

CLOSED_STATUSES = {"closed", "signed"}

_KINDS: dict[str, tuple[ReservataireKind | None, EtatContingent | None]] = {
    ReservataireType.ETAT_PRIORITAIRES: (ReservataireKind.ETAT, EtatContingent.PRIORITAIRES),
    ReservataireType.ETAT_AGENTS: (ReservataireKind.ETAT, EtatContingent.AGENTS),
    ReservataireType.ACTION_LOGEMENT: (ReservataireKind.ACTION_LOGEMENT, None),
    ReservataireType.COMMUNE_EPCI: (ReservataireKind.COLLECTIVITE, None),
    ReservataireType.DEPARTEMENT: (ReservataireKind.COLLECTIVITE, None),
    ReservataireType.AUTRE: (ReservataireKind.AUTRE, None),
    ReservataireType.BAILLEUR: (None, None),
}



def _consumption_units(household: HouseholdRow, on: date) -> Decimal | None:
    older = younger = 0
    for role, birth in household.members:
        if role != Role.CHILD:
            older += 1
            continue
        if birth is None or birth > on:
            return None
        if age_on(birth, on) >= 14:
            older += 1
        else:
            younger += 1
    if older == 0:
        return None
    return quartile_consumption_units(older, younger)


def _annual_resources(household: HouseholdRow) -> Decimal | None:
    if household.resources_cents is None:
        return None
    return annual_resources_from_monthly(Decimal(household.resources_cents) / 100)


def _record(candidacy: CandidacyRow, item: ItemRow, lookups: Lookups) -> AttributionRecord:
    household = candidacy.household
    commune = lookups.communes.get(item.commune_id) if item.commune_id else None
    epci = lookups.epcis.get(commune.epci_id) if commune and commune.epci_id else None
    department_id = (commune.department_id if commune else None) or (
        epci.department_id if epci else None
    )
    agency_id = item.dwelling_agency_id or item.commission_agency_id
    lease_date = event_date(candidacy, CandidacyEventKind.LEASE_SIGNED)
    threshold_year = (lease_date or item.session_date).year
    reservataire = reservation(item, lookups)
    kind, contingent = (None, None)
    if reservataire is not None:
        kind, contingent = _KINDS.get(reservataire.kind, (ReservataireKind.AUTRE, None))
    decision = candidacy.decision
    # the decision's id; a candidacy not decided yet (live impact) gets minus its own id
    record_id = decision.id if decision is not None else -candidacy.id
    return AttributionRecord(
        id=record_id,
        nur=household.nur,
        decision_date=item.session_date,
        dwelling_ref=item.dwelling_ref,
        epci=epci.siren if epci else "",
        epci_name=epci.name if epci else "",
        department=lookups.departments.get(department_id, "") if department_id else "",
        agency=lookups.agencies.get(agency_id, "") if agency_id else "",
        commission=item.commission_code,
        lease_signed=lease_date is not None,
        lease_date=lease_date,
        in_qpv=item.qpv,
        reserved_for=kind,
        returned_by_reservataire=(
            reservataire is not None and not from_reservataire(candidacy, reservataire)
        ),
        annual_resources=_annual_resources(household),
        consumption_units=_consumption_units(household, item.session_date),
        quartile_threshold=(
            lookups.thresholds.get((epci.id, threshold_year)) if epci and epci.id else None
        ),
        priority=household.priority,
        dalo=household.dalo,
        action_logement_employee=household.action_logement_employee,
        current_social_tenant=household.current_social_tenant,
        internal_mutation=household.mutation_motive is not None,
        urban_renewal_relocation=household.mutation_motive == "demolition_npnru",
        etat_contingent=contingent,
    )


def attribution_records_in(
    session: Session, start: date, end: date, epci_id: int | None = None
) -> list[AttributionRecord]:
    """Records of the séances held between `start` and `end` (inclusive), optionally of
    the dwellings of one EPCI only."""
    lookups = Lookups.load(session)
    records = []
    for item in load_items(session, start, end, epci_id):
        candidacy = holder(item)
        if candidacy is not None:
            records.append(_record(candidacy, item, lookups))
    return records


def load_attribution_records(engine: Engine, period: Period) -> list[AttributionRecord]:
    """Every record that may count in `period`: séances from the year before its start
    (a lease signed in January may follow a December decision) to its end."""
    start = date(period.start.year - 1, 1, 1)
    with session_scope(engine) as session:
        return attribution_records_in(session, start, period.end)


def targets_in(session: Session, year: int) -> list[Target]:
    rows = session.exec(select(TargetRow).where(TargetRow.year == year))
    return [
        Target(
            row.indicator_code, row.year, Decimal(row.value),
            Territory(row.department_code, row.epci_code, row.agency_code, row.commission_code),
            row.source,
        )
        for row in rows
    ]


def load_targets(engine: Engine, year: int) -> list[Target]:
    """The targets stored for the year (the landlord's: CUS, charter, conventions); the
    CCH's national targets apply where none is stored (`rules.indicators.targets`)."""
    with session_scope(engine) as session:
        return targets_in(session, year)


@dataclass(frozen=True)
class IndicatorSnapshot:
    """The indicators of a period and territory, with the records they count (what a
    figure's drill-down lists)."""

    period: Period
    territory: Territory
    results: tuple[IndicatorResult, ...]
    records: tuple[AttributionRecord, ...]


def indicator_snapshot(
    engine: Engine,
    period: Period,
    territory: Territory = EVERYWHERE,
    bases: Bases | None = None,
) -> IndicatorSnapshot:
    """Every indicator of the period and territory, with targets from the database, each
    on its basis (None: the sources'), and the records behind them."""
    records = load_attribution_records(engine, period)
    results = compute_all(records, period, territory,
                          load_targets(engine, period.start.year), bases)
    return IndicatorSnapshot(period, territory, tuple(results), tuple(records))


def indicator_results(
    engine: Engine,
    period: Period,
    territory: Territory = EVERYWHERE,
    bases: Bases | None = None,
) -> list[IndicatorResult]:
    """Every indicator of the period and territory (`indicator_snapshot`'s results)."""
    return list(indicator_snapshot(engine, period, territory, bases).results)


def live_impact(
    engine: Engine, candidacy_id: int, bases: Bases | None = None
) -> tuple[IndicatorResult, IndicatorResult]:
    """How attributing this candidacy's dwelling to it would move its EPCI's indicator.

    Raises:
        NotFoundError: when the candidacy does not exist, or no longer does by the time
            its séances are read.
    """
    with session_scope(engine) as session:
        found = session.execute(
            select(col(CommissionSession.date), col(Commune.epci_id))
            .select_from(Candidacy)
            .join(AgendaItem, col(Candidacy.agenda_item_id) == AgendaItem.id)
            .join(CommissionSession, col(AgendaItem.session_id) == CommissionSession.id)
            .join(Dwelling, col(AgendaItem.dwelling_id) == Dwelling.id)
            .outerjoin(Commune, col(Dwelling.commune_id) == Commune.id)
            .where(col(Candidacy.id) == candidacy_id)
        ).first()
        if found is None:
            raise NotFoundError(f"Candidature {candidacy_id} introuvable.")
        year = found[0].year
        # only the candidate's EPCI matters: read its séances, not the whole landlord's
        items = load_items(session, date(year - 1, 1, 1), date(year, 12, 31), found[1])
        lookups = Lookups.load(session)
        targets = targets_in(session, year)
    # Each read sees the latest commit: a candidacy withdrawn (an undo) between the first
    # read and the séances' is gone, as if the first had not found it.
    own = next((i for i in items if any(c.id == candidacy_id for c in i.candidacies)), None)
    if own is None:
        raise NotFoundError(f"Candidature {candidacy_id} introuvable.")
    candidacy = next(c for c in own.candidacies if c.id == candidacy_id)
    candidate = _record(candidacy, own, lookups)
    # whoever holds this agenda item's dwelling now is replaced by the candidate
    others = []
    for item in items:
        held = holder(item)
        if item is not own and held is not None:
            others.append(_record(held, item, lookups))
    return impact_of_attribution(others, candidate, targets, bases)
