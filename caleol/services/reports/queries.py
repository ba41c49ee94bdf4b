"""Plain records for the indicators and the flux review, read from the database.

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

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Select, func
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    AgendaItem,
    Candidacy,
    CandidacyEvent,
    Commission,
    CommissionSession,
    Commune,
    Decision,
    Demande,
    DemandePriority,
    Department,
    Dwelling,
    Epci,
    HouseholdMember,
    QuartileThreshold,
    Reason,
    Reservataire,
    Resource,
)
from caleol.db.models import Target as TargetRow
from caleol.db.models.enums import CandidacyEventKind, ReservataireType
from caleol.errors import CaleolError
from caleol.rules.decisions import DecisionKind
from caleol.rules.flux import OrientationOutcome, OrientationRecord
from caleol.rules.household import Role, age_on
from caleol.rules.indicators import (
    EVERYWHERE,
    AttributionRecord,
    CountingBasis,
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
from caleol.services.sessions.events import ENDING, offer_queue

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


@dataclass(frozen=True)
class _Lookups:
    """Reference rows read once per query instead of once per record."""

    agencies: dict[int, str]
    departments: dict[int, str]
    epcis: dict[int, Epci]
    communes: dict[int, Commune]
    reservataires: dict[int, Reservataire]
    thresholds: dict[tuple[int, int], Decimal]

    @classmethod
    def load(cls, session: Session) -> _Lookups:
        return cls(
            agencies={a.id: a.code for a in session.exec(select(Agency)) if a.id is not None},
            departments={
                d.id: d.code for d in session.exec(select(Department)) if d.id is not None
            },
            epcis={e.id: e for e in session.exec(select(Epci)) if e.id is not None},
            communes={c.id: c for c in session.exec(select(Commune)) if c.id is not None},
            reservataires={
                r.id: r for r in session.exec(select(Reservataire)) if r.id is not None
            },
            thresholds={
                (t.epci_id, t.year): Decimal(t.threshold_cents) / 100
                for t in session.exec(select(QuartileThreshold))
            },
        )


# --- the séances, read with a few flat queries ------------------------------------------
# Plain rows rather than ORM objects: a year of attributions is read about ten times
# faster. The shapes keep the attribute names of the models, so the session services'
# `offer_queue` orders them exactly as it orders the stored candidacies.


@dataclass
class _Event:
    kind: str
    date: date
    reason: str


@dataclass
class _Decision:
    id: int
    kind: str
    rank: int | None
    reason_text: str
    reason_label: str


@dataclass
class _Household:
    dalo: bool = False
    syplo_label: bool = False
    action_logement_employee: bool = False
    current_social_tenant: bool = False
    mutation_motive: str | None = None
    priorities: int = 0
    resources_cents: int | None = None  # None: no resource line recorded
    members: list[tuple[str, date | None]] = field(default_factory=list)

    @property
    def priority(self) -> bool:
        return self.priorities > 0 or self.dalo or self.syplo_label


@dataclass
class _Candidacy:
    id: int
    demande_id: int
    added_by: str
    proposed_by_reservataire_id: int | None
    decision: _Decision | None
    events: list[_Event] = field(default_factory=list)
    household: _Household = field(default_factory=_Household)


@dataclass
class _Item:
    id: int
    session_date: date
    session_status: str
    commission_code: str
    commission_agency_id: int | None
    dwelling_ref: str
    address: str
    commune_id: int | None
    dwelling_agency_id: int | None
    qpv: bool | None
    typology: str
    financing: str
    construction_year: int | None
    reservataire_id: int | None  # orientation on the agenda, else the dwelling's
    orientation_date: date | None
    candidacies: list[_Candidacy] = field(default_factory=list)


def _item_filter(start: date, end: date, epci_id: int | None) -> Select[Any]:
    statement = (
        select(AgendaItem.id)
        .join(CommissionSession, col(AgendaItem.session_id) == CommissionSession.id)
        .where(CommissionSession.date >= start, CommissionSession.date <= end)
    )
    if epci_id is not None:
        statement = (
            statement.join(Dwelling, col(AgendaItem.dwelling_id) == Dwelling.id)
            .join(Commune, col(Dwelling.commune_id) == Commune.id)
            .where(Commune.epci_id == epci_id)
        )
    return statement


def _load_items(
    session: Session, start: date, end: date, epci_id: int | None = None
) -> list[_Item]:
    """The agenda items of the séances held between `start` and `end`, with their
    candidacies, decisions, events and households."""
    items_ids = _item_filter(start, end, epci_id)
    rows = session.execute(
        select(
            AgendaItem.id, CommissionSession.date, CommissionSession.status, Commission.code,
            Commission.agency_id, Dwelling.reference, Dwelling.address, Dwelling.commune_id,
            Dwelling.agency_id, Dwelling.qpv, Dwelling.typology, Dwelling.financing,
            Dwelling.construction_year, AgendaItem.reservataire_id, Dwelling.reservataire_id,
            AgendaItem.orientation_date,
        )
        .join(CommissionSession, col(AgendaItem.session_id) == CommissionSession.id)
        .join(Commission, col(CommissionSession.commission_id) == Commission.id)
        .join(Dwelling, col(AgendaItem.dwelling_id) == Dwelling.id)
        .where(col(AgendaItem.id).in_(items_ids))
        .order_by(CommissionSession.date, AgendaItem.id)
    ).all()
    items = {
        row[0]: _Item(
            id=row[0], session_date=row[1], session_status=row[2], commission_code=row[3],
            commission_agency_id=row[4], dwelling_ref=row[5], address=row[6],
            commune_id=row[7], dwelling_agency_id=row[8], qpv=row[9], typology=row[10],
            financing=row[11], construction_year=row[12],
            reservataire_id=row[13] or row[14], orientation_date=row[15],
        )
        for row in rows
    }
    candidacy_ids = select(Candidacy.id).where(col(Candidacy.agenda_item_id).in_(items_ids))
    demande_ids = select(Candidacy.demande_id).where(
        col(Candidacy.agenda_item_id).in_(items_ids)
    )
    candidacies: dict[int, _Candidacy] = {}
    for row in session.execute(
        select(
            Candidacy.id, Candidacy.agenda_item_id, Candidacy.demande_id, Candidacy.added_by,
            Candidacy.proposed_by_reservataire_id, Decision.id, Decision.kind, Decision.rank,
            Decision.reason_text, Reason.label,
        )
        .outerjoin(Decision, col(Decision.candidacy_id) == Candidacy.id)
        .outerjoin(Reason, col(Decision.reason_id) == Reason.id)
        .where(col(Candidacy.agenda_item_id).in_(items_ids))
        .order_by(Candidacy.id)
    ):
        decision = None if row[5] is None else _Decision(row[5], row[6], row[7], row[8] or "",
                                                         row[9] or "")
        candidacy = _Candidacy(row[0], row[2], row[3], row[4], decision)
        candidacies[row[0]] = candidacy
        items[row[1]].candidacies.append(candidacy)
    for row in session.execute(
        select(CandidacyEvent.candidacy_id, CandidacyEvent.kind, CandidacyEvent.date,
               CandidacyEvent.reason)
        .where(col(CandidacyEvent.candidacy_id).in_(candidacy_ids))
        .order_by(CandidacyEvent.id)
    ):
        candidacies[row[0]].events.append(_Event(row[1], row[2], row[3] or ""))
    households = _load_households(session, demande_ids)
    for candidacy in candidacies.values():
        candidacy.household = households.get(candidacy.demande_id, _Household())
    return list(items.values())


def _load_households(session: Session, demande_ids: Select[Any]) -> dict[int, _Household]:
    households: dict[int, _Household] = {}
    for row in session.execute(
        select(Demande.id, Demande.dalo, Demande.syplo_label, Demande.action_logement_employee,
               Demande.current_social_tenant, Demande.mutation_motive)
        .where(col(Demande.id).in_(demande_ids))
    ):
        households[row[0]] = _Household(bool(row[1]), bool(row[2]), bool(row[3]),
                                         bool(row[4]), row[5])
    members: dict[int, list[tuple[str, date | None]]] = defaultdict(list)
    for row in session.execute(
        select(HouseholdMember.demande_id, HouseholdMember.role, HouseholdMember.birth_date)
        .where(col(HouseholdMember.demande_id).in_(demande_ids))
    ):
        members[row[0]].append((row[1], row[2]))
    for row in session.execute(
        select(Resource.demande_id, func.sum(Resource.monthly_cents))
        .where(col(Resource.demande_id).in_(demande_ids))
        .group_by(Resource.demande_id)
    ):
        if row[0] in households:
            households[row[0]].resources_cents = int(row[1] or 0)
    for row in session.execute(
        select(DemandePriority.demande_id, func.count())
        .where(col(DemandePriority.demande_id).in_(demande_ids))
        .group_by(DemandePriority.demande_id)
    ):
        if row[0] in households:
            households[row[0]].priorities = int(row[1])
    for demande_id, household in households.items():
        household.members = members.get(demande_id, [])
    return households


def _event_date(candidacy: _Candidacy, kind: CandidacyEventKind) -> date | None:
    dates = [e.date for e in candidacy.events if e.kind == kind]
    return min(dates) if dates else None


def _is_attribution(candidacy: _Candidacy) -> bool:
    decision = candidacy.decision
    return decision is not None and DecisionKind(decision.kind).is_attribution


def holder(item: _Item) -> _Candidacy | None:
    """The candidacy the dwelling of this agenda item went to, if any.

    The one whose lease is signed, else the first of the offer queue (the session
    services' order) that has not refused nor let its condition lapse.
    """
    queue: list[_Candidacy] = offer_queue(item)  # type: ignore[arg-type]
    for candidacy in queue:
        if _event_date(candidacy, CandidacyEventKind.LEASE_SIGNED) is not None:
            return candidacy
    return next((c for c in queue if not {e.kind for e in c.events} & set(ENDING)), None)


def _consumption_units(household: _Household, on: date) -> Decimal | None:
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


def _annual_resources(household: _Household) -> Decimal | None:
    if household.resources_cents is None:
        return None
    return annual_resources_from_monthly(Decimal(household.resources_cents) / 100)


def _reservation(item: _Item, lookups: _Lookups) -> Reservataire | None:
    if item.reservataire_id is None:
        return None
    reservataire = lookups.reservataires.get(item.reservataire_id)
    if reservataire is None or reservataire.kind == ReservataireType.BAILLEUR:
        return None
    return reservataire


def _from_reservataire(candidacy: _Candidacy, reservataire: Reservataire) -> bool:
    return (
        candidacy.proposed_by_reservataire_id == reservataire.id
        or candidacy.added_by == "reservataire"
    )


def _record(candidacy: _Candidacy, item: _Item, lookups: _Lookups) -> AttributionRecord:
    household = candidacy.household
    commune = lookups.communes.get(item.commune_id) if item.commune_id else None
    epci = lookups.epcis.get(commune.epci_id) if commune and commune.epci_id else None
    department_id = (commune.department_id if commune else None) or (
        epci.department_id if epci else None
    )
    agency_id = item.dwelling_agency_id or item.commission_agency_id
    lease_date = _event_date(candidacy, CandidacyEventKind.LEASE_SIGNED)
    threshold_year = (lease_date or item.session_date).year
    reservataire = _reservation(item, lookups)
    kind, contingent = (None, None)
    if reservataire is not None:
        kind, contingent = _KINDS.get(reservataire.kind, (ReservataireKind.AUTRE, None))
    decision = candidacy.decision
    # the decision's id; a candidacy not decided yet (live impact) gets minus its own id
    record_id = decision.id if decision is not None else -candidacy.id
    return AttributionRecord(
        id=record_id,
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
            reservataire is not None and not _from_reservataire(candidacy, reservataire)
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
    lookups = _Lookups.load(session)
    records = []
    for item in _load_items(session, start, end, epci_id):
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
        )
        for row in rows
    ]


def load_targets(engine: Engine, year: int) -> list[Target]:
    """The targets stored for the year (the legal defaults apply where none is stored)."""
    with session_scope(engine) as session:
        return targets_in(session, year)


def indicator_results(
    engine: Engine,
    period: Period,
    territory: Territory = EVERYWHERE,
    mixite: CountingBasis = CountingBasis.LEASES,
) -> list[IndicatorResult]:
    """Every indicator of the period and territory, with targets from the database."""
    records = load_attribution_records(engine, period)
    return compute_all(records, period, territory, load_targets(engine, period.start.year),
                       mixite)


def live_impact(
    engine: Engine, candidacy_id: int, mixite: CountingBasis = CountingBasis.LEASES
) -> tuple[IndicatorResult, IndicatorResult]:
    """How attributing this candidacy's dwelling to it would move its EPCI's indicator.

    Raises:
        CaleolError: when the candidacy does not exist.
    """
    with session_scope(engine) as session:
        found = session.execute(
            select(CommissionSession.date, Commune.epci_id)
            .select_from(Candidacy)
            .join(AgendaItem, col(Candidacy.agenda_item_id) == AgendaItem.id)
            .join(CommissionSession, col(AgendaItem.session_id) == CommissionSession.id)
            .join(Dwelling, col(AgendaItem.dwelling_id) == Dwelling.id)
            .outerjoin(Commune, col(Dwelling.commune_id) == Commune.id)
            .where(Candidacy.id == candidacy_id)
        ).first()
        if found is None:
            raise CaleolError(f"Candidature {candidacy_id} introuvable.")
        year = found[0].year
        # only the candidate's EPCI matters: read its séances, not the whole landlord's
        items = _load_items(session, date(year - 1, 1, 1), date(year, 12, 31), found[1])
        lookups = _Lookups.load(session)
        targets = targets_in(session, year)
    own = next(i for i in items if any(c.id == candidacy_id for c in i.candidacies))
    candidacy = next(c for c in own.candidacies if c.id == candidacy_id)
    candidate = _record(candidacy, own, lookups)
    # whoever holds this agenda item's dwelling now is replaced by the candidate
    others = []
    for item in items:
        held = holder(item)
        if item is not own and held is not None:
            others.append(_record(held, item, lookups))
    return impact_of_attribution(others, candidate, targets, mixite)


# --- flux: vacancies oriented to réservataires ------------------------------------------

def _orientation_reason(item: _Item, reservataire: Reservataire, held: _Candidacy | None,
                        outcome: OrientationOutcome) -> str:
    reasons: list[str] = []
    own = [c for c in item.candidacies if _from_reservataire(c, reservataire)]
    for candidacy in own:
        for event in candidacy.events:
            if event.kind == CandidacyEventKind.REFUSAL:
                reasons.append(event.reason or "refus du candidat")
            elif event.kind == CandidacyEventKind.CONDITION_LAPSED:
                reasons.append(event.reason or "condition suspensive non levée")
        decision = candidacy.decision
        if decision is not None and not _is_attribution(candidacy):
            text = decision.reason_text or decision.reason_label
            reasons.append(text or DecisionKind(decision.kind).label.lower())
    if outcome is OrientationOutcome.RETURNED and not own:
        reasons.append("aucun candidat présenté par le réservataire")
    if held is not None and not _from_reservataire(held, reservataire) and own:
        reasons.append("attribué à un candidat du bailleur")
    return " ; ".join(dict.fromkeys(reasons))


def orientation_records_in(session: Session, year: int) -> list[OrientationRecord]:
    """One orientation per agenda item whose vacancy went to a réservataire in `year`."""
    lookups = _Lookups.load(session)
    out = []
    for item in _load_items(session, date(year, 1, 1), date(year, 12, 31)):
        reservataire = _reservation(item, lookups)
        if reservataire is None:
            continue
        held = holder(item)
        decided = any(c.decision is not None for c in item.candidacies)
        if held is not None:
            outcome = (
                OrientationOutcome.ATTRIBUTED if _from_reservataire(held, reservataire)
                else OrientationOutcome.RETURNED
            )
        elif decided or item.session_status in CLOSED_STATUSES:
            outcome = OrientationOutcome.RETURNED
        else:
            outcome = OrientationOutcome.PENDING
        lease_date = _event_date(held, CandidacyEventKind.LEASE_SIGNED) if held else None
        commune = lookups.communes.get(item.commune_id) if item.commune_id else None
        out.append(OrientationRecord(
            id=item.id,
            dwelling_ref=item.dwelling_ref,
            reservataire_code=reservataire.code,
            oriented_on=item.orientation_date or item.session_date,
            address=item.address,
            commune=commune.name if commune else "",
            typology=item.typology,
            in_qpv=item.qpv,
            construction_year=item.construction_year,
            financing=item.financing,
            caleol_date=item.session_date,
            lease_signed=lease_date is not None,
            lease_date=lease_date,
            priority_household=None if held is None else held.household.priority,
            outcome=outcome,
            reason=_orientation_reason(item, reservataire, held, outcome),
        ))
    return out


def load_orientations(engine: Engine, year: int) -> list[OrientationRecord]:
    with session_scope(engine) as session:
        return orientation_records_in(session, year)


@dataclass(frozen=True)
class ReservataireInfo:
    code: str
    name: str
    kind: str
    proposal_delay_days: int


def load_reservataires(engine: Engine) -> list[ReservataireInfo]:
    with session_scope(engine) as session:
        rows: Iterable[Reservataire] = session.exec(
            select(Reservataire).order_by(Reservataire.code)
        )
        return [ReservataireInfo(r.code, r.name, r.kind, r.proposal_delay_days) for r in rows]


def find_reservataire(infos: Sequence[ReservataireInfo], code: str) -> ReservataireInfo:
    """Raises:
        CaleolError: with the known codes when `code` is not one of them.
    """
    for info in infos:
        if info.code == code:
            return info
    known = ", ".join(i.code for i in infos) or "aucun"
    raise CaleolError(f"Réservataire « {code} » inconnu (codes connus : {known}).")
