"""The browsers' detail panel: one record's « label : value » lines and tables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from caleol.ui.columns import fit_columns
from caleol.ui.models.table import ColumnTableModel
from caleol.ui.widgets.table_view import make_table_view


class DetailPanel(QScrollArea):
    """Read-only « label : value » lines of one record, plus optional tables.

    `has_record` says whether a record is shown: the page collapses the panel when
    there is none, so the list gets its width.
    """

    has_record = Signal(bool)

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._empty_text = empty_text
        self.clear()

    def clear(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        hint = QLabel(self._empty_text, body)
        hint.setObjectName("detailEmpty")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)
        layout.addStretch(1)
        self.setWidget(body)
        self.form: QFormLayout | None = None
        self.has_record.emit(False)

    def show_record(self, title: str, fields: Sequence[tuple[str, str]],
                    tables: Sequence[tuple[str, ColumnTableModel[Any]]] = (),
                    whole: Sequence[str] = ()) -> None:
        """`whole`: keys of table columns never cut (amounts); a table having one is
        fitted to the panel's width, its other texts elided with a tooltip, instead of
        scrolling sideways past the panel's edge."""
        body = QWidget(self)
        layout = QVBoxLayout(body)
        heading = QLabel(title, body)
        heading.setObjectName("detailTitle")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for label, value in fields:
            if not value:
                continue  # an empty line says nothing; keep the panel short
            text = QLabel(value, body)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label + " :", text)
        layout.addLayout(form)
        for caption, model in tables:
            layout.addWidget(QLabel(f"<b>{caption}</b>", body))
            view = make_table_view(body)
            view.setModel(model)
            model.setParent(view)
            keys = [column.key for column in model.columns]
            kept = [keys.index(key) for key in whole if key in keys]
            if kept:
                fit_columns(view, kept)
            else:
                view.resizeColumnsToContents()
            rows = max(1, model.rowCount())
            view.setFixedHeight(view.horizontalHeader().sizeHint().height()
                                + rows * view.verticalHeader().defaultSectionSize() + 4)
            layout.addWidget(view)
        layout.addStretch(1)
        self.setWidget(body)
        self.form = form
        self.has_record.emit(True)

    def values(self) -> dict[str, str]:
        """What the panel shows, label → value (for tests and accessibility checks)."""
        if self.form is None:
            return {}
        out: dict[str, str] = {}
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label_widget = label.widget() if label is not None else None
            value_widget = value.widget() if value is not None else None
            if isinstance(label_widget, QLabel) and isinstance(value_widget, QLabel):
                out[label_widget.text().removesuffix(" :")] = value_widget.text()
        return out
