"""Each indicator on its own counting basis, targets per département, indicators as rows.

Every expected figure is worked by hand in the comments.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from caleol.rules.indicators import (
    DEFINITIONS,
    PS2_OUTSIDE_QPV,
    PS2_PRIORITY,
    Q1_OUTSIDE_QPV,
    QPV_Q2_Q4,
    AttributionRecord,
    CountingBasis,
    IndicatorDefinition,
    IndicatorResult,
    Period,
    Target,
    Territory,
    bases_from_setting,
    compute_all,
    evaluate,
    impact_of_attribution,
)
from caleol.rules.indicators.criteria import everyone

THRESHOLD = Decimal("7228")
YEAR = Period.year(2026)
POOR = Decimal("6000")    # 6 000 €/UC ≤ 7 228: first quartile
RICH = Decimal("15000")   # 15 000 €/UC > 7 228: quartiles 2 to 4


def rec(id: int, *, qpv: bool, resources: Decimal, lease: date | None,
        **kw: object) -> AttributionRecord:
    """A household of 1 UC in EPCI METZ, decided on 10 March 2026."""
    values: dict[str, object] = {
        "decision_date": date(2026, 3, 10), "dwelling_ref": f"L{id}", "epci": "METZ",
        "department": "57", "lease_signed": lease is not None, "lease_date": lease,
        "in_qpv": qpv, "annual_resources": resources, "consumption_units": Decimal(1),
        "quartile_threshold": THRESHOLD,
    }
    values.update(kw)
    return AttributionRecord(id=id, **values)  # type: ignore[arg-type]


def charter_set() -> list[AttributionRecord]:
    return [
        rec(1, qpv=True, resources=RICH, lease=None),                # QPV, Q2-4, proposal only
        rec(2, qpv=True, resources=POOR, lease=date(2026, 4, 1)),    # QPV, Q1, leased
        rec(3, qpv=False, resources=POOR, lease=None),               # outside, Q1, no lease
        rec(4, qpv=False, resources=RICH, lease=date(2026, 4, 1)),   # outside, Q2-4, leased
    ]


def by_code(bases: dict[str, CountingBasis] | None = None) -> dict[str, IndicatorResult]:
    return {r.code: r for r in compute_all(charter_set(), YEAR, bases=bases)}


def test_by_default_ps1_counts_leases_and_the_qpv_objective_counts_proposals() -> None:
    results = by_code()
    q1, qpv = results["Q1-HQPV"], results["QPV-Q2Q4"]
    # PS-1 on signed leases: outside QPV only 4 is leased (Q2-4) → 0 / 1
    assert (q1.numerator_ids, q1.denominator_ids) == ((), (4,))
    assert q1.basis is CountingBasis.LEASES
    # QPV on proposals: 1 (Q2-4) and 2 (Q1), leased or not → 1 / 2 = 50 %, target 50 %
    assert (qpv.numerator_ids, qpv.denominator_ids) == ((1,), (1, 2))
    assert qpv.rate == Decimal("0.5000")
    assert qpv.met is True
    assert qpv.basis is CountingBasis.PROPOSALS
    # the old single switch could not give this pair: on leases QPV would be 0 / 1
    # (only 2, Q1, is leased), on proposals PS-1 would be 1 / 2 (3 is Q1)
    both_leases = by_code({"QPV-Q2Q4": CountingBasis.LEASES})
    assert both_leases["QPV-Q2Q4"].rate == Decimal("0.0000")
    both_proposals = by_code({"Q1-HQPV": CountingBasis.PROPOSALS})
    assert both_proposals["Q1-HQPV"].rate == Decimal("0.5000")


def test_the_explanation_says_on_which_basis_and_why() -> None:
    q1 = evaluate(Q1_OUTSIDE_QPV, charter_set(), YEAR)
    assert "Base de comptage : attributions suivies d'un bail signé (date du bail)" in (
        q1.explanation)
    assert "« attributions de logements, suivies de baux signés »" in q1.explanation
    qpv = evaluate(QPV_Q2_Q4, charter_set(), YEAR)
    # the law's words, not a section of the model charter another landlord never adopted
    assert "art. L441-1 CCH : « objectif quantifié d'attribution » en QPV" in qpv.explanation
    assert "§" not in qpv.explanation and "Vivest" not in qpv.explanation
    changed = evaluate(QPV_Q2_Q4, charter_set(), YEAR, basis=CountingBasis.LEASES)
    assert "choisie dans les paramètres" in changed.explanation
    assert "les sources retiennent les attributions prononcées" in changed.explanation
    assert not changed.basis_is_default and qpv.basis_is_default


def test_the_setting_names_only_what_differs_and_unknowns_are_ignored() -> None:
    bases = bases_from_setting({"Q1-HQPV": "propositions", "XYZ": "baux", "PS-2": "autre"})
    assert bases["Q1-HQPV"] is CountingBasis.PROPOSALS
    assert bases["QPV-Q2Q4"] is CountingBasis.PROPOSALS  # the charter's
    assert bases["PS-2"] is CountingBasis.PROPOSALS      # "autre" ignored: the source's
    assert "XYZ" not in bases
    assert set(bases) == {d.code for d in DEFINITIONS}
    assert bases_from_setting({})["Q1-HQPV"] is CountingBasis.LEASES


def test_live_impact_counts_a_qpv_candidate_on_proposals() -> None:
    # QPV before: 1 (Q2-4, proposal) and 2 (Q1, leased) → 1 / 2; a Q2-4 candidate
    # decided on 10 March, lease not signed, counts as a proposal → 2 / 3
    candidate = rec(9, qpv=True, resources=RICH, lease=None)
    before, after = impact_of_attribution(charter_set(), candidate)
    assert before.code == "QPV-Q2Q4" and after.basis is CountingBasis.PROPOSALS
    assert (before.numerator, before.denominator) == (1, 2)
    assert (after.numerator, after.denominator) == (2, 3)
    assert after.numerator_ids == (1, 9)


def test_ps2_outside_qpv_targets_per_department_are_stored_rows() -> None:
    # The landlord's commitments per département (for Vivest, its CUS amendment's PS-2
    # « % hors QPV »: 54 → 90 %, 57 → 60 %) are rows the landlord stores, not rules.
    records = [
        rec(1, qpv=False, resources=RICH, lease=None, priority=True),
        rec(2, qpv=True, resources=RICH, lease=None, priority=True),
        rec(3, qpv=False, resources=RICH, lease=None, priority=True, department="54"),
    ]
    stored = [
        Target("PS-2-HQPV", 2026, Decimal("0.60"), Territory(department="57"), "avenant CUS"),
        Target("PS-2-HQPV", 2026, Decimal("0.90"), Territory(department="54"), "avenant CUS"),
        Target("PS-2", 2025, Decimal("0.26"), Territory(department="54"), "avenant CUS"),
    ]
    moselle = evaluate(PS2_OUTSIDE_QPV, records, YEAR, Territory(department="57"), stored)
    # 57: 1 outside of 1 and 2 → 1 / 2 = 50 % against 60 %: 1,2 → 2 needed, 1 missing
    assert moselle.target == Decimal("0.60")
    assert (moselle.numerator, moselle.denominator) == (1, 2)
    assert moselle.met is False and moselle.missing == 1
    assert moselle.target_source == "avenant CUS"
    assert "Objectif : au moins 60,0 % (avenant CUS)" in (
        moselle.explanation.replace("\u00a0", " "))
    meurthe = evaluate(PS2_OUTSIDE_QPV, records, YEAR, Territory(department="54"), stored)
    assert meurthe.target == Decimal("0.90") and meurthe.met is True  # 1 / 1
    # landlord-wide, no row and no national target for the part hors QPV
    assert evaluate(PS2_OUTSIDE_QPV, records, YEAR, targets=stored).target is None
    # nothing stored, nothing applies: the rules ship no landlord's commitment
    assert evaluate(PS2_OUTSIDE_QPV, records, YEAR, Territory(department="57")).target is None
    # PS-2 « % total » of 54 stored at 26 % for 2025 only; other years: the CCH's 25 %
    ps2_2025 = evaluate(PS2_PRIORITY, records, Period.year(2025), Territory(department="54"),
                        stored)
    assert ps2_2025.target == Decimal("0.26")
    ps2_2026 = evaluate(PS2_PRIORITY, records, YEAR, Territory(department="54"), stored)
    assert (ps2_2026.target, ps2_2026.target_source) == (Decimal("0.25"),
                                                         "art. L441-1 du CCH")
    # a landlord-wide stored target does not override a département's...
    wide = [*stored, Target("PS-2-HQPV", 2026, Decimal("0.70"), source="CIA 2026")]
    assert evaluate(PS2_OUTSIDE_QPV, records, YEAR, Territory(department="57"),
                    wide).target == Decimal("0.60")
    assert evaluate(PS2_OUTSIDE_QPV, records, YEAR, targets=wide).target == Decimal("0.70")


def test_the_rules_hold_only_the_national_targets_of_the_cch() -> None:
    """A landlord's targets (CUS, charter, conventions) are stored data; the rules keep
    the CCH's, each with its article, shown as the target's source."""
    national = {d.code: (d.legal_default, d.legal_default_reference)
                for d in DEFINITIONS if d.legal_default is not None}
    assert national == {
        "Q1-HQPV": (Decimal("0.25"), "art. L441-1 du CCH"),
        "QPV-Q2Q4": (Decimal("0.50"), "art. L441-1 du CCH, à défaut d'orientations de la CIL"),
        "PS-2": (Decimal("0.25"), "art. L441-1 du CCH"),
    }
    assert not [d.code for d in DEFINITIONS
                if d.legal_default is None and d.legal_default_reference]
    result = evaluate(Q1_OUTSIDE_QPV, charter_set(), YEAR)
    assert "Objectif : au moins 25,0 % (art. L441-1 du CCH)" in (
        result.explanation.replace("\u00a0", " "))


def test_an_indicator_is_a_row_of_the_table() -> None:
    # a made-up indicator: households with no resources among all attributions
    definition = IndicatorDefinition(
        code="TEST-0", label="Ménages sans ressources", population=everyone,
        counted=lambda r: r.annual_resources == 0, basis=CountingBasis.LEASES,
        sentence="{n} sans ressources sur {d}", reference="essai",
        basis_reference="essai", legal_default=Decimal("0.10"),
    )
    records = [*charter_set(), rec(5, qpv=False, resources=Decimal(0), lease=date(2026, 5, 2))]
    result = evaluate(definition, records, YEAR)
    # leased in 2026: 2, 4, 5; no resources: 5 → 1 / 3 = 33,33 %, ≥ 10 %
    assert (result.numerator_ids, result.denominator_ids) == ((5,), (2, 4, 5))
    assert result.met is True
    assert "1 attribution sans ressources sur 3 attributions : 1 / 3 = 33,3" in (
        result.explanation)
    on_proposals = evaluate(replace(definition, basis=CountingBasis.PROPOSALS), records, YEAR)
    assert on_proposals.denominator == 5
