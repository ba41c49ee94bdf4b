"""An agency: code, name, address, département, phone and e-mail."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QWidget

from caleol.services.editing.common import Choice
from caleol.services.organisation import AgencyRecord
from caleol.ui.forms.base import RecordForm, fill_combo, select_data


class AgencyForm(RecordForm):
    """Args:
    departments: the départements offered (`organisation.choices.department_choices`).
    """

    def __init__(self, departments: Iterable[Choice] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._id = 0
        self.code_edit = self.line("code", self.tr("ex. METZ (sans espace)"))
        self.name_edit = self.line("name", self.tr("ex. Agence de Metz"))
        self.address_edit = self.address("address", self.tr("ex. 1 rue de la Gare\n57000 Metz"))
        self.department_box = self.combo("department_code", departments,
                                         empty=self.tr("(non précisé)"))
        self.phone_edit = self.line("phone", self.tr("ex. 03 87 12 34 56"))
        self.email_edit = self.line("email", self.tr("ex. agence.metz@bailleur.fr"))
        self.active_check = self.check("active", self.tr("agence en activité"), True)
        self.add_row("code", self.tr("Code"), self.code_edit)
        self.add_row("name", self.tr("Nom"), self.name_edit)
        self.add_row("address", self.tr("Adresse"), self.address_edit)
        self.add_row("department_code", self.tr("Département"), self.department_box)
        self.add_row("phone", self.tr("Téléphone"), self.phone_edit)
        self.add_row("email", self.tr("Courriel"), self.email_edit)
        self.add_row("active", self.tr("Active"), self.active_check)
        self.set_record(None)

    def set_departments(self, departments: Iterable[Choice]) -> None:
        fill_combo(self.department_box, departments, self.tr("(non précisé)"))

    def record(self) -> AgencyRecord:
        return AgencyRecord(self.code_edit.text(), self.name_edit.text(),
                            self.address_edit.toPlainText(),
                            str(self.department_box.currentData() or ""),
                            self.phone_edit.text(), self.email_edit.text(),
                            self.active_check.isChecked(), self._id)

    def show_record(self, record: AgencyRecord | None) -> None:
        record = record or AgencyRecord("", "")
        self._id = record.id
        self.code_edit.setText(record.code)
        self.name_edit.setText(record.name)
        self.address_edit.setPlainText(record.address)
        select_data(self.department_box, record.department_code)
        self.phone_edit.setText(record.phone)
        self.email_edit.setText(record.email)
        self.active_check.setChecked(record.active)

    def is_blank(self) -> bool:
        return not any(text.strip() for text in (
            self.code_edit.text(), self.name_edit.text(), self.address_edit.toPlainText(),
            self.phone_edit.text(), self.email_edit.text()))
