"""« Suggérer des candidats »: the demandes that fit the dwelling, with their reasons.

The dialog only shows the `SuggestionList` the workspace's search found (or that
the search still runs) and returns the rows the secretary ticked; adding them is
the controller's job. Every reason of the row under the cursor is listed in full
beside the table (a table cell could only show the first words of ten reasons).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QProgressBar,
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
    """The suggestions for one dwelling, or (`suggestions` None) the search still
    running: the dialog opens at once with « Recherche des candidats… » and a busy
    bar, and `show_suggestions` fills it when the search, run off the GUI thread on
    100 000 demandes, is done (issue 19)."""

    def __init__(self, suggestions: SuggestionList | None = None,
                 parent: QWidget | None = None, *, reference: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsDialog")
        reference = suggestions.dwelling_reference if suggestions is not None else reference
        self.setWindowTitle(self.tr("Suggestions pour le logement {ref}").format(ref=reference))
        self.model = suggestions_model((), self)
        self.intro = QLabel(self.tr("Recherche des candidats pour le logement {ref}…").format(
            ref=reference), self)
        self.intro.setObjectName("suggestionsIntro")
        self.intro.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("suggestionsProgress")
        self.progress.setRange(0, 0)  # busy: the search gives no percentage
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Recherche des candidats en cours"))
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
        layout.addWidget(self.intro)
        layout.addWidget(self.progress)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(fitting_size(parent, 1240, 660))
        if suggestions is not None:
            self.show_suggestions(suggestions)

    @property
    def searching(self) -> bool:
        """The search still runs (the busy bar shown, nothing to choose yet)."""
        return not self.progress.isHidden()

    def show_suggestions(self, suggestions: SuggestionList) -> None:
        """The search is done: its suggestions listed, the first one's reasons shown."""
        self.progress.hide()
        intro = [self.tr("{n} demandes correspondent au logement {ref}, les mieux placées "
                         "d'abord (DALO, priorités, délai anormalement long, ancienneté). "
                         "Sélectionnez celles à présenter (Ctrl+clic pour plusieurs).").format(
            n=len(suggestions.suggestions), ref=suggestions.dwelling_reference)]
        if suggestions.reservataire:
            intro.append(self.tr("Réservataire : {name}.").format(name=suggestions.reservataire))
        if suggestions.proposal_deadline is not None:
            intro.append(self.tr("Délai de proposition : {date}.").format(
                date=fr.format_date(suggestions.proposal_deadline)))
        self.intro.setText(" ".join(intro))
        self.model.set_rows(suggestions.suggestions)
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
