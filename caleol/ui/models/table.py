"""Thin table models built from a column spec (Picard's `Column`, qutebrowser's adapters).

A grid is declared once as a tuple of `Column`s; the model only adapts plain row
objects (dataclasses, named tuples, mappings) returned by services to Qt's roles.

- `ColumnTableModel`: a list already in memory (a session's candidates, a lookup
  table); sorts itself with French collation.
- `paged.PagedQueryModel`: a large result set (100 000 demandes) fetched page by page
  by a query; it shares `ColumnModel`'s roles.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCollator,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon

from caleol import fr

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
"""data(index, ROW_ROLE) returns the row object itself (for detail panels, actions)."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""data(index, SORT_ROLE) returns the raw value before formatting."""

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def _default_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return fr.format_decimal(value)
    if isinstance(value, date):
        return fr.format_short_date(value)
    return str(value)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column of a grid.

    Attributes:
        key: attribute (or mapping key) read from the row, and the sort key passed to
            a paged query.
        title: header text (French).
        value: how to get the raw value from a row (default: attribute/key `key`).
        formatter: raw value → displayed text (default: French formatting by type).
        alignment: text alignment; numbers and money are right-aligned.
        sort_key: raw value → comparable key for in-memory sorting (default: the
            value itself, strings compared with French collation).
        tooltip: row → tooltip text (e.g. a check's explanation).
        foreground: row → text colour.
        decoration: row → icon.
        bold: row → whether to draw the cell in bold.
        accessible_text: row → text read by screen readers when the displayed text
            is a symbol (check marks).
        header_tooltip: explanation of the column shown on its header.
        sortable: whether clicking the header sorts.
    """

    key: str
    title: str
    value: Callable[[Row], Any] | None = None
    formatter: Callable[[Any], str] | None = None
    alignment: Qt.AlignmentFlag = LEFT
    sort_key: Callable[[Any], Any] | None = None
    tooltip: Callable[[Row], str | None] | None = None
    foreground: Callable[[Row], QColor | None] | None = None
    decoration: Callable[[Row], QIcon | None] | None = None
    bold: Callable[[Row], bool] | None = None
    accessible_text: Callable[[Row], str] | None = None
    header_tooltip: str = ""
    sortable: bool = True

    def value_of(self, row: Row) -> Any:
        if self.value is not None:
            return self.value(row)
        if isinstance(row, Mapping):
            return row.get(self.key)
        return getattr(row, self.key, None)

    def text_of(self, row: Row) -> str:
        value = self.value_of(row)
        if self.formatter is not None:
            return self.formatter(value) if value is not None else ""
        return _default_text(value)


def money_column(key: str, title: str, **kwargs: Any) -> Column[Any]:
    """A right-aligned euro amount (Decimal), e.g. `1 234,56 €`."""
    return Column(key, title, formatter=fr.format_money, alignment=RIGHT, **kwargs)


def number_column(key: str, title: str, **kwargs: Any) -> Column[Any]:
    return Column(key, title, alignment=RIGHT, **kwargs)


def date_column(key: str, title: str, **kwargs: Any) -> Column[Any]:
    return Column(key, title, formatter=fr.format_short_date, alignment=RIGHT, **kwargs)


_BOLD = QFont()
_BOLD.setBold(True)

# Roles as plain ints, looked up once: a view asks `data()` for some ten roles per
# cell it paints or measures (thousands of calls when a page of 200 rows is fitted).
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole.value
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_ANSWERED = frozenset({_DISPLAY, _ACCESSIBLE, _ALIGNMENT, _TOOLTIP, _FOREGROUND,
                       _DECORATION, _FONT, int(ROW_ROLE), int(SORT_ROLE)})


class ColumnModel(QAbstractTableModel, Generic[Row]):
    """Roles common to the in-memory and the paged models; subclasses own `_rows`."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns: tuple[Column[Row], ...] = tuple(columns)
        self._rows: list[Row] = []

    @property
    def columns(self) -> tuple[Column[Row], ...]:
        return self._columns

    def column_index(self, key: str) -> int:
        for i, column in enumerate(self._columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _ANSWERED:
            return None
        number, column_number = index.row(), index.column()  # -1 for an invalid index
        if not (0 <= number < len(self._rows) and 0 <= column_number < len(self._columns)):
            return None
        row = self._rows[number]
        column = self._columns[column_number]
        if role == _DISPLAY:
            return column.text_of(row)
        if role == _ALIGNMENT:
            return int(column.alignment.value)
        if role == _FONT:
            return _BOLD if column.bold and column.bold(row) else None
        if role == _DECORATION:
            return column.decoration(row) if column.decoration else None
        if role == _FOREGROUND:
            return column.foreground(row) if column.foreground else None
        if role == _TOOLTIP:
            return column.tooltip(row) if column.tooltip else None
        if role == _ACCESSIBLE:
            return column.accessible_text(row) if column.accessible_text else column.text_of(row)
        if role == ROW_ROLE:
            return row
        return column.value_of(row)  # SORT_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._rows):
                return str(section + 1)
            return None
        if not 0 <= section < len(self._columns):
            return None
        column = self._columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header_tooltip or None
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS  # asked for every cell painted: combined once (enum | is slow)


_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)


def french_collator() -> QCollator:
    collator = QCollator(QLocale("fr_FR"))
    collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    collator.setNumericMode(True)
    return collator


class ColumnTableModel(ColumnModel[Row]):
    """A list of plain rows in memory; sorting keeps selections (persistent indexes)."""

    def __init__(self, columns: Sequence[Column[Row]], rows: Sequence[Row] = (),
                 parent: Any = None) -> None:
        super().__init__(columns, parent)
        self._rows = list(rows)
        self._collator = french_collator()

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_row(self, row: int, value: Row) -> None:
        """Replace one row in place (after an edit), without resetting the view."""
        self._rows[row] = value
        last = max(len(self._columns) - 1, 0)
        self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _compare(self, a: Any, b: Any) -> int:
        if isinstance(a, str) and isinstance(b, str):
            return self._collator.compare(a, b)
        try:
            return (a > b) - (a < b)
        except TypeError:
            return self._collator.compare(str(a), str(b))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns) or not self._columns[column].sortable:
            return
        spec = self._columns[column]
        self.layoutAboutToBeChanged.emit()
        old_rows = list(self._rows)
        keys: list[Any] = []
        for row in old_rows:
            value = spec.value_of(row)
            if value is not None and spec.sort_key is not None:
                value = spec.sort_key(value)
            keys.append(value)
        filled = [i for i, key in enumerate(keys) if key is not None]
        empty = [i for i, key in enumerate(keys) if key is None]
        cmp_key = functools.cmp_to_key(self._compare)
        # sorted() is stable, so equal rows keep their previous relative order.
        filled.sort(key=lambda i: cmp_key(keys[i]),
                    reverse=order == Qt.SortOrder.DescendingOrder)
        new_order = filled + empty  # empty values last in both directions
        self._rows = [old_rows[i] for i in new_order]
        new_position = {old: new for new, old in enumerate(new_order)}
        old_persistent = self.persistentIndexList()
        new_persistent = [
            self.index(new_position[idx.row()], idx.column()) for idx in old_persistent
        ]
        self.changePersistentIndexList(old_persistent, new_persistent)
        self.layoutChanged.emit()
