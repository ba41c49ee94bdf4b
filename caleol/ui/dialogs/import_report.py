"""The report of a refused CSV import: every bad row, copyable, nothing imported."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol.services.imports import ImportReport

NOTHING_IMPORTED = ("Le fichier n'a pas été importé : aucune ligne n'a été enregistrée. "
                    "Corrigez les lignes ci-dessous puis relancez l'import.")


class ImportReportDialog(QDialog):
    """Shows `ImportReport.text()` read-only so the secretary can copy it to fix the file."""

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importReportDialog")
        self.setWindowTitle("Import refusé")
        self.report = report
        layout = QVBoxLayout(self)
        self.headline = QLabel(f"<b>{report.summary()}</b><br>{NOTHING_IMPORTED}", self)
        self.headline.setObjectName("importReportHeadline")
        self.headline.setWordWrap(True)
        layout.addWidget(self.headline)
        self.report_view = QPlainTextEdit(report.text(), self)
        self.report_view.setObjectName("importReportView")
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.report_view)
        buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton("Copier le rapport", self)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText("Fermer")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 460)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.text())
        self.copy_button.setText("Rapport copié")
