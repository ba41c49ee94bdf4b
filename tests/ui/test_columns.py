"""How a grid's columns share 1366 px: identifying columns whole, the widest cut first."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from caleol.ui.columns import FLOOR, elided_cells, fitted_widths
from caleol.ui.models.table import Column, ColumnTableModel


def test_the_widest_columns_give_way_first() -> None:
    # NUR 138 and name 135 are identifying: 720 - 273 = 447 px for the other four
    # (320 + 40 + 60 + 80 = 500). The three short ones keep theirs (180), the
    # household takes the rest: 447 - 180 = 267.
    assert fitted_widths([138, 135, 320, 40, 60, 80], 720, [0, 1]) == [
        138, 135, 267, 40, 60, 80]


def test_several_wide_columns_are_cut_to_one_level() -> None:
    # 758 px; identifying 92 + 56 = 148, so 610 for eight columns whose natural
    # widths total 706. Whole: 54, 67, 72, 76 (269, leaving 341 for four); the four
    # widest (112, 112, 139, 198) are capped at 341 // 4 = 85; the 1 px left goes to
    # the widest column (the address).
    widths = fitted_widths([92, 56, 139, 198, 112, 72, 76, 54, 112, 67], 758, [0, 1],
                           stretch=3)
    assert widths == [92, 56, 85, 86, 85, 72, 76, 54, 85, 67]
    assert sum(widths) == 758


def test_identifying_columns_are_never_cut_even_without_room() -> None:
    assert fitted_widths([100, 100, 300], 150, [0, 1]) == [100, 100, FLOOR]


def test_room_to_spare_goes_to_the_stretch_column() -> None:
    assert fitted_widths([90, 40, 200], 400, [0], stretch=2) == [90, 40, 270]


def test_a_bold_cell_cut_is_reported_cut(qtbot) -> None:
    """The model's bold font (made before the application, its size unset) measured
    alone gave « Attribution rang 1 » 10 pixels: the séance grid's decision passed for
    whole while it showed « Attribution ra… ». (The model module is imported when this
    file is collected, before any application, as the application imports it.)"""
    model = ColumnTableModel((Column("text", "Décision", value=lambda r: r,
                                     bold=lambda r: True),), ("Attribution rang 1",))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setColumnWidth(0, 76)
    assert elided_cells(view) == ["Attribution rang 1"]
    view.setColumnWidth(0, view.sizeHintForColumn(0))  # the delegate's own width
    assert elided_cells(view) == []
