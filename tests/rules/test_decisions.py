"""The five decisions (R441-3 CCH) and a dwelling's decision-set consistency."""

from __future__ import annotations

from datetime import date

import pytest

from caleol.rules.decisions import (
    Decision,
    DecisionKind,
    check_decision_set,
    unlawful_reason_warnings,
)

K = DecisionKind
DEADLINE = date(2026, 3, 24)


def test_labels_are_french() -> None:
    assert K.ATTRIBUTION_RANG.label == "Attribution par ordre de priorité"
    assert K.IRRECEVABILITE.label == "Rejet pour irrecevabilité"
    assert len(K) == 5


def test_a_consistent_ranking() -> None:
    decisions = [
        Decision("057240100001", K.ATTRIBUTION_RANG, rank=1),
        Decision("057240100002", K.ATTRIBUTION_SOUS_CONDITION, rank=2,
                 condition="avis d'imposition 2024", deadline=DEADLINE),
        Decision("057240100003", K.NON_ATTRIBUTION, reason="logement inadapté"),
    ]
    assert check_decision_set(decisions) == []


def test_a_single_plain_attribution_is_consistent() -> None:
    decisions = [
        Decision("a", K.ATTRIBUTION),
        Decision("b", K.IRRECEVABILITE, reason="ressources supérieures au plafond"),
    ]
    assert check_decision_set(decisions) == []


def test_rank_gap_and_duplicate() -> None:
    gap = check_decision_set([
        Decision("a", K.ATTRIBUTION_RANG, rank=1), Decision("b", K.ATTRIBUTION_RANG, rank=3),
    ])
    assert gap == ["Rangs manquants : 2 (les rangs vont de 1 à n sans trou)."]
    dup = check_decision_set([
        Decision("a", K.ATTRIBUTION_RANG, rank=1), Decision("b", K.ATTRIBUTION_RANG, rank=1),
    ])
    assert dup == ["Le rang 1 est attribué plusieurs fois."]
    not_from_one = check_decision_set([Decision("a", K.ATTRIBUTION_RANG, rank=2)])
    assert any("Rangs manquants : 1" in p for p in not_from_one)


def test_ranked_decision_without_rank() -> None:
    problems = check_decision_set([Decision("a", K.ATTRIBUTION_RANG)])
    assert problems == ["Attribution par ordre de priorité (a) : le rang est obligatoire."]


def test_two_plain_attributions() -> None:
    problems = check_decision_set([Decision("a", K.ATTRIBUTION), Decision("b", K.ATTRIBUTION)])
    assert problems == ["Plusieurs attributions simples pour le même logement (a, b)."]


def test_plain_attribution_and_ranking_do_not_mix() -> None:
    problems = check_decision_set([
        Decision("a", K.ATTRIBUTION), Decision("b", K.ATTRIBUTION_RANG, rank=1),
    ])
    assert len(problems) == 1
    assert "à la fois attribué sans rang et attribué par ordre de priorité" in problems[0]


def test_two_unranked_conditional_attributions() -> None:
    problems = check_decision_set([
        Decision("a", K.ATTRIBUTION_SOUS_CONDITION, condition="RIB", deadline=DEADLINE),
        Decision("b", K.ATTRIBUTION_SOUS_CONDITION, condition="RIB", deadline=DEADLINE),
    ])
    assert problems == [
        "Plusieurs attributions sans rang pour le même logement (a, b) : classez-les par "
        "ordre de priorité."
    ]


def test_condition_needs_text_and_deadline() -> None:
    problems = check_decision_set([Decision("a", K.ATTRIBUTION_SOUS_CONDITION)])
    assert problems == [
        "Attribution sous condition suspensive (a) : indiquez la condition (pièce manquante).",
        "Attribution sous condition suspensive (a) : indiquez la date limite de la condition.",
    ]
    misplaced = check_decision_set([Decision("a", K.ATTRIBUTION, condition="RIB")])
    assert any("ne s'appliquent qu'à une attribution sous condition" in p for p in misplaced)


@pytest.mark.parametrize("kind", [K.NON_ATTRIBUTION, K.IRRECEVABILITE])
def test_refusals_need_a_reason(kind: DecisionKind) -> None:
    assert check_decision_set([Decision("a", kind, reason=" ")]) == [
        f"{kind.label} (a) : le motif est obligatoire."
    ]


def test_refusals_carry_no_rank() -> None:
    problems = check_decision_set([Decision("a", K.NON_ATTRIBUTION, rank=1, reason="x")])
    assert problems == ["Non-attribution (a) : ce type de décision ne porte pas de rang."]


def test_attribution_against_a_failed_check_needs_a_justification() -> None:
    failed = {"a": {"ceiling": "fail", "solvency": "fail", "typology": "pass"}}
    problems = check_decision_set([Decision("a", K.ATTRIBUTION)], failed)
    assert problems == [
        "Attribution (a) : contrôle non conforme (plafond de ressources, solvabilité) ; "
        "une justification est requise."
    ]
    justified = Decision("a", K.ATTRIBUTION, justification="garantie Visale obtenue")
    assert check_decision_set([justified], failed) == []
    # a refusal of the same candidate needs no justification
    assert check_decision_set([Decision("a", K.IRRECEVABILITE, reason="plafond")], failed) == []


def test_a_candidate_decided_twice() -> None:
    problems = check_decision_set([
        Decision("a", K.ATTRIBUTION_RANG, rank=1), Decision("a", K.ATTRIBUTION_RANG, rank=2),
    ])
    assert problems == ["Le candidat a a plusieurs décisions."]


def test_unlawful_reasons_alone_are_warned() -> None:
    assert len(unlawful_reason_warnings(["Ressources insuffisantes"])) == 1
    assert len(unlawful_reason_warnings(["Absence de lien avec la commune."])) == 1
    both = unlawful_reason_warnings(["ressources insuffisantes", "pas de lien avec la commune"])
    assert len(both) == 2
    # with a lawful reason beside it, or within a longer motivation: no warning
    assert unlawful_reason_warnings(
        ["ressources insuffisantes", "aucune garantie de paiement disponible"]
    ) == []
    assert unlawful_reason_warnings([
        "Ressources insuffisantes et propriétaire d'un logement adapté au ménage"
    ]) == []
    assert unlawful_reason_warnings([]) == []
    assert "ne peut pas motiver seul" in unlawful_reason_warnings(["REVENUS INSUFFISANTS"])[0]
