"""What every Référentiels tab shares: a grid over plain records, a row of buttons, a
red line for a refusal, and what the tab is given by the page (`TabContext`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.errors import CaleolError
from caleol.ui.dialogs.form_errors import ERROR_STYLE
from caleol.ui.models.table import RIGHT, ROW_ROLE, Column, ColumnTableModel
from caleol.ui.widgets.table_view import make_table_view

MAX_COLUMN_WIDTH = 320


@dataclass
class TabContext:
    """What the page gives its tabs.

    Attributes:
        run_dialog: shows a dialog, True when saved (tests replace the page's).
        year: the default year of new targets and thresholds.
    """

    engine: Any
    year: int
    run_dialog: Callable[[QDialog], bool]


def euro_column(key: str, title: str, **kwargs: Any) -> Column[Any]:
    """Whole euros (ceilings and thresholds are published without cents)."""
    return Column(key, title, formatter=lambda v: fr.format_money(v, places=0),
                  alignment=RIGHT, **kwargs)


def yes(value: bool) -> str:
    return "oui" if value else "—"


def fit_columns(table: QTableView) -> None:
    """Columns sized to their content, long texts capped (full text in the cell's width)."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for section in range(header.count()):
        if header.sectionSize(section) > MAX_COLUMN_WIDTH:
            header.resizeSection(section, MAX_COLUMN_WIDTH)


def selected_row(table: QTableView) -> Any:
    rows = table.selectionModel().selectedRows()
    return rows[0].data(ROW_ROLE) if rows else None


class TableTab(QWidget):
    """A grid and a row of buttons: the shape of every tab but the letter templates."""

    def __init__(self, columns: tuple[Column[Any], ...], intro: str,
                 parent: QWidget | None = None, *, stretch: str = "") -> None:
        super().__init__(parent)
        self._stretch = stretch  # the column that takes the spare width (else the last)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("tabError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.model: ColumnTableModel[Any] = ColumnTableModel(columns, parent=self)
        self.table = make_table_view(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)

    def add_button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def set_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        if self._stretch:  # before fitting: the last column keeps its own width
            header.setStretchLastSection(False)
        fit_columns(self.table)
        if self._stretch:
            header.setSectionResizeMode(self.model.column_index(self._stretch),
                                        QHeaderView.ResizeMode.Stretch)

    def selected(self) -> Any:
        return selected_row(self.table)

    def select_where(self, match: Callable[[Any], bool]) -> None:
        """Select the first row `match` accepts (after a reload, the row edited)."""
        for row, record in enumerate(self.model.rows()):
            if match(record):
                self.table.selectRow(row)
                return

    def show_error(self, error: CaleolError | None) -> None:
        if error is None:
            self.error_label.hide()
            return
        text = error.message
        if error.details:
            text += "\n" + "\n".join(f"• {d}" for d in error.details)
        self.error_label.setText(text)
        self.error_label.show()

    def reload(self) -> None:
        """Read the tab's records again (each tab says how)."""
        raise NotImplementedError
