"""Quick builders of a commission, séance, dwelling and demande for tests.

Each takes an open `Session` (inside `session_scope`), adds and flushes, and returns
the object with its id. Codes and NURs are unique per call.

    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=2, candidates=3)
"""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from caleol.db.models import (
    AgendaItem,
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    Commune,
    Decision,
    Demande,
    Dwelling,
    HouseholdMember,
    Resource,
)

_counter = itertools.count(1)


def _next() -> int:
    return next(_counter)


def make_commune(session: Session, **fields: Any) -> Commune:
    n = _next()
    # five characters whatever the run's count (PostgreSQL enforces the length)
    values: dict[str, Any] = {"insee_code": f"57{n % 1000:03d}", "name": f"Commune {n}"}
    values.update(fields)
    commune = Commune(**values)
    session.add(commune)
    session.flush()
    return commune


def make_commission(session: Session, *, members: int = 3, **fields: Any) -> Commission:
    """A commission with `members` deliberative members, the first holding the casting vote."""
    n = _next()
    values: dict[str, Any] = {"code": f"COM{n}", "name": f"CALEOL test {n}"}
    values.update(fields)
    commission = Commission(**values)
    for i in range(members):
        commission.members.append(
            CommissionMember(
                name=f"Membre {n}-{i + 1}",
                capacity="administrateur",
                deliberative=True,
                casting_vote=(i == 0),
            )
        )
    session.add(commission)
    session.flush()
    return commission


def make_dwelling(session: Session, **fields: Any) -> Dwelling:
    n = _next()
    values: dict[str, Any] = {
        "reference": f"LOG-{n:05d}",
        "typology": "T3",
        "financing": "PLUS",
        "rent_cents": 45_000,
        "charges_cents": 8_000,
        "energy_cents": 6_000,
        "qpv": False,
        "availability_date": date(2025, 3, 1),
    }
    values.update(fields)
    dwelling = Dwelling(**values)
    session.add(dwelling)
    session.flush()
    return dwelling


def make_demande(
    session: Session, *, monthly_income_cents: int = 180_000, children: int = 1, **fields: Any
) -> Demande:
    """A demande: applicant (with one salary) plus `children` children."""
    n = _next()
    values: dict[str, Any] = {
        "nur": f"0572401{n:05d}",
        "filing_date": date(2024, 1, 15),
        "applicant_surname": f"Nom{n}",
        "applicant_first_names": "Camille",
        "department_code": "57",
        "reference_tax_income": 20_000,
        "reference_tax_income_year": 2023,
    }
    values.update(fields)
    demande = Demande(**values)
    applicant = HouseholdMember(
        position=0, role="applicant", surname=values["applicant_surname"],
        first_names=values["applicant_first_names"], birth_date=date(1990, 5, 4),
    )
    demande.members.append(applicant)
    for i in range(children):
        demande.members.append(
            HouseholdMember(position=i + 1, role="child", surname=values["applicant_surname"],
                            first_names=f"Enfant {i + 1}", birth_date=date(2015 + i, 1, 1))
        )
    demande.resources.append(
        Resource(kind="salaire", monthly_cents=monthly_income_cents, stable=True, member=applicant)
    )
    session.add(demande)
    session.flush()
    return demande


def make_session(
    session: Session, commission: Commission | None = None, **fields: Any
) -> CommissionSession:
    commission = commission or make_commission(session)
    values: dict[str, Any] = {
        "commission_id": commission.id,
        "date": date(2025, 3, 12),
        "place": "Agence de Metz",
    }
    values.update(fields)
    sitting = CommissionSession(**values)
    session.add(sitting)
    session.flush()
    return sitting


def add_candidacy(
    session: Session, item: AgendaItem, demande: Demande, rank: int | None = None
) -> Candidacy:
    candidacy = Candidacy(
        agenda_item_id=item.id, demande_id=demande.id, proposed_rank=rank, added_by="bailleur"
    )
    session.add(candidacy)
    session.flush()
    return candidacy


def make_session_with_agenda(
    session: Session, *, dwellings: int = 1, candidates: int = 3, **fields: Any
) -> CommissionSession:
    """A draft séance with `dwellings` agenda items of `candidates` candidacies each."""
    sitting = make_session(session, **fields)
    for position in range(dwellings):
        item = AgendaItem(session_id=sitting.id, dwelling_id=make_dwelling(session).id,
                          position=position)
        session.add(item)
        session.flush()
        for rank in range(1, candidates + 1):
            add_candidacy(session, item, make_demande(session), rank)
    session.refresh(sitting)
    return sitting


def decide_all(
    session: Session, sitting: CommissionSession, kind: str = "attribution_rang"
) -> None:
    """Give every candidacy of the séance a decision (rank = proposed rank)."""
    for item in sitting.agenda_items:
        for candidacy in item.candidacies:
            session.add(
                Decision(candidacy_id=candidacy.id, kind=kind, rank=candidacy.proposed_rank)
            )
    session.flush()


def decided_session_at(path: Path, revision: str) -> tuple[Engine, int]:
    """A database file at `revision` holding one séance decided at head: what an
    upgrade test starts from. Returns the DDL engine (transactional, for the migration
    under test) and the séance's id."""
    from caleol.db import migrate
    from caleol.db.engine import _transactional_ddl_engine, open_database, session_scope

    ddl = _transactional_ddl_engine(f"sqlite:///{path}")
    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    engine = open_database(str(path))
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=1)
        decide_all(s, sitting)
        session_id = sitting.id
    engine.dispose()
    with ddl.begin() as connection:
        migrate.downgrade(connection, revision)
    assert session_id is not None
    return ddl, session_id
