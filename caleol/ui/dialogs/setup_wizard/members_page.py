"""The members of each commission: titular members and their substitutes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from caleol.services.editing.common import Choice
from caleol.services.organisation import MemberRecord
from caleol.services.organisation.draft import (
    AGENCY,
    COMMISSION,
    MEMBER,
    DraftError,
    OrganisationDraft,
    draft_member_ref,
)
from caleol.ui.dialogs.setup_wizard.list_pages import RecordListPage
from caleol.ui.forms.member import MemberForm

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard


def describe_member(member: MemberRecord, titular: MemberRecord | None = None) -> str:
    """« Mme Anne Petit — administrateur désigné par le conseil, suppléante de Mme Claire
    Martin »: whom a substitute replaces and which réservataire a member represents."""
    capacity = member.capacity_label
    if member.reservataire_code:
        capacity += f" ({member.reservataire_code})"
    parts = [capacity]
    if not member.deliberative:
        parts.append("voix consultative")
    if member.casting_vote:
        parts.append("voix prépondérante")
    if member.substitute_for:
        role = "suppléante" if member.civility == "Mme" else "suppléant"
        parts.append(f"{role} de {titular.display_name}" if titular is not None else role)
    return f"{member.display_name} — {', '.join(parts)}"


class MembersPage(RecordListPage):
    section = MEMBER
    required = (AGENCY, COMMISSION, MEMBER)

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Les membres des commissions", (
            "Pour chaque commission : les membres à voix délibérative (administrateurs, "
            "représentant des locataires, maire, préfet, président de l'EPCI), les "
            "réservataires à voix consultative, et les suppléants de chacun."),
            MemberForm(), heading="Membres de la commission :",
            empty="Aucun membre encore.")
        self.setObjectName("membersPage")
        self.commission_box = QComboBox(self)
        self.commission_box.setObjectName("memberCommissionBox")
        self.commission_box.activated.connect(self._commission_chosen)
        self._shown = ""  # the code of the commission shown
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Commission :"), self))
        self.commission_box.setMinimumWidth(360)
        row.addWidget(self.commission_box)
        row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)  # RecordListPage's column
        layout.insertLayout(1, row)

    @property
    def member_form(self) -> MemberForm:
        assert isinstance(self.form, MemberForm)
        return self.form

    def positions(self) -> list[int]:
        """The draft's indexes of the members of the commission shown."""
        return [i for i, _m in self.setup.draft.members_of(self._shown)]

    def records(self) -> tuple[Any, ...]:
        return tuple(m for _i, m in self.setup.draft.members_of(self._shown))

    def section_index(self, local: int | None) -> int:
        return self.positions()[local] if local is not None else len(self.setup.draft.members)

    def local_index(self, index: int) -> int | None:
        if not 0 <= index < len(self.setup.draft.members):
            return None
        code = self.setup.draft.members[index].commission_code
        if code != self._shown:
            self.show_commission(code)
        positions = self.positions()
        return positions.index(index) if index in positions else None

    def put(self, draft: OrganisationDraft, index: int | None, record: Any
            ) -> OrganisationDraft:
        record = replace(record, commission_code=self._shown)
        return draft.with_member(self.positions()[index] if index is not None else None,
                                 record)

    def drop(self, draft: OrganisationDraft, index: int) -> OrganisationDraft:
        return draft.without_member(self.positions()[index])

    def describe(self, record: Any) -> str:
        return describe_member(record, self.setup.draft.titular_of(record))

    def new_title(self) -> str:
        return self.tr("Nouveau membre")

    # --- the commission shown ------------------------------------------------------------

    def prepare_form(self) -> None:
        commissions = self.setup.draft.commissions
        self.commission_box.clear()
        for commission in commissions:
            self.commission_box.addItem(commission.name, commission.code)
        codes = [c.code for c in commissions]
        if self._shown not in codes:
            self._shown = codes[0] if codes else ""
            self.editing = None
        self.commission_box.setCurrentIndex(max(0, self.commission_box.findData(self._shown)))
        self.member_form.commission_code = self._shown
        self.member_form.set_reservataires(
            Choice(r.code, r.name) for r in self.setup.draft.reservataires)
        self._offer_titulars()

    def _offer_titulars(self) -> None:
        editing = self.section_index(self.editing) if self.editing is not None else -1
        self.member_form.set_titulars(
            Choice(draft_member_ref(i), m.display_name)
            for i, m in self.setup.draft.members_of(self._shown)
            if not m.substitute_for and i != editing)

    def refresh_list(self) -> None:
        super().refresh_list()
        self._offer_titulars()

    def edit_record(self, index: int) -> None:
        self.editing = index
        self._offer_titulars()
        super().edit_record(index)

    def show_commission(self, code: str) -> None:
        self._shown = code
        self.commission_box.setCurrentIndex(max(0, self.commission_box.findData(code)))
        self.member_form.commission_code = code
        self.editing = None
        self.refresh_list()
        self.new_record()

    def _commission_chosen(self, index: int) -> None:
        code = str(self.commission_box.itemData(index) or "")
        if code == self._shown:
            return
        if self.dirty and not self.form.is_blank() and not self.commit_form():
            self.commission_box.setCurrentIndex(self.commission_box.findData(self._shown))
            return
        self.show_commission(code)

    def show_refusal(self, exc: DraftError) -> None:
        if exc.section == MEMBER and exc.index < 0 and exc.subject:
            self.show_commission(exc.subject)
            self.show_page_error(exc)
            return
        super().show_refusal(exc)
