"""A form dialog whose fields each carry a red error line, shared by every editor.

`accept()` hands the record built from the fields to `save()`; a `CaleolError` keeps
the dialog open with nothing written: a `FormError` puts each of its messages under
its own field (all at once), a single-field error (`reference.FieldError`, with a
`field` attribute) under that field, anything else on the line above the form.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError

ERROR_STYLE = "color: #b3261e;"


class RecordDialog(QDialog):
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
        self.general_error = self._error_label()
        self.general_error.setObjectName("error_general")
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
        self.errors: dict[str, QLabel] = {}
        self.saved: Any = None

    def _error_label(self, parent: QWidget | None = None) -> QLabel:
        label = QLabel(parent or self)
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        return label

    def error_line(self, name: str, parent: QWidget | None = None) -> QLabel:
        """The (hidden) error line of field `name`, to place under its widget."""
        error = self._error_label(parent)
        error.setObjectName(f"error_{name}")
        self.errors[name] = error
        return error

    def add_field(self, name: str, title: str, widget: QWidget,
                  form: QFormLayout | None = None) -> None:
        """A form row `title : widget` with its (hidden) error line under it."""
        widget.setObjectName(f"field_{name}")
        host = QWidget(widget.parentWidget() or self)
        box = QVBoxLayout(host)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(self.error_line(name, host))
        (form if form is not None else self.form).addRow(title, host)

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general_error):
            label.clear()
            label.hide()

    def show_error(self, error: CaleolError) -> None:
        self.clear_errors()
        messages: dict[str, str] = dict(getattr(error, "fields", None) or {})
        if not messages:
            field = getattr(error, "field", None)
            messages = {field or "": error.message}
        general: list[str] = []
        for name, message in messages.items():
            label = self.errors.get(name)
            if label is None:
                general.append(message)
                continue
            label.setText(message)
            label.show()
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        self.errors_shown([name for name in messages if name in self.errors])

    def errors_shown(self, names: list[str]) -> None:
        """Hook: a tabbed editor brings the first field in error into view."""

    def visible_errors(self) -> dict[str, str]:
        """Field → message currently shown (for tests and accessibility checks)."""
        shown = {name: label.text() for name, label in self.errors.items() if label.text()}
        if self.general_error.text():
            shown[""] = self.general_error.text()
        return shown

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
