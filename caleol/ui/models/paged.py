"""A large result set (100 000 demandes) shown page by page, never loaded whole.

`PagedQueryModel` fetches rows from `fetch(offset, limit, sort, filters)` and counts
them with `count(filters)`; sorting and filtering are done by the query (ORDER BY,
WHERE), so a click on a header or a typed filter costs one page, not the whole table.
Its roles are `table.ColumnModel`'s, shared with the in-memory model.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal

from caleol.services.browse.paging import count_then_fetch
from caleol.ui.models.table import AnyIndex, Column, ColumnModel, Row

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SortSpec:
    """Sort order handed to a paged query: a column key and a direction."""

    key: str
    descending: bool = False


FetchPage = Callable[[int, int, SortSpec | None, Any], Sequence[Any]]
CountRows = Callable[[Any], int]
FirstPage = Callable[[int, SortSpec | None, Any], tuple[int, Sequence[Any]]]


class PagedQueryModel(ColumnModel[Row]):
    """Rows fetched lazily, one page at a time, from a query.

    Args:
        columns: the grid's column spec; a column's `key` is passed as the sort key.
        fetch: `fetch(offset, limit, sort, filters) -> rows` (a service query with
            ORDER BY / LIMIT / OFFSET).
        count: `count(filters) -> int`, the total for the status line and scrollbar.
        first_page: `first_page(limit, sort, filters) -> (total, rows)`, when the
            service answers both at once more cheaply (`DemandeBrowser.first_page`);
            otherwise `count` then `fetch`.
        page_size: rows per fetch.
        filters: any object the service understands (typically a frozen dataclass).
        sort: initial sort.
    """

    count_changed = Signal(int)

    def __init__(self, columns: Sequence[Column[Row]], fetch: FetchPage, count: CountRows, *,
                 first_page: FirstPage | None = None, page_size: int = 200,
                 filters: Any = None, sort: SortSpec | None = None,
                 parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._fetch = fetch
        self._count = count
        self._first_page: FirstPage = first_page or partial(count_then_fetch, count, fetch)
        self._page_size = max(1, page_size)
        self._filters = filters
        self._sort = sort
        self._total = 0
        # True while a reset or an insertion is under way: a listener (a view, the
        # model tester) asking for more rows from inside our signals would nest a
        # second insertion in the first. It asks again once we are done.
        self._notifying = False
        self.reload()

    @property
    def filters(self) -> Any:
        return self._filters

    @property
    def sort_spec(self) -> SortSpec | None:
        return self._sort

    def total_count(self) -> int:
        return self._total

    def loaded_count(self) -> int:
        return len(self._rows)

    def set_filters(self, filters: Any) -> None:
        self._filters = filters
        self.reload()

    def reload(self) -> None:
        """Count again and fetch the first page (after a filter, sort or data change)."""
        self._notifying = True
        try:
            self.beginResetModel()
            try:
                self._rows = []
                total, rows = self._first_page(self._page_size, self._sort, self._filters)
                self._total = max(0, int(total))
                wanted = min(self._page_size, self._total)
                self._rows = list(rows)[:wanted]
                if len(self._rows) < wanted:
                    self._total = len(self._rows)  # rows vanished since the count
            finally:
                self.endResetModel()
        finally:
            self._notifying = False
        self.count_changed.emit(self._total)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._notifying:
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        offset = len(self._rows)
        limit = min(self._page_size, self._total - offset)
        page = list(self._fetch(offset, limit, self._sort, self._filters))[:limit]
        if len(page) < limit:
            log.info("paged query returned %d rows instead of %d; data changed meanwhile",
                     len(page), limit)
            self._total = offset + len(page)
            self.count_changed.emit(self._total)
        if not page:
            return
        self._notifying = True
        try:
            self.beginInsertRows(QModelIndex(), offset, offset + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        finally:
            self._notifying = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or not self._columns[column].sortable:
            return
        self._sort = SortSpec(self._columns[column].key,
                              order == Qt.SortOrder.DescendingOrder)
        self.reload()
