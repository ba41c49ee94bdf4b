"""A réservataire: kind (État, Action Logement, collectivité, bailleur, autre), name,
postal address, contact, and the delay it has to propose candidates."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from caleol.services.editing.common import Choice
from caleol.services.organisation import ReservataireRecord, kind_choices
from caleol.ui.forms.base import RecordForm, select_data

DEFAULT_KIND = "action_logement"


class ReservataireForm(RecordForm):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._id = 0
        self.kind_box = self.combo("kind", (Choice(value, label[:1].upper() + label[1:])
                                            for value, label in kind_choices()))
        self.code_edit = self.line("code", self.tr("ex. ALS, ETAT-57, METZ-VILLE"))
        self.name_edit = self.line("name", self.tr("ex. Action Logement Services"))
        self.address_edit = self.address("address",
                                         self.tr("ex. 10 rue Serpenoise\n57000 Metz"))
        self.contact_edit = self.line("contact_name", self.tr("service ou personne à joindre"))
        self.phone_edit = self.line("phone", self.tr("ex. 03 87 12 34 56"))
        self.email_edit = self.line("email", self.tr("ex. attributions@reservataire.fr"))
        self.delay_spin = self.spin("proposal_delay_days", 0, 365, self.tr(" jours"))
        delay = self.with_hint(self.delay_spin, self.tr(
            "pour présenter des candidats à un logement orienté vers lui"))
        self.active_check = self.check("active", self.tr("réservataire en activité"), True)
        self.add_row("kind", self.tr("Type"), self.kind_box)
        self.add_row("code", self.tr("Code"), self.code_edit)
        self.add_row("name", self.tr("Nom"), self.name_edit)
        self.add_row("address", self.tr("Adresse postale"), self.address_edit)
        self.add_row("contact_name", self.tr("Contact"), self.contact_edit)
        self.add_row("phone", self.tr("Téléphone"), self.phone_edit)
        self.add_row("email", self.tr("Courriel"), self.email_edit)
        self.add_row("proposal_delay_days", self.tr("Délai pour proposer"), delay,
                     (self.delay_spin,))
        self.add_row("active", self.tr("Actif"), self.active_check)
        self.set_record(None)

    def record(self) -> ReservataireRecord:
        return ReservataireRecord(
            self.code_edit.text(), self.name_edit.text(), str(self.kind_box.currentData()),
            self.address_edit.toPlainText(), self.contact_edit.text(), self.phone_edit.text(),
            self.email_edit.text(), self.delay_spin.value(), self.active_check.isChecked(),
            self._id)

    def show_record(self, record: ReservataireRecord | None) -> None:
        record = record or ReservataireRecord("", "", DEFAULT_KIND)
        self._id = record.id
        select_data(self.kind_box, record.kind)
        self.code_edit.setText(record.code)
        self.name_edit.setText(record.name)
        self.address_edit.setPlainText(record.address)
        self.contact_edit.setText(record.contact_name)
        self.phone_edit.setText(record.phone)
        self.email_edit.setText(record.email)
        self.delay_spin.setValue(record.proposal_delay_days)
        self.active_check.setChecked(record.active)

    def is_blank(self) -> bool:
        return not any(text.strip() for text in (
            self.code_edit.text(), self.name_edit.text(), self.address_edit.toPlainText(),
            self.contact_edit.text(), self.phone_edit.text(), self.email_edit.text()))
