"""Votes are stated: counts or unanimity, the casting vote and who held it (L441-2 CCH)."""

from __future__ import annotations

import pytest

from caleol.rules.votes import Vote, vote_problems, vote_sentence

HOLDER = "M. Paul Hoffmann, président de Metz Métropole"


def test_unanimity_is_stated_with_the_members_counted() -> None:
    assert vote_problems(Vote(unanimous=True), counted=7) == {}
    assert vote_sentence(Vote(unanimous=True), counted=7) == (
        "À l'unanimité des membres présents ou représentés (7 voix).")


def test_counts_are_stated_with_french_plurals() -> None:
    assert vote_sentence(Vote(5, 2, 1), 8) == "Adoptée par 5 voix pour, 2 contre et 1 abstention."
    assert vote_sentence(Vote(6, 0, 2), 8) == "Adoptée par 6 voix pour, 0 contre et 2 abstentions."
    assert vote_sentence(None, 8) == ""


def test_a_tie_settled_by_the_casting_vote_names_its_holder() -> None:
    tie = Vote(4, 4, 0, casting_vote_used=True)  # 8 members counted: 4 for, 4 against
    assert vote_problems(tie, 8, [HOLDER]) == {}
    assert vote_sentence(tie, 8, HOLDER) == (
        "Partage des voix (4 pour, 4 contre, 0 abstention) : adoptée par la voix "
        f"prépondérante de {HOLDER}.")


def test_a_tie_needs_the_casting_vote_of_one_member_present() -> None:
    assert "cochez-la" in vote_problems(Vote(4, 4, 0), 8, [HOLDER])["casting_vote"]
    used = Vote(4, 4, 0, casting_vote_used=True)
    assert "aucun membre détenant" in vote_problems(used, 8, [])["casting_vote"]
    two = vote_problems(used, 8, ["Maire de Metz", "Président de l'EPCI"])
    assert "Plusieurs membres présents" in two["casting_vote"]


@pytest.mark.parametrize(("vote", "field", "text"), [
    (Vote(12, 0, 0), "votes", "12 votes exprimés pour 9 membres"),  # 12 votes, 9 counted
    (Vote(2, 5, 0), "votes", "pas adoptée (pour 2 < contre 5)"),
    (Vote(0, 0, 3), "votes", "Aucune voix pour"),
    (Vote(0, 0, 0), "votes", "Indiquez le nombre de voix"),
    (Vote(-1, 0, 0), "votes", "trois nombres entiers positifs"),
    (Vote(5, 1, 0, casting_vote_used=True), "casting_vote", "qu'en cas de partage"),
    (Vote(unanimous=True, casting_vote_used=True), "casting_vote", "unanimité"),
])
def test_votes_that_did_not_adopt_the_decision(vote: Vote, field: str, text: str) -> None:
    problems = vote_problems(vote, 9, [HOLDER])
    assert text in problems[field]


def test_no_vote_stated_is_no_problem_here() -> None:
    assert vote_problems(None, 9) == {}
