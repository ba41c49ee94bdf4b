"""The landlord: the form of the setup assistant, saved here at once."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from caleol.errors import CaleolError
from caleol.services import organisation as org
from caleol.ui import messages
from caleol.ui.forms.landlord import LandlordForm
from caleol.ui.pages.reference.table_tab import TabContext

FORM_WIDTH = 760


class LandlordTab(QWidget):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landlordTab")
        self.context = context
        intro = QLabel(self.tr("Le bailleur dont le nom, l'adresse et le logo figurent en tête "
                               "des procès-verbaux, courriers et rapports."), self)
        intro.setWordWrap(True)
        self.form = LandlordForm(self)
        self.form.setMaximumWidth(FORM_WIDTH)
        self.save_button = QPushButton(self.tr("Enregistrer"), self)
        self.save_button.setObjectName("saveLandlordButton")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def reload(self) -> None:
        self.form.set_record(org.get_landlord(self.context.engine))

    def save(self) -> bool:
        """One transaction; refused, every field stays as typed with its message."""
        try:
            saved = org.save_landlord(self.context.engine, self.form.record())
        except CaleolError as exc:
            self.form.show_error(exc)
            return False
        self.form.set_record(saved)
        messages.show_status(self, self.tr("Bailleur enregistré."))
        return True
