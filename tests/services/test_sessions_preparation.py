"""Preparing a séance: agenda, candidates and ranks, exceptions, the "ready" gate, snapshots."""

from __future__ import annotations

from datetime import date

import pytest
from sessions_factory import (
    SESSION_DATE,
    World,
    add_demande_row,
    add_dwelling_row,
    build_world,
)
from sqlalchemy import Engine, text
from sqlmodel import select

from caleol.db.engine import create_db_engine, session_scope
from caleol.db.models import Demande, HouseholdMember, Resource
from caleol.errors import ConcurrentModificationError, ValidationError
from caleol.fr import paris_today
from caleol.services import sessions as svc


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


def _session_with_dwelling(engine: Engine, world: World, **dwelling: object) -> tuple[int, int]:
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world, **dwelling))
    return session_id, item_id


def _ranks(engine: Engine, session_id: int) -> list[tuple[int, int | None]]:
    item = svc.session_detail(engine, session_id).agenda[0]
    return [(c.demande_id, c.proposed_rank) for c in item.candidacies]


def test_create_session_convenes_every_active_member_as_not_yet_present(
    engine: Engine, world: World
) -> None:
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    detail = svc.session_detail(engine, session_id)
    assert detail.status == "draft"
    assert detail.summary.status_label == "en préparation"
    assert len(detail.attendance) == 10
    assert {a.status for a in detail.attendance} == {"absent"}
    assert not detail.quorum.reached  # 0 of 9 deliberative members


def test_remote_session_needs_the_commission_internal_rules(engine: Engine, world: World) -> None:
    with pytest.raises(ValidationError, match="dématérialisée"):
        svc.create_session(engine, world.commission_id, SESSION_DATE, kind="remote")


def test_two_candidates_without_exception_cannot_be_made_ready(
    engine: Engine, world: World
) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    for _ in range(2):
        svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    with pytest.raises(ValidationError) as caught:
        svc.mark_ready(engine, session_id)
    message = str(caught.value)
    reference = svc.session_detail(engine, session_id).agenda[0].reference
    assert f"{reference} (" in message and "rue des Mineurs, Metz)" in message
    assert "2 candidats" in message and "aucune exception" in message
    assert svc.session_detail(engine, session_id).status == "draft"
    assert svc.ready_problems(engine, session_id) == caught.value.details


def test_empty_agenda_cannot_be_made_ready(engine: Engine, world: World) -> None:
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    with pytest.raises(ValidationError, match="Aucun logement"):
        svc.mark_ready(engine, session_id)


def test_dalo_with_one_candidate_can_be_made_ready(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    svc.add_candidate(engine, item_id, add_demande_row(engine, world, dalo=True))
    svc.mark_ready(engine, session_id)  # exception derived from the DALO candidate
    detail = svc.session_detail(engine, session_id)
    assert detail.status == "ready"
    assert detail.agenda[0].candidate_rule["exception"] == "dalo"
    assert detail.agenda[0].candidate_rule["exception_derived"] is True


def test_insufficient_demand_needs_a_written_justification(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    for blank in ("", "  "):  # refused when recorded (window and CLI), nothing written
        with pytest.raises(ValidationError, match="Justification obligatoire") as refused:
            svc.set_candidate_exception(engine, item_id, "insufficient_demand", blank)
        assert list(refused.value.fields) == ["justification"]
    assert svc.session_detail(engine, session_id).agenda[0].exception is None
    with pytest.raises(ValidationError, match="exception"):  # still blocked
        svc.mark_ready(engine, session_id)
    svc.set_candidate_exception(
        engine, item_id, "insufficient_demand", "Une seule demande T3 à Metz dans le SNE."
    )
    svc.mark_ready(engine, session_id)
    assert svc.session_detail(engine, session_id).status == "ready"


def test_pli_dwelling_with_one_candidate_passes_by_its_financing(
    engine: Engine, world: World
) -> None:
    session_id, item_id = _session_with_dwelling(engine, world, financing="PLI")
    svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    svc.mark_ready(engine, session_id)
    assert svc.session_detail(engine, session_id).agenda[0].candidate_rule["exception"] == "pli"


def test_unknown_exception_is_refused(engine: Engine, world: World) -> None:
    _, item_id = _session_with_dwelling(engine, world)
    with pytest.raises(ValidationError, match="Exception inconnue"):
        svc.set_candidate_exception(engine, item_id, "copinage")


def test_breaking_the_rule_on_a_ready_session_puts_it_back_in_preparation(
    engine: Engine, world: World
) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    candidacies = [svc.add_candidate(engine, item_id, add_demande_row(engine, world))
                   for _ in range(3)]
    svc.mark_ready(engine, session_id)
    svc.remove_candidate(engine, candidacies[0])
    assert svc.session_detail(engine, session_id).status == "draft"


def test_ranks_stay_one_to_n(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    a, b, c = (add_demande_row(engine, world) for _ in range(3))
    svc.add_candidate(engine, item_id, a)
    svc.add_candidate(engine, item_id, b)
    cand_c = svc.add_candidate(engine, item_id, c, rank=1)  # inserted first, the others shift
    assert _ranks(engine, session_id) == [(c, 1), (a, 2), (b, 3)]
    with pytest.raises(ValidationError, match="de 1 à 4"):
        svc.add_candidate(engine, item_id, add_demande_row(engine, world), rank=5)
    with pytest.raises(ValidationError, match="de 1 à 3"):
        svc.move_candidate(engine, cand_c, 0)
    svc.move_candidate(engine, cand_c, 3)
    assert _ranks(engine, session_id) == [(a, 1), (b, 2), (c, 3)]
    ids = {v.demande_id: v.id for v in svc.session_detail(engine, session_id).agenda[0].candidacies}
    with pytest.raises(ValidationError, match="une et une seule fois"):
        svc.reorder_candidates(engine, item_id, [ids[a], ids[a], ids[b]])
    with pytest.raises(ValidationError, match="une et une seule fois"):
        svc.reorder_candidates(engine, item_id, [ids[a], ids[b]])
    svc.reorder_candidates(engine, item_id, [ids[b], ids[c], ids[a]])
    assert _ranks(engine, session_id) == [(b, 1), (c, 2), (a, 3)]
    svc.remove_candidate(engine, ids[c])
    assert _ranks(engine, session_id) == [(b, 1), (a, 2)]


def test_same_demande_twice_and_inactive_demande_are_refused(engine: Engine, world: World) -> None:
    _, item_id = _session_with_dwelling(engine, world)
    demande_id = add_demande_row(engine, world)
    svc.add_candidate(engine, item_id, demande_id)
    with pytest.raises(ValidationError, match="déjà candidate"):
        svc.add_candidate(engine, item_id, demande_id)
    other = add_demande_row(engine, world)
    with session_scope(engine) as db:
        row = db.get(Demande, other)
        assert row is not None
        row.status = "radiated"
    with pytest.raises(ValidationError, match="n'est pas active"):
        svc.add_candidate(engine, item_id, other)


def test_same_dwelling_twice_is_refused(engine: Engine, world: World) -> None:
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    dwelling_id = add_dwelling_row(engine, world)
    svc.add_dwelling(engine, session_id, dwelling_id)
    with pytest.raises(ValidationError, match="déjà à l'ordre du jour"):
        svc.add_dwelling(engine, session_id, dwelling_id)


def test_snapshot_holds_the_figures_computed_by_hand(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    candidacy = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    solvency = candidacy.checks["solvency"]
    # net cost 450 + 80 + 60 − 0 = 590 €; TE = 590 / 2 400 = 0,24583 → 0.2458
    assert solvency["net_cost"] == "590.00"
    assert solvency["effort_rate"] == "0.2458"
    # UC 1 + 0,5 + 0,3 (child of 6) = 1,8; RàV = (2 400 − 590) / 1,8 / 30 = 33,5185 → 33.52
    assert solvency["consumption_units"] == "1.8"
    assert solvency["remaining_per_day_per_unit"] == "33.52"
    # 3 persons → category 3; PLUS 2026 autres régions cat. 3 = 37 584 € ≥ 20 000 €
    assert candidacy.checks["ceiling"]["ceiling"] == 37584
    assert candidacy.checks["ceiling"]["status"] == "pass"
    assert candidacy.checks["typology"]["status"] == "pass"
    # filed 2025-06-01, examined 2026-03-10: 9 completed months < 18 (Moselle)
    assert candidacy.checks["waiting_time"]["months"] == 9
    assert candidacy.household["summary"] == "couple + 1 enfant"
    assert candidacy.household["monthly_resources"] == "2400.00"
    assert candidacy.checks_date == paris_today()


def test_dwelling_imported_without_energy_gives_unknown_solvency_not_a_pass(
    engine: Engine, world: World
) -> None:
    # energy_cents 0 = no estimate. Hors énergie: 530 / 2 400 = 22,08 % (floor 10),
    # RàV = (2 400 − 530) / 1,8 / 30 = 34,63 ≥ 10: it would pass, the charter's 35 % is
    # « factures de consommation énergétique incluses » → unknown, figures kept.
    session_id, item_id = _session_with_dwelling(engine, world, energy_cents=0)
    svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    candidacy = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    solvency = candidacy.checks["solvency"]
    assert solvency["status"] == "unknown"
    assert (solvency["energy"], solvency["net_cost"]) == (None, "530.00")
    assert solvency["effort_rate"] == "0.2208"
    assert solvency["remaining_per_day_per_unit"] == "34.63"
    assert "L'estimation des factures d'énergie du logement manque" in (
        solvency["explanation"]
    )


def test_snapshot_does_not_change_when_the_demande_does(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    demande_id = add_demande_row(engine, world)
    svc.add_candidate(engine, item_id, demande_id)
    before = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    with session_scope(engine) as db:
        demande = db.get(Demande, demande_id)
        assert demande is not None
        demande.reference_tax_income = 90_000
        for resource in demande.resources:
            resource.monthly_cents = 50_000
    after = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    assert after.checks == before.checks
    assert after.household == before.household
    svc.refresh_checks(engine, session_id)  # an explicit refresh while preparing sees it
    refreshed = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    assert refreshed.checks["ceiling"]["status"] == "fail"
    assert refreshed.checks["solvency"]["status"] == "fail"


def test_incomplete_household_gives_unknown_checks_never_a_pass(
    engine: Engine, world: World
) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    demande_id = add_demande_row(engine, world)
    with session_scope(engine) as db:
        db.add(HouseholdMember(demande_id=demande_id, position=9, role="child", birth_date=None))
        db.add(Resource(demande_id=demande_id, kind="autre", monthly_cents=100))
    svc.add_candidate(engine, item_id, demande_id)
    checks = svc.session_detail(engine, session_id).agenda[0].candidacies[0].checks
    for name in ("ceiling", "solvency", "typology"):
        assert checks[name]["status"] == "unknown"
        assert "date de naissance manquante" in checks[name]["explanation"]
    assert checks["waiting_time"]["status"] == "pass"


def test_typology_adaptation_reruns_the_check(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world, typology="T5")
    svc.add_candidate(engine, item_id, add_demande_row(engine, world, wished_typologies="T5"))
    candidacy = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    assert candidacy.checks["typology"]["status"] == "fail"  # 3 persons: T2 or T3
    svc.set_typology_adaptation(engine, candidacy.id, "fausse_typologie")
    again = svc.session_detail(engine, session_id).agenda[0].candidacies[0]
    assert again.checks["typology"]["status"] == "pass"
    assert again.typology_adaptation == "fausse_typologie"


def test_list_sessions_counts_dwellings_and_candidates(engine: Engine, world: World) -> None:
    session_id, item_id = _session_with_dwelling(engine, world)
    svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    svc.create_session(engine, world.commission_id, date(2026, 4, 7))
    listed = svc.list_sessions(engine)
    assert [s.date for s in listed] == [date(2026, 4, 7), SESSION_DATE]
    assert (listed[1].id, listed[1].dwellings, listed[1].candidacies) == (session_id, 1, 1)
    assert svc.list_sessions(engine, status="ready") == ()
    with pytest.raises(ValidationError, match="Statut inconnu"):
        svc.list_sessions(engine, status="perdu")


def test_a_stale_session_form_is_refused(sqlite_engine: Engine) -> None:
    """Two workstations (two engines) on one file; the form of the first one is stale."""
    world = build_world(sqlite_engine)
    session_id = svc.create_session(sqlite_engine, world.commission_id, SESSION_DATE,
                                    place="Metz")
    other = create_db_engine(str(sqlite_engine.url))
    try:
        read = svc.session_detail(sqlite_engine, session_id).summary.version
        svc.update_session_info(other, session_id, place="Thionville", expected_version=read)
        with pytest.raises(ConcurrentModificationError, match="La séance : enregistrement "
                                                              "modifié par ailleurs"):
            svc.update_session_info(sqlite_engine, session_id, place="Nancy",
                                    expected_version=read)
    finally:
        other.dispose()
    fresh = svc.session_detail(sqlite_engine, session_id).summary
    assert (fresh.place, fresh.version) == ("Thionville", read + 1)
    svc.update_session_info(sqlite_engine, session_id, place="Nancy",
                            expected_version=fresh.version)
    assert svc.session_detail(sqlite_engine, session_id).summary.place == "Nancy"


def _candidacy_entries(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.execute(text(
            "SELECT entity_id FROM audit_entry WHERE entity = 'candidacy' AND action = 'update' "
            "ORDER BY id")).scalars())


def test_refresh_writes_only_the_candidacies_whose_checks_change(
    engine: Engine, world: World
) -> None:
    """`refresh_checks` reads plain rows (issue 19): what it computes must equal what
    adding the candidate stored (priorities, several resources, an adaptation, a
    household the rules cannot read), or a same-day refresh would rewrite every row.
    A changed candidacy is written and audited, the others are not; a refresh on
    another day writes each date."""
    session_id, item_id = _session_with_dwelling(engine, world, typology="T5")
    plain = svc.add_candidate(engine, item_id, add_demande_row(
        engine, world, priority=True, resources_cents=(120_000, 80_000), dalo=True))
    adapted = svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    svc.set_typology_adaptation(engine, adapted, "fausse_typologie")
    unreadable = add_demande_row(engine, world)
    with session_scope(engine) as db:
        db.add(HouseholdMember(demande_id=unreadable, position=9, role="child", birth_date=None))
    svc.add_candidate(engine, item_id, unreadable)
    before = _candidacy_entries(engine)
    svc.refresh_checks(engine, session_id)
    assert _candidacy_entries(engine) == before  # same day, same data: nothing written
    with session_scope(engine) as db:
        resource = db.exec(select(Resource).where(
            Resource.demande_id == svc.session_detail(engine, session_id)
            .agenda[0].candidacies[0].demande_id)).first()
        assert resource is not None
        resource.monthly_cents = 10_000
    svc.refresh_checks(engine, session_id)
    changed = _candidacy_entries(engine)[len(before):]
    assert changed == [plain]
    summary = svc.session_detail(engine, session_id).agenda[0].candidacies[0].household
    assert summary["monthly_resources"] == "900.00"
    assert summary["priorities"] == ["Victime de violences conjugales"]
    svc.refresh_checks(engine, session_id, taken_on=date(2099, 1, 1))
    assert len(_candidacy_entries(engine)) == len(before) + 1 + 3
