"""Référentiels › the organisation, from an empty database: each record created, edited
and deactivated with the setup assistant's forms; what a séance refers to is never
deleted (the service refuses, its French reason on the tab)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QPushButton
from sqlalchemy import Engine
from ui.dialogs.wizard_steps import choose, type_in

from caleol.services import organisation as org
from caleol.services import sessions
from caleol.ui.forms.agency import AgencyForm
from caleol.ui.forms.base import FormDialog
from caleol.ui.forms.commission import CommissionForm
from caleol.ui.forms.member import MemberForm
from caleol.ui.forms.reservataire import ReservataireForm
from caleol.ui.pages.reference import ReferencePage
from caleol.ui.pages.reference.record_tab import RecordTab

Fill = Callable[[FormDialog], None]


@pytest.fixture
def page(qtbot, sqlite_engine: Engine) -> ReferencePage:
    page = ReferencePage(sqlite_engine, today=date(2026, 11, 23))
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.reloaded):
        page.show()
        page.activated()
    return page


def answer(page: ReferencePage, monkeypatch: pytest.MonkeyPatch, *fills: Fill
           ) -> list[FormDialog]:
    """The next dialog: each fill, then « Enregistrer », until one is accepted."""
    seen: list[FormDialog] = []

    def run(dialog: QDialog) -> bool:
        assert isinstance(dialog, FormDialog)
        seen.append(dialog)
        dialog.show()  # as exec() would (typed keys reach a shown dialog's fields)
        for fill in fills:
            fill(dialog)
            dialog.save_button.click()
            if dialog.result() == QDialog.DialogCode.Accepted:
                return True
        return False

    monkeypatch.setattr(page, "run_dialog", run)
    return seen


def click(tab: RecordTab, name: str) -> None:
    button = tab.findChild(QPushButton, name)
    assert button is not None, name
    button.click()


def select(tab: RecordTab, code: str) -> None:
    tab.select_where(lambda r: getattr(r, "code", None) == code)
    assert tab.selected().code == code


def test_landlord_refused_then_saved(qtbot, page: ReferencePage, sqlite_engine: Engine) -> None:
    form = page.landlord.form
    assert form.is_blank()  # an empty database: no landlord yet
    type_in(qtbot, form.name_edit, "Habitat Lorrain")
    type_in(qtbot, form.siren_edit, "12345")
    page.landlord.save_button.click()
    assert form.visible_errors() == {"siren": "SIREN « 12345 » invalide : il comporte 9 "
                                              "chiffres."}
    assert form.name_edit.text() == "Habitat Lorrain"
    assert org.get_landlord(sqlite_engine) is None
    type_in(qtbot, form.siren_edit, "732 829 320")
    page.landlord.save_button.click()
    assert form.visible_errors() == {}
    assert org.get_landlord(sqlite_engine).siren == "732829320"  # type: ignore[union-attr]
    assert form.siren_edit.text() == "732829320"  # shown as stored


def add_agency(page: ReferencePage, monkeypatch, qtbot, code: str, name: str) -> None:
    def fill(dialog: FormDialog) -> None:
        form = dialog.form
        assert isinstance(form, AgencyForm)
        type_in(qtbot, form.code_edit, code)
        type_in(qtbot, form.name_edit, name)
        choose(form.department_box, "57")

    answer(page, monkeypatch, fill)
    click(page.agencies, "new_agency")


def test_agencies_created_edited_deactivated_and_deleted_unless_referred_to(
        qtbot, page: ReferencePage, sqlite_engine: Engine, monkeypatch) -> None:
    def spaced(dialog: FormDialog) -> None:
        assert isinstance(dialog.form, AgencyForm)
        type_in(qtbot, dialog.form.code_edit, "AGENCE METZ")
        type_in(qtbot, dialog.form.name_edit, "Agence de Metz")

    def fixed(dialog: FormDialog) -> None:
        assert isinstance(dialog.form, AgencyForm)
        assert dialog.form.visible_errors() == {
            "code": "Le code de l'agence ne contient pas d'espace (« AGENCE METZ »)."}
        assert dialog.form.name_edit.text() == "Agence de Metz"  # kept
        type_in(qtbot, dialog.form.code_edit, "METZ")

    seen = answer(page, monkeypatch, spaced, fixed)
    click(page.agencies, "new_agency")
    assert len(seen) == 1 and seen[0].result() == QDialog.DialogCode.Accepted
    add_agency(page, monkeypatch, qtbot, "THION", "Agence de Thionvile")
    assert [a.code for a in org.list_agencies(sqlite_engine)] == ["METZ", "THION"]

    def rename(dialog: FormDialog) -> None:
        assert isinstance(dialog.form, AgencyForm)
        assert dialog.form.code_edit.text() == "THION"
        type_in(qtbot, dialog.form.name_edit, "Agence de Thionville")

    answer(page, monkeypatch, rename)
    select(page.agencies, "THION")
    click(page.agencies, "edit_agency")
    assert page.agencies.selected().name == "Agence de Thionville"
    click(page.agencies, "toggle_agency")
    assert [a.active for a in org.list_agencies(sqlite_engine)] == [True, False]
    assert page.agencies.selected().code == "THION"  # still selected

    org.save_commission(sqlite_engine, org.CommissionRecord("CAL", "CALEOL", ("METZ",)))
    monkeypatch.setattr("caleol.ui.messages.ask_confirmation", lambda *a, **k: True)
    select(page.agencies, "METZ")
    click(page.agencies, "delete_agency")
    refusal = page.agencies.error_label.text()  # the service's own sentence
    assert refusal.startswith("Impossible de supprimer l'agence « Agence de Metz » : ")
    assert "cette agence" in refusal and "désactivez plutôt la fiche" in refusal
    assert not page.agencies.error_label.isHidden()
    select(page.agencies, "THION")  # entered by mistake, cited by nothing
    click(page.agencies, "delete_agency")
    assert page.agencies.error_label.isHidden()
    assert [a.code for a in org.list_agencies(sqlite_engine)] == ["METZ"]


def test_reservataires_and_a_refused_deletion(qtbot, page: ReferencePage,
                                              sqlite_engine: Engine, monkeypatch) -> None:
    def fill(dialog: FormDialog) -> None:
        form = dialog.form
        assert isinstance(form, ReservataireForm)
        choose(form.kind_box, "etat_prioritaires")
        type_in(qtbot, form.code_edit, "ETAT-57")
        type_in(qtbot, form.name_edit, "Préfecture de la Moselle")
        type_in(qtbot, form.address_edit, "9 place de la Préfecture\n57000 Metz")

    answer(page, monkeypatch, fill)
    click(page.reservataires, "new_reservataire")
    [saved] = org.list_reservataires(sqlite_engine)
    assert (saved.kind, saved.address) == ("etat_prioritaires",
                                           "9 place de la Préfecture\n57000 Metz")
    assert page.reservataires.model.index(0, 2).data() == "État (publics prioritaires)"

    def longer_delay(dialog: FormDialog) -> None:
        assert isinstance(dialog.form, ReservataireForm)
        dialog.form.delay_spin.setValue(30)

    answer(page, monkeypatch, longer_delay)
    select(page.reservataires, "ETAT-57")
    click(page.reservataires, "edit_reservataire")
    assert org.list_reservataires(sqlite_engine)[0].proposal_delay_days == 30
    click(page.reservataires, "toggle_reservataire")
    assert not org.list_reservataires(sqlite_engine)[0].active

    org.save_agency(sqlite_engine, org.AgencyRecord("METZ", "Agence de Metz"))
    org.save_commission(sqlite_engine, org.CommissionRecord("CAL", "CALEOL", ("METZ",)))
    org.save_member(sqlite_engine, org.MemberRecord(
        "CAL", "", "Hugo Schmitt", "reservataire", "M.", deliberative=False,
        reservataire_code="ETAT-57"))
    monkeypatch.setattr("caleol.ui.messages.ask_confirmation", lambda *a, **k: True)
    page.reservataires.reload()
    select(page.reservataires, "ETAT-57")
    click(page.reservataires, "delete_reservataire")
    refusal = page.reservataires.error_label.text()
    assert refusal.startswith("Impossible de supprimer le réservataire « Préfecture de la "
                              "Moselle » : ")
    assert "membre" in refusal and "désactivez plutôt la fiche" in refusal
    assert len(org.list_reservataires(sqlite_engine)) == 1


def test_commissions_and_members_never_deleted_once_a_seance_cites_them(
        qtbot, page: ReferencePage, sqlite_engine: Engine, monkeypatch) -> None:
    org.save_agency(sqlite_engine, org.AgencyRecord("METZ", "Agence de Metz", department_code="57"))
    org.save_agency(sqlite_engine, org.AgencyRecord("WOIPPY", "Agence de Woippy"))

    def new_commission(dialog: FormDialog) -> None:
        form = dialog.form
        assert isinstance(form, CommissionForm)
        type_in(qtbot, form.code_edit, "CALEOL-METZ")
        type_in(qtbot, form.name_edit, "CALEOL de Metz")
        form.check_agency("WOIPPY")
        form.check_agency("METZ")
        choose(form.head_box, "METZ")
        choose(form.epci_box, "200039865")
        form.quorum_box.setEditText("2/3")

    answer(page, monkeypatch, new_commission)
    click(page.commissions, "new_commission")
    [commission] = org.list_commissions(sqlite_engine)
    assert (commission.agency_codes, commission.quorum, commission.epci_siren) == (
        ("METZ", "WOIPPY"), "2/3", "200039865")
    assert page.commissions.selected().code == "CALEOL-METZ"

    members = page.commissions.members

    def titular(dialog: FormDialog) -> None:
        form = dialog.form
        assert isinstance(form, MemberForm)
        choose(form.civility_box, "Mme")
        type_in(qtbot, form.name_edit, "Claire Martin")
        type_in(qtbot, form.code_edit, "ADM1")
        form.casting_check.click()

    answer(page, monkeypatch, titular)
    click(members, "new_member")
    select(members, "ADM1")

    def substitute(dialog: FormDialog) -> None:
        form = dialog.form
        assert isinstance(form, MemberForm)
        assert form.titular_box.currentData() == "ADM1"  # pre-filled from the selection
        assert dialog.windowTitle() == "Suppléant de Mme Claire Martin"
        type_in(qtbot, form.name_edit, "Anne Muller")
        form.casting_check.click()  # a substitute cannot hold the casting vote

    def without_casting(dialog: FormDialog) -> None:
        form = dialog.form
        assert isinstance(form, MemberForm)
        assert form.visible_errors() == {
            "casting_vote": "La voix prépondérante est portée par le membre titulaire ; son "
                            "suppléant l'exerce en son absence."}
        form.casting_check.click()

    answer(page, monkeypatch, substitute, without_casting)
    click(members, "new_substitute")
    listed = {m.name: m for m in org.list_members(sqlite_engine, "CALEOL-METZ")}
    assert listed["Anne Muller"].substitute_for == "ADM1"
    assert members.model.rowCount() == 2
    column = members.model.column_index("substitute_for")
    assert members.model.index(1, column).data() == "Mme Claire Martin"

    # a séance convenes Claire Martin: neither she nor the commission can be deleted
    claire = listed["Claire Martin"]
    sessions.create_session(sqlite_engine, commission.id, date(2027, 1, 14),
                            place="Salle du conseil", member_ids=[claire.id])
    monkeypatch.setattr("caleol.ui.messages.ask_confirmation", lambda *a, **k: True)
    page.commissions.reload()
    select(members, "ADM1")
    click(members, "delete_member")
    assert members.error_label.text().startswith(
        "Impossible de supprimer le membre « Mme Claire Martin » : ")
    assert "présence" in members.error_label.text()
    click(page.commissions, "delete_commission")
    assert page.commissions.error_label.text().startswith(
        "Impossible de supprimer la commission « CALEOL de Metz » : ")
    assert "séance" in page.commissions.error_label.text()
    # what she sat as stays; she is deactivated instead
    def renamed(dialog: FormDialog) -> None:
        assert isinstance(dialog.form, MemberForm)
        type_in(qtbot, dialog.form.name_edit, "Claire Martin-Weber")

    answer(page, monkeypatch, renamed)
    select(members, "ADM1")
    click(members, "edit_member")
    assert org.list_members(sqlite_engine, "CALEOL-METZ")[0].name == "Claire Martin"
    select(members, "ADM1")
    click(members, "toggle_member")
    assert not org.list_members(sqlite_engine, "CALEOL-METZ")[0].active
    click(page.commissions, "toggle_commission")
    assert not org.list_commissions(sqlite_engine)[0].active
    assert len(org.list_commissions(sqlite_engine)) == 1


def test_the_assistants_import_links_open_the_yearly_tables(page: ReferencePage,
                                                            monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(page.quartiles, "ask_open_path", lambda: asked.append("seuils"))
    monkeypatch.setattr(page.ceilings, "ask_open_path", lambda: asked.append("plafonds"))
    page.start_import("quartiles")
    assert page.tabs.currentWidget() is page.quartiles and asked == ["seuils"]
    page.start_import("ceilings")
    assert page.tabs.currentWidget() is page.ceilings and asked == ["seuils", "plafonds"]
    page.show_departments()  # « Fixer le délai anormalement long… »
    assert page.tabs.currentWidget() is page.departments
