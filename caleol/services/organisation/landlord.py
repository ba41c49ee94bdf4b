"""The landlord: one row per database, whose name, address and logo head every document."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Landlord
from caleol.services.editing.common import Problems
from caleol.services.organisation.common import assign
from caleol.services.organisation.fields import (
    clean_address,
    clean_email,
    clean_logo,
    clean_phone,
    clean_siren,
    clean_text,
)
from caleol.services.organisation.records import LandlordRecord


def landlord_record(row: Landlord) -> LandlordRecord:
    return LandlordRecord(row.name, row.siren or "", row.address, row.phone, row.email,
                          row.logo, row.id or 0)


def landlord_row(db: Session) -> Landlord | None:
    """The landlord (the first row, should an old database hold several)."""
    return db.exec(select(Landlord).order_by(col(Landlord.id))).first()


def get_landlord(engine: Engine) -> LandlordRecord | None:
    """None until the landlord is set up."""
    with session_scope(engine) as db:
        row = landlord_row(db)
        return landlord_record(row) if row is not None else None


def landlord_name(engine: Engine) -> str:
    """The name documents print; empty until the landlord is set up."""
    with session_scope(engine) as db:
        row = landlord_row(db)
        return row.name if row is not None else ""


def save_landlord_in(db: Session, record: LandlordRecord) -> Landlord:
    """Create or update the landlord; agencies without a landlord are attached to it.

    Raises:
        FormError: every bad field (`name`, `siren`, `address`, `phone`, `email`, `logo`).
    """
    problems = Problems()
    values: dict[str, Any] = {  # the row's columns
        "name": clean_text(problems, "name", record.name, "Le nom du bailleur", required=True),
        "siren": clean_siren(problems, "siren", record.siren) or None,
        "address": clean_address(problems, "address", record.address),
        "phone": clean_phone(problems, "phone", record.phone),
        "email": clean_email(problems, "email", record.email),
        "logo": clean_logo(problems, "logo", record.logo),
    }
    problems.raise_if_any()
    row = landlord_row(db)
    if row is None:
        row = Landlord(**values)
        db.add(row)
        db.flush()
    elif assign(row, **values):
        db.add(row)
    for agency in db.exec(select(Agency).where(col(Agency.landlord_id).is_(None))):
        agency.landlord_id = row.id
        db.add(agency)
    return row


def save_landlord(engine: Engine, record: LandlordRecord) -> LandlordRecord:
    """See `save_landlord_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_landlord_in(db, record)
        db.flush()
        return landlord_record(row)
