"""What happens after the séance, recorded as events: never by editing a decision.

The offer of a dwelling follows its attributions in order (the single attribution,
or ranks 1, 2, 3...). A candidate who refuses, or whose suspensive condition lapses,
leaves the queue: the event names the next ranked candidate still in the queue,
who receives the offer. With nobody left, the dwelling goes back to a commission.
A signed lease closes the queue: the dwelling is let and the demande attributed
(the indicators count leases signed).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.db.models import AgendaItem, Candidacy, CandidacyEvent, Demande, Dwelling
from caleol.db.models.base import utcnow
from caleol.db.models.enums import CandidacyEventKind, DemandeStatus, DwellingStatus
from caleol.errors import ValidationError
from caleol.fr import format_date
from caleol.rules.decisions import DecisionKind
from caleol.rules.nir import NIR_FIELD_MESSAGE, contains_nir
from caleol.services.sessions.access import (
    FROZEN,
    load_agenda_item,
    load_candidacy,
    load_session,
    session_label,
    status_of,
)
from caleol.services.sessions.agenda import (
    ENDING,
    current_holder,
    dwelling_label,
    event_kinds,
    offer_queue,
)
from caleol.services.sessions.records import EventView
from caleol.services.sessions.views import candidacy_nur, event_view

__all__ = ["ENDING", "current_holder", "offer_queue", "record_condition_lapsed",
           "record_condition_met", "record_lease_signed", "record_refusal"]


def _context(db: Session, candidacy_id: int, on: dt.date) -> tuple[Candidacy, AgendaItem]:
    candidacy = load_candidacy(db, candidacy_id)
    item = load_agenda_item(db, candidacy.agenda_item_id)
    row = load_session(db, item.session_id)
    if status_of(row) not in FROZEN:
        raise ValidationError(
            f"{session_label(row).capitalize()} n'est pas close : les suites d'une décision "
            "s'enregistrent après la clôture."
        )
    if on < row.date:
        raise ValidationError(
            f"La date ({format_date(on)}) précède {session_label(row)}."
        )
    if candidacy.decision is None or not DecisionKind(candidacy.decision.kind).is_attribution:
        raise ValidationError(
            f"Le candidat {candidacy_nur(candidacy)} n'a pas reçu d'attribution pour le "
            f"logement {dwelling_label(item)}."
        )
    kinds = event_kinds(candidacy)
    if kinds & set(ENDING) or CandidacyEventKind.LEASE_SIGNED.value in kinds:
        raise ValidationError(
            f"L'attribution au candidat {candidacy_nur(candidacy)} est déjà terminée "
            "(refus, condition non levée ou bail signé)."
        )
    return candidacy, item


def _record(
    db: Session, candidacy: Candidacy, kind: CandidacyEventKind, on: dt.date, reason: str,
    passes_to: Candidacy | None = None,
) -> CandidacyEvent:
    if contains_nir(reason):  # the letters print it
        raise ValidationError(f"Motif de la suite : {NIR_FIELD_MESSAGE}.",
                              fields={"reason": NIR_FIELD_MESSAGE})
    event = CandidacyEvent(
        candidacy_id=candidacy.id or 0, kind=kind.value, date=on, reason=reason.strip(),
        passes_to_candidacy_id=passes_to.id if passes_to else None, recorded_at=utcnow(),
    )
    db.add(event)
    db.flush()
    return event


def _leave_queue(
    engine: Engine, candidacy_id: int, on: dt.date, reason: str, kind: CandidacyEventKind
) -> EventView:
    with session_scope(engine) as db:
        candidacy, item = _context(db, candidacy_id, on)
        decision = candidacy.decision
        assert decision is not None
        if kind is CandidacyEventKind.CONDITION_LAPSED and (
            decision.kind != DecisionKind.ATTRIBUTION_SOUS_CONDITION.value
        ):
            raise ValidationError(
                f"L'attribution au candidat {candidacy_nur(candidacy)} n'est pas sous "
                "condition suspensive."
            )
        if kind is CandidacyEventKind.CONDITION_LAPSED and (
            CandidacyEventKind.CONDITION_MET.value in event_kinds(candidacy)
        ):
            raise ValidationError("La condition suspensive a déjà été levée.")
        if kind is CandidacyEventKind.REFUSAL and not reason.strip():
            raise ValidationError("Indiquez le motif du refus du candidat.")
        was_holder = current_holder(item) is candidacy
        passes_to = None
        if was_holder:
            queue = offer_queue(item)
            after = queue[queue.index(candidacy) + 1:]
            passes_to = next((c for c in after if not event_kinds(c) & set(ENDING)), None)
        event = _record(db, candidacy, kind, on, reason, passes_to)
        nurs = {c.id: candidacy_nur(c) for c in item.candidacies if c.id is not None}
        if passes_to is not None:
            message = (f"Le logement {dwelling_label(item)} est proposé au candidat classé "
                       f"suivant : {candidacy_nur(passes_to)}.")
        elif was_holder:
            message = (f"Plus aucun candidat classé pour le logement {dwelling_label(item)} : "
                       "il doit repasser en commission.")
        else:
            message = "Enregistré ; le logement reste proposé au candidat en cours."
        return event_view(event, nurs, message)


def record_refusal(engine: Engine, candidacy_id: int, on: dt.date, reason: str) -> EventView:
    """The candidate refused the offer: the dwelling passes to the next ranked candidate."""
    return _leave_queue(engine, candidacy_id, on, reason, CandidacyEventKind.REFUSAL)


def record_condition_lapsed(
    engine: Engine, candidacy_id: int, on: dt.date, reason: str = ""
) -> EventView:
    """The missing document was not supplied in time: next ranked candidate."""
    return _leave_queue(engine, candidacy_id, on, reason, CandidacyEventKind.CONDITION_LAPSED)


def record_condition_met(
    engine: Engine, candidacy_id: int, on: dt.date, reason: str = ""
) -> EventView:
    """The suspensive condition is lifted (document supplied)."""
    with session_scope(engine) as db:
        candidacy, item = _context(db, candidacy_id, on)
        assert candidacy.decision is not None
        if candidacy.decision.kind != DecisionKind.ATTRIBUTION_SOUS_CONDITION.value:
            raise ValidationError(
                f"L'attribution au candidat {candidacy_nur(candidacy)} n'est pas sous "
                "condition suspensive."
            )
        if CandidacyEventKind.CONDITION_MET.value in event_kinds(candidacy):
            raise ValidationError("La condition suspensive est déjà levée.")
        event = _record(db, candidacy, CandidacyEventKind.CONDITION_MET, on, reason)
        nurs = {c.id: candidacy_nur(c) for c in item.candidacies if c.id is not None}
        return event_view(event, nurs, "Condition suspensive levée.")


def record_lease_signed(engine: Engine, candidacy_id: int, on: dt.date) -> EventView:
    """The lease is signed: the dwelling is let and the demande attributed."""
    with session_scope(engine) as db:
        candidacy, item = _context(db, candidacy_id, on)
        assert candidacy.decision is not None
        holder = current_holder(item)
        if holder is not candidacy:
            who = candidacy_nur(holder) if holder else "personne"
            raise ValidationError(
                f"Le logement {dwelling_label(item)} est proposé à {who}, pas au candidat "
                f"{candidacy_nur(candidacy)}."
            )
        if candidacy.decision.kind == DecisionKind.ATTRIBUTION_SOUS_CONDITION.value and (
            CandidacyEventKind.CONDITION_MET.value not in event_kinds(candidacy)
        ):
            raise ValidationError(
                "La condition suspensive n'est pas levée : enregistrez d'abord la pièce reçue."
            )
        event = _record(db, candidacy, CandidacyEventKind.LEASE_SIGNED, on, "")
        dwelling = db.get(Dwelling, item.dwelling_id)
        if dwelling is not None:
            dwelling.status = DwellingStatus.LET.value
            db.add(dwelling)
        demande = db.get(Demande, candidacy.demande_id)
        if demande is not None:
            demande.status = DemandeStatus.ATTRIBUTED.value
            demande.status_date = on
            db.add(demande)
        nurs = {c.id: candidacy_nur(c) for c in item.candidacies if c.id is not None}
        return event_view(event, nurs, f"Bail signé le {format_date(on)}.")
