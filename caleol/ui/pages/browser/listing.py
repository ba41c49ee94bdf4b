"""The browser's list: search and filters, the paged table, its count, and the detail
of the selected row.

What editing a record (`editing`) and importing a file (`csv_import`) add act on the
attributes declared here, which `page.BrowserPage.__init__` sets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
)

from caleol import fr
from caleol.errors import CaleolError
from caleol.ui import messages
from caleol.ui.columns import ColumnFitter, fit_columns
from caleol.ui.models.paged import PagedQueryModel
from caleol.ui.models.table import ROW_ROLE, Column
from caleol.ui.pages.base import Page
from caleol.ui.pages.browser.detail_panel import DetailPanel

log = logging.getLogger(__name__)

DETAIL_WIDTH = 350  # « Revenu fiscal de référence » lines wrap once; the list keeps its columns
IDENTIFYING_COLUMNS = 2  # never cut (NUR and name, reference and type)


class BrowseSource(Protocol):
    """What a browse service offers (`DwellingBrowser`, `DemandeBrowser`)."""

    def count(self, filters: Any = None) -> int: ...

    def fetch(self, offset: int, limit: int, sort: Any = None,
              filters: Any = None) -> list[Any]: ...

    def choices(self) -> dict[str, list[Any]]: ...

    def detail(self, row_id: int) -> Any: ...


@dataclass(frozen=True)
class FilterSpec:
    """A combo box filter.

    Attributes:
        key: the field of the filters value it sets.
        label: what it filters (accessible name, tooltip).
        all_label: the first entry, meaning « no filter ».
        choices: the key of the service's `choices()` listing its values (default:
            `key`).
    """

    key: str
    label: str
    all_label: str
    choices: str = ""


class BrowserListing(Page):
    """The list and its detail (widgets set by `BrowserPage`)."""

    source: BrowseSource
    model: PagedQueryModel[Any] | None
    _columns: tuple[Column[Any], ...]
    _filters: Any  # the service's filters value (a frozen dataclass with `text`)
    _filter_specs: tuple[FilterSpec, ...]
    _nouns: tuple[str, str]  # singular, plural
    _feminine: bool
    _top_bar: QHBoxLayout  # the heading's row, where actions add their buttons
    hint_label: QLabel
    count_label: QLabel
    search_edit: QLineEdit
    _search_timer: QTimer
    filter_boxes: dict[str, QComboBox]
    splitter: QSplitter
    table: QTableView
    detail: DetailPanel
    empty_label: QLabel
    columns: ColumnFitter | None
    edit_button: QPushButton | None  # « Modifier… », once editing is enabled
    # the column given the room to spare (None: the widest); a NUR never needs it
    stretch_column: int | None = None
    # columns never cut besides the identifying ones: amounts (a cut « 2 926,4… »
    # identifies no one, and a figure must be read whole)
    whole_columns: tuple[str, ...] = ()

    # --- Page hooks ------------------------------------------------------------------

    def search_field(self) -> QLineEdit:
        return self.search_edit

    def activated(self) -> None:
        self.ensure_loaded()

    def _detail_shown(self, shown: bool) -> None:
        """A record shown: the panel opens at its width; none: it yields its width."""
        self.hint_label.setVisible(not shown and self.model is not None
                                   and self.model.total_count() > 0)
        if shown == self.detail.isVisible():
            return
        self.detail.setVisible(shown)
        if shown:
            total = self.splitter.width()
            self.splitter.setSizes([max(total - DETAIL_WIDTH, 0), DETAIL_WIDTH])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(
                self.table.viewport().rect().adjusted(16, 16, -16, -16))
        return False

    def empty_text(self) -> str:
        """What the list says when it has no row: no match, or nothing recorded yet."""
        plural = self._nouns[1]
        filtered = bool(self.search_edit.text().strip()) or any(
            box.currentIndex() > 0 for box in self.filter_boxes.values())
        if filtered:
            return (f"Aucune {self._nouns[0]} ne correspond aux filtres."
                    if self._feminine else
                    f"Aucun {self._nouns[0]} ne correspond aux filtres.")
        return f"Aucun{'e' if self._feminine else ''} {self._nouns[0]} enregistré" + (
            "e" if self._feminine else "") + f" : importez des {plural} ou créez-en."

    def _no_selection(self) -> None:
        """The rows went (reloaded, filtered): nothing is selected, nothing detailed."""
        self.detail.clear()
        if self.edit_button is not None:
            self.edit_button.setEnabled(False)

    def reload(self) -> None:
        """Query again (after an import or an edit), filter lists included; the page
        loads itself if never shown."""
        if self.model is None:
            self.ensure_loaded()
            return
        self._no_selection()
        if self.refresh_choices():
            self._apply_filters()  # a chosen value vanished: its filter was reset
            return
        self.model.reload()

    def refresh_choices(self) -> bool:
        """Fill the filter boxes again (new communes after an import...), keeping each
        box's current value when it still exists. True when a filter had to be reset.
        """
        choices = self.source.choices()
        reset = False
        for spec in self._filter_specs:
            box = self.filter_boxes[spec.key]
            current = box.currentData()
            box.blockSignals(True)
            try:
                while box.count() > 1:  # item 0 is « all »
                    box.removeItem(box.count() - 1)
                for choice in choices.get(spec.choices or spec.key, []):
                    box.addItem(choice.label, choice.value)
                index = box.findData(current) if current is not None else 0
                if index < 0:
                    index, reset = 0, True
                box.setCurrentIndex(index)
            finally:
                box.blockSignals(False)
        return reset

    # --- loading -------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """Query the database the first time the page is shown, not at start-up."""
        if self.model is not None:
            return
        self.refresh_choices()
        self.model = PagedQueryModel(self._columns, self.source.fetch, self.source.count,
                                     first_page=getattr(self.source, "first_page", None),
                                     filters=self._filters, parent=self)
        self.model.count_changed.connect(self._show_count)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # No indicator first: enabling sorting would otherwise re-sort by column 0
        # and replace the service's default order (oldest demande first...).
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # the identifying columns whole; the others elided, their text in a tooltip
        # and in the detail panel
        whole = [*range(IDENTIFYING_COLUMNS),
                 *(self.model.column_index(key) for key in self.whole_columns)]
        self.columns = fit_columns(self.table, whole, stretch=self.stretch_column)
        self._show_count(self.model.total_count())

    def current_filters(self) -> Any:
        return self._filters

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        changes: dict[str, Any] = {"text": self.search_edit.text().strip()}
        for key, box in self.filter_boxes.items():
            changes[key] = box.currentData()
        new = replace(self._filters, **changes)
        if new == self._filters and self.model is not None:
            return
        self._filters = new
        log.debug("%s filters: %s", self.page_id, new)
        if self.model is None:
            self.ensure_loaded()
            return
        self._no_selection()  # the selection went with the old rows
        self.model.set_filters(new)

    def _show_count(self, total: int) -> None:
        singular, plural = self._nouns
        noun = singular if total <= 1 else plural
        self.count_label.setText(f"{fr.format_decimal(total, 0)} {noun}")
        self.empty_label.setText(self.empty_text() if total == 0 else "")
        self.empty_label.setVisible(total == 0)
        self.hint_label.setVisible(total > 0 and not self.detail.isVisible())

    # --- detail --------------------------------------------------------------------

    def selected_row(self) -> Any:
        indexes = self.table.selectionModel().selectedRows() if self.model else []
        return indexes[0].data(ROW_ROLE) if indexes else None

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        row = self.selected_row()
        if self.edit_button is not None:
            self.edit_button.setEnabled(row is not None)
        if row is None:
            self.detail.clear()
            return
        try:
            detail = self.source.detail(row.id)
        except CaleolError as exc:  # deleted meanwhile
            messages.show_status(self, exc.message)
            self.detail.clear()
            return
        self.show_detail(row, detail)

    def show_detail(self, row: Any, detail: Any) -> None:
        """Subclasses add their own tables; the default shows the detail's fields.

        `row` is None when the record is not a row of the list (edited, then filtered
        out): the title then comes from the detail alone.
        """
        title = dict(detail.fields).get("Référence", "") if row is None else str(
            getattr(row, "reference", row.id))
        self.detail.show_record(title, detail.fields)
