"""Typology against the charter table (§2 « Une typologie adaptée »)."""

from __future__ import annotations

import pytest

from caleol.errors import ValidationError
from caleol.rules.household import Household, Member, Role
from caleol.rules.result import Status
from caleol.rules.typology import Adaptation, Typology, allowed_typologies, check_typology

A, P, C = Role.APPLICANT, Role.PARTNER, Role.CHILD


def couple(children: int) -> Household:
    return Household((Member(A, 40), Member(P, 40), *(Member(C, 5),) * children))


def single(children: int) -> Household:
    return Household((Member(A, 40), *(Member(C, 5),) * children))


@pytest.mark.parametrize(
    ("household", "allowed"),
    [
        (single(0), "T1 T2"),
        (single(1), "T1 T2 T3"),
        (couple(0), "T1 T2 T3"),
        (single(2), "T2 T3"),
        (couple(1), "T2 T3"),
        (single(3), "T3 T4"),
        (couple(2), "T3 T4"),
        (single(4), "T4 T5 T6"),
        (couple(3), "T4 T5 T6"),
        (single(5), "T5 T6 T7"),
        (couple(4), "T5 T6 T7"),
        (couple(5), "T7"),  # beyond the table: the largest type only
        (couple(8), "T7"),
    ],
)
def test_charter_table(household: Household, allowed: str) -> None:
    assert [t.value for t in allowed_typologies(household)] == allowed.split()


def test_issue_example_couple_with_two_children_in_a_t3() -> None:
    result = check_typology(couple(2), Typology.T3)
    assert result.status is Status.PASS
    assert result.figures["allowed"] == ["T3", "T4"]
    assert result.figures["household"] == "couple + 2 enfants"
    assert result.to_json()["allowed"] == ["T3", "T4"]


def test_visiting_rights_child_counts_loi_elan() -> None:
    h = Household((Member(A, 40), Member(C, 8, visiting_rights=True)))
    assert check_typology(h, Typology.T3).passed  # PI + 1 enfant: T1, T2, T3


@pytest.mark.parametrize(
    ("household", "typology", "word"),
    [(couple(2), Typology.T2, "sur-occupation"), (single(0), Typology.T4, "sous-occupation")],
)
def test_mismatch_fails_without_adaptation(
    household: Household, typology: Typology, word: str
) -> None:
    result = check_typology(household, typology)
    assert result.status is Status.FAIL
    assert word in result.explanation


def test_recorded_adaptation_turns_a_mismatch_into_a_pass_with_its_reason() -> None:
    result = check_typology(single(0), Typology.T4, [Adaptation.ASSISTANT_MATERNEL])
    assert result.status is Status.PASS
    assert "assistant(e) maternel(le)" in result.explanation
    assert result.figures["adaptations"] == ["assistant_maternel"]


def test_beyond_the_table_is_said() -> None:
    result = check_typology(couple(5), Typology.T6)
    assert result.status is Status.FAIL
    assert "au-delà du tableau de la charte" in result.explanation


def test_typology_parsing() -> None:
    assert Typology.parse("t3") is Typology.T3
    assert Typology.parse("F4") is Typology.T4
    with pytest.raises(ValidationError, match="Typologie inconnue"):
        Typology.parse("T8")
    with pytest.raises(ValidationError, match="Adaptation inconnue"):
        Adaptation.parse("piscine")
