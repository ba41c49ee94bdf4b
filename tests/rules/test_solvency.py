"""Taux d'effort and reste à vivre, worked by hand from charter §2."""

from __future__ import annotations

from decimal import Decimal

import pytest

from caleol.errors import ValidationError
from caleol.rules.result import CheckResult, Status
from caleol.rules.solvency import SolvencyPolicy, check_solvency


def solvency(
    rent: str, resources: str | None, units: str, *, charges: str = "0", energy: str = "0",
    aid: str = "0", stable: bool = True, guarantee: bool = False,
    policy: SolvencyPolicy | None = None,
) -> CheckResult:
    return check_solvency(
        Decimal(rent), Decimal(charges), Decimal(energy), Decimal(aid),
        None if resources is None else Decimal(resources), Decimal(units), stable, guarantee,
        policy,
    )


def test_issue_example_te_exactly_30_percent_uses_the_20_euro_floor() -> None:
    # TE = (520 + 110 + 90 − 0) / 2400 = 720 / 2400 = 0.30 exactly → 30-35 % band, floor 20
    # RàV = (2400 − 720) / 2.3 / 30 = 1680 / 69 = 24.3478... → 24.35 ≥ 20
    result = solvency("520.00", "2400.00", "2.3", charges="110.00", energy="90.00")
    assert result.status is Status.PASS
    assert result.figures["effort_rate"] == Decimal("0.3000")
    assert result.figures["remaining_per_day_per_unit"] == Decimal("24.35")
    assert result.figures["floor"] == Decimal("20.00")
    assert result.figures["net_cost"] == Decimal("720.00")
    assert result.figures["day_basis"] == 30
    text = result.explanation
    assert "(520,00 + 110,00 + 90,00 − 0,00) / 2\u00a0400,00 = 30,0\u00a0%" in text
    assert "/ 2,3 UC / 30 jours = 24,35\u00a0€/jour/UC" in text
    assert result.to_json()["effort_rate"] == "0.3000"


def test_te_exactly_30_percent_fails_a_rav_that_would_pass_just_below() -> None:
    # 720 / 2400 = 30 % → floor 20; RàV = 1680 / 3 / 30 = 18.666... < 20 → fail
    at_30 = solvency("720", "2400", "3")
    assert at_30.status is Status.FAIL
    assert at_30.figures["floor"] == Decimal("20.00")
    assert "18,67" in at_30.explanation
    # 720 / 2401 = 29.99 % → floor 10; RàV = 1681 / 3 / 30 = 18.68 ≥ 10 → pass
    below = solvency("720", "2401", "3")
    assert below.status is Status.PASS
    assert below.figures["floor"] == Decimal("10.00")


def test_te_exactly_35_percent_is_admissible_and_one_cent_more_is_not() -> None:
    # 700 / 2000 = 0.35 exactly; RàV = 1300 / 2 / 30 = 21.666... ≥ 20 → pass
    at_35 = solvency("700", "2000", "2")
    assert at_35.status is Status.PASS
    assert at_35.figures["effort_rate"] == Decimal("0.3500")
    # 700.01 / 2000 = 0.350005 > 0.35 → fail, although it displays as 0.3500
    over = solvency("700.01", "2000", "2")
    assert over.status is Status.FAIL
    assert over.figures["effort_rate"] == Decimal("0.3500")
    assert over.figures["floor"] is None
    assert "35,001\u00a0%" in over.explanation  # more digits so the reader sees why
    assert "dépasse 35\u00a0%" in over.explanation


def test_remaining_exactly_at_the_floor_passes() -> None:
    # TE = 100 / 400 = 25 % → floor 10; RàV = (400 − 100) / 1 / 30 = 10.00 exactly
    result = solvency("100", "400", "1")
    assert result.figures["remaining_per_day_per_unit"] == Decimal("10.00")
    assert result.passed
    # one cent more rent: RàV = 299.99 / 30 = 9.9996... < 10, displayed with more digits
    short = solvency("100.01", "400", "1")
    assert short.status is Status.FAIL
    assert short.figures["remaining_per_day_per_unit"] == Decimal("10.00")
    assert "9,9997" in short.explanation


def test_housing_aid_is_deducted() -> None:
    # net = 500 + 100 + 50 − 200 = 450; TE = 450 / 1500 = 30 %; RàV = 1050 / 1 / 30 = 35
    result = solvency("500", "1500", "1", charges="100", energy="50", aid="200")
    assert result.figures["net_cost"] == Decimal("450")
    assert result.figures["effort_rate"] == Decimal("0.3000")
    assert result.figures["remaining_per_day_per_unit"] == Decimal("35.00")
    assert result.passed


@pytest.mark.parametrize(("guarantee", "status"), [(True, Status.PASS), (False, Status.FAIL)])
def test_precarious_resources_below_30_percent_need_a_guarantee(
    guarantee: bool, status: Status
) -> None:
    # TE = 500 / 2000 = 25 %; RàV = 1500 / 1.5 / 30 = 33.33 ≥ 10
    result = solvency("500", "2000", "1.5", stable=False, guarantee=guarantee)
    assert result.status is status
    assert result.figures["floor"] == Decimal("10.00")
    if not guarantee:
        assert "garantie de paiement" in result.explanation


def test_precarious_resources_are_refused_from_30_percent_even_with_a_guarantee() -> None:
    # TE = 600 / 2000 = 30 %: the charter's table has no cell for precarious resources
    result = solvency("600", "2000", "1", stable=False, guarantee=True)
    assert result.status is Status.FAIL
    assert "ressources précaires, seul un taux d'effort inférieur à 30\u00a0%" in (
        result.explanation
    )


def test_zero_and_absent_resources_never_divide_by_zero() -> None:
    zero = solvency("500", "0", "1")
    assert zero.status is Status.FAIL
    assert zero.figures["effort_rate"] is None
    assert "nulles" in zero.explanation
    absent = solvency("500", None, "1")
    assert absent.status is Status.UNKNOWN
    assert "non renseignées" in absent.explanation


def test_bad_inputs_raise_in_french() -> None:
    with pytest.raises(ValidationError, match="négatif"):
        solvency("-1", "2000", "1")
    with pytest.raises(ValidationError, match="unités de consommation"):
        solvency("500", "2000", "0")
    with pytest.raises(ValidationError, match="incohérente"):
        SolvencyPolicy(max_effort=Decimal("0.25"))


def test_policy_from_settings() -> None:
    # max 33 %: 680 / 2000 = 34 % now fails
    policy = SolvencyPolicy.from_max_effort_percent(33)
    assert policy.max_effort == Decimal("0.33")
    assert solvency("680", "2000", "1").passed
    assert solvency("680", "2000", "1", policy=policy).status is Status.FAIL


def test_units_detail_is_quoted() -> None:
    result = check_solvency(
        Decimal(500), Decimal(0), Decimal(0), Decimal(0), Decimal(2000), Decimal("1.5"),
        True, False,
        units_detail="1 (demandeur) + 0,5 (enfant de 14 ans : 14 ans et plus) = 1,5 UC",
    )
    assert "14 ans et plus" in result.explanation
    # the law, then the landlord's own charter by subject (named on the documents)
    assert result.reference == ("Arrêté du 10 mars 2011 ; art. R441-3-1 CCH ; charte "
                                "d'attribution du bailleur (solvabilité des ménages)")


def test_energy_not_estimated_and_passing_hors_energie_is_unknown() -> None:
    # Charter l.160: 35 % « factures de consommation énergétique incluses ».
    # Hors énergie: TE = (450 + 80 − 0) / 2000 = 530 / 2000 = 0.265 → 26,5 % < 30 %
    # (floor 10); RàV = (2000 − 530) / 1 UC / 30 jours = 1470 / 30 = 49.00 ≥ 10.
    # Would pass, but without the energy bills the pass is not justified → unknown.
    result = check_solvency(
        Decimal("450"), Decimal("80"), None, Decimal("0"), Decimal("2000"), Decimal("1"),
        True, False,
    )
    assert result.status is Status.UNKNOWN
    assert result.figures["energy"] is None
    assert result.figures["net_cost"] == Decimal("530")
    assert result.figures["effort_rate"] == Decimal("0.2650")
    assert result.figures["remaining_per_day_per_unit"] == Decimal("49.00")
    assert result.explanation.startswith(
        "L'estimation des factures d'énergie du logement manque : hors énergie, taux "
        "d'effort 26,5\u00a0% et reste à vivre 49,00\u00a0€/jour/UC ; la charte fixe le "
        "maximum énergie incluse."
    )
    assert "Taux d'effort hors énergie = (450,00 + 80,00 − 0,00) / 2\u00a0000,00" in (
        result.explanation
    )
    assert "conforme" not in result.explanation
    assert result.to_json()["energy"] is None


def test_energy_not_estimated_and_failing_hors_energie_still_fails() -> None:
    # Hors énergie: TE = 530 / 1400 = 0.378571... → 37,9 % > 35 %: energy could only
    # add cost, the failure holds. RàV = (1400 − 530) / 1 / 30 = 870 / 30 = 29.00.
    result = check_solvency(
        Decimal("450"), Decimal("80"), None, Decimal("0"), Decimal("1400"), Decimal("1"),
        True, False,
    )
    assert result.status is Status.FAIL
    assert result.figures["effort_rate"] == Decimal("0.3786")
    assert result.figures["remaining_per_day_per_unit"] == Decimal("29.00")
    assert "= 37,9\u00a0% (au-delà du maximum de 35\u00a0%)" in result.explanation
    assert "le taux d'effort dépasse 35\u00a0%" in result.explanation
    assert result.explanation.endswith(
        "Énergie non estimée, non comptée : l'échec tient, les factures d'énergie ne "
        "feraient qu'alourdir le coût."
    )


def test_energy_estimated_at_zero_by_the_caller_is_counted_as_zero() -> None:
    # check_solvency itself takes 0 € as a figure; only None means « non estimée ».
    assert solvency("450", "2000", "1", charges="80").status is Status.PASS
