"""Nothing unjustified: the rules' verdict on a draft decision, from the candidate's checks.

One household for every case of issue 15, checked on 10 March 2026 by the real rules:
a couple (34 and 33) with two children (10 and 8) asking for a T4 at 350 € rent +
60 € charges + 44,47 € energy, with 350 € of housing aid, 1 305,88 € a month, revenu
fiscal de référence 2024 of 9 249 €.

* Ceiling (PLUS 2026, autres régions, category 4 = 4 persons): 45 374 €;
  9 249 € ≤ 45 374 € → pass. PLAI: no table after 2022 is shipped → unknown.
* Solvency: UC = 1 + 0,5 + 0,3 + 0,3 = 2,1; net cost = 350 + 60 + 44,47 − 350 =
  104,47 €; TE = 104,47 / 1 305,88 = 8,0 %; RàV = (1 305,88 − 104,47) / 2,1 / 30 =
  1 201,41 / 63 = 19,07 €/jour/UC ≥ 10 (TE < 30 %) → pass.
* Typology: couple + 2 children in a T4 → pass.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from caleol.rules.ceilings import Financing, Zone
from caleol.rules.decision_review import VOTE_MISSING, DecisionReview, review_decision
from caleol.rules.decisions import (
    DEFAULT_REASON_CHECKS,
    CitedReason,
    Decision,
    DecisionKind,
    check_decision_set,
)
from caleol.rules.evaluation import DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import Household, Member, Role
from caleol.rules.typology import Typology
from caleol.rules.votes import Vote

K = DecisionKind
ON = date(2026, 3, 10)
UNANIMOUS = Vote(unanimous=True)
PLAFOND = CitedReason("Ressources supérieures au plafond réglementaire",
                      contradicts_check=DEFAULT_REASON_CHECKS["PLAFOND"])
SOLVABILITE = CitedReason(
    "Taux d'effort et reste à vivre incompatibles avec le loyer, sans garantie possible",
    contradicts_check=DEFAULT_REASON_CHECKS["SOLVABILITE"])
INADAPTE = CitedReason("Logement inadapté à la composition du ménage (sur- ou sous-occupation)",
                       contradicts_check=DEFAULT_REASON_CHECKS["INADAPTE"])
MIEUX_CLASSE = CitedReason("Attribution à un candidat mieux classé")
RESSOURCES_FAIBLES = CitedReason("Ressources insuffisantes", unlawful_alone=True,
                                 contradicts_check=DEFAULT_REASON_CHECKS["RESSOURCES_FAIBLES"])


def statuses(financing: Financing = Financing.PLUS) -> dict[str, str]:
    household = Household((Member(Role.APPLICANT, 34), Member(Role.PARTNER, 33),
                           Member(Role.CHILD, 10), Member(Role.CHILD, 8)))
    file = HouseholdFile(household, Decimal("1305.88"), True, Decimal("350"), 9249, False,
                         False, date(2024, 1, 15), "57",
                         reference_tax_income_year=2024)  # n-2 of ON (rules.tax_notice)
    terms = DwellingTerms(Typology.T4, financing, Zone.AUTRES_REGIONS, Decimal("350"),
                          Decimal("60"), Decimal("44.47"))
    checks = evaluate_candidate(ON, file, terms)
    if financing is Financing.PLUS:
        assert checks["ceiling"].figures["ceiling"] == 45374
        assert checks["solvency"].figures["effort_rate"] == Decimal("0.0800")
        assert checks["solvency"].figures["remaining_per_day_per_unit"] == Decimal("19.07")
    return {name: result.status.value for name, result in checks.items()}


def review(decision: Decision, financing: Financing = Financing.PLUS,
           vote: Vote | None = UNANIMOUS) -> DecisionReview:
    return review_decision(decision, statuses(financing), vote, counted=9)


def test_the_household_passes_every_check_on_plus() -> None:
    assert statuses() == {"ceiling": "pass", "solvency": "pass", "typology": "pass",
                          "waiting_time": "pass"}
    assert statuses(Financing.PLAI)["ceiling"] == "unknown"


def test_ceiling_reason_with_a_passing_ceiling_check_needs_a_justification() -> None:
    verdict = review(Decision("a", K.IRRECEVABILITE, cited=(PLAFOND,)))
    assert not verdict.accepted
    assert verdict.problems == {"justification": (
        "Le motif « Ressources supérieures au plafond réglementaire » est contredit par le "
        "contrôle « plafond de ressources » (conforme) ; une justification est requise.")}
    assert [g.sentence for g in verdict.grounds] == [
        "motif « Ressources supérieures au plafond réglementaire » contredit par le contrôle "
        "« plafond de ressources » (conforme)"]
    justified = review(Decision("a", K.IRRECEVABILITE, cited=(PLAFOND,),
                                justification="Revenus 2025 de 52 000 € déclarés par le ménage."))
    assert justified.accepted and justified.justification_required


def test_solvency_reason_at_8_percent_and_19_07_euros_needs_a_justification() -> None:
    verdict = review(Decision("a", K.NON_ATTRIBUTION, cited=(SOLVABILITE,)))
    assert "contredit par le contrôle « solvabilité »" in verdict.problems["justification"]


def test_unsuitable_dwelling_with_a_passing_typology_needs_a_justification() -> None:
    verdict = review(Decision("a", K.NON_ATTRIBUTION, cited=(INADAPTE,)))
    assert "contredit par le contrôle « typologie »" in verdict.problems["justification"]


def test_a_reason_no_check_bears_on_needs_nothing_more() -> None:
    verdict = review(Decision("a", K.NON_ATTRIBUTION, cited=(MIEUX_CLASSE,)))
    assert verdict.accepted and not verdict.grounds and verdict.warnings == ()


def test_attribution_with_an_unknown_ceiling_needs_a_justification() -> None:
    verdict = review(Decision("a", K.ATTRIBUTION), Financing.PLAI)
    assert verdict.problems == {"justification": (
        "Contrôle indéterminé (plafond de ressources) ; une justification est requise.")}
    assert [g.sentence for g in verdict.grounds] == ["plafond de ressources : indéterminé"]
    justified = review(Decision("a", K.ATTRIBUTION, justification=(
        "Barème PLAI 2026 vérifié sur l'arrêté : 24 957 € pour 4 personnes.")), Financing.PLAI)
    assert justified.accepted
    # the same attribution on PLUS, every check passing: nothing to justify
    assert review(Decision("a", K.ATTRIBUTION)).grounds == ()


def test_failed_and_unknown_checks_are_named_apart() -> None:
    checks = {"ceiling": "unknown", "solvency": "fail", "typology": "pass"}
    verdict = review_decision(Decision("a", K.ATTRIBUTION_RANG, rank=1), checks, UNANIMOUS, 9)
    assert verdict.problems["justification"] == (
        "Contrôle non conforme (solvabilité) ; contrôle indéterminé (plafond de ressources) ; "
        "une justification est requise.")
    # a gating check missing from the snapshot is unknown, never a silent pass
    missing = review_decision(Decision("a", K.ATTRIBUTION), {"ceiling": "pass"}, UNANIMOUS, 9)
    assert [g.check for g in missing.grounds] == ["solvency", "typology"]


def test_a_reason_its_check_cannot_verify_is_a_warning() -> None:
    verdict = review(Decision("a", K.IRRECEVABILITE, cited=(PLAFOND,)), Financing.PLAI)
    assert verdict.accepted
    assert any("ne peut pas être vérifié" in w for w in verdict.warnings)


def test_a_reason_that_cannot_stand_alone_and_its_second_reason() -> None:
    alone = review_decision(Decision("a", K.NON_ATTRIBUTION, cited=(RESSOURCES_FAIBLES,)),
                            {"solvency": "fail"}, UNANIMOUS, 9)
    assert alone.accepted and alone.second_reason_advised
    assert len(alone.warnings) == 1 and "ajoutez un second motif légal" in alone.warnings[0]
    paired = review_decision(
        Decision("a", K.NON_ATTRIBUTION, cited=(RESSOURCES_FAIBLES, MIEUX_CLASSE)),
        {"solvency": "fail"}, UNANIMOUS, 9)
    assert paired.warnings == () and not paired.second_reason_advised
    # two grounds that cannot stand alone still stand alone together
    twice = review_decision(
        Decision("a", K.NON_ATTRIBUTION,
                 cited=(RESSOURCES_FAIBLES, CitedReason("Absence de lien avec la commune",
                                                        unlawful_alone=True))),
        {"solvency": "fail"}, UNANIMOUS, 9)
    assert len(twice.warnings) == 2
    # a short précision keeps the ground what it is; a stated reason is a ground
    short = Decision("a", K.NON_ATTRIBUTION, cited=(RESSOURCES_FAIBLES,), reason="pour ce loyer")
    assert review_decision(short, {"solvency": "fail"}, UNANIMOUS, 9).second_reason_advised
    stated = Decision("a", K.NON_ATTRIBUTION, cited=(RESSOURCES_FAIBLES,),
                      reason="taux d'effort de 48 % sans garantie Visale ni FSL possible")
    assert review_decision(stated, {"solvency": "fail"}, UNANIMOUS, 9).warnings == ()


def test_every_field_problem_is_keyed_by_its_field() -> None:
    verdict = review_decision(Decision("a", K.ATTRIBUTION_SOUS_CONDITION, rank=0),
                              {}, Vote(12, 0, 0), counted=9)
    assert set(verdict.problems) == {"rank", "condition", "deadline", "justification", "votes"}
    assert verdict.problems["votes"] == (
        "12 votes exprimés pour 9 membres à voix délibérative présents ou représentés.")
    assert verdict.problems["rank"] == "Le rang doit être un entier à partir de 1."
    ranked = review_decision(Decision("a", K.ATTRIBUTION_RANG), None, UNANIMOUS, 9)
    assert ranked.problems == {"rank": "Le rang est obligatoire."}


def test_a_vote_not_stated_is_a_warning() -> None:
    verdict = review(Decision("a", K.ATTRIBUTION), vote=None)
    assert verdict.accepted and verdict.warnings == (VOTE_MISSING,)


def test_the_decision_set_sees_unknown_checks_and_contradicted_reasons() -> None:
    checks = {"a": {"ceiling": "unknown", "solvency": "pass", "typology": "pass"},
              "b": {"ceiling": "pass", "solvency": "pass", "typology": "pass"}}
    problems = check_decision_set([Decision("a", K.ATTRIBUTION),
                                   Decision("b", K.IRRECEVABILITE, cited=(PLAFOND,))], checks)
    assert problems == [
        "Attribution (a) : contrôle indéterminé (plafond de ressources) ; une justification "
        "est requise.",
        "Rejet pour irrecevabilité (b) : le motif « Ressources supérieures au plafond "
        "réglementaire » est contredit par le contrôle « plafond de ressources » (conforme) ; "
        "une justification est requise.",
    ]


@pytest.mark.parametrize("kind", [K.NON_ATTRIBUTION, K.IRRECEVABILITE])
def test_a_refusal_against_failed_checks_needs_no_justification(kind: DecisionKind) -> None:
    checks = {"ceiling": "fail", "solvency": "fail", "typology": "fail"}
    verdict = review_decision(Decision("a", kind, cited=(PLAFOND, SOLVABILITE)), checks,
                              UNANIMOUS, 9)
    assert verdict.accepted and verdict.grounds == ()


def test_a_nir_typed_in_a_decision_text_blocks_the_save_without_being_echoed() -> None:
    """The PV and the letters print these texts for decades: the rule of the import and
    the editors applies (issue 16, finding 5; audit16 found them open). The NIR is
    1 85 05 78 006 084 with key 97 − (1850578006084 mod 97 = 6) = 91."""
    nir = "1 85 05 78 006 084 91"
    verdict = review(Decision("a", K.NON_ATTRIBUTION, cited=(MIEUX_CLASSE,),
                              reason=f"NIR du demandeur : {nir}"))
    assert set(verdict.problems) == {"reason_text"}
    assert verdict.problems["reason_text"].startswith("Ceci ressemble à un numéro de sécurité")
    conditional = review(Decision("a", K.ATTRIBUTION_SOUS_CONDITION, rank=1, deadline=ON,
                                  condition=f"carte vitale ({nir.replace(' ', '')})",
                                  justification=f"vu le NIR {nir}"))
    assert set(conditional.problems) == {"condition", "justification"}
    assert all(nir not in p and "185057800608491" not in p
               for p in conditional.problems.values())
    assert review(Decision("a", K.NON_ATTRIBUTION, cited=(MIEUX_CLASSE,),
                           reason="dossier n° 2024-00123, vu le 10/03/2026")).accepted
