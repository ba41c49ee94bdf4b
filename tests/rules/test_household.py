"""Household derivations, worked by hand from the charter (§2) and the arrêté of 1987."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caleol.errors import ValidationError
from caleol.rules.household import Household, Member, Role, age_on

A, P, C, OA = Role.APPLICANT, Role.PARTNER, Role.CHILD, Role.OTHER_ADULT


def hh(*members: Member) -> Household:
    return Household(tuple(members))


def test_issue_example_couple_with_two_children() -> None:
    h = hh(Member(A, 34), Member(P, 33), Member(C, 16), Member(C, 10))
    assert h.persons == 4
    assert h.dependants == 2
    assert h.is_couple
    assert not h.is_young_couple  # 34 + 33 = 67 > 55
    # UC = 1 (applicant) + 0.5 (partner) + 0.5 (child 16 ≥ 14) + 0.3 (child 10 < 14) = 2.3
    assert h.consumption_units == Decimal("2.3")
    assert h.ceiling_category() == (4, 0)  # four persons
    assert h.summary() == "couple + 2 enfants"
    detail = h.consumption_units_detail()
    assert detail.endswith("= 2,3 UC")
    assert "0,3 (enfant de 10 ans)" in detail


@pytest.mark.parametrize(("age", "units"), [(13, "1.3"), (14, "1.5"), (15, "1.5")])
def test_child_of_exactly_14_counts_half_a_unit(age: int, units: str) -> None:
    # single parent: 1 + 0.3 (under 14) or 1 + 0.5 (14 and more, INSEE « 14 ans et plus »)
    h = hh(Member(A, 40), Member(C, age))
    assert h.consumption_units == Decimal(units)


def test_child_of_14_is_explained() -> None:
    h = hh(Member(A, 40), Member(C, 14))
    assert "enfant de 14 ans : 14 ans et plus" in h.consumption_units_detail()


def test_other_adults_count_half_a_unit_and_are_not_dependants() -> None:
    # 1 (applicant) + 0.5 (grand-parent) + 0.3 (child of 3) = 1.8
    h = hh(Member(A, 30), Member(OA, 70), Member(C, 3))
    assert h.consumption_units == Decimal("1.8")
    assert h.dependants == 1
    assert not h.is_single
    assert h.summary() == "personne isolée + 1 enfant + 1 autre adulte"


@pytest.mark.parametrize(
    ("ages", "young", "category"),
    [
        ((30, 25), True, (3, 0)),  # 30 + 25 = 55 ≤ 55: jeune ménage sans personne à charge
        ((30, 26), False, (2, 0)),  # 30 + 26 = 56 > 55: two persons, no dependant
        ((20, 20), True, (3, 0)),
    ],
)
def test_young_couple_edge(ages: tuple[int, int], young: bool, category: tuple[int, int]) -> None:
    h = hh(Member(A, ages[0]), Member(P, ages[1]))
    assert h.is_young_couple is young
    assert h.ceiling_category() == category
    total = sum(ages)
    assert f"âges cumulés {ages[0]} + {ages[1]} = {total}" in h.ceiling_category_reason()


def test_young_couple_with_a_child_is_simply_three_persons() -> None:
    h = hh(Member(A, 25), Member(P, 24), Member(C, 1))
    assert h.is_young_couple
    assert h.ceiling_category() == (3, 0)


@pytest.mark.parametrize(
    ("members", "category", "reason"),
    [
        ((Member(A, 40),), (1, 0), "1 personne"),
        ((Member(A, 40, disabled=True),), (2, 0), "dont une en situation de handicap"),
        ((Member(A, 60), Member(P, 58, disabled=True)), (3, 0), "handicap"),
        ((Member(A, 60), Member(P, 58), Member(C, 20, disabled=True)), (4, 0), "handicap"),
        ((Member(A, 40), Member(C, 5)), (3, 0), "personne seule avec 1 personne à charge"),
        ((Member(A, 40), Member(C, 5), Member(C, 7)), (4, 0), "2 personnes à charge"),
        ((Member(A, 40),) + (Member(C, 5),) * 4, (6, 0), "4 personnes à charge"),
        ((Member(A, 40),) + (Member(C, 5),) * 5, (6, 1), "5 personnes à charge"),
        # disability and single parent do not add up: max(2+1, 2+1) = 3
        ((Member(A, 40, disabled=True), Member(C, 5)), (3, 0), ""),
        # two adults who are not a couple, no dependant: two persons
        ((Member(A, 40), Member(OA, 45)), (2, 0), "2 personnes"),
    ],
)
def test_ceiling_categories_of_the_arrete(
    members: tuple[Member, ...], category: tuple[int, int], reason: str
) -> None:
    h = Household(members)
    assert h.ceiling_category() == category
    assert reason in h.ceiling_category_reason()


def test_household_of_eight_has_two_extra_persons() -> None:
    h = hh(Member(A, 40), Member(P, 40), *(Member(C, age) for age in (1, 3, 5, 7, 9, 11)))
    assert h.persons == 8
    assert h.ceiling_category() == (6, 2)  # 8 persons = category 6 + (8 - 6)


def test_visiting_rights_children_count_everywhere() -> None:
    h = hh(Member(A, 40), Member(C, 8, visiting_rights=True), Member(C, 15))
    assert h.persons == 3
    assert h.dependants == 2
    # single with two dependants: category 4; UC 1 + 0.3 + 0.5 = 1.8
    assert h.ceiling_category() == (4, 0)
    assert h.consumption_units == Decimal("1.8")
    assert h.summary() == "personne isolée + 2 enfants (dont 1 en droit de visite)"


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ((Member(A, 40),), (1, 0)),
        ((Member(A, 40), Member(P, 40)), (2, 0)),
        ((Member(A, 40), Member(C, 1)), (3, 0)),
        ((Member(A, 40), Member(P, 40), Member(C, 1)), (3, 0)),
        ((Member(A, 40), Member(P, 40)) + (Member(C, 1),) * 5, (6, 1)),
    ],
)
def test_intermediate_categories(members: tuple[Member, ...], expected: tuple[int, int]) -> None:
    assert Household(members).intermediate_category() == expected


@pytest.mark.parametrize(
    ("members", "fragment"),
    [
        ((), "aucun membre"),
        ((Member(C, 4),), "aucun demandeur"),
        ((Member(A, 30), Member(A, 31)), "un seul demandeur"),
        ((Member(A, 30), Member(P, 31), Member(P, 32)), "un seul conjoint"),
        ((Member(A, 30), Member(C, -1)), "âge négatif"),
        ((Member(A, 30), Member(OA, 10)), "déclarez ce mineur comme enfant"),
        ((Member(A, 30, visiting_rights=True),), "droit de visite"),
        ((Member(A, 200),), "invraisemblable"),
        ((Member(A, 12),), "moins de 16 ans"),
    ],
)
def test_impossible_households_raise_in_french(
    members: tuple[Member, ...], fragment: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Household(members)
    assert fragment in str(info.value)
    assert str(info.value).startswith("Composition du ménage impossible")


def test_age_on_counts_completed_years() -> None:
    birth = date(1990, 3, 10)
    assert age_on(birth, date(2026, 3, 9)) == 35  # the day before the birthday
    assert age_on(birth, date(2026, 3, 10)) == 36
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
    with pytest.raises(ValidationError, match="postérieure"):
        age_on(date(2027, 1, 1), date(2026, 1, 1))
