"""The selected dwelling's candidates: marks per check, ranks, suggestions, exception.

Explanations are in each mark's tooltip and, for the selected candidate, in the side
panel. The buttons only emit requests; the workspace turns them into service calls.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caleol.services.sessions import CandidacyView
from caleol.ui.columns import fit_columns
from caleol.ui.models.session_models import candidate_explanation_html, candidates_model


class CandidatesPanel(QWidget):
    candidate_selected = Signal(object)  # CandidacyView | None
    suggest_requested = Signal()
    add_requested = Signal()
    move_requested = Signal(int, int)  # candidacy id, new rank
    remove_requested = Signal(int)
    exception_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = candidates_model(parent=self)
        self.view = QTableView(self)
        self.view.setObjectName("candidatesView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setAccessibleName(self.tr("Candidats du logement"))
        # rank, NUR and household are never cut, nor the income against its ceiling (a
        # figure cut reads as another: « 36 233 / 37 58… ») nor the decision taken
        # (« Attribution ra… », issue 17); the short figures give way (elided, full
        # text in their tooltip)
        self.columns = fit_columns(self.view, [self.model.column_index(key) for key in
                                               ("proposed_rank", "nur", "name", "income",
                                                "decision")])
        self.view.selectionModel().selectionChanged.connect(self._on_selection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragDropOverwriteMode(True)
        self.view.setDropIndicatorShown(True)
        self.model.rank_dropped.connect(self.move_requested)

        # The workspace places the explanation next to the decision tabs, so the
        # table keeps the full width for its columns.
        self.explanation = QTextBrowser(self)
        self.explanation.setObjectName("candidateExplanation")
        self.explanation.setOpenLinks(False)
        self.explanation.setMinimumWidth(220)

        self.suggest_button = QPushButton(self.tr("Suggérer des candidats…"), self)
        self.suggest_button.setObjectName("suggestButton")
        self.add_button = QPushButton(self.tr("Ajouter…"), self)
        self.add_button.setObjectName("addCandidateButton")
        self.add_button.setToolTip(self.tr("Présenter une demande choisie par son NUR ou son nom"))
        self.add_button.clicked.connect(self.add_requested)
        self.up_button = QPushButton(self.tr("▲ Monter"), self)
        self.up_button.setObjectName("moveUpButton")
        self.up_button.setToolTip(self.tr("Présenter ce candidat un rang plus haut"))
        self.down_button = QPushButton(self.tr("▼ Descendre"), self)
        self.down_button.setObjectName("moveDownButton")
        self.remove_button = QPushButton(self.tr("Retirer"), self)
        self.remove_button.setObjectName("removeCandidateButton")
        self.exception_button = QPushButton(self.tr("Exception…"), self)
        self.exception_button.setObjectName("exceptionButton")
        self.exception_button.setToolTip(self.tr(
            "Motif pour présenter moins de trois candidats (DALO, insuffisance de demandes…)"))
        self.suggest_button.clicked.connect(self.suggest_requested)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.remove_button.clicked.connect(self._remove)
        self.exception_button.clicked.connect(self.exception_requested)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.suggest_button, self.add_button, self.up_button, self.down_button,
                       self.remove_button, self.exception_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        self._editable = True
        self._update_buttons()

    def set_candidates(self, rows: tuple[CandidacyView, ...]) -> None:
        current = self.current()
        self.model.set_rows(rows)
        if rows:
            keep = next((i for i, c in enumerate(rows)
                         if current is not None and c.id == current.id), 0)
            self.view.selectRow(keep)
        else:
            self.explanation.clear()
            self.candidate_selected.emit(None)
        self._update_buttons()

    def set_preparing(self, editable: bool) -> None:
        """Adding, reordering and exceptions only while the séance is prepared."""
        self._editable = editable
        self.model.reorderable = editable
        self._update_buttons()

    def select_nur(self, nur: str) -> bool:
        for i, c in enumerate(self.model.rows()):
            if c.nur == nur:
                self.view.selectRow(i)
                return True
        return False

    def current(self) -> CandidacyView | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _position(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _move(self, step: int) -> None:
        current, position = self.current(), self._position()
        target = position + step
        if current is None or not 0 <= target < self.model.rowCount():
            return
        self.move_requested.emit(current.id, target + 1)

    def _remove(self) -> None:
        current = self.current()
        if current is not None:
            self.remove_requested.emit(current.id)

    def _on_selection(self, _s: QItemSelection, _d: QItemSelection) -> None:
        current = self.current()
        self.explanation.setHtml(candidate_explanation_html(current) if current else "")
        self._update_buttons()
        self.candidate_selected.emit(current)

    def _update_buttons(self) -> None:
        position, count = self._position(), self.model.rowCount()
        self.suggest_button.setEnabled(self._editable)
        self.add_button.setEnabled(self._editable)
        self.exception_button.setEnabled(self._editable)
        self.up_button.setEnabled(self._editable and position > 0)
        self.down_button.setEnabled(self._editable and 0 <= position < count - 1)
        self.remove_button.setEnabled(self._editable and position >= 0)
