"""Indicator grid and drill-down models on hand-built records (values worked by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt

from caleol.rules.indicators import (
    PP5_INTERNAL_MUTATIONS,
    Q1_OUTSIDE_QPV,
    AttributionRecord,
    Period,
    Target,
    evaluate,
)
from caleol.ui.models.indicator_models import (
    ROLE_DENOMINATOR,
    ROLE_NUMERATOR,
    DrillDownModel,
    IndicatorTableModel,
    records_by_id,
)


def record(id_: int, qpv: bool | None, resources: Decimal | None) -> AttributionRecord:
    return AttributionRecord(
        id=id_, decision_date=date(2026, 2, 1), dwelling_ref=f"LOG-{id_}", epci="245700398",
        department="57", lease_signed=True, lease_date=date(2026, 3, 1), in_qpv=qpv,
        annual_resources=resources, consumption_units=Decimal("1.5"),
        quartile_threshold=Decimal("9000"))


RECORDS = [
    record(1, False, Decimal("12000")),   # 12 000 / 1,5 = 8 000 €/UC ≤ 9 000: Q1
    record(2, False, Decimal("30000")),   # 20 000 €/UC: not Q1
    record(3, None, Decimal("12000")),    # QPV unknown: excluded
    record(4, False, None),               # resources unknown: excluded
    record(5, True, Decimal("12000")),    # in QPV: not in this indicator at all
]


def q1_result():
    targets = [Target("Q1-HQPV", 2026, Decimal("0.25"))]
    return evaluate(Q1_OUTSIDE_QPV, RECORDS, Period.year(2026), targets=targets)


def test_indicator_row_shows_rate_target_gap_and_exclusions(qtmodeltester) -> None:
    model = IndicatorTableModel()
    model.set_rows([q1_result()])
    qtmodeltester.check(model)

    def cell(key: str, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
        return model.index(0, model.column_index(key)).data(role)

    # 1 Q1 attribution out of 2 known outside QPV: 1 / 2 = 50,0 %; gap 50 − 25 = +25 pt
    assert (cell("numerator"), cell("denominator")) == ("1", "2")
    assert cell("rate") == "50,0\u00a0%"
    assert cell("target") == "25,0\u00a0%"
    assert cell("gap") == "+25,0 pt"
    assert cell("excluded_total") == "2"  # never folded into the rate
    tooltip = str(cell("excluded_total", Qt.ItemDataRole.ToolTipRole))
    assert "localisation QPV / hors QPV inconnue" in tooltip
    assert "ressources du ménage inconnues" in tooltip


def test_drill_down_lists_numerator_denominator_and_excluded(qtmodeltester) -> None:
    model = DrillDownModel()
    model.show(q1_result(), records_by_id(RECORDS))
    qtmodeltester.check(model)
    assert [(r.role, r.record.id) for r in model.rows()] == [
        (ROLE_NUMERATOR, 1), (ROLE_DENOMINATOR, 2),
        ("Écartée : QPV inconnu", 3), ("Écartée : ressources inconnues", 4)]
    per_uc = model.index(0, model.column_index("per_uc")).data()
    assert per_uc == "8\u00a0000\u00a0€"  # 12 000 € / 1,5 UC
    assert model.index(2, model.column_index("qpv")).data() == "inconnu"
    model.show(None, {})
    assert model.rowCount() == 0


def test_each_indicator_shows_its_counting_basis() -> None:
    from caleol.rules.indicators import QPV_Q2_Q4

    model = IndicatorTableModel()
    qpv = evaluate(QPV_Q2_Q4, RECORDS, Period.year(2026))
    model.set_rows([q1_result(), qpv])
    column = model.column_index("basis")
    # PS-1 on signed leases, the QPV objective on proposals (art. L441-1 CCH)
    assert model.index(0, column).data() == "baux signés"
    assert model.index(1, column).data() == "attributions prononcées"
    tooltip = str(model.index(1, column).data(Qt.ItemDataRole.ToolTipRole))
    assert "une proposition par logement attribué, à la date de la décision" in tooltip


def test_a_count_indicator_shows_its_count_not_a_rate(qtmodeltester) -> None:
    """PP-5-MUT, « Mutations internes (nombre) »: 9 among 38 attributions showed « 0 »
    under « Taux » (9 / 38 = 0,24 written as a whole number); the reports print 9."""
    from dataclasses import replace

    # 3 mutations among 10 attributions (their rate 0,3 would read « 0 »), target 5
    counted = replace(q1_result(), definition=PP5_INTERNAL_MUTATIONS, target=Decimal(5),
                      numerator_ids=(1, 2, 3), denominator_ids=tuple(range(1, 11)))
    model = IndicatorTableModel()
    model.set_rows([counted])
    qtmodeltester.check(model)
    assert model.index(0, model.column_index("rate")).data() == "3"
    assert model.index(0, model.column_index("target")).data() == "5"
    assert model.index(0, model.column_index("gap")).data() == "-2"  # 3 − 5


def test_a_contingent_target_without_attribution_on_it_reads_sans_objet(qtmodeltester) -> None:
    """Issue 17: a landlord with no État contingent saw ETAT-PRIO's gap « -25,0 pt » in
    bold red against caleol's default 25 %; no attribution is on the contingent."""
    from caleol.rules.indicators import ETAT_PRIORITAIRES

    # the five records, none reserved: 0 / 5 against 25 %
    void = evaluate(ETAT_PRIORITAIRES, RECORDS, Period.year(2026),
                    targets=[Target("ETAT-PRIO", 2026, Decimal("0.25"))])
    model = IndicatorTableModel()
    model.set_rows([void, q1_result()])
    qtmodeltester.check(model)
    gap = model.index(0, model.column_index("gap"))
    assert (model.index(0, model.column_index("rate")).data(), gap.data()) == (
        "0,0\u00a0%", "sans objet")
    assert gap.data(Qt.ItemDataRole.ForegroundRole) is None  # neither green nor red
    assert not gap.data(Qt.ItemDataRole.FontRole) or not gap.data(
        Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, model.column_index("gap")).data() == "+25,0 pt"  # Q1 unchanged
