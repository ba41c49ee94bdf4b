"""Signing the PV: which signatures, the PKCS#12 certificate and its passphrase.

The passphrase is asked in a separate password field (never stored); the
certificate path defaults to the one declared in Paramètres. `ask_certificate_path`
and `ask_passphrase` are the two seams a test patches.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.services.certificates import load_certificate
from caleol.ui import file_dialogs
from caleol.ui.dialogs.buttons import accept_cancel

PRESIDENT = "Président"
SECRETARY = "Secrétaire"


@dataclass(frozen=True)
class SignRequest:
    p12_path: Path
    passphrase: bytes = field(repr=False)
    fields: tuple[str, ...]


def ask_certificate_path(parent: QWidget | None, start: str = "") -> str:
    """The certificate file (opens where certificates were last chosen)."""
    chosen = file_dialogs.open_file(
        parent, "certificate", "Certificat de signature (PKCS#12)",
        "Certificats PKCS#12 (*.p12 *.pfx);;Tous les fichiers (*)")
    return str(chosen) if chosen else ""


def demo_passphrase_of(certificate: str) -> str:
    """The demo certificate's passphrase, "" for any other certificate.

    The demo's is drawn at random and written beside it: a new user trying the demo
    could not sign without searching their profile for it. It signs only while the
    demo is open (`services.demo.demo_settings`), so offering it gives nothing away.
    """
    from caleol.services.demo import demo_certificate_path, demo_passphrase

    demo = demo_certificate_path()
    try:
        if not certificate or Path(certificate).resolve() != demo.resolve():
            return ""
        return demo_passphrase(demo).decode("utf-8")
    except OSError:
        return ""


def ask_passphrase(parent: QWidget | None, certificate: str) -> str | None:
    demo = demo_passphrase_of(certificate)
    hint = "\n(certificat de démonstration : sa phrase secrète est déjà saisie)" if demo else ""
    text, ok = QInputDialog.getText(
        parent, "Phrase secrète",
        f"Phrase secrète du certificat\n{Path(certificate).name} :{hint}",
        QLineEdit.EchoMode.Password, demo)
    return text if ok else None


class SignDialog(QDialog):
    """Choose the signatures and the certificate; the passphrase comes at « Signer »."""

    def __init__(self, president: str, secretary: str, certificate: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signDialog")
        self.setWindowTitle(self.tr("Signer le procès-verbal"))
        self.request: SignRequest | None = None
        intro = QLabel(self.tr(
            "Le procès-verbal est signé électroniquement (PAdES) avec le certificat de "
            "l'organisme, puis conservé tel quel dans la base avec son empreinte SHA-256. "
            "Il ne pourra plus être modifié."), self)
        intro.setWordWrap(True)
        self.president = QCheckBox(self.tr("Président(e) de séance : {n}").format(
            n=president or "—"), self)
        self.president.setObjectName("signPresident")
        self.president.setChecked(True)
        self.secretary = QCheckBox(self.tr("Secrétaire de séance : {n}").format(
            n=secretary or "—"), self)
        self.secretary.setObjectName("signSecretary")
        self.secretary.setChecked(True)
        self.certificate = QLineEdit(certificate, self)
        self.certificate.setObjectName("certificatePath")
        browse = QPushButton(self.tr("Parcourir…"), self)
        browse.setObjectName("browseCertificate")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.certificate, 1)
        row.addWidget(browse)
        self.error = QLabel(self)
        self.error.setObjectName("signError")
        self.error.setStyleSheet("color:#c62828;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Signatures"), self.president)
        form.addRow("", self.secretary)
        form.addRow(self.tr("Certificat"), row)
        buttons, self.sign_button = accept_cancel(self, self.tr("Signer"), "confirmSignButton")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 260)

    def _browse(self) -> None:
        path = ask_certificate_path(self, self.certificate.text())
        if path:
            self.certificate.setText(path)

    def accept(self) -> None:
        fields = tuple(name for name, box in ((PRESIDENT, self.president),
                                              (SECRETARY, self.secretary)) if box.isChecked())
        if not fields:
            self.error.setText(self.tr("Cochez au moins une signature."))
            return
        path = self.certificate.text().strip()
        if not path:
            path = ask_certificate_path(self)
            self.certificate.setText(path)
        if not path or not Path(path).is_file():
            self.error.setText(self.tr("Choisissez le fichier du certificat (.p12)."))
            return
        passphrase = ask_passphrase(self, path)
        if passphrase is None:
            return
        # opened here, so a mistyped passphrase is said in this dialog, which stays open
        # with the boxes and the file chosen (it closed, and « Signer le PV… » started
        # over from the defaults)
        try:
            load_certificate(Path(path), passphrase.encode("utf-8"))
        except CaleolError as exc:
            self.error.setText(exc.message)
            return
        self.request = SignRequest(Path(path), passphrase.encode("utf-8"), fields)
        super().accept()
