"""« Suggérer des candidats »: the demandes that fit the dwelling, with their reasons.

The dialog only shows the `SuggestionList` the controller fetched and returns the
rows the secretary ticked; adding them is the controller's job.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.services.sessions import Suggestion, SuggestionList
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.models.session_models import suggestions_model


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
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.model.column_index("reasons"),
                                    QHeaderView.ResizeMode.Stretch)
        self.reasons = QTextBrowser(self)
        self.reasons.setObjectName("suggestionReasons")
        self.view.selectionModel().selectionChanged.connect(self._show_reasons)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.view)
        splitter.addWidget(self.reasons)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.buttons, self.add_button = accept_cancel(
            self, self.tr("Ajouter à l'ordre du jour"), "addSuggestionsButton")
        self.add_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)
        self.resize(980, 560)

    def select_rows(self, rows: list[int]) -> None:
        selection = self.view.selectionModel()
        for row in rows:
            selection.select(self.model.index(row, 0),
                             selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def chosen(self) -> list[Suggestion]:
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.row_at(r) for r in rows]

    def _show_reasons(self) -> None:
        chosen = self.chosen()
        self.add_button.setEnabled(bool(chosen))
        if not chosen:
            self.reasons.clear()
            return
        last = chosen[-1]
        items = "".join(f"<li>{r}</li>" for r in last.reasons)
        self.reasons.setHtml(f"<b>{last.name}</b> ({last.nur}) — {last.household}<ul>{items}</ul>")
