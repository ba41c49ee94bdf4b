"""Agencies: create, edit, deactivate; deleted only while nothing refers to them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Department
from caleol.services.editing.common import Problems
from caleol.services.organisation.common import (
    agency_by_code,
    assign,
    department_by_code,
    gone,
    refuse_if_referred,
)
from caleol.services.organisation.fields import (
    clean_address,
    clean_code,
    clean_email,
    clean_phone,
    clean_text,
)
from caleol.services.organisation.landlord import landlord_row
from caleol.services.organisation.records import AgencyRecord


def agency_record(db: Session, row: Agency) -> AgencyRecord:
    department = db.get(Department, row.department_id) if row.department_id else None
    return AgencyRecord(row.code, row.name, row.address, department.code if department else "",
                        row.phone, row.email, row.active, row.id or 0)


def list_agencies(engine: Engine, *, active_only: bool = False) -> tuple[AgencyRecord, ...]:
    """By code; the inactive ones too unless `active_only`."""
    with session_scope(engine) as db:
        query = select(Agency).order_by(col(Agency.code))
        if active_only:
            query = query.where(col(Agency.active))
        return tuple(agency_record(db, row) for row in db.exec(query))


def save_agency_in(db: Session, record: AgencyRecord) -> Agency:
    """Create (`id` 0) or update an agency.

    Raises:
        FormError: bad or duplicate `code`, empty `name`, unknown `department_code`,
            bad `phone` or `email`, address too long.
        CaleolError: the agency was deleted meanwhile.
    """
    problems = Problems()
    code = clean_code(problems, "code", record.code, "de l'agence")
    values: dict[str, Any] = {  # the row's columns
        "code": code,
        "name": clean_text(problems, "name", record.name, "Le nom de l'agence", required=True),
        "address": clean_address(problems, "address", record.address),
        "phone": clean_phone(problems, "phone", record.phone),
        "email": clean_email(problems, "email", record.email),
        "active": record.active,
    }
    department_id = None
    if record.department_code.strip():
        department = department_by_code(db, record.department_code.strip())
        if department is None:
            problems.add("department_code", f"Département « {record.department_code.strip()} » "
                                            "inconnu (code INSEE : 57, 54, 2A…).")
        else:
            department_id = department.id
    values["department_id"] = department_id
    clash = agency_by_code(db, code) if code else None
    if clash is not None and clash.id != record.id:
        problems.add("code", f"Le code « {code} » est déjà celui de l'agence « {clash.name} ».")
    problems.raise_if_any()
    if record.id:
        row = db.get(Agency, record.id)
        if row is None:
            raise gone("cette agence")
        if assign(row, **values):
            db.add(row)
        return row
    landlord = landlord_row(db)
    row = Agency(landlord_id=landlord.id if landlord else None, **values)
    db.add(row)
    db.flush()
    return row


def save_agency(engine: Engine, record: AgencyRecord) -> AgencyRecord:
    """See `save_agency_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_agency_in(db, record)
        db.flush()
        return agency_record(db, row)


def set_agency_active(engine: Engine, agency_id: int, active: bool) -> AgencyRecord:
    """Deactivate (or reactivate) an agency: its dwellings and past séances keep it."""
    with session_scope(engine) as db:
        row = db.get(Agency, agency_id)
        if row is None:
            raise gone("cette agence")
        if assign(row, active=active):
            db.add(row)
        return agency_record(db, row)


def delete_agency(engine: Engine, agency_id: int) -> None:
    """Delete an agency entered by mistake.

    Raises:
        CaleolError: dwellings, commissions or anything else refer to it.
    """
    with session_scope(engine) as db:
        row = db.get(Agency, agency_id)
        if row is None:
            return
        refuse_if_referred(db, row, f"l'agence « {row.name} »")
        db.delete(row)
