"""The rows of the Paramètres page: an input with its « Parcourir… » button, hint and
error message (`FieldRow`), in groups whose labels share one width so that the fields
line up across groups (`SettingsRows`). A line edit with a check (`settings_form`) is
checked when it is left and again before saving.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #c62828;"
HINT_STYLE = "color: palette(mid);"
LABEL_WIDTH = 300
# (minimum, maximum, suffix) of integer options.
INT_RANGES: dict[str, tuple[int, int, str]] = {
    "backups_kept": (1, 1000, ""),
    "retention_months": (1, 240, " mois"),
    "max_effort_rate_percent": (1, 100, " %"),
    "offer_answer_days": (1, 365, " jours"),
    "reservataire_delay_days": (1, 365, " jours"),
}
Check = Callable[[], str | None]  # runs a field's check, shows and returns its message


class FieldRow(QWidget):
    """An input with its optional « Parcourir… » button, hint and error message."""

    def __init__(self, editor: QWidget, hint: str = "", browse: Callable[[], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        line = QHBoxLayout()
        line.addWidget(editor, 1)
        self.browse_button: QPushButton | None = None
        if browse is not None:
            self.browse_button = QPushButton(self.tr("Parcourir…"), self)
            self.browse_button.clicked.connect(browse)
            line.addWidget(self.browse_button)
        layout.addLayout(line)
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        layout.addWidget(self.error)

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.editor.setAccessibleDescription(message or "")

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisible() else ""


class SettingsRows:
    """The groups of a settings page and the checks of their rows.

    Args:
        owner: the page (parent of the widgets made here).
        body: the column the groups are added to.
    """

    def __init__(self, owner: QWidget, body: QVBoxLayout) -> None:
        self.owner = owner
        self.body = body
        self.checks: list[tuple[FieldRow, Check]] = []

    def label(self, text: str) -> QLabel:
        """Form labels share one width so the fields line up across groups."""
        label = QLabel(text, self.owner)
        label.setMinimumWidth(LABEL_WIDTH)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        label.setWordWrap(True)
        return label

    def group(self, title: str) -> QFormLayout:
        group = QGroupBox(title, self.owner)
        form = QFormLayout(group)
        # Line edits expand; spin boxes and combo boxes keep their natural width.
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.body.addWidget(group)
        return form

    def line_row(self, form: QFormLayout, label: str, name: str, hint: str = "",
                 browse: Callable[[QLineEdit], None] | None = None,
                 check: Callable[[str], str | None] | None = None
                 ) -> tuple[QLineEdit, FieldRow]:
        edit = QLineEdit(self.owner)
        edit.setObjectName(name)
        row = FieldRow(edit, hint, (lambda: browse(edit)) if browse else None, self.owner)
        form.addRow(self.label(label), row)
        if check is not None:
            def run_check() -> str | None:
                message = check(edit.text())
                row.set_error(message)
                return message

            self.checks.append((row, run_check))
            edit.editingFinished.connect(run_check)
            edit.textEdited.connect(lambda _text: row.set_error(None))
        return edit, row

    def spin(self, name: str) -> QSpinBox:
        """The spin box of integer option `name`, within its range, with its unit."""
        low, high, suffix = INT_RANGES.get(name, (0, 100_000, ""))
        spin = QSpinBox(self.owner)
        spin.setObjectName(f"{name}Spin")
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setMinimumWidth(110)
        return spin

    def first_refused(self) -> FieldRow | None:
        """Every check run (each message shown beside its field); the first row refused."""
        first: FieldRow | None = None
        for row, check in self.checks:
            if check() and first is None:
                first = row
        return first

    def clear_errors(self) -> None:
        for row, _check in self.checks:
            row.set_error(None)
