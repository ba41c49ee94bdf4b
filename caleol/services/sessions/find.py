"""Finding what the secretary names from the shell: a commission by its number, code or
name, a dwelling by its reference, a demande by its NUR, a candidate in a séance.

Each returns the id the séance services take, or raises `ValidationError` saying, in
French, what was not found (or which records the name could mean).
"""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import col, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    Candidacy,
    Commission,
    CommissionSession,
    Demande,
    Dwelling,
    Reason,
    Reservataire,
)
from caleol.errors import ValidationError
from caleol.rules.nur import normalize_nur


def commission_id(engine: Engine, text: str) -> int:
    """The commission whose number, code or name (any case) is `text`."""
    wanted = text.strip()
    with session_scope(engine) as db:
        if wanted.isdigit():
            found = db.get(Commission, int(wanted))
            if found is not None:
                return found.id or 0
        rows = db.exec(select(Commission).where(
            (func.lower(Commission.code) == wanted.lower())
            | (func.lower(Commission.name) == wanted.lower()))).all()
        if len(rows) == 1:
            return rows[0].id or 0
        if rows:
            raise ValidationError(f"« {wanted} » désigne plusieurs commissions : "
                                  + ", ".join(f"n° {r.id} {r.name}" for r in rows) + ".")
        known = db.exec(select(Commission).where(col(Commission.active))
                        .order_by(col(Commission.code))).all()
        raise ValidationError(
            f"Commission « {wanted} » introuvable."
            + (" Commissions : " + ", ".join(f"{c.code} ({c.name})" for c in known) + "."
               if known else " Aucune commission : créez-la (caleol setup apply)."))


def dwelling_id(engine: Engine, reference: str) -> int:
    with session_scope(engine) as db:
        row = db.exec(select(Dwelling).where(Dwelling.reference == reference.strip())).first()
        if row is None:
            raise ValidationError(f"Logement « {reference} » introuvable (référence du "
                                  "logement, comme dans caleol export dwellings).")
        return row.id or 0


def demande_id(engine: Engine, nur: str) -> int:
    """The demande whose NUR is `nur`, written as the SNE prints it or not."""
    with session_scope(engine) as db:
        row = db.exec(select(Demande).where(Demande.nur == normalize_nur(nur))).first()
        if row is None:
            raise ValidationError(f"Demande « {nur} » introuvable (numéro unique, NUR).")
        return row.id or 0


def reservataire_id(engine: Engine, text: str) -> int:
    """The réservataire whose code or name (any case) is `text`."""
    wanted = text.strip().lower()
    with session_scope(engine) as db:
        rows = db.exec(select(Reservataire).where(
            (func.lower(Reservataire.code) == wanted)
            | (func.lower(Reservataire.name) == wanted))).all()
        if len(rows) == 1:
            return rows[0].id or 0
        known = db.exec(select(Reservataire).order_by(col(Reservataire.code))).all()
        raise ValidationError(
            f"Réservataire « {text.strip()} » "
            + ("ambigu" if rows else "introuvable") + " ; réservataires : "
            + (", ".join(f"{r.code} ({r.name})" for r in known) or "aucun") + ".")


def agenda_item_id(engine: Engine, session_id: int, reference: str) -> int:
    """The agenda item of the dwelling `reference` in séance `session_id`."""
    with session_scope(engine) as db:
        if db.get(CommissionSession, session_id) is None:
            raise ValidationError(f"Séance n° {session_id} introuvable.")
        row = db.exec(select(AgendaItem).join(
            Dwelling, col(Dwelling.id) == col(AgendaItem.dwelling_id)).where(
            AgendaItem.session_id == session_id,
            Dwelling.reference == reference.strip())).first()
        if row is None:
            raise ValidationError(f"Le logement « {reference} » n'est pas à l'ordre du jour de "
                                  f"la séance n° {session_id} (caleol session add-dwelling).")
        return row.id or 0


def candidacy_id(engine: Engine, session_id: int, reference: str, nur: str) -> int:
    """The candidacy of the demande `nur` for the dwelling `reference` in the séance."""
    item = agenda_item_id(engine, session_id, reference)
    with session_scope(engine) as db:
        row = db.exec(select(Candidacy).join(
            Demande, col(Demande.id) == col(Candidacy.demande_id)).where(
            Candidacy.agenda_item_id == item, Demande.nur == normalize_nur(nur))).first()
        if row is None:
            raise ValidationError(f"La demande « {nur} » n'est pas candidate pour le logement "
                                  f"« {reference} » dans la séance n° {session_id}.")
        return row.id or 0


def reason_text(engine: Engine, text: str) -> str:
    """A catalogue reason's label when `text` is its code, else `text` as typed."""
    with session_scope(engine) as db:
        row = db.exec(select(Reason).where(Reason.code == text.strip())).first()
        return row.label if row is not None else text.strip()
