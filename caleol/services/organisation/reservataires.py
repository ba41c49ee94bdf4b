"""Réservataires: create, edit, deactivate; deleted only while nothing refers to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Reservataire
from caleol.db.models.enums import ReservataireType
from caleol.services.editing.common import Problems
from caleol.services.organisation.common import (
    assign,
    gone,
    refuse_if_referred,
    reservataire_by_code,
)
from caleol.services.organisation.fields import (
    clean_address,
    clean_code,
    clean_email,
    clean_phone,
    clean_text,
)
from caleol.services.organisation.records import ReservataireRecord

MAX_DELAY_DAYS = 365


def reservataire_record(row: Reservataire) -> ReservataireRecord:
    return ReservataireRecord(row.code, row.name, row.kind, row.address, row.contact_name,
                              row.phone, row.email, row.proposal_delay_days, row.active,
                              row.id or 0)


def list_reservataires(engine: Engine, *, active_only: bool = False
                       ) -> tuple[ReservataireRecord, ...]:
    with session_scope(engine) as db:
        query = select(Reservataire).order_by(col(Reservataire.code))
        if active_only:
            query = query.where(col(Reservataire.active))
        return tuple(reservataire_record(row) for row in db.exec(query))


def kind_choices() -> tuple[tuple[str, str], ...]:
    """(value, French label) of each kind of réservataire, for a combo box."""
    return tuple((kind.value, kind.label) for kind in ReservataireType)


def save_reservataire_in(db: Session, record: ReservataireRecord) -> Reservataire:
    """Create (`id` 0) or update a réservataire.

    Raises:
        FormError: bad or duplicate `code`, empty `name`, unknown `kind`, a proposal
            delay outside 0-365 days, bad `phone` or `email`.
        CaleolError: the réservataire was deleted meanwhile.
    """
    problems = Problems()
    code = clean_code(problems, "code", record.code, "du réservataire")
    if record.kind not in {k.value for k in ReservataireType}:
        known = ", ".join(f"{k.value} ({k.label})" for k in ReservataireType)
        problems.add("kind", f"Type de réservataire « {record.kind} » inconnu : {known}.")
    if not 0 <= record.proposal_delay_days <= MAX_DELAY_DAYS:
        problems.add("proposal_delay_days", "Le délai de proposition est un nombre de jours "
                                            f"entre 0 et {MAX_DELAY_DAYS}.")
    values: dict[str, Any] = {  # the row's columns
        "code": code,
        "name": clean_text(problems, "name", record.name, "Le nom du réservataire",
                           required=True),
        "kind": record.kind,
        "address": clean_address(problems, "address", record.address),
        "contact_name": clean_text(problems, "contact_name", record.contact_name,
                                   "Le nom du contact"),
        "phone": clean_phone(problems, "phone", record.phone),
        "email": clean_email(problems, "email", record.email),
        "proposal_delay_days": record.proposal_delay_days,
        "active": record.active,
    }
    clash = reservataire_by_code(db, code) if code else None
    if clash is not None and clash.id != record.id:
        problems.add("code", f"Le code « {code} » est déjà celui du réservataire "
                             f"« {clash.name} ».")
    problems.raise_if_any()
    if record.id:
        row = db.get(Reservataire, record.id)
        if row is None:
            raise gone("ce réservataire")
        if assign(row, **values):
            db.add(row)
        return row
    row = Reservataire(**values)
    db.add(row)
    db.flush()
    return row


def save_reservataire(engine: Engine, record: ReservataireRecord) -> ReservataireRecord:
    """See `save_reservataire_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_reservataire_in(db, record)
        db.flush()
        return reservataire_record(row)


def set_reservataire_active(engine: Engine, reservataire_id: int,
                            active: bool) -> ReservataireRecord:
    """Deactivate (or reactivate): no new orientation, past ones keep it."""
    with session_scope(engine) as db:
        row = db.get(Reservataire, reservataire_id)
        if row is None:
            raise gone("ce réservataire")
        if assign(row, active=active):
            db.add(row)
        return reservataire_record(row)


def delete_reservataire(engine: Engine, reservataire_id: int) -> None:
    """Delete a réservataire entered by mistake.

    Raises:
        CaleolError: dwellings, séances, candidacies or members refer to it.
    """
    with session_scope(engine) as db:
        row = db.get(Reservataire, reservataire_id)
        if row is None:
            return
        refuse_if_referred(db, row, f"le réservataire « {row.name} »")
        db.delete(row)
