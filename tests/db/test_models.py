"""The models round-trip through a migrated database, children cascade, no NIR column."""

from __future__ import annotations

from datetime import date

from db.factories import make_demande, make_dwelling, make_session_with_agenda
from sqlalchemy import Engine, func, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    Candidacy,
    CommissionSession,
    Demande,
    HouseholdMember,
    Resource,
    metadata,
)
from caleol.rules.ceilings import Financing


def test_dwelling_and_demande_round_trip(engine: Engine) -> None:
    with session_scope(engine) as s:
        dwelling = make_dwelling(s, financing=Financing.PLAI_ADAPTE, surface_dm2=6540)
        demande = make_demande(s, children=2, dalo=True, comed_decision_date=date(2024, 6, 1))
        ids = dwelling.id, demande.id
    with session_scope(engine) as s:
        dwelling = s.get(type(dwelling), ids[0])
        demande = s.get(Demande, ids[1])
        assert Financing(dwelling.financing) is Financing.PLAI_ADAPTE
        assert dwelling.surface_dm2 == 6540
        assert dwelling.version == 1
        assert [m.role for m in demande.members] == ["applicant", "child", "child"]
        assert demande.resources[0].member.role == "applicant"
        assert demande.comed_decision_date == date(2024, 6, 1)


def test_deleting_a_demande_deletes_its_household(engine: Engine) -> None:
    with session_scope(engine) as s:
        demande_id = make_demande(s, children=2).id
    with session_scope(engine) as s:
        s.delete(s.get(Demande, demande_id))
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(HouseholdMember)) == 0
        assert s.scalar(select(func.count()).select_from(Resource)) == 0


def test_session_with_agenda_factory(engine: Engine) -> None:
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=2, candidates=3)
        sitting_id = sitting.id
    with session_scope(engine) as s:
        sitting = s.get(CommissionSession, sitting_id)
        assert len(sitting.agenda_items) == 2
        assert [c.proposed_rank for c in sitting.agenda_items[1].candidacies] == [1, 2, 3]
        assert s.scalar(select(func.count()).select_from(Candidacy)) == 6


def test_no_column_can_hold_a_social_security_number() -> None:
    suspicious = {"nir", "ssn", "securite_sociale", "social_security", "numero_secu"}
    for table in metadata.tables.values():
        for column in table.columns:
            assert not any(word in column.name.lower() for word in suspicious), (
                f"{table.name}.{column.name}"
            )
