"""The commissions and, under them, the members of the one selected (and their
substitutes)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from caleol.services import organisation as org
from caleol.services.editing.common import Choice
from caleol.services.organisation.choices import epci_choices
from caleol.ui.forms.base import RecordForm
from caleol.ui.forms.commission import CommissionForm
from caleol.ui.forms.member import MemberForm
from caleol.ui.models.table import CENTER, Column, number_column
from caleol.ui.pages.reference.record_tab import RecordTab
from caleol.ui.pages.reference.table_tab import TabContext, fit_columns, yes

COMMISSIONS_HEIGHT = 170


class MembersPanel(RecordTab):
    """The members of `commission` (set by the commissions tab)."""

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        names: dict[str, str] = {}  # member code → name, for « Suppléant de »
        columns: tuple[Column[org.MemberRecord], ...] = (
            Column("name", "Membre", value=lambda r: r.display_name),
            Column("code", "Code"),
            Column("capacity", "Qualité", value=lambda r: r.capacity_label),
            Column("deliberative", "Voix", value=lambda r: "délibérative" if r.deliberative
                   else "consultative"),
            Column("casting_vote", "Prépondérante", formatter=yes, alignment=CENTER),
            Column("reservataire_code", "Réservataire"),
            Column("substitute_for", "Suppléant de",
                   value=lambda r: names.get(r.substitute_for, r.substitute_for)),
            Column("active", "Actif", formatter=yes, alignment=CENTER),
        )
        super().__init__(context, columns, (
            "Membres de la commission choisie ci-dessus. Un membre qui a siégé garde le nom, "
            "la qualité et les voix que les procès-verbaux citent : pour le remplacer, "
            "ajoutez-en un nouveau et désactivez-le."), parent, name="member",
            new_text="Nouveau membre…", stretch="name")
        self._names = names
        self.commission: org.CommissionRecord | None = None
        self.substitute_button = self.add_button(self.tr("Nouveau suppléant…"),
                                                 "new_substitute", self.add_substitute)
        self.buttons.insertWidget(1, self.substitute_button)

    def records(self) -> list[Any]:
        if self.commission is None:
            return []
        members = list(org.list_members(self.context.engine, self.commission.code))
        self._names.clear()
        self._names.update((m.code, m.display_name) for m in members)
        return members

    def make_form(self, record: Any) -> RecordForm:
        assert self.commission is not None
        members = self.records()
        own = record.code if record is not None else ""
        return MemberForm(
            self.commission.code,
            [Choice(r.code, r.name) for r in org.list_reservataires(self.context.engine)],
            [Choice(m.code, m.display_name) for m in members
             if not m.substitute_for and m.code != own])

    def edit(self, current: Any) -> None:
        if self.commission is not None:
            super().edit(current)

    def add_substitute(self) -> None:
        """A new member replacing the one selected."""
        titular = self.selected()
        if self.commission is None or titular is None:
            return
        form = self.make_form(None)
        assert isinstance(form, MemberForm)
        form.set_record(org.MemberRecord(self.commission.code, "", "", titular.capacity,
                                         deliberative=titular.deliberative,
                                         reservataire_code=titular.reservataire_code,
                                         substitute_for=titular.code))
        self._run(form, self.tr("Suppléant de {name}").format(name=titular.display_name))

    def _run(self, form: RecordForm, title: str) -> None:
        from caleol.ui.forms.base import FormDialog

        dialog = FormDialog(title, form, self.save, self)
        if self.context.run_dialog(dialog):
            self.show_error(None)
            self._keep(dialog.saved)

    def save(self, record: Any) -> Any:
        return org.save_member(self.context.engine, record)

    def set_active(self, record: Any, active: bool) -> Any:
        return org.set_member_active(self.context.engine, record.id, active)

    def remove(self, record: Any) -> None:
        org.delete_member(self.context.engine, record.id)

    def title(self, record: Any) -> str:
        if record is not None:
            return record.display_name
        name = self.commission.name if self.commission else ""
        return self.tr("Nouveau membre — {name}").format(name=name)

    def describe(self, record: Any) -> str:
        return record.display_name


class CommissionsTab(RecordTab):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        counts: dict[str, int] = {}  # commission code → members
        columns: tuple[Column[org.CommissionRecord], ...] = (
            Column("code", "Code"),
            Column("name", "Commission"),
            Column("agency_codes", "Agences", value=lambda r: ", ".join(r.agency_codes)),
            Column("quorum", "Quorum", alignment=CENTER),
            number_column("members", "Membres", value=lambda r: counts.get(r.code, 0)),
            Column("remote_sessions_allowed", "À distance", formatter=yes, alignment=CENTER),
            Column("territory", "Territoire"),
            Column("active", "Active", formatter=yes, alignment=CENTER),
        )
        super().__init__(context, columns, (
            "Les commissions d'attribution, les agences qu'elles couvrent (la première en "
            "tête des documents) et leur quorum ; leurs membres en dessous. Une commission "
            "qui a tenu une séance se désactive, elle ne se supprime pas."), parent,
            name="commission", new_text="Nouvelle commission…", stretch="territory")
        self._counts = counts
        self.table.setMaximumHeight(COMMISSIONS_HEIGHT)
        self.members = MembersPanel(context, self)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.members, 2)
        self.table.selectionModel().selectionChanged.connect(self._show_members)

    def records(self) -> list[Any]:
        commissions = list(org.list_commissions(self.context.engine))
        self._counts.clear()
        self._counts.update((c.code, len(org.list_members(self.context.engine, c.code)))
                            for c in commissions)
        return commissions

    def reload(self) -> None:
        code = self.selected().code if self.selected() is not None else None
        super().reload()
        if self.model.rowCount():
            if code is not None:
                self.select_where(lambda r: r.code == code)
            if self.selected() is None:
                self.table.selectRow(0)
        self._show_members()

    def _show_members(self) -> None:
        self.members.commission = self.selected()
        self.members.reload()
        fit_columns(self.members.table)

    def make_form(self, record: Any) -> RecordForm:
        engine = self.context.engine
        return CommissionForm(org.list_agencies(engine),
                              lambda departments: epci_choices(engine, departments))

    def save(self, record: Any) -> Any:
        return org.save_commission(self.context.engine, record)

    def set_active(self, record: Any, active: bool) -> Any:
        return org.set_commission_active(self.context.engine, record.id, active)

    def remove(self, record: Any) -> None:
        org.delete_commission(self.context.engine, record.id)

    def title(self, record: Any) -> str:
        return record.name if record else self.tr("Nouvelle commission")

    def describe(self, record: Any) -> str:
        return self.tr("la commission « {name} »").format(name=record.name)
