"""Records built from a real (migrated) database, indicators worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from report_db import SIREN, build
from sqlalchemy import Engine, select

from caleol.db.engine import session_scope
from caleol.db.models import Candidacy, Decision, Demande
from caleol.errors import CaleolError, NotFoundError
from caleol.rules.flux import OrientationOutcome, review_reservataire
from caleol.rules.indicators import (
    PS2_PRIORITY,
    Q1_OUTSIDE_QPV,
    QPV_Q2_Q4,
    CountingBasis,
    EtatContingent,
    ExclusionCause,
    Period,
    ReservataireKind,
    Territory,
    evaluate,
)
from caleol.services.reports import queries
from caleol.services.reports.queries import attributions

YEAR = Period.year(2026)


def test_records_follow_the_holder_of_each_dwelling(engine: Engine) -> None:
    ids = build(engine)
    records = {r.dwelling_ref: r for r in queries.load_attribution_records(engine, YEAR)}
    # A, B, C, E give a record; D (non-attribution only) and F (undecided) do not
    assert len(records) == 4
    a = next(r for r in records.values() if r.id == ids.a_first)
    assert a.lease_date == date(2026, 4, 1)
    # the demande's NUR names the row in the reports (the record's id is internal)
    with session_scope(engine) as s:
        nur = s.execute(select(Demande.nur).join(Candidacy).join(Decision)
                        .where(Decision.id == ids.a_first)).scalar_one()
    assert nur and a.nur == nur
    assert (a.epci, a.epci_name, a.department, a.agency, a.commission) == (
        SIREN, "Eurométropole de Metz", "57", "MET", "CAL-MET")
    # 500 € × 12 = 6 000 € for 1 UC; threshold 7 228 €
    assert a.annual_resources == Decimal("6000")
    assert a.consumption_units == Decimal("1")
    assert a.quartile_threshold == Decimal("7228")
    b = next(r for r in records.values() if r.in_qpv)
    assert b.reserved_for is ReservataireKind.ACTION_LOGEMENT
    assert not b.returned_by_reservataire and b.action_logement_employee
    # child born 1 June 2020 is 5 on 10 March 2026: 1 + 0,3 = 1,3 UC
    assert b.consumption_units == Decimal("1.3")
    c = next(r for r in records.values() if r.lease_date == date(2026, 5, 2))
    assert c.reserved_for is ReservataireKind.ETAT
    assert c.etat_contingent is EtatContingent.PRIORITAIRES
    assert c.returned_by_reservataire  # the State's candidate refused
    assert c.priority and not c.dalo
    e = next(r for r in records.values() if r.id == ids.e_holder)
    assert e.annual_resources is None and not e.lease_signed


def test_indicators_over_the_database(engine: Engine) -> None:
    build(engine)
    records = queries.load_attribution_records(engine, YEAR)
    metz = Territory(epci=SIREN)
    targets = queries.load_targets(engine, 2026)
    q1 = evaluate(Q1_OUTSIDE_QPV, records, YEAR, metz, targets)
    # leases outside QPV: A (Q1) and C (Q2-4) → 1 / 2 = 50 %, against the EPCI's 30 %
    assert (q1.numerator, q1.denominator) == (1, 2)
    assert q1.target == Decimal("0.30")
    on_proposals = evaluate(Q1_OUTSIDE_QPV, records, YEAR, metz, targets,
                            CountingBasis.PROPOSALS)
    # proposals add E, whose resources are unknown: excluded, shown
    assert on_proposals.denominator == 2
    assert on_proposals.excluded == {ExclusionCause.UNKNOWN_RESOURCES: 1}
    assert evaluate(QPV_Q2_Q4, records, YEAR, metz, basis=CountingBasis.LEASES).rate == (
        Decimal("1.0000"))
    # PS-2 population: A, C (returned), E; priority: C (SYPLO) → 1 / 3
    ps2 = evaluate(PS2_PRIORITY, records, YEAR)
    assert (ps2.numerator, ps2.denominator) == (1, 3)
    results = queries.indicator_results(engine, YEAR, metz)
    assert results[0].code == "Q1-HQPV" and results[0].rate == Decimal("0.5000")


def test_live_impact_of_an_undecided_candidate(engine: Engine) -> None:
    ids = build(engine)
    before, after = queries.live_impact(engine, ids.f_candidate)
    # Metz 2026 leases outside QPV: A (Q1), C → 1 / 2; F's candidate is Q1 → 2 / 3
    assert (before.numerator, before.denominator) == (1, 2)
    assert (after.numerator, after.denominator) == (2, 3)
    assert after.rate == Decimal("0.6667")


def test_live_impact_replaces_the_current_holder(engine: Engine) -> None:
    ids = build(engine)
    # A's rank-2 candidate (Q2-4) instead of the rank-1 holder (Q1): 1 / 2 → 0 / 2
    before, after = queries.live_impact(engine, ids.a_second)
    assert (before.numerator, before.denominator) == (0, 1)
    assert (after.numerator, after.denominator) == (0, 2)


def test_live_impact_of_an_unknown_candidacy(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="introuvable"):
        queries.live_impact(engine, 999_999)


def test_live_impact_of_a_candidacy_withdrawn_while_it_is_read(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """An undo may withdraw the candidacy between the two reads (seen as a crash of the
    live-impact task): it is « introuvable », not a StopIteration."""
    ids = build(engine)
    load_items = attributions.load_items

    def withdrawn_meanwhile(*args: Any, **kwargs: Any) -> list[Any]:
        with session_scope(engine) as session:
            candidacy = session.get(Candidacy, ids.f_candidate)
            assert candidacy is not None and candidacy.decision is None
            session.delete(candidacy)
        return load_items(*args, **kwargs)

    monkeypatch.setattr(attributions, "load_items", withdrawn_meanwhile)
    with pytest.raises(NotFoundError, match="introuvable"):
        queries.live_impact(engine, ids.f_candidate)


def test_orientations_and_the_reservataire_review(engine: Engine) -> None:
    build(engine)
    orientations = queries.load_orientations(engine, 2026)
    by_code = {o.reservataire_code: o for o in orientations}
    assert set(by_code) == {"ALS", "ETAT57"}
    als = by_code["ALS"]
    assert als.outcome is OrientationOutcome.ATTRIBUTED
    assert als.oriented_on == date(2026, 2, 20)
    assert als.caleol_date == date(2026, 3, 10)
    assert als.lease_signed and als.lease_date == date(2026, 4, 15)
    assert (als.address, als.commune, als.in_qpv, als.construction_year) == (
        "2 rue Serpenoise", "Metz", True, 1975)
    assert als.priority_household is False
    etat = by_code["ETAT57"]
    # the State's candidate refused; the landlord's candidate got it
    assert etat.outcome is OrientationOutcome.RETURNED
    assert "logement trop éloigné du travail" in etat.reason
    review = review_reservataire(orientations, "ETAT57", 2026, objective=2)
    assert (review.oriented, review.returned, review.gap) == (1, 1, -1)
    infos = queries.load_reservataires(engine)
    assert [i.code for i in infos] == ["ALS", "ETAT57"]
    assert queries.find_reservataire(infos, "ALS").name == "Action Logement Services"
    with pytest.raises(CaleolError, match="ALS, ETAT57"):
        queries.find_reservataire(infos, "XYZ")
