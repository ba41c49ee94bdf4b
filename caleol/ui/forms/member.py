"""A member of a commission or a substitute: civility, name, capacity, deliberative or
consultative vote, casting vote, the réservataire represented, the titular replaced."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QRadioButton, QWidget

from caleol.db.models.enums import MemberCapacity
from caleol.services.editing.common import Choice
from caleol.services.organisation import MemberRecord
from caleol.services.organisation.fields import CIVILITIES
from caleol.ui.forms.base import RecordForm, fill_combo, select_data


class MemberForm(RecordForm):
    """Args:
    reservataires: (code, name) of the réservataires a member may represent.
    titulars: (member code or draft reference, name) of the members a substitute may
        replace (`set_titulars` when the commission changes).
    """

    def __init__(self, commission_code: str = "", reservataires: Iterable[Choice] = (),
                 titulars: Iterable[Choice] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._id = 0
        self.commission_code = commission_code
        self.civility_box = self.combo("civility", (Choice(c, c) for c in CIVILITIES),
                                       empty=self.tr("—"))
        self.name_edit = self.line("name", self.tr("ex. Claire Martin, adjointe au maire"))
        self.code_edit = self.line("code", self.tr("facultatif, ex. ADM1 (fait sinon)"))
        self.capacity_box = self.combo("capacity", (
            Choice(c.value, c.label[:1].upper() + c.label[1:]) for c in MemberCapacity))
        self.deliberative_radio = QRadioButton(self.tr("délibérative"), self)
        self.deliberative_radio.setObjectName("field_deliberative")
        self.consultative_radio = QRadioButton(self.tr("consultative"), self)
        self.consultative_radio.setObjectName("consultativeRadio")
        votes = QButtonGroup(self)
        votes.addButton(self.deliberative_radio)
        votes.addButton(self.consultative_radio)
        self.deliberative_radio.clicked.connect(lambda _on: self._typed("deliberative"))
        self.consultative_radio.clicked.connect(lambda _on: self._typed("deliberative"))
        vote_row = QHBoxLayout()
        vote_row.addWidget(self.deliberative_radio)
        vote_row.addWidget(self.consultative_radio)
        vote_row.addStretch(1)
        self.casting_check = self.check("casting_vote", self.tr(
            "voix prépondérante en cas de partage des voix"))
        self.reservataire_box = self.combo("reservataire_code", reservataires,
                                           empty=self.tr("(aucun)"))
        self.titular_box = self.combo("substitute_for", titulars,
                                      empty=self.tr("(membre titulaire)"))
        self.active_check = self.check("active", self.tr("siège actuellement"), True)
        self.add_row("civility", self.tr("Civilité"), self.civility_box)
        self.add_row("name", self.tr("Nom"), self.name_edit)
        self.add_row("code", self.tr("Code"), self.code_edit)
        self.add_row("capacity", self.tr("Qualité"), self.capacity_box)
        self.add_row("deliberative", self.tr("Voix"), vote_row,
                     (self.deliberative_radio, self.consultative_radio))
        self.add_row("casting_vote", self.tr("Partage"), self.casting_check)
        self.add_row("reservataire_code", self.tr("Réservataire représenté"),
                     self.reservataire_box)
        self.add_row("substitute_for", self.tr("Suppléant de"), self.titular_box)
        self.add_row("active", self.tr("Actif"), self.active_check)
        self.capacity_box.activated.connect(self._capacity_chosen)
        self.set_record(None)

    def _capacity_chosen(self) -> None:
        """A réservataire sits with a consultative vote: the likely choice, made for the
        user (the service still checks it)."""
        if self.capacity_box.currentData() == MemberCapacity.RESERVATAIRE.value:
            self.consultative_radio.setChecked(True)
            self.casting_check.setChecked(False)

    def set_reservataires(self, choices: Iterable[Choice]) -> None:
        fill_combo(self.reservataire_box, choices, self.tr("(aucun)"))

    def set_titulars(self, choices: Iterable[Choice]) -> None:
        fill_combo(self.titular_box, choices, self.tr("(membre titulaire)"))

    def record(self) -> MemberRecord:
        return MemberRecord(
            self.commission_code, self.code_edit.text(), self.name_edit.text(),
            str(self.capacity_box.currentData()), str(self.civility_box.currentData() or ""),
            self.deliberative_radio.isChecked(), self.casting_check.isChecked(),
            str(self.reservataire_box.currentData() or ""),
            str(self.titular_box.currentData() or ""), self.active_check.isChecked(),
            self._id)

    def show_record(self, record: MemberRecord | None) -> None:
        record = record or MemberRecord(self.commission_code, "", "",
                                        MemberCapacity.ADMINISTRATEUR.value)
        self._id = record.id
        if record.commission_code:
            self.commission_code = record.commission_code
        select_data(self.civility_box, record.civility)
        self.name_edit.setText(record.name)
        self.code_edit.setText(record.code)
        select_data(self.capacity_box, record.capacity)
        (self.deliberative_radio if record.deliberative
         else self.consultative_radio).setChecked(True)
        self.casting_check.setChecked(record.casting_vote)
        select_data(self.reservataire_box, record.reservataire_code)
        select_data(self.titular_box, record.substitute_for)
        self.active_check.setChecked(record.active)

    def is_blank(self) -> bool:
        return not (self.name_edit.text().strip() or self.code_edit.text().strip())
