"""A form dialog whose fields each carry a red error line, shared by every editor.

`accept()` hands the record built from the fields to `save()`; a `CaleolError` keeps
the dialog open with nothing written and every field as typed: its messages go beside
their fields (`caleol.ui.dialogs.form_errors`), all at once, anything about no field
on the line above the form. « Annuler », Échap or closing the window with changes
asks before discarding them (`caleol.ui.dialogs.unsaved`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.ui.dialogs.form_errors import (
    ERROR_STYLE,
    FormErrors,
    error_label,
    make_room,
    with_error_line,
)
from caleol.ui.dialogs.unsaved import AsksBeforeDiscarding

__all__ = ["ERROR_STYLE", "RecordDialog"]


class RecordDialog(AsksBeforeDiscarding):
    """A form whose rows each carry an error line; subclasses build and save a record.

    Subclasses lay their fields out in `self.form` (one column), or in their own
    layouts added to `self.body` (columns, tabs), with `add_field(..., form=...)`;
    a widget that is not a form row (a table) gets its error line from `error_line`.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(480)
        outer = QVBoxLayout(self)
        self.general_error = error_label(self, "error_general")
        self.form_errors = FormErrors(self.general_error)
        self.errors = self.form_errors.lines  # field name → its error line
        outer.addWidget(self.general_error)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Enregistrer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.saved: Any = None

    def error_line(self, name: str, parent: QWidget | None = None,
                   widget: QWidget | None = None) -> QLabel:
        """The (hidden) error line of field `name`, to place under its widget (tinted
        red with it when given)."""
        return self.form_errors.line(name, parent or self, (widget,) if widget else ())

    def add_field(self, name: str, title: str, widget: QWidget,
                  form: QFormLayout | None = None) -> None:
        """A form row `title : widget` with its (hidden) error line under it."""
        widget.setObjectName(f"field_{name}")
        host = with_error_line(self.form_errors, name, widget,
                               widget.parentWidget() or self, (widget,))
        (form if form is not None else self.form).addRow(title, host)

    def clear_errors(self) -> None:
        self.form_errors.clear()

    def show_error(self, error: CaleolError) -> None:
        self.errors_shown(self.form_errors.show(error))
        make_room(self)

    def errors_shown(self, names: list[str]) -> None:
        """Hook: a tabbed editor brings the first field in error into view."""

    def visible_errors(self) -> dict[str, str]:
        """Field → message currently shown (for tests and accessibility checks)."""
        return self.form_errors.visible()

    def build(self) -> Any:
        """The record from the fields (may raise FieldError)."""
        raise NotImplementedError

    def save(self, record: Any) -> Any:
        raise NotImplementedError

    def accept(self) -> None:
        try:
            self.saved = self.save(self.build())
        except CaleolError as exc:
            self.show_error(exc)
            return
        super().accept()
