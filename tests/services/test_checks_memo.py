"""The memo of the checks (issue 19): a refresh that finds the same demande, dwelling
terms and rule context skips the rules; a change to any of them runs them again, and
what the memo gives is what the rules compute.

The default candidate (sessions_factory): a couple and a child born 2019, 2 400 € a
month, revenu fiscal 20 000 € (PLUS 2026 category 3: 37 584 €), filed 1 June 2025
in Moselle (18 months); the T3 at 450 € + 80 € + 60 €.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sessions_factory import SESSION_DATE, World, add_demande_row, add_dwelling_row, build_world
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    AgendaItem,
    CeilingRow,
    Demande,
    DemandePriority,
    Department,
    Dwelling,
    HouseholdMember,
    Reservataire,
    Resource,
)
from caleol.rules.ceilings import shipped_ceiling_table
from caleol.rules.solvency import SolvencyPolicy
from caleol.services import sessions as svc
from caleol.services.sessions import checks
from caleol.services.sessions.checks import dwelling_snapshot
from caleol.services.sessions.checks_memo import MEMO, Evaluated, EvaluationMemo
from caleol.services.sessions.inputs import RuleContext
from caleol.services.sessions.rows import DemandeRow, same_json
from caleol.settings import Settings


@dataclass
class Sitting:
    world: World
    session_id: int
    dwelling_id: int
    demande_id: int
    evaluated: list[int]  # the demandes the rules ran on since the set-up


@pytest.fixture
def sitting(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Sitting:
    """One candidate on one dwelling, refreshed once (the memo holds it)."""
    MEMO.clear()
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    dwelling_id = add_dwelling_row(engine, world)
    item_id = svc.add_dwelling(engine, session_id, dwelling_id)
    demande_id = add_demande_row(engine, world)
    svc.add_candidate(engine, item_id, demande_id)
    svc.refresh_checks(engine, session_id)
    evaluated: list[int] = []
    original = checks._evaluated

    def counting(ctx: RuleContext, demande: DemandeRow, terms: Any) -> Evaluated:
        evaluated.append(demande.id)
        return original(ctx, demande, terms)

    monkeypatch.setattr(checks, "_evaluated", counting)
    return Sitting(world, session_id, dwelling_id, demande_id, evaluated)


def _stored(engine: Engine, session_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    candidacy = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    return candidacy.checks, candidacy.household


def test_a_refresh_of_unchanged_inputs_runs_no_rule(engine: Engine, sitting: Sitting) -> None:
    before = _stored(engine, sitting.session_id)
    assert svc.refresh_checks(engine, sitting.session_id) == 1
    assert sitting.evaluated == []
    assert _stored(engine, sitting.session_id) == before


def test_what_the_memo_gives_is_what_the_rules_compute(engine: Engine, sitting: Sitting) -> None:
    """Another day writes every snapshot: from the memo, then with the memo emptied."""
    svc.refresh_checks(engine, sitting.session_id, taken_on=date(2026, 3, 11))
    assert sitting.evaluated == []
    remembered = _stored(engine, sitting.session_id)
    MEMO.clear()
    svc.refresh_checks(engine, sitting.session_id, taken_on=date(2026, 3, 12))
    assert sitting.evaluated == [sitting.demande_id]
    assert _stored(engine, sitting.session_id) == remembered


def _one(db: Session, model: Any, demande_id: int) -> Any:
    found = db.exec(select(model).where(model.demande_id == demande_id)).first()
    assert found is not None
    return found


def _income(db: Session, s: Sitting) -> None:
    demande = db.get(Demande, s.demande_id)
    assert demande is not None
    demande.reference_tax_income = 40_000


def _resources(db: Session, s: Sitting) -> None:
    _one(db, Resource, s.demande_id).monthly_cents = 50_000


def _member(db: Session, s: Sitting) -> None:
    child = db.exec(select(HouseholdMember).where(
        HouseholdMember.demande_id == s.demande_id, HouseholdMember.role == "child")).first()
    assert child is not None
    child.birth_date = date(2010, 1, 1)  # 16 years old: 0,5 UC instead of 0,3


def _priority(db: Session, s: Sitting) -> None:
    db.add(DemandePriority(demande_id=s.demande_id, criterion_id=s.world.criterion_id))


def _rent(db: Session, s: Sitting) -> None:
    dwelling = db.get(Dwelling, s.dwelling_id)
    assert dwelling is not None
    dwelling.rent_cents = 90_000


def _threshold(db: Session, s: Sitting) -> None:
    department = db.exec(select(Department).where(Department.code == "57")).first()
    assert department is not None
    department.abnormal_delay_months = 6


def _ceiling(db: Session, s: Sitting) -> None:
    key = ("PLUS", "autres_regions", date(2026, 1, 1))
    row = db.exec(select(CeilingRow).where(
        CeilingRow.financing == key[0], CeilingRow.zone == key[1],
        CeilingRow.effective_from == key[2])).first()
    if row is None:
        row = CeilingRow(financing=key[0], zone=key[1], effective_from=key[2], cat1=23403,
                         cat2=31254, cat3=37584, cat4=45374, cat5=53376, cat6=60156,
                         per_extra=6710, source="test", imported=True)
    row.cat3 = 19_000
    db.add(row)


# what changes, and where the new value shows in the stored snapshot or summary
CHANGES: dict[str, tuple[Callable[[Session, Sitting], None],
                         Callable[[dict[str, Any], dict[str, Any]], object], object]] = {
    "demande": (_income, lambda c, h: c["ceiling"]["status"], "fail"),
    "resource": (_resources, lambda c, h: h["monthly_resources"], "500.00"),
    "member": (_member, lambda c, h: c["solvency"]["consumption_units"], "2.0"),
    "priority": (_priority, lambda c, h: h["priorities"], ["Victime de violences conjugales"]),
    "dwelling": (_rent, lambda c, h: c["solvency"]["rent"], "900.00"),
    "threshold": (_threshold, lambda c, h: c["waiting_time"]["threshold_months"], 6),
    "ceiling table": (_ceiling, lambda c, h: c["ceiling"]["ceiling"], 19_000),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_runs_the_rules_again(engine: Engine, sitting: Sitting, change: str) -> None:
    apply, read, expected = CHANGES[change]
    assert read(*_stored(engine, sitting.session_id)) != expected
    with session_scope(engine) as db:
        apply(db, sitting)
    svc.refresh_checks(engine, sitting.session_id)
    assert sitting.evaluated == [sitting.demande_id]
    assert read(*_stored(engine, sitting.session_id)) == expected


def test_a_setting_runs_the_rules_again(engine: Engine, sitting: Sitting) -> None:
    """Effort rate: (450 + 80 + 60) / 2 400 = 24,6 %, below 30 % either way; the
    maximum in the snapshot is the setting's."""
    svc.refresh_checks(engine, sitting.session_id, Settings(max_effort_rate_percent=33))
    assert sitting.evaluated == [sitting.demande_id]
    assert _stored(engine, sitting.session_id)[0]["solvency"]["max_effort"] == "0.33"


def test_another_seance_date_runs_the_rules_again(engine: Engine, sitting: Sitting) -> None:
    """The same candidate on a séance of another day: 10 months waited, not 9."""
    session_id = svc.create_session(engine, sitting.world.commission_id, date(2026, 4, 10),
                                    place="Metz")
    item_id = svc.add_dwelling(engine, session_id, sitting.dwelling_id)
    svc.add_candidate(engine, item_id, sitting.demande_id)
    sitting.evaluated.clear()
    svc.refresh_checks(engine, session_id)
    assert sitting.evaluated == [sitting.demande_id]
    assert _stored(engine, session_id)[0]["waiting_time"]["months"] == 10
    assert _stored(engine, sitting.session_id)[0]["waiting_time"]["months"] == 9


def _evaluated(n: int) -> Evaluated:
    return Evaluated(f'{{"n": {n}}}', "{}")


def test_the_memo_forgets_the_least_recently_used_first() -> None:
    memo = EvaluationMemo(max_contexts=2, max_entries=2)
    first = memo.scope("a")
    first.put(1, _evaluated(1))
    first.put(2, _evaluated(2))
    assert first.get(1) == _evaluated(1)  # 1 used: 2 is the oldest now
    first.put(3, _evaluated(3))
    assert (first.get(1), first.get(2), first.get(3)) == (_evaluated(1), None, _evaluated(3))
    memo.scope("b").put(1, _evaluated(10))
    assert memo.scope("a").get(1) == _evaluated(1)  # "a" used: "b" is the oldest now
    memo.scope("c").put(1, _evaluated(20))  # two contexts at most: "b" forgotten
    assert len(memo) == 3  # "a" (1, 3) and "c" (1)
    assert memo.scope("a").get(1) == _evaluated(1)
    assert memo.scope("b").get(1) is None


def test_stored_json_compares_by_value_when_the_text_differs() -> None:
    text = '{"a": 1, "b": [1, 2]}'
    assert same_json(text, text)
    assert same_json('{"b":[1,2],"a":1}', text)  # other spacing and key order
    assert same_json({"a": 1, "b": [1, 2]}, text)  # a driver that decodes on its own
    assert not same_json('{"a": 1, "b": [2, 1]}', text)
    assert not same_json(None, text)
    assert not same_json("null", text)


def _agenda_updates(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT count(*) FROM audit_entry WHERE entity = 'agenda_item' "
            "AND action = 'update'")).scalar_one()


def test_the_dwelling_snapshot_read_as_rows_is_the_one_of_the_objects(
    engine: Engine, sitting: Sitting
) -> None:
    """The agenda's dwellings are read with one Core query: the snapshot a refresh
    stores is `dwelling_snapshot` of the loaded objects, commune and réservataire
    included, and a refresh that finds it unchanged writes nothing."""
    unchanged = _agenda_updates(engine)
    svc.refresh_checks(engine, sitting.session_id)
    assert _agenda_updates(engine) == unchanged
    with session_scope(engine) as db:
        dwelling = db.get(Dwelling, sitting.dwelling_id)
        item = db.exec(select(AgendaItem).where(AgendaItem.session_id == sitting.session_id)
                       ).one()
        assert dwelling is not None
        dwelling.address = "2 rue Serpenoise"
        dwelling.commune_id = sitting.world.other_commune_id
        item.reservataire_id = sitting.world.prefecture_id
    svc.refresh_checks(engine, sitting.session_id)
    assert _agenda_updates(engine) == unchanged + 2  # the réservataire, then the snapshot
    with session_scope(engine) as db:
        item = db.exec(select(AgendaItem).where(AgendaItem.session_id == sitting.session_id)
                       ).one()
        dwelling = db.get(Dwelling, sitting.dwelling_id)
        assert dwelling is not None
        expected = dwelling_snapshot(dwelling, db.get(Reservataire, item.reservataire_id))
        assert item.dwelling_snapshot == expected
    assert (expected["address"], expected["commune"], expected["reservataire"]) == (
        "2 rue Serpenoise", "Woippy", "Préfecture de la Moselle")
    svc.refresh_checks(engine, sitting.session_id)
    assert _agenda_updates(engine) == unchanged + 2


def test_a_policy_equal_in_value_but_printed_otherwise_is_another_context() -> None:
    """The snapshot prints the policy's Decimals (« max_effort »: "0.35" or "0.350"),
    so two policies equal as numbers are still two contexts."""
    table = shipped_ceiling_table()
    first = RuleContext(SESSION_DATE, table, SolvencyPolicy(max_effort=Decimal("0.35")), {})
    second = RuleContext(SESSION_DATE, table, SolvencyPolicy(max_effort=Decimal("0.350")), {})
    assert first.policy == second.policy
    assert first.key() != second.key()
    assert first.key() == RuleContext(SESSION_DATE, table, SolvencyPolicy(), {}).key()


def test_an_unknown_stored_role_makes_the_household_checks_unknown(
    engine: Engine, sitting: Sitting
) -> None:
    """`household_of` reads roles through a dict of the stored values: a value no
    role has is named, never taken for a role."""
    with session_scope(engine) as db:
        db.add(HouseholdMember(demande_id=sitting.demande_id, position=9, role="cousin",
                               birth_date=date(2000, 1, 1)))
    svc.refresh_checks(engine, sitting.session_id)
    checks_, household = _stored(engine, sitting.session_id)
    for name in ("ceiling", "solvency", "typology"):
        assert checks_[name]["status"] == "unknown"
        assert "membre 4 : rôle inconnu « cousin »." in checks_[name]["explanation"]
    assert household["summary"] == "composition incomplète"
