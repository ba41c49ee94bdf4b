"""Flux objective (the sources' worked examples) and the réservataire's yearly review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caleol.rules.flux import (
    FluxInputs,
    OrientationOutcome,
    OrientationRecord,
    Rounding,
    flux_objective,
    review_reservataire,
    round_dwellings,
    turnover_rate,
)


def metz_etat_2024(**changes: object) -> FluxInputs:
    """CUS Vivest amendment 2024-2026, State contingent, département 54."""
    values: dict[str, object] = {
        "year": 2024,
        "reservataire": "État — publics prioritaires (54)",
        "reservataire_rate": Decimal("0.25"),
        "dwellings_owned": 4071,
        "turnover_rates": (Decimal("0.0840"),),
        "excluded_defense_health": 0,
        "planned_demolitions": 22,
        "authorised_sales": 312,
        "new_deliveries": 164,
        "internal_mutations": 30,
    }
    values.update(changes)
    return FluxInputs(**values)  # type: ignore[arg-type]


def test_cus_example_state_contingent_truncated() -> None:
    result = flux_objective(metz_etat_2024())
    # 4 071 − 0 − 22 − 312 = 3 737
    assert result.base == 3737
    # 3 737 × 8,40 % = 313,908 → 313 (truncation)
    assert result.potential_exact == Decimal("313.9080")
    assert result.potential == 313
    # 313 + 164 − 30 = 447
    assert result.deductions == 30
    assert result.flux_base == 447
    # 447 × 25 % = 111,75 → 111
    assert result.objective_exact == Decimal("111.75")
    assert result.objective == 111
    text = result.explanation
    assert "= assiette : 3\u00a0737 logements" in text
    assert "313,908 → 313 logements (troncature)" in text
    assert "313 + 164 − 30 = 447 logements" in text
    assert "111,75 → 111 logements (troncature)" in text


def test_rounding_is_a_parameter() -> None:
    nearest = flux_objective(metz_etat_2024(rounding=Rounding.NEAREST))
    # 313,908 → 314; 314 + 164 − 30 = 448; 448 × 25 % = 112 exactly
    assert (nearest.potential, nearest.flux_base, nearest.objective) == (314, 448, 112)
    up = flux_objective(metz_etat_2024(rounding=Rounding.UP, reservataire_rate=Decimal("0.2")))
    # 314 + 164 − 30 = 448; 448 × 20 % = 89,6 → 90
    assert up.objective == 90
    assert round_dwellings(Decimal("2.5"), Rounding.NEAREST) == 3
    assert round_dwellings(Decimal("2.999"), Rounding.TRUNCATE) == 2


def test_grand_nancy_mmh_example() -> None:
    # 6 445 − 10 − 220 − 9 = 6 206; × 7,03 % = 436,28 → 436;
    # 436 − 52 (NPNRU) − 2 (ORCOD) − 0 − 99 (mutations) = 283; × 20 % = 56,6 → 56
    result = flux_objective(FluxInputs(
        year=2024,
        reservataire="Métropole du Grand Nancy et communes",
        reservataire_rate=Decimal("0.20"),
        dwellings_owned=6445,
        turnover_rates=(Decimal("0.0703"),),
        excluded_defense_health=10,
        planned_demolitions=220,
        authorised_sales=9,
        urban_renewal_relocations=52,
        orcod_relocations=2,
        internal_mutations=99,
    ))
    assert result.base == 6206
    assert result.potential == 436
    assert result.flux_base == 283
    assert result.objective == 56
    assert "ORCOD" in result.explanation


def test_average_of_three_turnover_rates() -> None:
    result = flux_objective(metz_etat_2024(
        turnover_rates=(Decimal("0.081"), Decimal("0.084"), Decimal("0.087"))
    ))
    # (8,1 + 8,4 + 8,7) / 3 = 8,4 %: same result as the single 8,40 %
    assert result.average_turnover == Decimal("0.084")
    assert result.objective == 111
    assert "÷ 3 = 8,40" in result.explanation


def test_deductions_larger_than_the_flux_give_zero() -> None:
    result = flux_objective(metz_etat_2024(new_deliveries=0, internal_mutations=400))
    # 313 + 0 − 400 < 0 → 0
    assert result.flux_base == 0
    assert result.objective == 0
    assert "ramenée à 0" in result.explanation


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError):
        metz_etat_2024(planned_demolitions=-1)
    with pytest.raises(ValueError):
        metz_etat_2024(turnover_rates=())
    with pytest.raises(ValueError):
        metz_etat_2024(reservataire_rate=Decimal("1.5"))
    with pytest.raises(ValueError):
        flux_objective(metz_etat_2024(authorised_sales=5000))


def test_turnover_rate_definition() -> None:
    # 84 dwellings vacated in a stock of 1 000 → 8,4 %
    assert turnover_rate(84, 1000) == Decimal("0.084")
    with pytest.raises(ValueError):
        turnover_rate(1, 0)


# --- yearly review ---------------------------------------------------------------------

def orientation(id: int, **kw: object) -> OrientationRecord:
    values: dict[str, object] = {
        "dwelling_ref": f"L{id}",
        "reservataire_code": "MGN",
        "oriented_on": date(2025, 3, 1),
        "commune": "Nancy",
    }
    values.update(kw)
    return OrientationRecord(id=id, **values)  # type: ignore[arg-type]


def review_set() -> list[OrientationRecord]:
    return [
        orientation(1, candidates_received_on=date(2025, 3, 10), caleol_date=date(2025, 3, 20),
                    outcome=OrientationOutcome.ATTRIBUTED, lease_signed=True,
                    lease_date=date(2025, 4, 1), priority_household=True),
        orientation(2, candidates_received_on=date(2025, 3, 25),  # 24 days: late
                    outcome=OrientationOutcome.ATTRIBUTED, priority_household=False,
                    reason="refus du candidat"),
        orientation(3, outcome=OrientationOutcome.RETURNED, reason="pas de candidat"),
        orientation(4, outcome=OrientationOutcome.RETURNED, reason="pas de candidat"),
        orientation(5),
        orientation(6, reservataire_code="ETAT"),  # other réservataire
        orientation(7, oriented_on=date(2024, 12, 31)),  # other year
    ]


def test_review_counts_outcomes_and_gap_to_objective() -> None:
    review = review_reservataire(review_set(), "MGN", 2025, objective=6)
    assert [o.id for o in review.orientations] == [1, 2, 3, 4, 5]
    assert review.oriented == 5
    assert (review.attributed, review.returned, review.pending) == (2, 2, 1)
    assert review.leases_signed == 1
    assert review.priority_households == 1
    # 5 oriented − 6 objective = −1
    assert review.gap == -1
    # late: 2 (24 days > 15) and the two returned without candidates
    assert review.late_proposals == 3
    assert review.reasons == [("pas de candidat", 2), ("refus du candidat", 1)]
    assert review.due_date == date(2026, 2, 28)
    text = review.explanation
    # the counts known, never « (s) »: 5 oriented, 2 attributed, 2 returned, 1 lease
    assert "5 logements orientés vers le réservataire en 2025" in text
    assert "2 attribués à ses candidats, 2 rendus au bailleur, 1 en cours" in text
    assert "1 bail signé" in text and "1 attribution à un ménage prioritaire" in text
    assert "Objectif 6 logements" in text and "3 orientations sans candidats" in text
    assert "(s)" not in text
    assert "écart -1 : objectif non atteint" in text
    assert "pas de candidat (2)" in text
    assert "28 février 2026" in text


def test_review_without_objective_or_orientations() -> None:
    review = review_reservataire([], "MGN", 2025)
    assert review.oriented == 0
    assert review.gap is None
    assert review.reasons == []
    assert orientation(1).proposal_delay_days is None
