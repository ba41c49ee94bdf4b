"""Indicateurs screen on the demo database, driven through its widgets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import Engine
from ui.pages.demo_copy import DEMO_TODAY

from caleol.rules.indicators import ExclusionCause
from caleol.services.reports import queries
from caleol.settings import Settings
from caleol.ui.models.indicator_models import ROLE_NUMERATOR, format_gap
from caleol.ui.pages.indicators_page import IndicatorsPage
from caleol.ui.tasks import TaskRunner

_FINISHED_TASKS: list[object] = []


@pytest.fixture
def page(qtbot, demo_db: Engine) -> Iterator[IndicatorsPage]:
    runner = TaskRunner()
    page = IndicatorsPage(demo_db, runner, lambda: Settings(), today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.computed, timeout=30_000):
        page.show()
        page.activated()
    yield page
    runner.cancel_all()
    runner.wait_for_done()
    # deliver the finished tasks' queued signals while their dialogs still exist
    qtbot.waitUntil(lambda: not runner.running())
    if page.export_task is not None:
        # Kept alive for the run: a later Task allocated at a freed Task's address was
        # seen to call the old task's progress slot (a dialog already deleted).
        _FINISHED_TASKS.append(page.export_task)


def text(page: IndicatorsPage, row: int, key: str) -> str:
    return page.model.index(row, page.model.column_index(key)).data()


def row_of(page: IndicatorsPage, code: str) -> int:
    return next(i for i, r in enumerate(page.model.rows()) if r.code == code)


def test_table_matches_the_service(page: IndicatorsPage, demo_db: Engine, qtmodeltester) -> None:
    qtmodeltester.check(page.model)
    expected = {r.code: r for r in queries.indicator_results(demo_db, page.period())}
    assert [r.code for r in page.model.rows()] == list(expected)
    q1 = expected["Q1-HQPV"]
    row = row_of(page, "Q1-HQPV")
    assert text(page, row, "numerator") == str(q1.numerator)
    assert text(page, row, "denominator") == str(q1.denominator)
    assert text(page, row, "excluded_total") == str(q1.excluded_total)
    # the rate is numerator / denominator, shown to 0.1 %, target 25 % by default
    assert q1.denominator > 0
    percent = (Decimal(q1.numerator) * 100 / q1.denominator).quantize(Decimal("0.1"))
    assert text(page, row, "rate") == f"{str(percent).replace('.', ',')}\u00a0%"
    assert text(page, row, "target") == "25,0\u00a0%"
    assert text(page, row, "gap") == format_gap(q1)
    assert page.status_label.text().startswith("Année 2026, ensemble du patrimoine")


def test_selecting_an_indicator_shows_explanation_and_drill_down(
        page: IndicatorsPage, qtmodeltester) -> None:
    page.select_indicator("PS-2")
    result = page.selected_result()
    assert result is not None and result.code == "PS-2"
    # toPlainText() gives non-breaking spaces back as plain ones
    assert result.explanation.replace("\u00a0", " ") in page.explanation.toPlainText()
    qtmodeltester.check(page.drill_model)
    rows = page.drill_model.rows()
    # numerator first, then the rest of the denominator, then the excluded
    expected = result.denominator + result.excluded_total
    assert len(rows) == expected
    assert [r.record.id for r in rows[:result.numerator]] == list(result.numerator_ids)
    assert all(r.role == ROLE_NUMERATOR for r in rows[:result.numerator])
    assert page.tabs.tabText(1).endswith(f": {expected}")


def test_excluded_attributions_are_listed_not_hidden(page: IndicatorsPage) -> None:
    """An indicator with exclusions lists them in the drill-down with their cause."""
    for result in page.model.rows():
        if result.excluded_total:
            page.select_indicator(result.code)
            roles = [r.role for r in page.drill_model.rows()]
            assert sum(role.startswith("Écartée") for role in roles) == result.excluded_total
            tooltip = page.model.index(row_of(page, result.code),
                                       page.model.column_index("excluded_total")).data(
                Qt.ItemDataRole.ToolTipRole)
            cause = next(iter(result.excluded))
            assert isinstance(cause, ExclusionCause) and cause.label in tooltip
            return
    # demo without unknowns: the column still says 0, never blank
    assert all(text(page, i, "excluded_total") == "0" for i in range(page.model.rowCount()))


def test_territory_filter_recomputes(qtbot, page: IndicatorsPage, demo_db: Engine) -> None:
    with qtbot.waitSignal(page.computed, timeout=30_000):
        page.level_box.setCurrentIndex(page.level_box.findData("commission"))
    assert page.territory_box.isEnabled()
    code = page.territory_box.currentData()
    assert page.territory().commission == code
    territory = page.territory()
    expected = {r.code: r.denominator
                for r in queries.indicator_results(demo_db, page.period(), territory)}
    assert {r.code: r.denominator for r in page.model.rows()} == expected
    assert f"commission {code}" in page.status_label.text()


def test_half_year_changes_the_period(qtbot, page: IndicatorsPage) -> None:
    with qtbot.waitSignal(page.computed, timeout=30_000):
        page.half_box.setCurrentIndex(page.half_box.findData("1"))
    assert page.period().end.isoformat() == "2026-06-30"
    assert page.status_label.text().startswith("1er semestre 2026")


@pytest.mark.parametrize("kind, magic", [("annual", b"%PDF"), ("prefet", b"%PDF"),
                                         ("reservataire", b"%PDF"),
                                         ("csv:indicateurs", b"")])
def test_exports_write_the_chosen_file(qtbot, page: IndicatorsPage, tmp_path: Path,
                                       monkeypatch, kind: str, magic: bytes) -> None:
    if kind == "prefet":
        with qtbot.waitSignal(page.computed, timeout=30_000):
            page.half_box.setCurrentIndex(page.half_box.findData("1"))
    target = tmp_path / "out.bin"
    asked: list[str] = []
    monkeypatch.setattr(page, "ask_save_path",
                        lambda name, pattern: asked.append(name) or target)
    with qtbot.waitSignal(page.export_finished, timeout=60_000) as blocker:
        page.export(kind)
    assert blocker.args == [str(target)]
    data = target.read_bytes()
    assert data.startswith(magic) and len(data) > 100
    assert "2026" in asked[0]
    if kind.startswith("csv"):
        assert "Q1-HQPV" in data.decode("utf-8-sig")


def test_prefet_statement_needs_a_half_year(page: IndicatorsPage, monkeypatch) -> None:
    monkeypatch.setattr(page, "ask_save_path", lambda *a: pytest.fail("no dialog expected"))
    assert page.export("prefet") is None


def test_cancelled_save_dialog_writes_nothing(page: IndicatorsPage, monkeypatch) -> None:
    monkeypatch.setattr(page, "ask_save_path", lambda *a: None)
    assert page.export("annual") is None
    assert page.export_task is None


def test_flux_calculator_worked_example(qtbot, page: IndicatorsPage) -> None:
    """Grand Nancy: 4 361 − 22 − 602 = 3 737 × 8,40 % → 313 ; 313 + 164 − 30 = 447 ;
    447 × 25 % = 111,75 → 111 (troncature)."""
    page.tabs.setCurrentIndex(2)
    qtbot.mouseClick(page.flux.compute_button, Qt.MouseButton.LeftButton)
    result = page.flux.result_view.toPlainText()
    assert "313" in result and "447" in result
    assert result.rstrip().splitlines()[-1].count("111") >= 1
    page.flux.rate_spin.setValue(0)
    page.flux.turnover_spins[0].setValue(0)
    qtbot.mouseClick(page.flux.compute_button, Qt.MouseButton.LeftButton)
    assert page.flux.error_label.isHidden()
