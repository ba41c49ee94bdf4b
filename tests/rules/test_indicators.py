"""Indicators over small hand-built data sets; every expected figure is worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caleol.rules.indicators import (
    ACTION_LOGEMENT_EMPLOYEES,
    ETAT_AGENTS,
    ETAT_PRIORITAIRES,
    PP5_INTERNAL_MUTATIONS,
    PP5_SOCIAL_TENANTS,
    PS2_OUTSIDE_QPV,
    PS2_PRIORITY,
    PS3_DALO,
    PS3_OUTSIDE_QPV,
    Q1_OUTSIDE_QPV,
    QPV_Q2_Q4,
    AttributionRecord,
    CountingBasis,
    EtatContingent,
    ExclusionCause,
    Period,
    ReservataireKind,
    Target,
    Territory,
    annual_resources_from_monthly,
    compute_all,
    evaluate,
    impact_of_attribution,
    is_first_quartile,
    quartile_consumption_units,
    quartile_table,
    rate_of,
    select_target,
)

THRESHOLD = Decimal("7228")  # Saint-Dizier's first-quartile threshold, €/year/UC
YEAR = Period.year(2026)


def rec(id: int, **kw: object) -> AttributionRecord:
    """A signed-lease attribution in EPCI "METZ" with known data unless told otherwise."""
    values: dict[str, object] = {
        "decision_date": date(2026, 3, 10),
        "dwelling_ref": f"L{id}",
        "epci": "METZ",
        "department": "57",
        "agency": "Metz",
        "commission": "CALEOL Metz",
        "lease_signed": True,
        "lease_date": date(2026, 4, 1),
        "in_qpv": False,
        "annual_resources": Decimal("12000"),
        "consumption_units": Decimal("1"),
        "quartile_threshold": THRESHOLD,
    }
    values.update(kw)
    return AttributionRecord(id=id, **values)  # type: ignore[arg-type]


POOR = {"annual_resources": Decimal("6000")}  # 6 000 €/UC ≤ 7 228: first quartile
RICH = {"annual_resources": Decimal("15000")}  # 15 000 €/UC > 7 228: quartiles 2-4


# --- quartile definitions ----------------------------------------------------------

def test_oecd_units_first_person_one_others_half_children_under_14_point_three() -> None:
    # couple + a 15-year-old + two children of 5 and 9: 1 + 0.5 + 0.5 + 0.3 + 0.3 = 2.6
    assert quartile_consumption_units(3, 2) == Decimal("2.6")
    assert quartile_consumption_units(1, 0) == Decimal("1")
    with pytest.raises(ValueError):
        quartile_consumption_units(0, 2)


def test_threshold_itself_is_in_the_first_quartile() -> None:
    assert is_first_quartile(Decimal("7228"), THRESHOLD)
    assert is_first_quartile(Decimal("7227.99"), THRESHOLD)
    assert not is_first_quartile(Decimal("7228.01"), THRESHOLD)


def test_resources_per_uc_from_monthly_resources() -> None:
    # 900 €/month x 12 = 10 800 €/year; couple + child under 14: 1.8 UC → 6 000 €/UC
    record = rec(
        1,
        annual_resources=annual_resources_from_monthly(Decimal("900")),
        consumption_units=quartile_consumption_units(2, 1),
    )
    assert record.resources_per_uc == Decimal("6000")


def test_record_rejects_inconsistent_lease_and_bad_units() -> None:
    with pytest.raises(ValueError):
        rec(1, lease_signed=False)  # lease date kept
    with pytest.raises(ValueError):
        rec(1, lease_date=None)
    with pytest.raises(ValueError):
        rec(1, consumption_units=Decimal("0"))
    with pytest.raises(ValueError):
        rec(1, annual_resources=Decimal("-1"))


# --- Q1 hors QPV (PS-1) -------------------------------------------------------------

def mixed_set() -> list[AttributionRecord]:
    return [
        rec(1, **POOR),                                  # outside QPV, Q1
        rec(2, **RICH),                                  # outside QPV, Q2-4
        rec(3, **RICH),                                  # outside QPV, Q2-4
        rec(4, annual_resources=Decimal("0")),           # outside, no resources → Q1
        rec(5, in_qpv=None, **POOR),                     # location unknown → excluded
        rec(6, annual_resources=None),                   # resources unknown → excluded
        rec(7, quartile_threshold=None),                 # threshold unknown → excluded
        rec(8, in_qpv=True, **POOR),                     # in QPV, Q1
        rec(9, in_qpv=True, **RICH),                     # in QPV, Q2-4
        rec(10, in_qpv=True, **RICH),                    # in QPV, Q2-4
        rec(11, lease_signed=False, lease_date=None, **POOR),  # no lease: not counted
        rec(12, lease_date=date(2025, 12, 31), **POOR),  # lease in 2025: other year
        rec(13, epci="NANCY", **POOR),                   # other EPCI
    ]


def test_q1_outside_qpv_counts_known_cases_and_lists_unknowns() -> None:
    result = evaluate(Q1_OUTSIDE_QPV, mixed_set(), YEAR, Territory(epci="METZ"))
    # outside QPV with known data: 1, 2, 3, 4; Q1 among them: 1 and 4 (0 €) → 2 / 4 = 50 %
    assert result.numerator_ids == (1, 4)
    assert result.denominator_ids == (1, 2, 3, 4)
    assert result.rate == Decimal("0.5000")
    assert result.excluded == {
        ExclusionCause.UNKNOWN_QPV: 1,
        ExclusionCause.UNKNOWN_RESOURCES: 1,
        ExclusionCause.UNKNOWN_THRESHOLD: 1,
    }
    assert result.excluded_ids[ExclusionCause.UNKNOWN_QPV] == (5,)
    assert result.figures["zero_resources"] == 1
    # legal default 25 %: 50 % − 25 % = +25 points
    assert result.target == Decimal("0.25")
    assert result.gap == Decimal("0.25")
    assert result.met is True
    assert result.missing == 0
    assert "2 / 4 = 50,0" in result.explanation
    assert "localisation QPV / hors QPV inconnue" in result.explanation
    assert "sans ressources" in result.explanation


def test_q1_outside_qpv_on_proposals_counts_unsigned_attributions_by_decision_date() -> None:
    result = evaluate(
        Q1_OUTSIDE_QPV, mixed_set(), YEAR, Territory(epci="METZ"), basis=CountingBasis.PROPOSALS
    )
    # record 11 (no lease) now counts; 12 too (decided 10/03/2026, lease date irrelevant)
    # Q1: 1, 4, 11, 12 over 1, 2, 3, 4, 11, 12 → 4 / 6 = 66,67 %
    assert result.numerator_ids == (1, 4, 11, 12)
    assert result.denominator == 6
    assert result.rate == Decimal("0.6667")


def test_q1_outside_qpv_short_of_target_says_how_many_are_missing() -> None:
    # 1 Q1 out of 9 outside QPV: 11,11 %; 25 % of 9 = 2,25 → 3 needed, 2 missing
    records = [rec(1, **POOR)] + [rec(i, **RICH) for i in range(2, 10)]
    result = evaluate(Q1_OUTSIDE_QPV, records, YEAR)
    assert result.rate == Decimal("0.1111")
    assert result.met is False
    assert result.missing == 2
    assert result.gap == Decimal("-0.1389")
    assert "manque 2 attributions" in result.explanation


def test_saint_dizier_2016_figures() -> None:
    # CIL table 2016: 55 Q1 of 280 outside QPV (20 %), target 25 % = 70, margin 15;
    # 228 Q2-4 of 384 in QPV (59 %), target 50 % = 192, reached.
    records = (
        [rec(i, **POOR) for i in range(55)]
        + [rec(i, **RICH) for i in range(55, 280)]
        + [rec(i, in_qpv=True, **POOR) for i in range(280, 436)]
        + [rec(i, in_qpv=True, **RICH) for i in range(436, 664)]
    )
    q1 = evaluate(Q1_OUTSIDE_QPV, records, YEAR)
    assert (q1.numerator, q1.denominator, q1.missing) == (55, 280, 15)
    assert q1.rate == Decimal("0.1964")
    qpv = evaluate(QPV_Q2_Q4, records, YEAR, basis=CountingBasis.LEASES)
    assert (qpv.numerator, qpv.denominator) == (228, 384)
    assert qpv.rate == Decimal("0.5938")
    assert qpv.met is True


def test_npnru_relocation_counts_with_the_first_quartile_even_without_resources() -> None:
    records = [rec(1, **RICH), rec(2, urban_renewal_relocation=True, annual_resources=None)]
    result = evaluate(Q1_OUTSIDE_QPV, records, YEAR)
    assert result.numerator_ids == (2,)
    assert result.denominator_ids == (1, 2)
    assert result.figures["npnru_relocations"] == 1
    assert "NPNRU" in result.explanation


def test_empty_period_gives_no_rate_and_no_division_by_zero() -> None:
    result = evaluate(Q1_OUTSIDE_QPV, mixed_set(), Period.year(2030))
    assert result.denominator == 0
    assert result.rate is None
    assert result.gap is None
    assert result.met is None
    assert result.missing is None
    assert "taux non calculable" in result.explanation
    assert rate_of(0, 0) is None


def test_all_unknown_gives_no_rate_but_shows_the_exclusions() -> None:
    records = [rec(1, in_qpv=None), rec(2, in_qpv=None, annual_resources=None)]
    result = evaluate(Q1_OUTSIDE_QPV, records, YEAR)
    assert result.rate is None
    # one cause per record, QPV first: both are "unknown QPV"
    assert result.excluded == {ExclusionCause.UNKNOWN_QPV: 2}
    assert result.excluded_total == 2


# --- QPV Q2-Q4 ------------------------------------------------------------------------

def test_qpv_q2_q4_over_the_mixed_set() -> None:
    result = evaluate(QPV_Q2_Q4, mixed_set(), YEAR, Territory(epci="METZ"),
                      basis=CountingBasis.LEASES)
    # in QPV: 8 (Q1), 9, 10 (Q2-4) → 2 / 3 = 66,67 %, target 50 %: 2 ≥ 1,5
    assert result.numerator_ids == (9, 10)
    assert result.denominator_ids == (8, 9, 10)
    assert result.rate == Decimal("0.6667")
    assert result.met is True
    assert result.excluded == {ExclusionCause.UNKNOWN_QPV: 1}  # record 5 only


def test_quartile_table_tabulates_qpv_outside_and_unknown() -> None:
    table = quartile_table(mixed_set(), YEAR, Territory(epci="METZ"))
    # Q1: outside 1, 4; QPV 8; unknown 5.   Q2-4: outside 2, 3; QPV 9, 10.
    # unknown resources or threshold: outside 6, 7.
    assert table.q1 == {True: 1, False: 2, None: 1}
    assert table.q2_q4 == {True: 2, False: 2, None: 0}
    assert table.unknown_resources == {True: 0, False: 2, None: 0}
    assert table.zero_resources == 1
    assert table.total(False) == 6


# --- targets ----------------------------------------------------------------------------

def test_targets_are_data_territory_first_then_landlord_wide() -> None:
    metz = Territory(epci="METZ")
    targets = [
        Target("Q1-HQPV", 2026, Decimal("0.20")),
        Target("Q1-HQPV", 2026, Decimal("0.22"), metz),
        Target("Q1-HQPV", 2025, Decimal("0.30"), metz),
    ]
    assert select_target(targets, "Q1-HQPV", 2026, metz) == Decimal("0.22")
    assert select_target(targets, "Q1-HQPV", 2026, Territory(epci="NANCY")) == Decimal("0.20")
    assert select_target(targets, "PS-3", 2026, metz) is None
    result = evaluate(Q1_OUTSIDE_QPV, mixed_set(), YEAR, metz, targets)
    assert result.target == Decimal("0.22")
    # 50 % − 22 % = 28 points
    assert result.gap == Decimal("0.28")


def test_indicator_without_target_has_no_gap() -> None:
    result = evaluate(PS3_DALO, [rec(1, dalo=True)], YEAR)
    assert result.target is None
    assert result.gap is None and result.met is None
    assert result.rate == Decimal("1.0000")


# --- priority publics and réservataires ----------------------------------------------

def priority_set() -> list[AttributionRecord]:
    return [
        rec(1, priority=True, in_qpv=False),                        # bailleur, prioritaire
        rec(2, dalo=True, in_qpv=True),                             # bailleur, DALO, QPV
        rec(3),                                                     # bailleur, not priority
        rec(4, reserved_for=ReservataireKind.ETAT, priority=True,
            etat_contingent=EtatContingent.PRIORITAIRES),           # État: outside PS-2
        rec(5, reserved_for=ReservataireKind.ACTION_LOGEMENT, returned_by_reservataire=True,
            priority=True, in_qpv=None),                            # returned: in PS-2
        rec(6, reserved_for=ReservataireKind.ETAT, etat_contingent=EtatContingent.AGENTS),
        rec(7, reserved_for=ReservataireKind.ACTION_LOGEMENT, action_logement_employee=True),
        rec(8, action_logement_employee=True, current_social_tenant=True),
        rec(9, internal_mutation=True, current_social_tenant=True),
        rec(10, dalo=True, reserved_for=ReservataireKind.ETAT,
            etat_contingent=EtatContingent.PRIORITAIRES),
    ]


def test_ps2_counts_priority_households_on_non_reserved_or_returned_dwellings() -> None:
    result = evaluate(PS2_PRIORITY, priority_set(), YEAR)
    # population: 1, 2, 3 (bailleur), 5 (returned), 8, 9 → 6; priority/DALO: 1, 2, 5 → 50 %
    assert result.denominator_ids == (1, 2, 3, 5, 8, 9)
    assert result.numerator_ids == (1, 2, 5)
    assert result.rate == Decimal("0.5000")
    assert result.met is True


def test_ps2_outside_qpv_share_excludes_unknown_location() -> None:
    result = evaluate(PS2_OUTSIDE_QPV, priority_set(), YEAR)
    # PS-2 attributions 1 (outside), 2 (QPV), 5 (unknown) → 1 / 2 = 50 %, 1 excluded
    assert result.numerator_ids == (1,)
    assert result.denominator_ids == (1, 2)
    assert result.excluded_ids == {ExclusionCause.UNKNOWN_QPV: (5,)}


def test_ps3_dalo_over_all_attributions_and_outside_qpv_share() -> None:
    result = evaluate(PS3_DALO, priority_set(), YEAR)
    # DALO: 2 and 10 out of 10 → 20 %
    assert (result.numerator, result.denominator) == (2, 10)
    assert result.rate == Decimal("0.2000")
    share = evaluate(PS3_OUTSIDE_QPV, priority_set(), YEAR)
    # 2 in QPV, 10 outside → 1 / 2
    assert share.numerator_ids == (10,)
    assert share.rate == Decimal("0.5000")


def test_a_vacancy_the_state_gave_back_is_not_on_its_contingent() -> None:
    records = [
        rec(1, reserved_for=ReservataireKind.ETAT, etat_contingent=EtatContingent.PRIORITAIRES),
        rec(2, reserved_for=ReservataireKind.ETAT, etat_contingent=EtatContingent.PRIORITAIRES,
            returned_by_reservataire=True),
    ]
    assert evaluate(ETAT_PRIORITAIRES, records, YEAR).numerator_ids == (1,)


# The landlord's own targets (Vivest's CUS amendment and charter), stored as rows
LANDLORD_TARGETS = [
    Target("ETAT-PRIO", 2026, Decimal("0.25")), Target("ETAT-AGENTS", 2026, Decimal("0.05")),
    Target("AL-SALARIES", 2026, Decimal("0.50")), Target("PP-5", 2026, Decimal("0.30")),
]


def test_etat_contingent_shares() -> None:
    assert evaluate(ETAT_PRIORITAIRES, priority_set(), YEAR).target is None  # none stored
    prio = evaluate(ETAT_PRIORITAIRES, priority_set(), YEAR, targets=LANDLORD_TARGETS)
    # État prioritaires: 4 and 10 of 10 → 20 % < 25 %: 25 % of 10 = 2,5 → 3, 1 missing
    assert prio.numerator_ids == (4, 10)
    assert prio.rate == Decimal("0.2000")
    assert prio.met is False and prio.missing == 1
    agents = evaluate(ETAT_AGENTS, priority_set(), YEAR, targets=LANDLORD_TARGETS)
    # État agents: 6 of 10 → 10 % > 5 % maximum: 5 % of 10 = 0,5 → at most 0, 1 too many
    assert agents.numerator_ids == (6,)
    assert agents.rate == Decimal("0.1000")
    assert agents.met is False and agents.missing == 1
    assert "au plus 5,0" in agents.explanation


def test_action_logement_pp5_and_internal_mutations() -> None:
    records = priority_set()
    al = evaluate(ACTION_LOGEMENT_EMPLOYEES, records, YEAR, targets=LANDLORD_TARGETS)
    assert al.numerator_ids == (7, 8)  # 2 / 10 = 20 % < 50 %: 5 needed, 3 missing
    assert al.missing == 3
    pp5 = evaluate(PP5_SOCIAL_TENANTS, records, YEAR, targets=LANDLORD_TARGETS)
    assert pp5.numerator_ids == (8, 9)  # 20 % < 30 %: 3 needed, 1 missing
    assert pp5.missing == 1
    mutations = evaluate(PP5_INTERNAL_MUTATIONS, records, YEAR,
                         targets=[Target("PP-5-MUT", 2026, Decimal(3))])
    # a count: 1 mutation against 3 planned → gap −2
    assert mutations.numerator == 1
    assert mutations.gap == Decimal(-2)
    assert mutations.met is False and mutations.missing == 2


def test_territory_filters_department_agency_and_commission() -> None:
    records = [
        rec(1, department="54", agency="Nancy", commission="C-N"),
        rec(2, department="57", agency="Metz", commission="C-M"),
        rec(3, department="57", agency="Woippy", commission="C-W", dalo=True),
    ]
    assert evaluate(PS3_DALO, records, YEAR, Territory(department="57")).denominator_ids == (
        2, 3)
    assert evaluate(PS3_DALO, records, YEAR, Territory(agency="Woippy")).numerator_ids == (3,)
    assert evaluate(PS3_DALO, records, YEAR, Territory(commission="C-N")).denominator_ids == (1,)


def test_half_year_periods_of_the_3ds_statement() -> None:
    h1, h2 = Period.half(2026, 1), Period.half(2026, 2)
    assert (h1.start, h1.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (h2.start, h2.end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert h1.label == "1er semestre 2026"
    records = [rec(1, lease_date=date(2026, 6, 30)), rec(2, lease_date=date(2026, 7, 1))]
    assert evaluate(Q1_OUTSIDE_QPV, records, h1).denominator_ids == (1,)
    assert evaluate(Q1_OUTSIDE_QPV, records, h2).denominator_ids == (2,)
    with pytest.raises(ValueError):
        Period.half(2026, 3)


def test_compute_all_returns_every_indicator_once() -> None:
    codes = [r.code for r in compute_all(priority_set(), YEAR)]
    assert codes == [
        "Q1-HQPV", "QPV-Q2Q4", "PS-2", "PS-2-HQPV", "PS-3", "PS-3-HQPV", "ETAT-PRIO",
        "ETAT-AGENTS", "AL-SALARIES", "PP-5", "PP-5-MUT",
    ]


# --- live impact ---------------------------------------------------------------------------

def test_impact_of_a_first_quartile_candidate_outside_qpv() -> None:
    records = [rec(1, **POOR), rec(2, **RICH), rec(3, **RICH), rec(4, epci="NANCY", **RICH)]
    candidate = rec(50, lease_signed=False, lease_date=None, **POOR)
    before, after = impact_of_attribution(records, candidate)
    # Metz 2026 before: 1 / 3 = 33,33 %; after: 2 / 4 = 50 %
    assert before.code == after.code == "Q1-HQPV"
    assert (before.numerator, before.denominator) == (1, 3)
    assert (after.numerator, after.denominator) == (2, 4)
    assert after.rate == Decimal("0.5000")
    assert 50 in after.numerator_ids


def test_impact_in_qpv_uses_the_qpv_indicator() -> None:
    records = [rec(1, in_qpv=True, **POOR), rec(2, in_qpv=True, **RICH)]
    candidate = rec(3, in_qpv=True, lease_signed=False, lease_date=None, **POOR)
    before, after = impact_of_attribution(records, candidate)
    # before 1 / 2 = 50 %; a Q1 household in QPV lowers it to 1 / 3 = 33,33 %
    assert after.code == "QPV-Q2Q4"
    assert before.rate == Decimal("0.5000")
    assert after.rate == Decimal("0.3333")
    assert after.met is False


def test_impact_with_unknown_resources_shows_an_exclusion() -> None:
    candidate = rec(9, lease_signed=False, lease_date=None, annual_resources=None)
    before, after = impact_of_attribution([rec(1, **POOR)], candidate)
    assert after.rate == before.rate == Decimal("1.0000")
    assert after.excluded == {ExclusionCause.UNKNOWN_RESOURCES: 1}


def test_impact_replaces_the_candidate_already_in_the_records() -> None:
    candidate = rec(1, lease_signed=False, lease_date=None, **RICH)
    before, after = impact_of_attribution([rec(1, **POOR), rec(2, **RICH)], candidate)
    assert before.denominator_ids == (2,)
    assert after.denominator_ids == (2, 1)
    assert after.numerator == 0


def test_mixite_by_epci_splits_the_territory() -> None:
    from caleol.rules.indicators import mixite_by_epci

    rows = mixite_by_epci(mixed_set(), YEAR, targets=[
        Target("Q1-HQPV", 2026, Decimal("0.30"), Territory(epci="NANCY")),
    ])
    assert [row.epci for row in rows] == ["METZ", "NANCY"]
    metz, nancy = rows
    assert (metz.q1_outside_qpv.numerator, metz.q1_outside_qpv.denominator) == (2, 4)
    # Nancy: record 13 only, Q1 outside QPV → 1 / 1, against its own 30 % target
    assert nancy.q1_outside_qpv.rate == Decimal("1.0000")
    assert nancy.q1_outside_qpv.target == Decimal("0.30")
    assert nancy.qpv_q2_q4.rate is None


def test_most_specific_covering_target_wins() -> None:
    targets = [
        Target("Q1-HQPV", 2026, Decimal("0.25")),
        Target("Q1-HQPV", 2026, Decimal("0.21"), Territory(department="54")),
        Target("Q1-HQPV", 2026, Decimal("0.20"), Territory(epci="NANCY")),
        Target("Q1-HQPV", 2026, Decimal("0.19"), Territory(department="54", epci="NANCY")),
    ]
    assert select_target(targets, "Q1-HQPV", 2026, Territory("54", "NANCY")) == Decimal("0.19")
    # département and EPCI targets equally specific: the EPCI's wins
    assert select_target(targets[:3], "Q1-HQPV", 2026, Territory("54", "NANCY", "Nancy")) == (
        Decimal("0.20"))
    assert select_target(targets, "Q1-HQPV", 2026, Territory("54", "TOUL")) == Decimal("0.21")
    assert select_target(targets, "Q1-HQPV", 2026, Territory("57")) == Decimal("0.25")
    # a target for one EPCI never applies to the whole landlord
    assert select_target(targets[2:3], "Q1-HQPV", 2026, Territory()) is None


# --- invariants on arbitrary data --------------------------------------------------------

_records = st.lists(
    st.builds(
        lambda i, qpv, res, thr, prio, dalo, day: rec(
            i, in_qpv=qpv, annual_resources=res, quartile_threshold=thr, priority=prio,
            dalo=dalo, decision_date=day, lease_date=day,
        ),
        st.integers(0, 10_000),
        st.sampled_from([True, False, None]),
        st.one_of(st.none(), st.decimals(0, 50_000, places=2)),
        st.one_of(st.none(), st.decimals(5_000, 10_000, places=0)),
        st.booleans(),
        st.booleans(),
        st.dates(date(2025, 6, 1), date(2027, 6, 30)),
    ),
    max_size=40,
    unique_by=lambda r: r.id,
)


@given(_records)
def test_every_record_of_the_period_is_counted_once_or_excluded(
    records: list[AttributionRecord],
) -> None:
    for result in compute_all(records, YEAR, bases={"QPV-Q2Q4": CountingBasis.LEASES}):
        assert set(result.numerator_ids) <= set(result.denominator_ids)
        excluded = [i for ids in result.excluded_ids.values() for i in ids]
        assert not set(excluded) & set(result.denominator_ids)
        assert len(excluded) == len(set(excluded))
        assert result.rate is None or Decimal(0) <= result.rate <= Decimal(1)
        assert (result.rate is None) == (result.denominator == 0)
    q1 = evaluate(Q1_OUTSIDE_QPV, records, YEAR)
    qpv = evaluate(QPV_Q2_Q4, records, YEAR, basis=CountingBasis.LEASES)
    in_year = [r for r in records if YEAR.contains(r.lease_date)]
    # every attribution of the year lands in exactly one place: outside QPV, in QPV or
    # excluded for an unknown (an unknown location is excluded by both indicators)
    unknown_qpv = [r for r in in_year if r.in_qpv is None]
    assert q1.excluded.get(ExclusionCause.UNKNOWN_QPV, 0) == len(unknown_qpv)
    assert (q1.denominator + q1.excluded_total + qpv.denominator + qpv.excluded_total
            - len(unknown_qpv)) == len(in_year)


def test_epci_code_filters_and_targets_while_its_name_is_shown() -> None:
    from caleol.rules.indicators import mixite_by_epci

    records = [rec(1, epci="200039865", epci_name="Metz Métropole", **POOR)]
    (row,) = mixite_by_epci(records, YEAR, targets=[
        Target("Q1-HQPV", 2026, Decimal("0.30"), Territory(epci="200039865")),
    ])
    assert (row.epci, row.name) == ("200039865", "Metz Métropole")
    assert row.q1_outside_qpv.target == Decimal("0.30")
    assert row.q1_outside_qpv.territory.label == "EPCI Metz Métropole"
    # the display name never changes what a territory matches or equals
    assert Territory(epci="200039865", name="Metz") == Territory(epci="200039865")
