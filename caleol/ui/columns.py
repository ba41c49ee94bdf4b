"""Columns that fit their table: identifying columns whole, long texts elided with a tooltip.

At 1366×768 a grid rarely has room for every column at its content width. The
columns that identify a row (NUR, name, reference) keep their full width and are
never cut; the other columns give up room, down to a floor, their text elided
(« … ») with the full text in a tooltip. When there is room to spare, the
`stretch` column takes it. A `ColumnFitter` refits whenever the rows or the view's
width change.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QTableView,
    QToolTip,
    QWidget,
)

FLOOR = 58  # a shrunk column still shows a few characters (and its tooltip)
MAX_NATURAL = 360  # a long free text never claims more than this before shrinking


# the roles Qt's own delegate sizes a cell from (the icon third: see `_cell_key`)
_SIZE_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole,
               Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.CheckStateRole,
               Qt.ItemDataRole.SizeHintRole)


def natural_width(view: QTableView, column: int, *, every_row: bool = True) -> int:
    """The width showing the column's header and every loaded cell whole, or only the
    rows on screen (`every_row` False: measuring 200 loaded rows of every column costs
    tens of milliseconds each time a list is filtered)."""
    header = view.horizontalHeader()
    precision = header.resizeContentsPrecision()
    if not every_row:
        header.setResizeContentsPrecision(0)  # Qt: the visible rows only
    try:
        return max(header.sectionSizeFromContents(column).width(),
                   view.sizeHintForColumn(column))
    finally:
        header.setResizeContentsPrecision(precision)


def fitted_widths(natural: Sequence[int], available: int, identifying: Sequence[int],
                  stretch: int | None = None, floor: int = FLOOR) -> list[int]:
    """Column widths summing to `available` when possible.

    The identifying columns keep their natural width; the others are cut from the
    widest down (all capped at one level, never under `floor`), so a date or an
    amount stays whole while a long address gives way. Room to spare goes to
    `stretch`.
    """
    widths = [min(w, MAX_NATURAL) if i not in identifying else w
              for i, w in enumerate(natural)]
    if sum(widths) > available:
        shrinkable = sorted((i for i in range(len(widths)) if i not in identifying),
                            key=lambda i: widths[i])
        budget = available - sum(w for i, w in enumerate(widths) if i not in shrinkable)
        level = None
        for position, i in enumerate(shrinkable):
            left = len(shrinkable) - position
            if widths[i] * left > budget:
                level = max(budget // left, floor)
                break
            budget -= widths[i]
        if level is not None:
            for i in shrinkable:
                widths[i] = min(widths[i], level)
    spare = available - sum(widths)  # room to spare, or what rounding left over
    if spare > 0 and stretch is not None and 0 <= stretch < len(widths):
        widths[stretch] += spare
    return widths


def is_elided(view: QAbstractItemView, text: str, width: int, font: QFont | None = None
              ) -> bool:
    """Whether the delegate cuts `text` in a cell `width` pixels wide (it keeps the
    style's focus-frame margin on each side).

    A model's font (a bold made before the application, whose size is unset) is
    resolved against the view's, as the delegate paints it: measured alone, its unset
    size gave a 10-pixel « Attribution rang 1 » and a cut cell passed for whole."""
    metrics = QFontMetrics(font.resolve(view.font()) if font is not None else view.font())
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                           view) + 1)
    return metrics.horizontalAdvance(text) + margin > width


class ColumnFitter(QObject):
    """Keeps a table's columns fitted to its width (see the module's docstring).

    `fitted(missing)` follows each fit: the pixels the columns lack (> 0: the
    identifying ones alone are wider than the view, which its owner may widen).

    Args:
        view: the table (its header is switched to interactive widths).
        identifying: columns never cut.
        stretch: the column given any room to spare (default: the widest, the
            address rather than a two-letter type).
    """

    fitted = Signal(int)

    def __init__(self, view: QTableView, identifying: Sequence[int],
                 stretch: int | None = None) -> None:
        super().__init__(view)
        self.view = view
        self.identifying = tuple(identifying)
        self.stretch = stretch
        header = view.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setWordWrap(False)
        self._pending = False
        self._fitted_width = -1  # the viewport width of the last fit
        self._model: object = None
        # identifying column → width of each loaded row: a row changed in place (a
        # decision recorded on one dwelling of 60) is measured alone, not all of them
        self._row_widths: dict[int, list[int]] = {}
        self._stale_rows: set[int] = set()
        # the size-making values of each measured cell (`_cell_key`), and after a reset
        # the keys and widths measured before it: a cell showing the same values as the
        # one measured at its place keeps its width (a séance loaded again after a change
        # to one dwelling: 59 rows of 60 the same; issue 19)
        self._row_keys: dict[int, list[tuple[object, ...] | None]] = {}
        self._kept: tuple[dict[int, list[int]], dict[int, list[tuple[object, ...] | None]]] = (
            {}, {})
        view.viewport().installEventFilter(self)
        self.watch_model()

    def watch_model(self) -> None:
        """Follow the view's (current) model: refit when its rows change."""
        model = self.view.model()
        if model is None or model is self._model:
            return
        self._model = model
        self._row_widths.clear()
        self._row_keys.clear()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted,
                       model.rowsRemoved):
            signal.connect(self._rows_changed)
        model.dataChanged.connect(self._data_changed)
        self.schedule()

    def _rows_changed(self, *_args: object) -> None:
        if self._row_widths:
            self._kept = (dict(self._row_widths), dict(self._row_keys))
        self._row_widths.clear()  # every row measured again, unless kept (above)
        self._row_keys.clear()
        self.schedule()

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                      *_roles: object) -> None:
        self._stale_rows.update(range(top_left.row(), bottom_right.row() + 1))
        self.schedule()

    def schedule(self, *_args: object) -> None:
        """Refit once the current burst of changes is over."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.fit)

    def is_fitted(self) -> bool:
        """The columns were fitted to the view's current width, nothing pending."""
        return not self._pending and self._fitted_width == self.view.viewport().width()

    def fit(self) -> None:
        self._pending = False
        view = self.view
        model = view.model()
        if model is None or model.columnCount() == 0:
            return
        count = model.columnCount()
        hidden = {c for c in range(count) if view.isColumnHidden(c)}
        columns = [c for c in range(count) if c not in hidden]
        # identifying columns are never cut: measured on every loaded row; the others
        # are elided with a tooltip anyway: measured on the rows on screen
        natural = [self._identifying_width(c) if c in self.identifying
                   else natural_width(view, c, every_row=False) for c in columns]
        self._stale_rows.clear()
        self._kept = ({}, {})
        # the header never makes a section narrower than its minimum (the badge column)
        minimum = view.horizontalHeader().minimumSectionSize()
        natural = [max(width, minimum) for width in natural]
        available = view.viewport().width()
        if available <= 0:
            return
        identifying = [columns.index(c) for c in self.identifying if c in columns]
        stretch = (columns.index(self.stretch) if self.stretch in columns
                   else max(range(len(columns)), key=lambda i: natural[i], default=None))
        widths = fitted_widths(natural, available, identifying, stretch)
        # the header's signals stay on: the view sizes its scroll bars from them
        for column, width in zip(columns, widths, strict=True):
            if view.columnWidth(column) != width:
                view.setColumnWidth(column, width)
        self._fitted_width = available
        self.fitted.emit(sum(widths) - available)

    def _identifying_width(self, column: int) -> int:
        """`natural_width(every_row=True)`, from the rows' widths kept between fits.

        The same as Qt's `sizeHintForColumn` (each shown row's delegate size hint, one
        more pixel for the grid), row by row so that only rows changed since the last
        fit are measured again.
        """
        view = self.view
        model = view.model()
        rows = model.rowCount()
        if rows > view.verticalHeader().resizeContentsPrecision():
            return natural_width(view, column)  # Qt measures a sample of such tables
        widths = self._row_widths.get(column)
        if widths is None or len(widths) != rows:
            widths, keys = self._measure_rows(column, rows)
            self._row_widths[column], self._row_keys[column] = widths, keys
        else:
            keys = self._row_keys[column]
            for row in self._stale_rows:
                if row < rows:
                    widths[row] = self._cell_width(row, column)
                    keys[row] = self._cell_key(row, column)
        grid = 1 if view.showGrid() else 0
        return max(view.horizontalHeader().sectionSizeFromContents(column).width(),
                   max(widths, default=0) + grid)

    def _measure_rows(self, column: int,
                      count: int) -> tuple[list[int], list[tuple[object, ...] | None]]:
        """Every row's width and key; a cell whose key is that of the cell measured at
        its place before the reset takes its width from then (a hidden row, 0 then, and
        a cell without a key are measured)."""
        kept_widths, kept_keys = self._kept[0].get(column, []), self._kept[1].get(column, [])
        keys = [self._cell_key(row, column) for row in range(count)]
        widths = [
            kept_widths[row] if (key is not None and row < len(kept_keys)
                                 and kept_keys[row] == key and kept_widths[row])
            else self._cell_width(row, column)
            for row, key in enumerate(keys)]
        return widths, keys

    def _cell_key(self, row: int, column: int) -> tuple[object, ...] | None:
        """What Qt's own delegate sizes a cell from (None: no key, always measured: a
        hidden row, an icon, another delegate)."""
        view = self.view
        if view.isRowHidden(row) or type(view.itemDelegateForIndex(
                view.model().index(row, column))) is not QStyledItemDelegate:
            return None
        index = view.model().index(row, column)
        values = tuple(index.data(role) for role in _SIZE_ROLES)
        return None if values[2] is not None else values  # an icon: no equality

    def _cell_width(self, row: int, column: int) -> int:
        view = self.view
        if view.isRowHidden(row):
            return 0
        return view.sizeHintForIndex(view.model().index(row, column)).width()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.schedule()
        elif event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            return self._elided_tooltip(event)
        return False

    def _elided_tooltip(self, event: QHelpEvent) -> bool:
        """The full text of an elided cell that has no tooltip of its own."""
        view = self.view
        index = view.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False  # the model's own tooltip (Qt shows it)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        font = index.data(Qt.ItemDataRole.FontRole)
        if isinstance(text, str) and text and is_elided(
                view, text, view.columnWidth(index.column()),
                font if isinstance(font, QFont) else None):
            QToolTip.showText(event.globalPos(), text, view.viewport())
            return True
        return False


def fit_columns(view: QTableView, identifying: Sequence[int],
                stretch: int | None = None) -> ColumnFitter:
    """Install a `ColumnFitter` on `view` (kept as its child)."""
    return ColumnFitter(view, identifying, stretch)


def elided_cells(view: QTableView, columns: Sequence[int] | None = None, *,
                 on_screen: bool = False) -> list[str]:
    """Texts shown cut (tests: identifying columns must return none), among every
    loaded row or (`on_screen`) the rows in view."""
    model = view.model()
    if model is None:
        return []
    rows = range(model.rowCount())
    if on_screen and model.rowCount():
        first = max(view.rowAt(0), 0)
        last = view.rowAt(view.viewport().height() - 1)
        rows = range(first, (last if last >= 0 else model.rowCount() - 1) + 1)
    cut: list[str] = []
    for column in columns if columns is not None else range(model.columnCount()):
        width = view.columnWidth(column)
        for row in rows:
            index = model.index(row, column)
            text = index.data(Qt.ItemDataRole.DisplayRole)
            font = index.data(Qt.ItemDataRole.FontRole)
            if isinstance(text, str) and text and is_elided(
                    view, text, width, font if isinstance(font, QFont) else None):
                cut.append(text)
    return cut


def fits_horizontally(view: QWidget) -> bool:
    """No horizontal scroll bar needed (every column within the viewport)."""
    if isinstance(view, QTableView):
        header = view.horizontalHeader()
        return (header.length() <= view.viewport().width()
                and not view.horizontalScrollBar().isVisible())
    return True
