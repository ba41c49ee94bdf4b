"""The dwellings of the agenda, each with its three-candidate badge (✓ ⚑ ✗)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol.services.sessions import AgendaItemView
from caleol.ui.columns import fit_columns
from caleol.ui.models.session_models import agenda_model

MIN_WIDTH = 200


class AgendaList(QWidget):
    """Left column of the workspace; emits the selected agenda item (or None)."""

    item_selected = Signal(object)
    add_requested = Signal()
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = agenda_model(parent=self)
        self.view = QTableView(self)
        self.view.setObjectName("agendaView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setAccessibleName(self.tr("Logements à l'ordre du jour"))
        # the badge, the reference and the count are never cut: they widen the list
        # when needed; the typology and financing give way, elided with their tooltip
        # (« T3 PLAI adapté » took 41 px from the candidates' grid at 1366×768)
        self.columns = fit_columns(self.view, [0, 1, 3], stretch=2)
        self.columns.fitted.connect(self._widen)
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.add_button = QPushButton(self.tr("Ajouter…"), self)
        self.add_button.setObjectName("addDwellingButton")
        self.add_button.setToolTip(self.tr("Ajouter un logement vacant à l'ordre du jour"))
        self.remove_button = QPushButton(self.tr("Retirer"), self)
        self.remove_button.setObjectName("removeDwellingButton")
        self.remove_button.setToolTip(self.tr("Retirer le logement sélectionné"))
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button, 1)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def set_preparing(self, editable: bool) -> None:
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)

    def _remove(self) -> None:
        current = self.current()
        if current is not None:
            self.remove_requested.emit(current.id)

    def set_items(self, items: tuple[AgendaItemView, ...]) -> None:
        """Replace the agenda, keeping the same dwelling selected when it is still there."""
        current = self.current()
        self.model.set_rows(items)
        row = 0
        if current is not None:
            row = next((i for i, item in enumerate(items) if item.id == current.id), 0)
        if items:
            self.view.selectRow(row)
        else:
            self.item_selected.emit(None)

    def _widen(self, missing: int) -> None:
        """As wide as its rows, whole: the workspace's splitter follows the minimum.

        Not while hidden: the séance page builds the list before it is laid out (the
        list 200 px wide around a 100 px view), and the 43 px its columns lacked there
        kept it 38 px too wide for good, taken from the candidates' grid at 1366×768.
        """
        if missing > 0 and self.isVisible():
            self.setMinimumWidth(max(MIN_WIDTH, self.width() + missing))

    def update_item(self, item: AgendaItemView) -> None:
        """One dwelling read again after a change: its row only, the selection kept."""
        for row, shown in enumerate(self.model.rows()):
            if shown.id == item.id:
                self.model.update_row(row, item)
                return

    def select_reference(self, reference: str) -> bool:
        for i, item in enumerate(self.model.rows()):
            if item.reference == reference:
                self.view.selectRow(i)
                return True
        return False

    def current(self) -> AgendaItemView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.item_selected.emit(self.current())
