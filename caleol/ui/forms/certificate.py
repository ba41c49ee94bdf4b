"""The signing certificate: a PKCS#12 file whose passphrase is tried on the spot.

Only the file's path is kept (in the user's settings, as Paramètres does); the
passphrase is asked again at each signature and never stored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.services.certificates import Certificate, load_certificate
from caleol.ui import file_dialogs
from caleol.ui.forms.base import RecordForm
from caleol.ui.pages.settings_form import check_certificate

OK_STYLE = "color: #2e7d32;"


class CertificateForm(RecordForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tested: Certificate | None = None
        self._tested_path = ""
        self.path_edit = self.line("path", self.tr("fichier .p12 ou .pfx"))
        browse = QPushButton(self.tr("Parcourir…"), self)
        browse.setObjectName("browseCertificateButton")
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.passphrase_edit = self.line("passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.test_button = QPushButton(self.tr("Essayer le certificat"), self)
        self.test_button.setObjectName("testCertificateButton")
        self.test_button.clicked.connect(self.test)
        pass_row = QHBoxLayout()
        pass_row.addWidget(self.passphrase_edit, 1)
        pass_row.addWidget(self.test_button)
        self.result = QLabel(self)
        self.result.setObjectName("certificateResult")
        self.result.setWordWrap(True)
        self.result.setStyleSheet(OK_STYLE)
        self.result.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.hide()
        self.add_row("path", self.tr("Certificat"), path_row, (self.path_edit,))
        self.add_row("passphrase", self.tr("Phrase secrète"), pass_row, (self.passphrase_edit,))
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(2, self.result)  # under the form, its whole width
        self.edited.connect(self._forget_test)

    def browse(self) -> None:
        path = self.ask_certificate_path()
        if path is not None:
            self.path_edit.setText(str(path))
            self._typed("path")

    def ask_certificate_path(self) -> Path | None:
        """The PKCS#12 file (tests replace this method)."""
        return file_dialogs.open_file(self, "certificate", self.tr("Certificat de signature"),
                                      self.tr("Certificats PKCS#12 (*.p12 *.pfx)"))

    def _forget_test(self) -> None:
        if self.path_edit.text().strip() != self._tested_path:
            self.tested = None
            self.result.hide()

    def path(self) -> str:
        return self.path_edit.text().strip()

    def test(self) -> bool:
        """Open the file with the passphrase typed: says whose certificate it is, or
        why it cannot be opened (beside the field at fault)."""
        self.result.hide()
        self.tested = None
        path = self.path()
        problem = check_certificate(path) if path else self.tr(
            "Choisissez le fichier du certificat (.p12 ou .pfx).")
        if problem:
            self.show_error({"path": problem})
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            certificate = load_certificate(Path(path).expanduser(),
                                           self.passphrase_edit.text().encode("utf-8"))
        except CaleolError as exc:
            self.show_error({"passphrase": exc.message})
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.clear_errors()
        self.tested = certificate
        self._tested_path = path
        self.result.setText(describe(certificate))
        self.result.show()
        return True

    def record(self) -> str:
        return self.path()

    def show_record(self, record: str | None) -> None:
        self.path_edit.setText(record or "")
        self.passphrase_edit.clear()
        self.tested = None
        self.result.hide()

    def is_blank(self) -> bool:
        return not self.path()


def describe(certificate: Certificate) -> str:
    """« Certificat ouvert : cachet électronique de … » in French."""
    if certificate.person:
        who = f"certificat personnel de {certificate.person}"
        if certificate.organisation:
            who += f" ({certificate.organisation})"
    else:
        who = f"cachet électronique de l'organisme « {certificate.organisation} »"
    return f"Certificat ouvert : {who}, délivré par {certificate.issuer}."
