"""The landlord's agencies."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from caleol.services import organisation as org
from caleol.services.organisation.choices import department_choices
from caleol.ui.forms.agency import AgencyForm
from caleol.ui.forms.base import RecordForm
from caleol.ui.models.table import CENTER, Column
from caleol.ui.pages.reference.record_tab import RecordTab
from caleol.ui.pages.reference.table_tab import TabContext, yes

AGENCY_COLUMNS: tuple[Column[org.AgencyRecord], ...] = (
    Column("code", "Code"),
    Column("name", "Agence"),
    Column("department_code", "Département", alignment=CENTER),
    Column("phone", "Téléphone"),
    Column("email", "Courriel"),
    Column("address", "Adresse", value=lambda r: r.address.replace("\n", ", ")),
    Column("active", "Active", formatter=yes, alignment=CENTER),
)


class AgenciesTab(RecordTab):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, AGENCY_COLUMNS, (
            "Les agences du bailleur : leur nom, leur adresse et leur contact figurent sur "
            "les courriers des commissions qui les couvrent. Une agence que des logements ou "
            "des commissions citent se désactive, elle ne se supprime pas."), parent,
            name="agency", new_text="Nouvelle agence…", stretch="address")
        self._departments: tuple[Any, ...] | None = None

    def records(self) -> list[Any]:
        return list(org.list_agencies(self.context.engine))

    def make_form(self, record: Any) -> RecordForm:
        if self._departments is None:  # the territory reference: read once, when needed
            self._departments = department_choices(self.context.engine)
        return AgencyForm(self._departments)

    def save(self, record: Any) -> Any:
        return org.save_agency(self.context.engine, record)

    def set_active(self, record: Any, active: bool) -> Any:
        return org.set_agency_active(self.context.engine, record.id, active)

    def remove(self, record: Any) -> None:
        org.delete_agency(self.context.engine, record.id)

    def title(self, record: Any) -> str:
        return record.name if record else self.tr("Nouvelle agence")

    def describe(self, record: Any) -> str:
        return self.tr("l'agence « {name} »").format(name=record.name)
