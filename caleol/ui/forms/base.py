"""What every organisation form shares, and the dialog that hosts one in Référentiels.

A refusal leaves every field as typed: each message goes under its field, the input
tinted red, anything about no field on the line above the form
(`caleol.ui.dialogs.form_errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.services.editing.common import Choice
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.dialogs.form_errors import (
    FormErrors,
    error_label,
    make_room,
    mark_invalid,
    with_error_line,
)
from caleol.ui.dialogs.unsaved import AsksBeforeDiscarding

ADDRESS_HEIGHT = 62  # three lines of an address
COMBO_MIN_WIDTH = 240
HINT_STYLE = "color: #5f6368;"  # grey that stays readable on the window's background


class RecordForm(QWidget):
    """The fields of one record, each with its error line.

    Subclasses create their inputs with the helpers below (named `field_<attribute>`,
    the attribute of the service's record), then implement `record`, `show_record`.
    """

    edited = Signal()  # the user typed or chose something

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False  # `set_record` is filling the fields: not the user
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.general_error = error_label(self, "error_general")
        self.errors = FormErrors(self.general_error)
        outer.addWidget(self.general_error)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        outer.addLayout(self.form)
        outer.addStretch(1)

    # --- building ------------------------------------------------------------------

    def add_row(self, name: str, title: str, field: QWidget | QLayout,
                tinted: Iterable[QWidget] | None = None) -> None:
        """A row `title  field` with the (hidden) error line of `name` under the field."""
        if tinted is None:
            tinted = (field,) if isinstance(field, QWidget) else ()
        self.form.addRow(title, with_error_line(self.errors, name, field, self, tinted))

    def with_hint(self, field: QWidget, text: str) -> QHBoxLayout:
        """`field` with a grey explanation to its right."""
        row = QHBoxLayout()
        row.addWidget(field)
        row.addWidget(hint_label(text, self), 1)
        return row

    def _typed(self, name: str) -> None:
        """The user changed field `name`: its message goes (the others stay)."""
        if self._loading:
            return
        line = self.errors.lines.get(name)
        if line is not None and not line.isHidden():
            line.clear()
            line.hide()
            for widget in self.errors.widgets.get(name, ()):
                mark_invalid(widget, False)
        self.edited.emit()

    def line(self, name: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(f"field_{name}")
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _text: self._typed(name))
        return edit

    def address(self, name: str, placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setObjectName(f"field_{name}")
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(ADDRESS_HEIGHT)
        edit.setTabChangesFocus(True)
        edit.textChanged.connect(lambda: self._typed(name))
        return edit

    def combo(self, name: str, choices: Iterable[Choice] = (), *, empty: str = "",
              editable: bool = False) -> QComboBox:
        """A list of `choices` (`empty`: a first item standing for no value)."""
        box = QComboBox(self)
        box.setObjectName(f"field_{name}")
        box.setEditable(editable)
        box.setMinimumWidth(COMBO_MIN_WIDTH)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        fill_combo(box, choices, empty)
        box.activated.connect(lambda _index: self._typed(name))
        line = box.lineEdit()  # an editable combo box has one
        if line is not None:
            line.textEdited.connect(lambda _text: self._typed(name))
        return box

    def check(self, name: str, text: str, checked: bool = False) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setObjectName(f"field_{name}")
        box.setChecked(checked)
        box.clicked.connect(lambda _on: self._typed(name))
        return box

    def spin(self, name: str, low: int, high: int, suffix: str = "") -> QSpinBox:
        box = QSpinBox(self)
        box.setObjectName(f"field_{name}")
        box.setRange(low, high)
        box.setSuffix(suffix)
        box.valueChanged.connect(lambda _value: self._typed(name))
        return box

    # --- what the host calls ---------------------------------------------------------

    def record(self) -> Any:
        """The service's record from the fields, as typed."""
        raise NotImplementedError

    def set_record(self, record: Any) -> None:
        """Show `record` (None: an empty form for a new one); clears the errors."""
        self._loading = True
        try:
            self.show_record(record)
        finally:
            self._loading = False
        self.clear_errors()

    def show_record(self, record: Any) -> None:
        """Fill the fields from `record` (None: empty)."""
        raise NotImplementedError

    def is_blank(self) -> bool:
        """Nothing typed yet (the assistant then moves on without adding a record)."""
        return False

    def show_error(self, error: CaleolError | dict[str, str]) -> list[str]:
        """Each message beside its field; returns the fields in error."""
        shown = self.errors.show(error)
        if shown:
            first = self.findChild(QWidget, f"field_{shown[0]}")
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        return shown

    def clear_errors(self) -> None:
        self.errors.clear()

    def visible_errors(self) -> dict[str, str]:
        """Field → message shown ("" : the line above the form)."""
        return self.errors.visible()


def hint_label(text: str, parent: QWidget) -> QLabel:
    """A grey, word-wrapped explanation."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    return label


def fill_combo(box: QComboBox, choices: Iterable[Choice], empty: str = "") -> None:
    """Refill a list, keeping the value chosen when it is still offered."""
    current = box.currentData()
    box.blockSignals(True)
    box.clear()
    if empty:
        box.addItem(empty, "")
    for choice in choices:
        box.addItem(choice.label, choice.value)
    box.setCurrentIndex(max(0, box.findData(current)) if current is not None else 0)
    box.blockSignals(False)


def select_data(box: QComboBox, value: str) -> None:
    """Choose the item whose value is `value` (an editable list shows the text when no
    item has it, so a code typed elsewhere is kept)."""
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    elif box.isEditable():
        box.setEditText(value)
    else:
        box.setCurrentIndex(0)


def combo_value(box: QComboBox) -> str:
    """The chosen item's value; in an editable list, the text typed when it is no item's
    label (« 57 » typed stays « 57 »)."""
    if box.isEditable():
        text = box.currentText().strip()
        index = box.findText(text)
        if index >= 0:
            return str(box.itemData(index) or "")
        return text.split(" ", 1)[0] if text else ""
    return str(box.currentData() or "")


class FormDialog(AsksBeforeDiscarding):
    """A Référentiels dialog around one form: « Enregistrer » hands the form's record to
    `save` (one transaction in the service); a refusal keeps the dialog open, every
    field as typed, the messages beside their fields. « Annuler », Échap or closing it
    after typing asks first, as the editors do.

    Args:
        save: the service call; returns the saved record.
    """

    def __init__(self, title: str, form: RecordForm, save: Callable[[Any], Any],
                 parent: QWidget | None = None, *, name: str = "recordDialog") -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.form = form
        self._save = save
        self.saved: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(form, 1)
        buttons, self.save_button = accept_cancel(self, self.tr("Enregistrer"), "saveRecordButton")
        layout.addWidget(buttons)

    def accept(self) -> None:
        try:
            self.saved = self._save(self.form.record())
        except CaleolError as exc:
            self.form.show_error(exc)
            make_room(self)
            return
        super().accept()
