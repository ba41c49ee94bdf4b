"""A row changed in place, or reset to an equal row, is measured alone, and the fitted
width stays Qt's own."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from caleol.ui.columns import ColumnFitter, natural_width
from caleol.ui.models.table import Column, ColumnTableModel


@pytest.fixture
def view(qtbot) -> QTableView:
    model = QStandardItemModel(60, 3)
    for row in range(60):
        model.setItem(row, 0, QStandardItem(f"MET-{row:05d}"))
        model.setItem(row, 1, QStandardItem("T3"))
        model.setItem(row, 2, QStandardItem("12 rue des Jardins, 57000 Metz"))
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    return view


def rows_measured(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The rows the fitter measures from now on, in order (a list it appends to)."""
    measured: list[int] = []
    real = ColumnFitter._cell_width

    def counting(self: ColumnFitter, row: int, column: int) -> int:
        measured.append(row)
        return real(self, row, column)

    monkeypatch.setattr(ColumnFitter, "_cell_width", counting)
    return measured


def test_one_changed_row_is_measured_alone(qtbot, view: QTableView,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    fitter = ColumnFitter(view, identifying=[0], stretch=2)  # room to spare: the address
    qtbot.waitUntil(fitter.is_fitted)
    measured = rows_measured(monkeypatch)
    model = view.model()
    assert isinstance(model, QStandardItemModel)
    model.item(7, 0).setText("MET-00007 · logement adapté PMR")  # one row, now the widest
    qtbot.waitUntil(fitter.is_fitted)
    assert measured == [7]  # not the 60 rows
    assert view.columnWidth(0) == natural_width(view, 0)  # what Qt measures on every row
    wide = view.columnWidth(0)
    model.item(7, 0).setText("MET-00007")  # narrower again: the column shrinks back
    qtbot.waitUntil(fitter.is_fitted)
    assert view.columnWidth(0) == natural_width(view, 0) < wide
    model.insertRow(0, [QStandardItem("MET-00000-bis"), QStandardItem(""), QStandardItem("")])
    measured.clear()
    qtbot.waitUntil(lambda: fitter.is_fitted() and bool(measured))
    assert len(measured) == 61  # rows inserted: every row measured again


def test_a_reset_to_equal_rows_measures_only_the_rows_that_changed(
        qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A séance loaded again after a change to one dwelling resets its 60 rows: the 59
    equal to the row measured at their place keep their width (issue 19); a row that
    differs, or moved, is measured, and the width stays Qt's own."""
    rows = [(f"MET-{n:05d}", "12 rue des Jardins, 57000 Metz") for n in range(60)]
    model = ColumnTableModel((Column("ref", "Logement", value=lambda r: r[0]),
                              Column("address", "Adresse", value=lambda r: r[1])), rows)
    view = QTableView()
    view.setModel(model)
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    fitter = ColumnFitter(view, identifying=[0], stretch=1)
    qtbot.waitUntil(fitter.is_fitted)
    measured = rows_measured(monkeypatch)
    again = [(ref, address) for ref, address in rows]  # equal rows, new objects
    again[7] = ("MET-00007 · logement adapté PMR", again[7][1])
    model.set_rows(again)
    qtbot.waitUntil(lambda: fitter.is_fitted() and bool(measured))
    assert measured == [7]
    assert view.columnWidth(0) == natural_width(view, 0)
    measured.clear()
    model.set_rows(list(reversed(again)))  # every row elsewhere: all measured
    qtbot.waitUntil(lambda: fitter.is_fitted() and bool(measured))
    assert len(measured) == 60
    assert view.columnWidth(0) == natural_width(view, 0)
    measured.clear()
    model.set_rows(rows)  # back to the first rows, the 7th narrower: the column shrinks
    qtbot.waitUntil(lambda: fitter.is_fitted() and bool(measured))
    assert view.columnWidth(0) == natural_width(view, 0)
