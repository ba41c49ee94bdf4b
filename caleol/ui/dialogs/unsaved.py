"""« Annuler », Échap or closing a form with changes asks before discarding them.

`form_state` reads every input of a dialog into a comparable value; a dialog keeps
the state it opened with and compares on reject (which Échap and the window's close
button also call). `AsksBeforeDiscarding` is that behaviour for any QDialog: the
editors' `RecordDialog` and Référentiels' `FormDialog` both use it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QWidget,
)

from caleol.ui import messages


def _inside_compound(widget: QWidget) -> bool:
    """A line edit that belongs to a spin box, date or combo box (read through it)."""
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractSpinBox | QComboBox)


def form_state(root: QWidget) -> tuple[Any, ...]:
    """What the user can change in `root`, in a comparable form."""
    state: list[Any] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and not _inside_compound(widget):
            state.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly():
            state.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            state.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            state.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            state.append(widget.isChecked())
        elif isinstance(widget, QTableWidget):
            state.append(tuple(
                (item.text(), item.checkState().value) if item is not None else None
                for row in range(widget.rowCount()) for column in range(widget.columnCount())
                for item in (widget.item(row, column),)))
        elif isinstance(widget, QListWidget):
            state.append(tuple(
                (widget.item(i).text(), widget.item(i).data(Qt.ItemDataRole.CheckStateRole))
                for i in range(widget.count())))
    return tuple(state)


def confirm_discard(parent: QWidget) -> bool:
    """Ask before throwing away what was typed; the default keeps it (« Continuer la
    saisie »: the question follows an « Annuler », a second « Annuler » was ambiguous)."""
    return messages.ask_confirmation(
        parent, parent.tr("Les modifications de cette fiche n'ont pas été enregistrées. "
                          "Les abandonner ?"),
        parent.tr("Modifications non enregistrées"),
        parent.tr("Abandonner les modifications"), keep=parent.tr("Continuer la saisie"))


class AsksBeforeDiscarding(QDialog):
    """A dialog that asks before « Annuler », Échap or its close button throw away what
    was typed since it was first shown; an untouched form closes at once."""

    _opened_with: tuple[Any, ...] | None = None  # the fields when first shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened_with is None:
            self._opened_with = form_state(self)

    def is_modified(self) -> bool:
        """Something was changed since the form was shown."""
        return self._opened_with is not None and form_state(self) != self._opened_with

    def reject(self) -> None:
        """« Annuler », Échap, the close button: ask first when something was typed."""
        if self.is_modified() and not confirm_discard(self):
            return
        super().reject()
