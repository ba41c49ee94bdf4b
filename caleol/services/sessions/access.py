"""Loading a séance for a use case, and refusing writes its status does not allow.

Every write service goes through `writable_session`, so a closed or signed séance
raises a French `FrozenError` before any SQL runs (the database triggers stay the
backstop for anything that bypasses the services).
"""

from __future__ import annotations

from sqlmodel import Session

from caleol.db.models import AgendaItem, Candidacy, CommissionSession
from caleol.db.models.enums import SessionStatus
from caleol.errors import CaleolError, FrozenError, ValidationError
from caleol.fr import format_date

PREPARING = (SessionStatus.DRAFT, SessionStatus.READY)
HOLDING = (SessionStatus.HELD,)
OPEN = (SessionStatus.DRAFT, SessionStatus.READY, SessionStatus.HELD)
FROZEN = (SessionStatus.CLOSED, SessionStatus.SIGNED)


def impossible(action: str) -> str:
    """« Impossible d'ouvrir la séance », « Impossible de changer … »: « de » elided
    before a vowel (it read « Impossible de ouvrir la séance »)."""
    return f"Impossible d'{action}" if action[:1].lower() in "aeiouyàâéèêîôû" else \
        f"Impossible de {action}"


def session_label(row: CommissionSession) -> str:
    return f"la séance n° {row.id} du {format_date(row.date)}"


def status_of(row: CommissionSession) -> SessionStatus:
    return SessionStatus(row.status)


def load_session(db: Session, session_id: int) -> CommissionSession:
    row = db.get(CommissionSession, session_id)
    if row is None:
        raise CaleolError(f"Séance n° {session_id} introuvable.")
    return row


def refuse_frozen(row: CommissionSession) -> None:
    status = status_of(row)
    if status.frozen:
        raise FrozenError(
            f"Modification refusée : {session_label(row)} est {status.label}. "
            "Une correction se fait par un rectificatif."
        )


def writable_session(
    db: Session, session_id: int, allowed: tuple[SessionStatus, ...], action: str
) -> CommissionSession:
    """The séance if its status allows `action` (French infinitive phrase).

    Raises:
        FrozenError: the séance is closed or signed.
        ValidationError: the séance is in another status than `allowed`.
    """
    row = load_session(db, session_id)
    refuse_frozen(row)
    status = status_of(row)
    if status not in allowed:
        wanted = " ou ".join(f"« {s.label} »" for s in allowed)
        raise ValidationError(
            f"{impossible(action)} : {session_label(row)} est « {status.label} » "
            f"(il faut une séance {wanted})."
        )
    return row


def load_agenda_item(db: Session, agenda_item_id: int) -> AgendaItem:
    item = db.get(AgendaItem, agenda_item_id)
    if item is None:
        raise CaleolError(f"Logement à l'ordre du jour n° {agenda_item_id} introuvable.")
    return item


def load_candidacy(db: Session, candidacy_id: int) -> Candidacy:
    candidacy = db.get(Candidacy, candidacy_id)
    if candidacy is None:
        raise CaleolError(f"Candidature n° {candidacy_id} introuvable.")
    return candidacy


def session_of_candidacy(db: Session, candidacy: Candidacy) -> CommissionSession:
    item = load_agenda_item(db, candidacy.agenda_item_id)
    return load_session(db, item.session_id)
