"""The demande editor's household: one row per member, one row per resource, and each
resource's « Bénéficiaire » (the household as a whole, or one member) kept in step
with the members' rows as they are added, renamed or removed.

The rows are read back as the editing service's `MemberForm` and `ResourceForm`,
checked there by the import's rules.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QTableWidget, QTableWidgetItem, QWidget

from caleol.rules.household import Role
from caleol.services.editing import DemandeChoices, MemberForm, ResourceForm
from caleol.ui.dialogs.dwelling_editor import combo

MEMBER_HEADERS = ("Qualité", "Nom", "Prénoms", "Date de naissance", "Handicap",
                  "Droit de visite")
RESOURCE_HEADERS = ("Nature", "Montant (€/mois)", "Stable", "Bénéficiaire", "Libellé")
HOUSEHOLD = "ménage"


def _check_item(checked: bool) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                  | Qt.ItemFlag.ItemIsSelectable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _checked(table: QTableWidget, row: int, column: int) -> bool:
    item = table.item(row, column)
    return item is not None and item.checkState() == Qt.CheckState.Checked


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


class HouseholdTables(QObject):
    """The members' and the resources' tables (laid out by the editor's tabs)."""

    def __init__(self, choices: DemandeChoices, parent: QWidget) -> None:
        super().__init__(parent)
        self._choices = choices
        self.members_table = QTableWidget(0, len(MEMBER_HEADERS), parent)
        self.members_table.setHorizontalHeaderLabels([self.tr(h) for h in MEMBER_HEADERS])
        self.resources_table = QTableWidget(0, len(RESOURCE_HEADERS), parent)
        self.resources_table.setHorizontalHeaderLabels([self.tr(h) for h in RESOURCE_HEADERS])
        self.members_table.itemChanged.connect(self._member_names_changed)

    # --- members ----------------------------------------------------------------------

    def add_member(self, member: MemberForm) -> None:
        table = self.members_table
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        table.setCellWidget(row, 0, combo(table, self._choices.roles, member.role))
        table.setItem(row, 1, QTableWidgetItem(member.surname))
        table.setItem(row, 2, QTableWidgetItem(member.first_names))
        table.setItem(row, 3, QTableWidgetItem(member.birth_date))
        table.setItem(row, 4, _check_item(member.disabled))
        table.setItem(row, 5, _check_item(member.visiting_rights))
        table.blockSignals(False)
        table.setCurrentCell(row, 1)
        self._refresh_beneficiaries()

    def remove_member(self) -> None:
        row = self.members_table.currentRow()
        if row < 0:
            return
        self.members_table.removeRow(row)
        for resource_row in range(self.resources_table.rowCount()):
            box = self._beneficiary_box(resource_row)
            if box is None:
                continue
            member = box.currentData()
            if member == row:
                box.setCurrentIndex(0)  # the household as a whole
            elif isinstance(member, int) and member > row:
                box.setProperty("member", member - 1)
        self._refresh_beneficiaries()

    def members(self) -> list[MemberForm]:
        table = self.members_table
        members = []
        for row in range(table.rowCount()):
            role = table.cellWidget(row, 0)
            members.append(MemberForm(
                role=role.currentData() if isinstance(role, QComboBox) else Role.CHILD.value,
                surname=_text(table, row, 1), first_names=_text(table, row, 2),
                birth_date=_text(table, row, 3), disabled=_checked(table, row, 4),
                visiting_rights=_checked(table, row, 5)))
        return members

    def _member_names_changed(self, item: QTableWidgetItem) -> None:
        if item.column() in (1, 2):
            self._refresh_beneficiaries()

    def _member_label(self, row: int) -> str:
        first = _text(self.members_table, row, 2).strip()
        return f"{row + 1}. {first}" if first else self.tr("personne {n}").format(n=row + 1)

    # --- resources --------------------------------------------------------------------

    def add_resource(self, resource: ResourceForm) -> None:
        table = self.resources_table
        row = table.rowCount()
        table.insertRow(row)
        table.setCellWidget(row, 0, combo(table, self._choices.kinds, resource.kind))
        table.setItem(row, 1, QTableWidgetItem(resource.amount))
        table.setItem(row, 2, _check_item(resource.stable))
        box = QComboBox(table)
        box.setProperty("member", resource.member)
        table.setCellWidget(row, 3, box)
        table.setItem(row, 4, QTableWidgetItem(resource.label))
        table.setCurrentCell(row, 1)
        self._refresh_beneficiaries()

    def remove_resource(self) -> None:
        row = self.resources_table.currentRow()
        if row >= 0:
            self.resources_table.removeRow(row)

    def resources(self) -> list[ResourceForm]:
        table = self.resources_table
        resources = []
        for row in range(table.rowCount()):
            kind = table.cellWidget(row, 0)
            who = self._beneficiary_box(row)
            resources.append(ResourceForm(
                kind=kind.currentData() if isinstance(kind, QComboBox) else "",
                amount=_text(table, row, 1), stable=_checked(table, row, 2),
                member=who.currentData() if who is not None else None,
                label=_text(table, row, 4)))
        return resources

    def _beneficiary_box(self, row: int) -> QComboBox | None:
        widget = self.resources_table.cellWidget(row, 3)
        return widget if isinstance(widget, QComboBox) else None

    def _refresh_beneficiaries(self) -> None:
        """Keep each resource's « Bénéficiaire » list in step with the household rows."""
        for row in range(self.resources_table.rowCount()):
            box = self._beneficiary_box(row)
            if box is None:
                continue
            moved = box.property("member")
            current = moved if moved is not None else box.currentData()
            box.setProperty("member", None)
            box.blockSignals(True)
            box.clear()
            box.addItem(self.tr(HOUSEHOLD), None)
            for member in range(self.members_table.rowCount()):
                box.addItem(self._member_label(member), member)
            index = box.findData(current) if isinstance(current, int) else 0
            box.setCurrentIndex(max(0, index))
            box.blockSignals(False)
