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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    AgendaItem,
    Candidacy,
    CommissionSession,
    Commune,
    Decision,
    Demande,
    Department,
    Dwelling,
    Epci,
    QuartileThreshold,
    Reservataire,
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


def _event_date(candidacy: Candidacy, kind: CandidacyEventKind) -> date | None:
    dates = [e.date for e in candidacy.events if e.kind == kind]
    return min(dates) if dates else None


def _is_attribution(candidacy: Candidacy) -> bool:
    decision = candidacy.decision
    return decision is not None and DecisionKind(decision.kind).is_attribution


def holder(item: AgendaItem) -> Candidacy | None:
    """The candidacy the dwelling of this agenda item went to, if any.

    The one whose lease is signed, else the first of the offer queue (the session
    services' order) that has not refused nor let its condition lapse.
    """
    queue = offer_queue(item)
    for candidacy in queue:
        if _event_date(candidacy, CandidacyEventKind.LEASE_SIGNED) is not None:
            return candidacy
    return next((c for c in queue if not {e.kind for e in c.events} & set(ENDING)), None)


def _consumption_units(demande: Demande, on: date) -> Decimal | None:
    older = younger = 0
    for member in demande.members:
        if member.role != Role.CHILD:
            older += 1
            continue
        if member.birth_date is None or member.birth_date > on:
            return None
        if age_on(member.birth_date, on) >= 14:
            older += 1
        else:
            younger += 1
    if older == 0:
        return None
    return quartile_consumption_units(older, younger)


def _annual_resources(demande: Demande) -> Decimal | None:
    if not demande.resources:
        return None
    monthly = Decimal(sum(r.monthly_cents for r in demande.resources)) / 100
    return annual_resources_from_monthly(monthly)


def _reservation(
    item: AgendaItem, dwelling: Dwelling, lookups: _Lookups
) -> Reservataire | None:
    reservataire_id = item.reservataire_id or dwelling.reservataire_id
    if reservataire_id is None:
        return None
    reservataire = lookups.reservataires.get(reservataire_id)
    if reservataire is None or reservataire.kind == ReservataireType.BAILLEUR:
        return None
    return reservataire


def _from_reservataire(candidacy: Candidacy, reservataire: Reservataire) -> bool:
    return (
        candidacy.proposed_by_reservataire_id == reservataire.id
        or candidacy.added_by == "reservataire"
    )


def _record(
    candidacy: Candidacy,
    item: AgendaItem,
    sitting: CommissionSession,
    lookups: _Lookups,
) -> AttributionRecord:
    dwelling = item.dwelling
    demande = candidacy.demande
    assert dwelling is not None and demande is not None
    commune = lookups.communes.get(dwelling.commune_id) if dwelling.commune_id else None
    epci = lookups.epcis.get(commune.epci_id) if commune and commune.epci_id else None
    department_id = (commune.department_id if commune else None) or (
        epci.department_id if epci else None
    )
    commission = sitting.commission
    agency_id = dwelling.agency_id or (commission.agency_id if commission else None)
    lease_date = _event_date(candidacy, CandidacyEventKind.LEASE_SIGNED)
    threshold_year = (lease_date or sitting.date).year
    reservataire = _reservation(item, dwelling, lookups)
    kind, contingent = (None, None)
    if reservataire is not None:
        kind, contingent = _KINDS.get(reservataire.kind, (ReservataireKind.AUTRE, None))
    decision = candidacy.decision
    # the decision's id; a candidacy not decided yet (live impact) gets minus its own id
    record_id = decision.id if decision is not None and decision.id else -(candidacy.id or 0)
    return AttributionRecord(
        id=record_id,
        decision_date=sitting.date,
        dwelling_ref=dwelling.reference,
        epci=epci.siren if epci else "",
        epci_name=epci.name if epci else "",
        department=lookups.departments.get(department_id, "") if department_id else "",
        agency=lookups.agencies.get(agency_id, "") if agency_id else "",
        commission=commission.code if commission else "",
        lease_signed=lease_date is not None,
        lease_date=lease_date,
        in_qpv=dwelling.qpv,
        reserved_for=kind,
        returned_by_reservataire=(
            reservataire is not None and not _from_reservataire(candidacy, reservataire)
        ),
        annual_resources=_annual_resources(demande),
        consumption_units=_consumption_units(demande, sitting.date),
        quartile_threshold=(
            lookups.thresholds.get((epci.id, threshold_year)) if epci and epci.id else None
        ),
        priority=bool(demande.priorities) or demande.dalo or demande.syplo_label,
        dalo=demande.dalo,
        action_logement_employee=demande.action_logement_employee,
        current_social_tenant=demande.current_social_tenant,
        internal_mutation=demande.mutation_motive is not None,
        urban_renewal_relocation=demande.mutation_motive == "demolition_npnru",
        etat_contingent=contingent,
    )


def _agenda_items(
    session: Session, start: date, end: date, epci_id: int | None = None
) -> list[AgendaItem]:
    candidacies = selectinload(AgendaItem.candidacies)  # type: ignore[arg-type]
    demande = candidacies.selectinload(Candidacy.demande)  # type: ignore[arg-type]
    statement = (
        select(AgendaItem)
        .join(CommissionSession, col(AgendaItem.session_id) == CommissionSession.id)
        .where(CommissionSession.date >= start, CommissionSession.date <= end)
        .options(
            selectinload(AgendaItem.session)  # type: ignore[arg-type]
            .selectinload(CommissionSession.commission),  # type: ignore[arg-type]
            selectinload(AgendaItem.dwelling),  # type: ignore[arg-type]
            candidacies.selectinload(Candidacy.decision)  # type: ignore[arg-type]
            .selectinload(Decision.reason),  # type: ignore[arg-type]
            candidacies.selectinload(Candidacy.events),  # type: ignore[arg-type]
            demande.selectinload(Demande.members),  # type: ignore[arg-type]
            demande.selectinload(Demande.resources),  # type: ignore[arg-type]
            demande.selectinload(Demande.priorities),  # type: ignore[arg-type]
        )
        .order_by(CommissionSession.date, AgendaItem.id)
    )
    if epci_id is not None:
        statement = (
            statement.join(Dwelling, col(AgendaItem.dwelling_id) == Dwelling.id)
            .join(Commune, col(Dwelling.commune_id) == Commune.id)
            .where(Commune.epci_id == epci_id)
        )
    return list(session.exec(statement))


def attribution_records_in(
    session: Session, start: date, end: date, epci_id: int | None = None
) -> list[AttributionRecord]:
    """Records of the séances held between `start` and `end` (inclusive), optionally of
    the dwellings of one EPCI only."""
    lookups = _Lookups.load(session)
    records = []
    for item in _agenda_items(session, start, end, epci_id):
        candidacy = holder(item)
        if candidacy is None or item.session is None:
            continue
        records.append(_record(candidacy, item, item.session, lookups))
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
        candidacy = session.get(Candidacy, candidacy_id)
        if candidacy is None or candidacy.agenda_item is None:
            raise CaleolError(f"Candidature {candidacy_id} introuvable.")
        item = candidacy.agenda_item
        sitting = item.session
        assert sitting is not None
        lookups = _Lookups.load(session)
        candidate = _record(candidacy, item, sitting, lookups)
        year = sitting.date.year
        dwelling = item.dwelling
        commune = lookups.communes.get(dwelling.commune_id or 0) if dwelling else None
        # only the candidate's EPCI matters: read its séances, not the whole landlord's
        epci_id = commune.epci_id if commune is not None else None
        records = attribution_records_in(session, date(year - 1, 1, 1), date(year, 12, 31),
                                         epci_id)
        targets = targets_in(session, year)
    # whoever holds this agenda item's dwelling now is replaced by the candidate
    others = [
        r for r in records
        if (r.dwelling_ref, r.decision_date) != (candidate.dwelling_ref, candidate.decision_date)
    ]
    return impact_of_attribution(others, candidate, targets, mixite)


# --- flux: vacancies oriented to réservataires ------------------------------------------

def _orientation_reason(item: AgendaItem, reservataire: Reservataire, held: Candidacy | None,
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
            text = decision.reason_text or (decision.reason.label if decision.reason else "")
            reasons.append(text or DecisionKind(decision.kind).label.lower())
    if outcome is OrientationOutcome.RETURNED and not own:
        reasons.append("aucun candidat présenté par le réservataire")
    if held is not None and not _from_reservataire(held, reservataire) and own:
        reasons.append("attribué à un candidat du bailleur")
    seen: list[str] = []
    for reason in reasons:
        if reason not in seen:
            seen.append(reason)
    return " ; ".join(seen)


def orientation_records_in(session: Session, year: int) -> list[OrientationRecord]:
    """One orientation per agenda item whose vacancy went to a réservataire in `year`."""
    lookups = _Lookups.load(session)
    out = []
    for item in _agenda_items(session, date(year, 1, 1), date(year, 12, 31)):
        dwelling, sitting = item.dwelling, item.session
        assert dwelling is not None and sitting is not None
        reservataire = _reservation(item, dwelling, lookups)
        if reservataire is None:
            continue
        held = holder(item)
        decided = any(c.decision is not None for c in item.candidacies)
        if held is not None:
            outcome = (
                OrientationOutcome.ATTRIBUTED if _from_reservataire(held, reservataire)
                else OrientationOutcome.RETURNED
            )
        elif decided or sitting.status in CLOSED_STATUSES:
            outcome = OrientationOutcome.RETURNED
        else:
            outcome = OrientationOutcome.PENDING
        lease_date = _event_date(held, CandidacyEventKind.LEASE_SIGNED) if held else None
        priority = None
        if held is not None and held.demande is not None:
            demande = held.demande
            priority = bool(demande.priorities) or demande.dalo or demande.syplo_label
        commune = lookups.communes.get(dwelling.commune_id) if dwelling.commune_id else None
        out.append(OrientationRecord(
            id=item.id or 0,
            dwelling_ref=dwelling.reference,
            reservataire_code=reservataire.code,
            oriented_on=item.orientation_date or sitting.date,
            address=dwelling.address,
            commune=commune.name if commune else "",
            typology=dwelling.typology,
            in_qpv=dwelling.qpv,
            construction_year=dwelling.construction_year,
            financing=dwelling.financing,
            caleol_date=sitting.date,
            lease_signed=lease_date is not None,
            lease_date=lease_date,
            priority_household=priority,
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
