"""Three-candidate rule (R441-3 CCH) and its exceptions."""

from __future__ import annotations

import pytest

from caleol.errors import ValidationError
from caleol.rules.candidates import CandidateException as E
from caleol.rules.candidates import check_candidate_count, exception_problems
from caleol.rules.ceilings import Financing
from caleol.rules.result import Status


def test_three_candidates_pass() -> None:
    result = check_candidate_count("L-12", 3)
    assert result.passed
    assert result.figures["minimum"] == 3
    assert "R441-3" in result.reference


def test_two_candidates_without_exception_fail() -> None:
    result = check_candidate_count("L-12", 2, financing=Financing.PLUS)
    assert result.status is Status.FAIL
    assert "aucune exception" in result.explanation


def test_dalo_with_one_candidate() -> None:
    recorded = check_candidate_count("L-12", 1, E.DALO, any_dalo_candidate=True)
    assert recorded.passed
    derived = check_candidate_count("L-12", 1, any_dalo_candidate=True)
    assert derived.passed
    assert derived.figures["exception"] == "dalo"
    assert derived.figures["exception_derived"] is True
    invalid = check_candidate_count("L-12", 1, E.DALO, any_dalo_candidate=False)
    assert invalid.status is Status.FAIL
    assert "aucun candidat n'est reconnu prioritaire DALO" in invalid.explanation


def test_insufficient_demand_needs_a_justification() -> None:
    bare = check_candidate_count("L-12", 1, E.INSUFFICIENT_DEMAND, justification="  ")
    assert bare.status is Status.FAIL
    assert "justification" in bare.explanation
    justified = check_candidate_count(
        "L-12", 1, E.INSUFFICIENT_DEMAND, justification="2 demandes T5 dans le SNE"
    )
    assert justified.passed
    assert "2 demandes T5 dans le SNE" in justified.explanation


@pytest.mark.parametrize(
    ("financing", "exception"),
    [(Financing.PLAI_ADAPTE, "plai_adapte"), (Financing.PLI, "pli"), (Financing.LLI, "lli")],
)
def test_financing_exceptions_are_derived(financing: Financing, exception: str) -> None:
    result = check_candidate_count("L-12", 1, financing=financing)
    assert result.passed
    assert result.figures["exception"] == exception


def test_financing_exception_must_match_the_dwelling() -> None:
    assert check_candidate_count("L-12", 2, E.PLI, financing=Financing.PLI).passed
    wrong = check_candidate_count("L-12", 2, E.PLI, financing=Financing.PLUS)
    assert wrong.status is Status.FAIL
    assert "financé en PLUS" in wrong.explanation
    unknown = check_candidate_count("L-12", 2, E.LLI)
    assert unknown.status is Status.UNKNOWN


def test_no_candidate_fails_and_negative_count_raises() -> None:
    assert check_candidate_count("L-12", 0, any_dalo_candidate=True).status is Status.FAIL
    with pytest.raises(ValidationError):
        check_candidate_count("L-12", -1)


def test_insufficient_demand_is_refused_without_its_justification() -> None:
    """Refused when recorded, by field, so the window marks the justification."""
    for blank in ("", "   \n "):
        problems = exception_problems(E.INSUFFICIENT_DEMAND, blank)
        assert list(problems) == ["justification"]
        assert "obligatoire pour l'insuffisance de demandes" in problems["justification"]
    assert exception_problems(E.INSUFFICIENT_DEMAND, "Deux demandes T3 dans le SNE.") == {}
    assert exception_problems(E.DALO, "") == {}  # checked against the facts at « prête »
    assert exception_problems(None, "") == {}
