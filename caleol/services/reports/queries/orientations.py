"""Flux: the vacancies oriented to réservataires, and the réservataires themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import Reservataire
from caleol.db.models.enums import CandidacyEventKind
from caleol.errors import CaleolError
from caleol.rules.decisions import DecisionKind
from caleol.rules.flux import OrientationOutcome, OrientationRecord
from caleol.services.reports.queries.seances import (
    CandidacyRow,
    ItemRow,
    Lookups,
    event_date,
    from_reservataire,
    holder,
    is_attribution,
    load_items,
    reservation,
)

CLOSED_STATUSES = {"closed", "signed"}


def _orientation_reason(item: ItemRow, reservataire: Reservataire, held: CandidacyRow | None,
                        outcome: OrientationOutcome) -> str:
    reasons: list[str] = []
    own = [c for c in item.candidacies if from_reservataire(c, reservataire)]
    for candidacy in own:
        for event in candidacy.events:
            if event.kind == CandidacyEventKind.REFUSAL:
                reasons.append(event.reason or "refus du candidat")
            elif event.kind == CandidacyEventKind.CONDITION_LAPSED:
                reasons.append(event.reason or "condition suspensive non levée")
        decision = candidacy.decision
        if decision is not None and not is_attribution(candidacy):
            text = decision.reason_text or decision.reason_label
            reasons.append(text or DecisionKind(decision.kind).label.lower())
    if outcome is OrientationOutcome.RETURNED and not own:
        reasons.append("aucun candidat présenté par le réservataire")
    if held is not None and not from_reservataire(held, reservataire) and own:
        reasons.append("attribué à un candidat du bailleur")
    return " ; ".join(dict.fromkeys(reasons))


def orientation_records_in(session: Session, year: int) -> list[OrientationRecord]:
    """One orientation per agenda item whose vacancy went to a réservataire in `year`."""
    lookups = Lookups.load(session)
    out = []
    for item in load_items(session, date(year, 1, 1), date(year, 12, 31)):
        reservataire = reservation(item, lookups)
        if reservataire is None:
            continue
        held = holder(item)
        decided = any(c.decision is not None for c in item.candidacies)
        if held is not None:
            outcome = (
                OrientationOutcome.ATTRIBUTED if from_reservataire(held, reservataire)
                else OrientationOutcome.RETURNED
            )
        elif decided or item.session_status in CLOSED_STATUSES:
            outcome = OrientationOutcome.RETURNED
        else:
            outcome = OrientationOutcome.PENDING
        lease_date = event_date(held, CandidacyEventKind.LEASE_SIGNED) if held else None
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
