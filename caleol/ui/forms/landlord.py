"""The landlord: name, SIREN, address, contact, and the logo of its letterhead with a
preview of the header the documents print."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol.services.organisation import LandlordRecord
from caleol.ui import file_dialogs
from caleol.ui.forms.base import HINT_STYLE, RecordForm, hint_label

# the documents print the logo 10 mm high (services.documents.layout.LOGO_HEIGHT)
PREVIEW_LOGO_HEIGHT = 40
PREVIEW_WIDTH = 420


class LetterheadPreview(QFrame):
    """The top of a document as caleol prints it: the logo, then the landlord's name in
    bold and the agency's under it, over a thin rule."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterheadPreview")
        self.setFixedWidth(PREVIEW_WIDTH)
        self.setStyleSheet("QFrame#letterheadPreview { background: white; "
                           "border: 1px solid #c8c8c8; }")
        self.logo = QLabel(self)
        self.logo.setObjectName("previewLogo")
        self.logo.setFixedHeight(PREVIEW_LOGO_HEIGHT)
        self.name = QLabel(self)
        self.name.setObjectName("previewName")
        self.name.setStyleSheet("color: #1f4e79; font-weight: bold; background: white;")
        self.agency = QLabel(self.tr("Agence de …"), self)
        self.agency.setStyleSheet("color: #333; font-size: 8pt; background: white;")
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self.name)
        texts.addWidget(self.agency)
        top = QHBoxLayout()
        top.addWidget(self.logo)
        top.addLayout(texts, 1)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: #9e9e9e;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(top)
        layout.addWidget(rule)

    def show_letterhead(self, name: str, logo: bytes | None) -> None:
        self.name.setText(name or self.tr("Nom du bailleur"))
        pixmap = QPixmap()
        if logo and pixmap.loadFromData(logo) and not pixmap.isNull():
            self.logo.setPixmap(pixmap.scaledToHeight(
                PREVIEW_LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation))
            self.logo.show()
        else:
            self.logo.clear()
            self.logo.hide()


class LandlordForm(RecordForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._id = 0
        self._logo: bytes | None = None
        self.name_edit = self.line("name", self.tr("ex. Habitat Lorrain"))
        self.siren_edit = self.line("siren", self.tr("9 chiffres, ex. 732 829 320"))
        self.address_edit = self.address("address", self.tr("ex. 3 rue des Clercs\n57000 Metz"))
        self.phone_edit = self.line("phone", self.tr("ex. 03 87 12 34 56"))
        self.email_edit = self.line("email", self.tr("ex. contact@bailleur.fr"))
        self.logo_button = QPushButton(self.tr("Choisir une image…"), self)
        self.logo_button.setObjectName("chooseLogoButton")
        self.logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton(self.tr("Retirer"), self)
        self.remove_logo_button.setObjectName("removeLogoButton")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        self.logo_file = QLabel(self)
        self.logo_file.setObjectName("logoFile")
        self.logo_file.setStyleSheet(HINT_STYLE)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.remove_logo_button)
        logo_row.addWidget(self.logo_file, 1)
        self.preview = LetterheadPreview(self)
        logo_box = QVBoxLayout()
        logo_box.addLayout(logo_row)
        logo_box.addWidget(self.preview)
        logo_box.addWidget(hint_label(self.tr(
            "PNG ou JPEG, 512 Ko au plus ; imprimé à 1 cm de haut en tête des "
            "procès-verbaux, courriers et rapports (aperçu ci-dessus)."), self))
        self.add_row("name", self.tr("Nom du bailleur"), self.name_edit)
        self.add_row("siren", self.tr("SIREN"), self.siren_edit)
        self.add_row("address", self.tr("Adresse du siège"), self.address_edit)
        self.add_row("phone", self.tr("Téléphone"), self.phone_edit)
        self.add_row("email", self.tr("Courriel"), self.email_edit)
        self.add_row("logo", self.tr("Logo"), logo_box, (self.logo_file,))
        self.name_edit.textEdited.connect(lambda _t: self._update_preview())
        self.set_record(None)

    def choose_logo(self) -> None:
        path = self.ask_logo_path()
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.show_error({"logo": self.tr("Lecture impossible de {path} ({why}).").format(
                path=path, why=exc.strerror or exc)})
            return
        self.set_logo(data, path.name)
        self._typed("logo")

    def ask_logo_path(self) -> Path | None:
        """The image file (tests replace this method)."""
        return file_dialogs.open_file(self, "logo", self.tr("Logo du bailleur"),
                                      self.tr("Images (*.png *.jpg *.jpeg)"))

    def remove_logo(self) -> None:
        self.set_logo(None)
        self._typed("logo")

    def set_logo(self, data: bytes | None, file_name: str = "") -> None:
        self._logo = data
        self.logo_file.setText(file_name if data and file_name else
                               self.tr("logo enregistré") if data else self.tr("aucun logo"))
        self.remove_logo_button.setEnabled(data is not None)
        self._update_preview()

    def _update_preview(self) -> None:
        self.preview.show_letterhead(" ".join(self.name_edit.text().split()), self._logo)

    def record(self) -> LandlordRecord:
        return LandlordRecord(self.name_edit.text(), self.siren_edit.text(),
                              self.address_edit.toPlainText(), self.phone_edit.text(),
                              self.email_edit.text(), self._logo, self._id)

    def show_record(self, record: LandlordRecord | None) -> None:
        record = record or LandlordRecord("")
        self._id = record.id
        self.name_edit.setText(record.name)
        self.siren_edit.setText(record.siren)
        self.address_edit.setPlainText(record.address)
        self.phone_edit.setText(record.phone)
        self.email_edit.setText(record.email)
        self.set_logo(record.logo)

    def is_blank(self) -> bool:
        return not (self.name_edit.text().strip() or self.siren_edit.text().strip()
                    or self.address_edit.toPlainText().strip() or self._logo)
