"""Pick a vacant dwelling (for the agenda) or an active demande (as a candidate).

A search field over the browsers' paged queries (`caleol.services.browse`), first
50 matches; the controller adds the picked row. Opened with `open()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol.fr import counted
from caleol.services.browse import DemandeFilters, DwellingFilters
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.models.table import Column, ColumnTableModel, date_column, money_column

LIMIT = 50

DWELLING_COLUMNS: tuple[Column[Any], ...] = (
    Column("reference", "Référence"),
    Column("typology", "Typo."),
    Column("financing", "Financement"),
    Column("commune", "Commune"),
    Column("address", "Adresse"),
    money_column("rent", "Loyer"),
    date_column("availability_date", "Disponible le"),
)
DEMANDE_COLUMNS: tuple[Column[Any], ...] = (
    Column("nur", "NUR"),
    Column("name", "Demandeur"),
    Column("household_size", "Pers."),
    Column("wished_typologies", "Typologies"),
    Column("dalo", "DALO", formatter=lambda v: "DALO" if v else ""),
    date_column("filing_date", "Dépôt"),
)


class PickDialog(QDialog):
    """Search and choose one row.

    Args:
        search: text → matching rows (plain records).
        extra: more fields under the list, read by the caller once accepted.
    """

    def __init__(self, title: str, hint: str, columns: Sequence[Column[Any]],
                 search: Callable[[str], Sequence[Any]], parent: QWidget | None = None,
                 *, extra: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pickDialog")
        self.setWindowTitle(title)
        self._search = search
        self.field = QLineEdit(self)
        self.field.setObjectName("pickSearch")
        self.field.setPlaceholderText(hint)
        self.field.setClearButtonEnabled(True)
        self.model = ColumnTableModel(columns, parent=self)
        self.view = QTableView(self)
        self.view.setObjectName("pickView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.accept())
        self.count = QLabel(self)
        buttons, self.ok_button = accept_cancel(self, self.tr("Ajouter"), "pickOkButton")
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        if extra is not None:  # e.g. the orientation of a dwelling put on the agenda
            extra.setParent(self)
            layout.addWidget(extra)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.resize(820, 480)
        self.refresh()

    def refresh(self) -> None:
        rows = list(self._search(self.field.text().strip()))
        self.model.set_rows(rows)
        # « 50 résultats (les 50 premiers) » did not say there may be more
        self.count.setText(self.tr("Les {limit} premiers résultats : précisez le NUR ou le "
                                   "nom pour trouver les autres.").format(limit=LIMIT)
                           if len(rows) >= LIMIT
            else counted(len(rows), self.tr("résultat"), self.tr("résultats")))
        if rows:
            self.view.selectRow(0)

    def chosen(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None


def dwelling_search(browser: Any) -> Callable[[str], Sequence[Any]]:
    return lambda text: browser.fetch(0, LIMIT, None, DwellingFilters(text=text,
                                                                      status="vacant"))


def demande_search(browser: Any) -> Callable[[str], Sequence[Any]]:
    return lambda text: browser.fetch(0, LIMIT, None, DemandeFilters(text=text,
                                                                     status="active"))
