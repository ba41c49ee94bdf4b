"""The ceiling is checked on the incomes of year n-2 of the examination (n-1 at the
household's request), never on an older or a stray notice.

Art. R441-1 CCH, arrêté of 29 July 1987 as amended, charter §2. The household: a
couple with two children (category 4), PLUS, « autres régions », examined on
10 March 2026: ceiling 45 374 € (arrêté for 2026, category 4).
"""

from __future__ import annotations

from datetime import date

import pytest

from caleol.rules.ceilings import Financing, Zone, check_ceiling, load_ceiling_table
from caleol.rules.household import Household, Member, Role
from caleol.rules.result import CheckResult, Status
from caleol.rules.tax_notice import expected_income_year, income_year_problem, notice_text

ON = date(2026, 3, 10)
TABLE = load_ceiling_table()


def check(income: int, income_year: int | None, n1: bool = False) -> CheckResult:
    household = Household((Member(Role.APPLICANT, 34), Member(Role.PARTNER, 33),
                           Member(Role.CHILD, 16), Member(Role.CHILD, 10)))
    return check_ceiling(household, Financing.PLUS, Zone.AUTRES_REGIONS, income, ON, TABLE,
                         income_year, n1)


def text(result: CheckResult) -> str:
    return result.explanation.replace("\u00a0", " ")


def test_the_2025_notice_incomes_2024_is_n_2_and_compared_on_its_amount() -> None:
    # 31 000 ≤ 45 374: passes; 45 375 > 45 374 by 1 €: fails
    passed = check(31000, 2024)
    assert passed.status is Status.PASS
    assert "avis d'imposition 2025 (revenus 2024), année n-2" in text(passed)
    assert "31 000 € ≤ 45 374 €" in text(passed)
    assert passed.figures["income_year"] == 2024
    failed = check(45375, 2024)
    assert failed.status is Status.FAIL
    assert "plafond dépassé de 1 €" in text(failed)
    assert "revenus 2024" in text(failed)


def test_incomes_2025_when_the_household_asks_for_n_1() -> None:
    # a drop in income: the household asks for its 2025 incomes (notice of 2026)
    # 40 000 ≤ 45 374 passes; 46 000 exceeds by 626 €
    passed = check(40000, 2025, n1=True)
    assert passed.status is Status.PASS
    assert "avis d'imposition 2026 (revenus 2025), année n-1, à la demande du ménage" in (
        text(passed))
    assert passed.figures["income_year"] == 2025 and passed.figures["n1_requested"] is True
    failed = check(46000, 2025, n1=True)
    assert failed.status is Status.FAIL
    assert "plafond dépassé de 626 €" in text(failed)


def test_a_2023_notice_incomes_2022_is_unknown_with_the_years_never_compared() -> None:
    result = check(31000, 2022)
    assert result.status is Status.UNKNOWN
    explanation = text(result)
    assert "Avis d'imposition 2023 (revenus 2022) : revenus trop anciens pour un examen en " \
           "2026" in explanation
    assert "Attendu : l'avis d'imposition 2025 (revenus 2024), année n-2" in explanation
    assert "31 000 €" in explanation  # the amount is stated...
    assert "plafond respecté" not in explanation  # ...but not compared
    assert result.figures["notice_income_year"] == 2022
    assert "arrêté du 29 juillet 1987 modifié" in result.reference
    # one year short (incomes 2023, notice 2024) is just as old
    assert "Avis d'imposition 2024 (revenus 2023) : revenus trop anciens" in text(
        check(31000, 2023))
    # and an amount over the ceiling is not called a failure either: unknown
    assert check(90000, 2022).status is Status.UNKNOWN


def test_n_1_incomes_the_household_did_not_ask_for_are_unknown() -> None:
    result = check(31000, 2025)
    assert result.status is Status.UNKNOWN
    assert "les revenus de l'année n-1 ne sont retenus qu'à la demande du ménage" in (
        text(result))
    # a statement (the household reads it in its access request), not an instruction
    assert "que la demande ne mentionne pas : le plafond ne peut pas être vérifié" in (
        text(result))
    assert "cochez" not in text(result)


def test_the_household_asked_for_n_1_but_the_file_holds_n_2() -> None:
    result = check(31000, 2024, n1=True)
    assert result.status is Status.UNKNOWN
    assert "le ménage demande la prise en compte de ses revenus 2025 (année n-1)" in (
        text(result))


@pytest.mark.parametrize(("year", "fragment"), [
    (None, "Année des revenus du revenu fiscal de référence non renseignée"),
    (2026, "Avis d'imposition 2027 (revenus 2026) : année impossible pour un examen en 2026"),
])
def test_a_missing_or_impossible_year_is_unknown(year: int | None, fragment: str) -> None:
    result = check(31000, year)
    assert result.status is Status.UNKNOWN
    assert fragment in text(result)


def test_the_years_themselves() -> None:
    assert expected_income_year(2026, False) == 2024
    assert expected_income_year(2026, True) == 2025
    assert notice_text(2024) == "avis d'imposition 2025 (revenus 2024)"
    assert income_year_problem(2024, 2026, False) is None
    assert income_year_problem(2025, 2026, True) is None
    # a missing income is the ceiling check's own message, with the year expected
    missing = check_ceiling(
        Household((Member(Role.APPLICANT, 40),)), Financing.PLUS, Zone.AUTRES_REGIONS, None,
        ON, TABLE, None)
    assert missing.status is Status.UNKNOWN
    assert "l'avis d'imposition 2025 (revenus 2024), année n-2, non renseigné" in text(missing)
