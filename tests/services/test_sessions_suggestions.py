"""Suggesting candidates: who fits, in which order, and why."""

from __future__ import annotations

from datetime import date

import pytest
from sessions_factory import SESSION_DATE, World, add_demande_row, add_dwelling_row, build_world
from sqlalchemy import Engine

from caleol.services import sessions as svc


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)


def test_only_fitting_demandes_are_suggested(engine: Engine, world: World) -> None:
    dwelling = add_dwelling_row(engine, world)  # T3 PLUS Metz, 450 + 80 + 60 €
    fits = add_demande_row(engine, world)
    no_wish = add_demande_row(engine, world, wished_typologies="")  # any typology
    excluded = [
        add_demande_row(engine, world, wished_commune_ids=()),  # the SNE requires one
        add_demande_row(engine, world, wished_typologies="T2"),
        add_demande_row(engine, world, wished_commune_ids=(world.other_commune_id,)),
        add_demande_row(engine, world, max_rent_cents=50_000),  # < 450 + 80 = 530 €
        add_demande_row(engine, world, income=60_000),  # > 37 584 € (category 3)
        add_demande_row(engine, world, income=None),  # ceiling cannot be verified
        add_demande_row(engine, world, resources_cents=(150_000,)),  # TE 590/1500 = 39 %
        add_demande_row(engine, world, members=(("applicant", date(1990, 1, 1)),) * 1
                        + tuple(("child", date(2015, 1, 1)) for _ in range(5))),  # 6 persons
    ]
    result = svc.suggest_candidates(engine, dwelling_id=dwelling, on=SESSION_DATE)
    suggested = {s.demande_id for s in result.suggestions}
    assert suggested == {fits, no_wish}
    assert not suggested & set(excluded)
    assert result.prefiltered < 9  # SQL already dropped most of the misfits (10 demandes)


def test_order_dalo_priority_long_delay_cotation_then_age(engine: Engine, world: World) -> None:
    dwelling = add_dwelling_row(engine, world)
    old_low = add_demande_row(engine, world, cotation=50, filing_date=date(2025, 1, 1))
    young_low = add_demande_row(engine, world, cotation=50, filing_date=date(2025, 5, 1))
    high = add_demande_row(engine, world, cotation=300)
    long_delay = add_demande_row(engine, world, cotation=10, filing_date=date(2024, 1, 5))
    priority = add_demande_row(engine, world, cotation=10, priority=True)
    dalo = add_demande_row(engine, world, cotation=0, dalo=True)
    result = svc.suggest_candidates(engine, dwelling_id=dwelling, on=SESSION_DATE)
    assert [s.demande_id for s in result.suggestions] == [
        dalo, priority, long_delay, high, old_low, young_low]
    by_id = {s.demande_id: s for s in result.suggestions}
    assert "Ménage reconnu prioritaire DALO" in by_id[dalo].reasons
    assert "Critère de priorité : Victime de violences conjugales" in by_id[priority].reasons
    # filed 5 January 2024, examined 10 March 2026: 26 completed months ≥ 18 (Moselle)
    assert "Délai anormalement long : 26 mois ≥ 18" in by_id[long_delay].reasons
    reasons = by_id[high].reasons
    assert "Cotation : 300 points" in reasons
    assert "Commune souhaitée : Metz (vœu n° 1)" in reasons
    assert any(r.startswith("Solvable : taux d'effort 24,6") for r in reasons)
    assert any(r.startswith("Plafond PLUS respecté") for r in reasons)


def test_dwelling_without_energy_estimate_still_suggests_with_the_warning(
    engine: Engine, world: World
) -> None:
    # energy_cents 0 = not estimated: solvency is unknown, not a pass, but it passes
    # hors énergie (530 / 2 400 = 22,1 %): suggested, the reason says it is to confirm.
    # A household that fails hors énergie (530 / 1 500 = 35,3 % > 35 %) is not.
    dwelling = add_dwelling_row(engine, world, energy_cents=0)
    fits = add_demande_row(engine, world)
    add_demande_row(engine, world, resources_cents=(150_000,))
    result = svc.suggest_candidates(engine, dwelling_id=dwelling, on=SESSION_DATE)
    assert [s.demande_id for s in result.suggestions] == [fits]
    assert (
        "Solvabilité à confirmer, énergie non estimée : hors énergie, taux d'effort "
        "22,1\u00a0%, reste à vivre 34,63\u00a0€/jour/UC"
    ) in result.suggestions[0].reasons


def test_reservataire_vacancy_shows_its_own_candidates_first_and_the_delay(
    engine: Engine, world: World
) -> None:
    dwelling = add_dwelling_row(engine, world, reservataire_id=world.action_logement_id)
    dalo = add_demande_row(engine, world, dalo=True)
    employee = add_demande_row(engine, world, action_logement=True, cotation=1)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    item_id = svc.add_dwelling(engine, session_id, dwelling, orientation_date=date(2026, 3, 1))
    result = svc.suggest_candidates(engine, agenda_item_id=item_id, today=date(2026, 3, 6))
    assert [s.demande_id for s in result.suggestions] == [employee, dalo]
    assert result.suggestions[0].reasons[0] == (
        "Salarié relevant du contingent Action Logement Services")
    # 15 days from 1 March: deadline 16 March, 10 days left on 6 March
    assert (result.proposal_delay_days, result.proposal_deadline, result.days_left) == (
        15, date(2026, 3, 16), 10)
    assert result.reservataire == "Action Logement Services"


def test_candidates_already_on_the_dwelling_are_not_suggested_again(
    engine: Engine, world: World
) -> None:
    dwelling = add_dwelling_row(engine, world)
    first, second = add_demande_row(engine, world), add_demande_row(engine, world)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    item_id = svc.add_dwelling(engine, session_id, dwelling)
    svc.add_candidate(engine, item_id, first, origin="suggestion")
    result = svc.suggest_candidates(engine, agenda_item_id=item_id)
    assert [s.demande_id for s in result.suggestions] == [second]
    assert result.days_left is None  # no réservataire: the landlord's own stock


def test_loading_by_batches_keeps_the_order(engine: Engine, world: World,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Demandes are ordered on plain values, then loaded a batch at a time in that
    order: batches of 2 give the same suggestions, and stop at the limit."""
    dwelling = add_dwelling_row(engine, world)
    for cotation in (10, 300, 50, 120, 0, 75, 220):
        add_demande_row(engine, world, cotation=cotation)
    add_demande_row(engine, world, cotation=500, resources_cents=(150_000,))  # fails solvency
    whole = svc.suggest_candidates(engine, dwelling_id=dwelling, on=SESSION_DATE, limit=4)
    monkeypatch.setattr("caleol.services.sessions.suggestions.LOAD_BATCH", 2)
    batched = svc.suggest_candidates(engine, dwelling_id=dwelling, on=SESSION_DATE, limit=4)
    assert [s.cotation for s in whole.suggestions] == [300, 220, 120, 75]
    assert batched.suggestions == whole.suggestions
    assert whole.prefiltered == batched.prefiltered == 7  # the one over 35 % left by SQL
