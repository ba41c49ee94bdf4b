"""The ground for presenting fewer than three candidates, with its justification.

« Enregistrer » calls `submit`; a refusal keeps the dialog open with what was typed
and the French message beside the field it is about.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.rules.candidates import CandidateException
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.dialogs.form_errors import FormErrors, error_label

ErrorSink = Callable[[CaleolError], None]
Submit = Callable[[str | None, str, ErrorSink], bool]
"""`submit(ground, justification, on_error)` → True when recorded."""


class ExceptionDialog(QDialog):
    def __init__(self, reference: str, current: str | None, justification: str,
                 parent: QWidget | None = None, *, submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exceptionDialog")
        self.setWindowTitle(self.tr("Exception à la règle des trois candidats"))
        self._submit = submit
        intro = QLabel(self.tr(
            "Logement {ref} : motif pour lequel moins de trois candidats sont présentés "
            "(art. R441-3 CCH). Il est vérifié au passage « prête ».").format(ref=reference),
            self)
        intro.setWordWrap(True)
        self.ground = QComboBox(self)
        self.ground.setObjectName("exceptionGround")
        self.ground.addItem(self.tr("(aucune exception)"), None)
        for ground in CandidateException:
            self.ground.addItem(ground.label, ground.value)
        self.ground.setCurrentIndex(max(self.ground.findData(current), 0))
        self.justification = QPlainTextEdit(justification, self)
        self.justification.setObjectName("exceptionJustification")
        self.justification.setPlaceholderText(self.tr(
            "Justification (obligatoire pour l'insuffisance de demandes)"))
        self.problem = error_label(self, "exceptionProblem")
        self.errors = FormErrors(self.problem)
        form = QFormLayout()
        form.addRow(self.tr("Motif"), self.ground)
        form.addRow("", self.errors.line("exception", self, (self.ground,)))
        form.addRow(self.tr("Justification"), self.justification)
        form.addRow("", self.errors.line("justification", self, (self.justification,)))
        buttons, self.save_button = accept_cancel(self, self.tr("Enregistrer"),
                                                  "saveExceptionButton")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def value(self) -> tuple[str | None, str]:
        return self.ground.currentData(), self.justification.toPlainText()

    def show_error(self, error: CaleolError) -> None:
        self.errors.show(error)

    def accept(self) -> None:
        if self._submit is not None:
            self.errors.clear()
            if not self._submit(*self.value(), self.show_error):
                return
        super().accept()
