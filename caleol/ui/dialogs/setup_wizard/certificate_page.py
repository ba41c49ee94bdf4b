"""The certificate the procès-verbaux are signed with: tried on the spot, optional."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout

from caleol.ui.dialogs.setup_wizard.common import SetupPage, hint
from caleol.ui.forms.certificate import CertificateForm

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard


class CertificatePage(SetupPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Le certificat de signature", (
            "Le fichier PKCS#12 (.p12 ou .pfx) dont caleol signe les procès-verbaux : "
            "le cachet électronique de l'organisme, ou le certificat personnel du "
            "président ou de la secrétaire."))
        self.setObjectName("certificatePage")
        self.form = CertificateForm(self)
        self.form.set_record(wizard.settings.signing_certificate)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page_error)
        layout.addWidget(self.form)
        layout.addWidget(hint(self.tr(
            "La phrase secrète sert seulement à essayer le certificat maintenant : elle "
            "n'est jamais enregistrée et sera demandée à chaque signature. Seul "
            "l'emplacement du fichier est noté dans vos paramètres (Paramètres › Signature "
            "des procès-verbaux).\n\nVous n'avez pas encore de certificat ? Laissez ces "
            "champs vides : vous l'indiquerez dans Paramètres avant de signer un premier "
            "procès-verbal."), self))
        layout.addStretch(1)

    def validatePage(self) -> bool:
        """A file given must open with its passphrase (none given: moves on)."""
        if self.form.is_blank() or self.form.tested is not None:
            return True
        return self.form.test()
