"""The réservataires: who holds reservation rights, and their delay to propose."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from caleol.services import organisation as org
from caleol.ui.forms.base import RecordForm
from caleol.ui.forms.reservataire import ReservataireForm
from caleol.ui.models.table import CENTER, Column, number_column
from caleol.ui.pages.reference.record_tab import RecordTab
from caleol.ui.pages.reference.table_tab import TabContext, yes

RESERVATAIRE_COLUMNS: tuple[Column[org.ReservataireRecord], ...] = (
    Column("code", "Code"),
    Column("name", "Réservataire"),
    Column("kind", "Type", value=lambda r: r.kind_label),
    Column("contact_name", "Contact"),
    Column("phone", "Téléphone"),
    number_column("proposal_delay_days", "Délai (jours)"),
    Column("active", "Actif", formatter=yes, alignment=CENTER),
)


class ReservatairesTab(RecordTab):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, RESERVATAIRE_COLUMNS, (
            "Les réservataires (gestion en flux) : l'État, Action Logement Services, les "
            "collectivités… Un réservataire qu'un logement, une candidature ou un membre "
            "cite se désactive, il ne se supprime pas."), parent,
            name="reservataire", new_text="Nouveau réservataire…", stretch="name")

    def records(self) -> list[Any]:
        return list(org.list_reservataires(self.context.engine))

    def make_form(self, record: Any) -> RecordForm:
        return ReservataireForm()

    def save(self, record: Any) -> Any:
        return org.save_reservataire(self.context.engine, record)

    def set_active(self, record: Any, active: bool) -> Any:
        return org.set_reservataire_active(self.context.engine, record.id, active)

    def remove(self, record: Any) -> None:
        org.delete_reservataire(self.context.engine, record.id)

    def title(self, record: Any) -> str:
        return record.name if record else self.tr("Nouveau réservataire")

    def describe(self, record: Any) -> str:
        return self.tr("le réservataire « {name} »").format(name=record.name)
