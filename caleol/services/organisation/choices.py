"""What the organisation forms offer in their lists: départements and EPCI.

An empty database stores no département nor EPCI: the forms offer those of the
territory reference in force (stored ones first win on their name), and the save
functions create the row from the reference when a record names it (`common.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import col, select

from caleol.db.engine import session_scope
from caleol.db.models import Department, Epci
from caleol.services.editing.common import Choice
from caleol.services.territory.resolve import dataset_in_force, departments_in_force


def department_choices(engine: Engine) -> tuple[Choice, ...]:
    """Every département, by code: « 57 » → « 57 — Moselle ». Cheap (no commune is
    decoded): the setup assistant and Référentiels open their agency form with it."""
    with session_scope(engine) as db:
        names = departments_in_force(db)
        names.update((d.code, d.name) for d in db.exec(select(Department)))
    return tuple(Choice(code, f"{code} — {name}") for code, name in sorted(names.items()))


def epci_choices(engine: Engine, department_codes: Iterable[str]) -> tuple[Choice, ...]:
    """The EPCI with a commune in one of `department_codes` (the stored EPCI of those
    départements too), by name: SIREN → « Metz Métropole (200039865) »."""
    wanted = {code.strip().upper() for code in department_codes if code.strip()}
    if not wanted:
        return ()
    with session_scope(engine) as db:
        data = dataset_in_force(db)
        sirens = {c.epci_siren for c in data.communes.values()
                  if c.epci_siren and c.department in wanted}
        names = {siren: data.epcis[siren].name for siren in sirens if siren in data.epcis}
        stored = db.exec(select(Epci, Department).join(
            Department, col(Epci.department_id) == col(Department.id))).all()
        names.update((epci.siren, epci.name) for epci, department in stored
                     if department.code in wanted)
    return tuple(Choice(siren, f"{name} ({siren})")
                 for siren, name in sorted(names.items(), key=lambda item: item[1].casefold()))
