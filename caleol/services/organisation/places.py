"""Départements and EPCI as the organisation refers to them.

The list of communes, EPCI and départements comes with the territory data (task of
`services.territory`); what only the landlord knows is entered here: the préfet's
délai anormalement long of each département, and whether an EPCI has a PLH and a CIL
(its president then holds the casting vote). The setup file may also create a
département or an EPCI the territory data does not have yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Department, Epci
from caleol.services.editing.common import Problems
from caleol.services.organisation.common import (
    assign,
    department_by_code,
    epci_by_siren,
)
from caleol.services.organisation.fields import clean_siren, clean_text
from caleol.services.organisation.records import DepartmentRecord, EpciRecord

MAX_DELAY_MONTHS = 120


def department_record(row: Department) -> DepartmentRecord:
    return DepartmentRecord(row.code, row.name, row.abnormal_delay_months, row.id or 0)


def epci_record(db: Session, row: Epci) -> EpciRecord:
    department = db.get(Department, row.department_id) if row.department_id else None
    return EpciRecord(row.siren, row.name, department.code if department else "",
                      row.has_plh_and_cil, row.id or 0)


def list_departments(engine: Engine) -> tuple[DepartmentRecord, ...]:
    with session_scope(engine) as db:
        return tuple(department_record(row) for row in db.exec(
            select(Department).order_by(col(Department.code))))


def save_department_in(db: Session, record: DepartmentRecord) -> Department:
    """Create or update a département, matched on its code.

    Raises:
        FormError: a code that is not a département's (« 57 », « 2A », « 974 »), an
            empty name for a new one, a délai outside 1-120 months.
    """
    problems = Problems()
    code = record.code.strip().upper()
    if not (2 <= len(code) <= 3 and code.isalnum() and code.isascii()):
        problems.add("code", f"Code de département « {record.code} » invalide (57, 2A, 974…).")
    existing = department_by_code(db, code)
    name = clean_text(problems, "name", record.name, "Le nom du département",
                      required=existing is None, limit=100) or (existing.name if existing else "")
    delay = record.abnormal_delay_months
    if delay is not None and not 1 <= delay <= MAX_DELAY_MONTHS:
        problems.add("abnormal_delay_months", "Le délai anormalement long est un nombre de "
                                              f"mois entre 1 et {MAX_DELAY_MONTHS}.")
    problems.raise_if_any()
    values: dict[str, Any] = {"code": code, "name": name, "abnormal_delay_months": delay}
    if existing is None:
        row = Department(**values)
        db.add(row)
        db.flush()
        return row
    if assign(existing, **values):
        db.add(existing)
    return existing


def save_department(engine: Engine, record: DepartmentRecord) -> DepartmentRecord:
    with session_scope(engine) as db:
        row = save_department_in(db, record)
        db.flush()
        return department_record(row)


def save_epci_in(db: Session, record: EpciRecord) -> Epci:
    """Create or update an EPCI, matched on its SIREN.

    Raises:
        FormError: a bad SIREN, an empty name for a new one, an unknown département.
    """
    problems = Problems()
    siren = clean_siren(problems, "siren", record.siren, required=True)
    existing = epci_by_siren(db, siren) if siren else None
    name = clean_text(problems, "name", record.name, "Le nom de l'EPCI",
                      required=existing is None) or (existing.name if existing else "")
    department_id = existing.department_id if existing else None
    if record.department_code.strip():
        department = department_by_code(db, record.department_code.strip().upper())
        if department is None:
            problems.add("department_code",
                         f"Département « {record.department_code.strip()} » inconnu.")
        else:
            department_id = department.id
    problems.raise_if_any()
    values: dict[str, Any] = {"siren": siren, "name": name, "department_id": department_id,
              "has_plh_and_cil": record.has_plh_and_cil}
    if existing is None:
        row = Epci(**values)
        db.add(row)
        db.flush()
        return row
    if assign(existing, **values):
        db.add(existing)
    return existing


def save_epci(engine: Engine, record: EpciRecord) -> EpciRecord:
    with session_scope(engine) as db:
        row = save_epci_in(db, record)
        db.flush()
        return epci_record(db, row)
