"""A commission: code, name, the agencies it covers (one heads its documents), its
EPCI and territory, its quorum, and whether its rules allow remote séances."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from caleol.services.editing.common import Choice
from caleol.services.organisation import AgencyRecord, CommissionRecord
from caleol.ui.forms.base import RecordForm, combo_value, fill_combo, select_data

QUORUMS = (Choice("1/2", "1/2"), Choice("2/3", "2/3"))
CODE_ROLE = Qt.ItemDataRole.UserRole


class CommissionForm(RecordForm):
    """Args:
    agencies: the agencies it may cover.
    epci_choices: the EPCI offered for départements (`organisation.choices.epci_choices`).
    """

    def __init__(self, agencies: Iterable[AgencyRecord] = (),
                 epci_choices: Callable[[Iterable[str]], tuple[Choice, ...]] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._id = 0
        self._agencies: dict[str, AgencyRecord] = {}
        self._epci_choices = epci_choices or (lambda _departments: ())
        self.code_edit = self.line("code", self.tr("ex. CALEOL-METZ (sans espace)"))
        self.name_edit = self.line("name", self.tr("ex. CALEOL de Metz"))
        self.agency_list = QListWidget(self)
        self.agency_list.setObjectName("field_agency_codes")
        self.agency_list.setMaximumHeight(110)
        self.agency_list.itemChanged.connect(self._agencies_changed)
        self.head_box = self.combo("head_agency")
        head = self.with_hint(self.head_box, self.tr(
            "son nom et son adresse figurent en tête des procès-verbaux et courriers"))
        self.epci_box = self.combo("epci_siren", empty=self.tr("(aucun)"))
        self.territory_edit = self.line("territory", self.tr("ex. Metz, Woippy"))
        self.quorum_box = self.combo("quorum", QUORUMS, editable=True)
        self.quorum_box.setMinimumWidth(120)
        quorum = self.with_hint(self.quorum_box, self.tr(
            "part des membres à voix délibérative présents ou représentés pour délibérer"))
        self.remote_check = self.check("remote_sessions_allowed", self.tr(
            "le règlement intérieur prévoit des séances dématérialisées"))
        self.active_check = self.check("active", self.tr("commission en activité"), True)
        self.add_row("code", self.tr("Code"), self.code_edit)
        self.add_row("name", self.tr("Nom"), self.name_edit)
        self.add_row("agency_codes", self.tr("Agences couvertes"), self.agency_list)
        self.add_row("head_agency", self.tr("En tête des documents"), head, (self.head_box,))
        self.add_row("epci_siren", self.tr("EPCI"), self.epci_box)
        self.add_row("territory", self.tr("Territoire"), self.territory_edit)
        self.add_row("quorum", self.tr("Quorum"), quorum, (self.quorum_box,))
        self.add_row("remote_sessions_allowed", self.tr("À distance"), self.remote_check)
        self.add_row("active", self.tr("Active"), self.active_check)
        self.set_agencies(agencies)
        self.set_record(None)

    def set_agencies(self, agencies: Iterable[AgencyRecord]) -> None:
        """The agencies offered; those checked stay checked."""
        checked = self.checked_codes()
        self._agencies = {a.code: a for a in agencies}
        self.agency_list.blockSignals(True)
        self.agency_list.clear()
        for agency in self._agencies.values():
            item = QListWidgetItem(f"{agency.name} ({agency.code})", self.agency_list)
            item.setData(CODE_ROLE, agency.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if agency.code in checked
                               else Qt.CheckState.Unchecked)
        self.agency_list.blockSignals(False)
        self._agencies_changed()

    def checked_codes(self) -> list[str]:
        return [str(self.agency_list.item(i).data(CODE_ROLE))
                for i in range(self.agency_list.count())
                if self.agency_list.item(i).checkState() == Qt.CheckState.Checked]

    def check_agency(self, code: str, checked: bool = True) -> None:
        for i in range(self.agency_list.count()):
            item = self.agency_list.item(i)
            if item.data(CODE_ROLE) == code:
                item.setCheckState(Qt.CheckState.Checked if checked
                                   else Qt.CheckState.Unchecked)

    def _agencies_changed(self, _item: QListWidgetItem | None = None) -> None:
        codes = self.checked_codes()
        fill_combo(self.head_box, (Choice(c, self._agencies[c].name) for c in codes
                                   if c in self._agencies))
        departments = {self._agencies[c].department_code for c in codes if c in self._agencies}
        fill_combo(self.epci_box, self._epci_choices(sorted(departments - {""})),
                   self.tr("(aucun)"))
        if _item is not None:
            self._typed("agency_codes")

    def record(self) -> CommissionRecord:
        codes = self.checked_codes()
        head = str(self.head_box.currentData() or "")
        if head in codes:
            codes = [head, *(c for c in codes if c != head)]
        return CommissionRecord(
            self.code_edit.text(), self.name_edit.text(), tuple(codes),
            str(self.epci_box.currentData() or ""), self.territory_edit.text(),
            combo_value(self.quorum_box), self.remote_check.isChecked(),
            self.active_check.isChecked(), self._id)

    def show_record(self, record: CommissionRecord | None) -> None:
        record = record or CommissionRecord("", "")
        self._id = record.id
        self.code_edit.setText(record.code)
        self.name_edit.setText(record.name)
        self.agency_list.blockSignals(True)
        for i in range(self.agency_list.count()):
            item = self.agency_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(CODE_ROLE)
                               in record.agency_codes else Qt.CheckState.Unchecked)
        self.agency_list.blockSignals(False)
        self._agencies_changed()
        if record.agency_codes:
            select_data(self.head_box, record.agency_codes[0])
        select_data(self.epci_box, record.epci_siren)
        self.territory_edit.setText(record.territory)
        select_data(self.quorum_box, record.quorum)
        self.remote_check.setChecked(record.remote_sessions_allowed)
        self.active_check.setChecked(record.active)

    def is_blank(self) -> bool:
        return not (self.code_edit.text().strip() or self.name_edit.text().strip()
                    or self.territory_edit.text().strip())
