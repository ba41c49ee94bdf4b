"""The ground for presenting fewer than three candidates, with its justification."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caleol.rules.candidates import CandidateException


class ExceptionDialog(QDialog):
    def __init__(self, reference: str, current: str | None, justification: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exceptionDialog")
        self.setWindowTitle(self.tr("Exception à la règle des trois candidats"))
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
        form = QFormLayout()
        form.addRow(self.tr("Motif"), self.ground)
        form.addRow(self.tr("Justification"), self.justification)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Enregistrer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuler"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def value(self) -> tuple[str | None, str]:
        return self.ground.currentData(), self.justification.toPlainText()
