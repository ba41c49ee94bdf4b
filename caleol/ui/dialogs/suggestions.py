"""« Suggérer des candidats »: the demandes that fit the dwelling, with their reasons.

The dialog only shows the `SuggestionList` the controller fetched and returns the
rows the secretary ticked; adding them is the controller's job. Every reason of the
row under the cursor is listed in full beside the table (a table cell could only show
the first words of ten reasons).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.services.sessions import Suggestion, SuggestionList
from caleol.ui.columns import fit_columns
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.models.session_models import suggestions_model


def fitting_size(parent: QWidget | None, width: int, height: int) -> QSize:
    """`width` × `height`, or less on a smaller screen (a 1366×768 laptop)."""
    screen = parent.screen() if parent is not None else None
    if screen is None:
        return QSize(width, height)
    room = screen.availableGeometry().size()
    return QSize(min(width, room.width() - 40), min(height, room.height() - 60))


class SuggestionsDialog(QDialog):
    def __init__(self, suggestions: SuggestionList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsDialog")
        self.setWindowTitle(self.tr("Suggestions pour le logement {ref}").format(
            ref=suggestions.dwelling_reference))
        self.model = suggestions_model(suggestions.suggestions, self)
        intro = [self.tr("{n} demandes correspondent au logement {ref}, les mieux placées "
                         "d'abord (DALO, priorités, délai anormalement long, ancienneté). "
                         "Sélectionnez celles à présenter (Ctrl+clic pour plusieurs).").format(
            n=len(suggestions.suggestions), ref=suggestions.dwelling_reference)]
        if suggestions.reservataire:
            intro.append(self.tr("Réservataire : {name}.").format(name=suggestions.reservataire))
        if suggestions.proposal_deadline is not None:
            intro.append(self.tr("Délai de proposition : {date}.").format(
                date=fr.format_date(suggestions.proposal_deadline)))
        label = QLabel(" ".join(intro), self)
        label.setWordWrap(True)
        self.view = QTableView(self)
        self.view.setObjectName("suggestionsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().hide()
        self.view.setColumnHidden(self.model.column_index("reasons"), True)
        self.columns = fit_columns(self.view, [self.model.column_index("nur"),
                                               self.model.column_index("name")])
        self.reasons = QTextBrowser(self)
        self.reasons.setObjectName("suggestionReasons")
        self.reasons.setMinimumWidth(300)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_reasons(current.row()))
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.reasons)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([780, 420])  # the table's dates whole, the reasons beside
        splitter.setChildrenCollapsible(False)
        self.buttons, self.add_button = accept_cancel(
            self, self.tr("Ajouter à l'ordre du jour"), "addSuggestionsButton")
        self.add_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(fitting_size(parent, 1240, 660))
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))  # its reasons shown, not chosen
            self.view.clearSelection()

    def select_rows(self, rows: list[int]) -> None:
        selection = self.view.selectionModel()
        for row in rows:
            selection.select(self.model.index(row, 0),
                             selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def chosen(self) -> list[Suggestion]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.row_at(r) for r in rows]

    def _selection_changed(self) -> None:
        self.add_button.setEnabled(bool(self.chosen()))

    def _show_reasons(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            self.reasons.clear()
            return
        shown = self.model.row_at(row)
        items = "".join(f"<li>{html.escape(r)}</li>" for r in shown.reasons)
        self.reasons.setHtml(f"<b>{html.escape(shown.name)}</b> ({html.escape(shown.nur)})"
                             f" — {html.escape(shown.household)}<ul>{items}</ul>")
