"""A contingent target with no attribution on that contingent is « sans objet » (issue
17): a landlord without an État contingent or Action Logement reservation read
« non atteint » against caleol's default 25 % / 5 % / 50 %. Figures worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from caleol.rules.indicators import (
    ACTION_LOGEMENT_EMPLOYEES,
    ETAT_AGENTS,
    ETAT_PRIORITAIRES,
    AttributionRecord,
    EtatContingent,
    Period,
    ReservataireKind,
    Target,
    evaluate,
)

YEAR = Period.year(2026)
# caleol's default targets (services.organisation.defaults.TARGETS)
DEFAULTS = [
    Target("ETAT-PRIO", 2026, Decimal("0.25")), Target("ETAT-AGENTS", 2026, Decimal("0.05")),
    Target("AL-SALARIES", 2026, Decimal("0.50")),
]
VOID = "Objectif : {} : sans objet, aucune attribution sur ce contingent."


def rec(id: int, **kw: object) -> AttributionRecord:
    values: dict[str, object] = {
        "decision_date": date(2026, 3, 10), "dwelling_ref": f"L{id}", "epci": "METZ",
        "department": "57", "in_qpv": False,
    }
    values.update(kw)
    return AttributionRecord(id=id, **values)  # type: ignore[arg-type]


def test_no_attribution_at_all_is_sans_objet_not_missed() -> None:
    # 0 / 0 against 25 %: nothing to measure, nothing missed
    result = evaluate(ETAT_PRIORITAIRES, [], YEAR, targets=DEFAULTS)
    assert (result.numerator, result.denominator, result.rate) == (0, 0, None)
    assert result.target == Decimal("0.25")
    assert result.not_applicable == "aucune attribution sur ce contingent"
    assert (result.met, result.gap, result.missing) == (None, None, None)
    assert VOID.format("au moins 25,0 %") in result.explanation.replace("\u00a0", " ").splitlines()
    assert "non atteint" not in result.explanation


def test_a_landlord_without_contingents_is_not_told_it_missed_them() -> None:
    # four attributions, none on the State's contingent: 0 / 4 was « 0,0 % : non
    # atteint » (25 % of 4 = 1 missing) for ETAT-PRIO
    records = [rec(1), rec(2, reserved_for=ReservataireKind.COLLECTIVITE), rec(3),
               rec(4, action_logement_employee=True)]
    for definition in (ETAT_PRIORITAIRES, ETAT_AGENTS):
        result = evaluate(definition, records, YEAR, targets=DEFAULTS)
        assert result.denominator == 4
        assert result.met is None and result.gap is None and result.missing is None
        assert "sans objet, aucune attribution sur ce contingent" in result.explanation
        assert "atteint" not in result.explanation


def test_a_vacancy_given_back_does_not_make_the_contingent_apply() -> None:
    records = [rec(1), rec(2, reserved_for=ReservataireKind.ETAT, returned_by_reservataire=True,
                           etat_contingent=EtatContingent.PRIORITAIRES)]
    assert evaluate(ETAT_PRIORITAIRES, records, YEAR, targets=DEFAULTS).met is None


def test_one_attribution_on_the_contingent_and_the_target_applies_again() -> None:
    # 1 on the État agents' part of 4: ETAT-PRIO 0 / 4 = 0 % < 25 % (1 missing),
    # ETAT-AGENTS 1 / 4 = 25 % > 5 % (5 % of 4 = 0,2 → at most 0: 1 too many)
    records = [rec(1), rec(2), rec(3), rec(4, reserved_for=ReservataireKind.ETAT,
                                           etat_contingent=EtatContingent.AGENTS)]
    prio = evaluate(ETAT_PRIORITAIRES, records, YEAR, targets=DEFAULTS)
    assert prio.not_applicable == "" and prio.met is False and prio.missing == 1
    agents = evaluate(ETAT_AGENTS, records, YEAR, targets=DEFAULTS)
    assert agents.rate == Decimal("0.2500") and agents.met is False and agents.missing == 1


def test_the_employees_target_is_of_all_attributions() -> None:
    # charter §3: « 50 % minimum des attributions » to employees, Action Logement
    # reservation or not: 1 employee of 4 attributions, none reserved = 25 % < 50 %,
    # 50 % of 4 = 2 → 1 missing (never « sans objet »)
    records = [rec(1), rec(2), rec(3), rec(4, action_logement_employee=True)]
    al = evaluate(ACTION_LOGEMENT_EMPLOYEES, records, YEAR, targets=DEFAULTS)
    assert al.not_applicable == "" and al.rate == Decimal("0.2500")
    assert al.met is False and al.missing == 1
