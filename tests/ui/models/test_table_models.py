"""Column-spec table models: model-tester clean, French sorting, lazy paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

from caleol.ui.models.paged import PagedQueryModel, SortSpec
from caleol.ui.models.table import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    ColumnTableModel,
    date_column,
    money_column,
    number_column,
)

NBSP = "\u00a0"


@dataclass(frozen=True)
class Person:
    name: str
    income: Decimal | None
    filed: date
    size: int


PEOPLE = [
    Person("Zoé", Decimal("1234.5"), date(2024, 3, 1), 2),
    Person("Émile", None, date(2023, 1, 15), 1),
    Person("zèbre", Decimal("999.99"), date(2025, 7, 9), 4),
    Person("Eric", Decimal("20000"), date(2022, 12, 31), 3),
]

COLUMNS: tuple[Column[Person], ...] = (
    Column("name", "Nom", tooltip=lambda p: f"Demandeur {p.name}"),
    money_column("income", "Revenus"),
    date_column("filed", "Dépôt"),
    number_column("size", "Personnes"),
)


def names(model: ColumnTableModel[Person]) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_column_model_passes_model_tester(qtmodeltester, attach_model_tester) -> None:
    model = ColumnTableModel(COLUMNS, PEOPLE)
    qtmodeltester.check(model)
    attach_model_tester(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_rows(PEOPLE[:2])
    model.update_row(0, PEOPLE[3])
    model.set_rows([])
    qtmodeltester.check(model)


def test_display_uses_french_formats_and_alignment() -> None:
    model = ColumnTableModel(COLUMNS, PEOPLE)
    assert model.index(0, 1).data() == f"1{NBSP}234,50{NBSP}€"
    assert model.index(1, 1).data() == ""  # unknown income: blank, not "None"
    assert model.index(0, 2).data() == "01/03/2024"
    assert model.index(0, 3).data() == "2"
    right = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "Demandeur Zoé"
    assert model.index(0, 0).data(ROW_ROLE) is PEOPLE[0]
    assert model.index(0, 1).data(SORT_ROLE) == Decimal("1234.5")
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Revenus"
    assert model.column_index("filed") == 2


def test_sort_uses_french_collation_not_code_points() -> None:
    model = ColumnTableModel(COLUMNS, PEOPLE)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    # Code points would give Eric, Zoé, zèbre, Émile; French order ignores case and
    # accents at first level: e-m-i < e-r-i < z-e-b < z-o-e.
    assert names(model) == ["Émile", "Eric", "zèbre", "Zoé"]
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Zoé", "zèbre", "Eric", "Émile"]


def test_sort_puts_empty_values_last_in_both_directions() -> None:
    model = ColumnTableModel(COLUMNS, PEOPLE)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["zèbre", "Zoé", "Eric", "Émile"]  # 999.99 < 1234.5 < 20000
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["Eric", "Zoé", "zèbre", "Émile"]


def test_sort_keeps_the_selected_row_selected() -> None:
    model = ColumnTableModel(COLUMNS, PEOPLE)
    kept = QPersistentModelIndex(model.index(2, 1))  # zèbre's income
    model.sort(3, Qt.SortOrder.AscendingOrder)  # sizes 1, 2, 3, 4 → zèbre last
    assert kept.row() == 3
    assert kept.column() == 1
    assert kept.data(ROW_ROLE).name == "zèbre"


def test_unsortable_column_is_left_alone() -> None:
    columns = (Column("name", "Nom", sortable=False),)
    model = ColumnTableModel(columns, PEOPLE)
    model.sort(0)
    assert names(model) == [p.name for p in PEOPLE]


def test_mapping_rows_and_custom_value() -> None:
    columns = (
        Column("nur", "NUR"),
        Column("size", "Taille", value=lambda r: len(r["members"])),
    )
    model = ColumnTableModel(columns, [{"nur": "0572401000123", "members": ["a", "b"]}])
    assert model.index(0, 0).data() == "0572401000123"
    assert model.index(0, 1).data() == "2"


class FakeQuery:
    """100 000 rows served the way a LIMIT/OFFSET query would, with call records."""

    def __init__(self, total: int = 100_000) -> None:
        self.rows = [{"id": i, "name": f"Demandeur {i:06d}", "even": i % 2 == 0}
                     for i in range(total)]
        self.fetches: list[tuple[int, int, SortSpec | None, object]] = []
        self.counts = 0

    def _filtered(self, filters: object) -> list[dict]:
        rows = self.rows
        if filters == "even":
            rows = [r for r in rows if r["even"]]
        return rows

    def fetch(self, offset: int, limit: int, sort: SortSpec | None, filters: object) -> list:
        self.fetches.append((offset, limit, sort, filters))
        rows = self._filtered(filters)
        if sort is not None:
            rows = sorted(rows, key=lambda r: r[sort.key], reverse=sort.descending)
        return rows[offset:offset + limit]

    def count(self, filters: object) -> int:
        self.counts += 1
        return len(self._filtered(filters))


PAGED_COLUMNS = (number_column("id", "N°"), Column("name", "Nom"))


def test_paged_model_loads_one_page_then_fetches_on_demand(attach_model_tester) -> None:
    query = FakeQuery()
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, page_size=200)
    assert model.total_count() == 100_000
    assert model.rowCount() == 200
    assert query.fetches == [(0, 200, None, None)]
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    assert query.fetches[-1] == (200, 200, None, None)
    assert model.index(399, 1).data() == "Demandeur 000399"
    attach_model_tester(model)  # the tester itself fetches pages while checking
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(model.index(0, 0))  # a table has no children


def test_paged_model_passes_model_tester(qtmodeltester) -> None:
    query = FakeQuery(total=450)
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, page_size=100)
    qtmodeltester.check(model)


def test_paged_model_fetches_the_last_partial_page_and_stops() -> None:
    query = FakeQuery(total=250)
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, page_size=100)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 250
    assert [f[:2] for f in query.fetches] == [(0, 100), (100, 100), (200, 50)]


def test_paged_model_sort_and_filters_go_to_the_query(qtbot, attach_model_tester) -> None:
    query = FakeQuery(total=1000)
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, page_size=50)
    attach_model_tester(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert query.fetches[-1] == (0, 50, SortSpec("id", True), None)
    assert model.index(0, 0).data() == "999"
    with qtbot.waitSignal(model.count_changed) as blocker:
        model.set_filters("even")
    assert blocker.args == [500]
    assert model.filters == "even"
    assert query.fetches[-1] == (0, 50, SortSpec("id", True), "even")
    assert model.index(0, 0).data() == "998"
    assert model.rowCount() == 50


def test_paged_model_survives_rows_deleted_between_count_and_fetch(fail_on_log) -> None:
    query = FakeQuery(total=300)
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, page_size=200)
    del query.rows[250:]  # another secretary deleted rows meanwhile
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 250
    assert model.total_count() == 250
    assert not model.canFetchMore(QModelIndex())


def test_paged_model_empty_result(qtmodeltester) -> None:
    query = FakeQuery(total=0)
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count)
    assert model.rowCount() == 0
    assert not model.canFetchMore(QModelIndex())
    assert query.fetches == []  # nothing to fetch when the count is zero
    qtmodeltester.check(model)


def test_paged_model_takes_the_first_page_with_its_count_when_offered() -> None:
    query = FakeQuery(total=300)
    asked: list[tuple[int, SortSpec | None, object]] = []

    def first_page(limit: int, sort: SortSpec | None, filters: object) -> tuple[int, list]:
        asked.append((limit, sort, filters))
        return 300, query.rows[:limit]

    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, first_page=first_page,
                            page_size=200)
    assert (asked, query.counts, query.fetches) == ([(200, None, None)], 0, [])
    assert (model.total_count(), model.rowCount()) == (300, 200)
    model.fetchMore(QModelIndex())  # the next pages: fetch
    assert query.fetches == [(200, 100, None, None)]
    assert model.rowCount() == 300


@pytest.mark.parametrize("rows_shown", [30])
def test_table_view_over_100000_rows_never_loads_them_all(qtbot, rows_shown: int) -> None:
    query = FakeQuery()
    model = PagedQueryModel(PAGED_COLUMNS, query.fetch, query.count, page_size=200)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 20 * rows_shown)
    with qtbot.waitExposed(view):
        view.show()
    view.scrollToBottom()  # scrolling to the end of loaded rows asks for one more page
    qtbot.waitUntil(lambda: model.rowCount() >= 400)
    assert model.loaded_count() <= 1000
    assert model.total_count() == 100_000
