"""The setup assistant on a database with no organisation: refused pages keep what was
typed, nothing is written before « Terminer », a cancel leaves nothing, a setup file is
applied whole or not at all, the certificate is tried on the spot and only its path kept."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard
from services.organisation_factory import build_organisation
from sqlalchemy import Engine, func, select
from ui.dialogs.wizard_steps import (
    add_agency,
    add_member,
    choose,
    fill_landlord,
    next_page,
    press,
    type_in,
    walk_to_certificate,
)

from caleol.db.engine import open_database, session_scope
from caleol.db.models import AuditEntry
from caleol.services import organisation as org
from caleol.services.certificates import create_demo_certificate
from caleol.services.organisation.draft import organisation_started
from caleol.settings import Settings
from caleol.ui.dialogs.setup_wizard import SetupWizard
from caleol.ui.dialogs.setup_wizard.wizard import PageId


def audit_count(engine: Engine) -> int:
    with session_scope(engine) as db:
        return int(db.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


@pytest.fixture
def wizard(qtbot, sqlite_engine: Engine, tmp_path: Path) -> Iterator[SetupWizard]:
    wizard = SetupWizard(sqlite_engine, Settings(), tmp_path / "settings.json")
    qtbot.addWidget(wizard)
    with qtbot.waitExposed(wizard):
        wizard.show()
    yield wizard


@pytest.fixture(autouse=True)
def no_modal_question(monkeypatch) -> None:
    """Closing an assistant that holds input asks a (modal) question: answered « yes »
    unless a test answers it itself."""
    monkeypatch.setattr(SetupWizard, "confirm_cancel", lambda self, text: True)


def test_a_refused_landlord_keeps_what_was_typed(qtbot, wizard: SetupWizard,
                                                 sqlite_engine: Engine) -> None:
    next_page(wizard)
    form = wizard.landlord.form
    type_in(qtbot, form.name_edit, "Habitat Lorrain")
    type_in(qtbot, form.siren_edit, "732 829 321")  # last digit wrong: Luhn sum 41
    type_in(qtbot, form.phone_edit, "0387")
    next_page(wizard)
    assert wizard.currentId() == PageId.LANDLORD
    assert form.visible_errors() == {
        "siren": "SIREN « 732 829 321 » invalide : la clé de contrôle ne correspond pas "
                 "(vérifiez chaque chiffre).",
        "phone": "Numéro de téléphone « 0387 » invalide : dix chiffres (03 87 12 34 56) ou "
                 "un numéro international (+33 3 87 12 34 56).",
    }
    assert (form.name_edit.text(), form.siren_edit.text(), form.phone_edit.text()) == (
        "Habitat Lorrain", "732 829 321", "0387")
    assert not organisation_started(sqlite_engine)
    type_in(qtbot, form.siren_edit, "732 829 320")
    assert set(form.visible_errors()) == {"phone"}  # the corrected field's message went
    type_in(qtbot, form.phone_edit, "03 87 12 34 56")
    next_page(wizard)
    assert wizard.currentId() == PageId.AGENCIES
    assert wizard.draft.landlord is not None and wizard.draft.landlord.name == "Habitat Lorrain"
    assert org.get_landlord(sqlite_engine) is None  # still nothing written


def test_agencies_are_checked_one_by_one_and_required(qtbot, wizard: SetupWizard) -> None:
    next_page(wizard)
    fill_landlord(qtbot, wizard)
    next_page(wizard)
    page = wizard.agencies
    next_page(wizard)  # none yet
    assert wizard.currentId() == PageId.AGENCIES
    assert page.page_error.text() == ("Ajoutez au moins une agence : chaque commission "
                                      "couvre une ou plusieurs agences.")
    type_in(qtbot, page.form.code_edit, "AGENCE METZ")
    type_in(qtbot, page.form.email_edit, "metz@")
    page.commit_button.click()
    assert page.form.visible_errors() == {
        "code": "Le code de l'agence ne contient pas d'espace (« AGENCE METZ »).",
        "name": "Le nom de l'agence est obligatoire.",
        "email": "Adresse électronique « metz@ » invalide (ex. agence.metz@bailleur.fr).",
    }
    assert page.list.count() == 0 and page.form.code_edit.text() == "AGENCE METZ"
    add_agency(qtbot, wizard, "METZ", "Agence de Metz")
    assert page.list.count() == 1  # the form was refilled by add_agency, then added
    assert page.form.is_blank() and page.page_error.isHidden()
    # a second agency with the same code: refused beside the code, on « Suivant » too
    type_in(qtbot, page.form.code_edit, "METZ")
    type_in(qtbot, page.form.name_edit, "Agence de Metz-Nord")
    next_page(wizard)
    assert wizard.currentId() == PageId.AGENCIES
    assert page.form.visible_errors() == {
        "code": "Le code « METZ » est déjà celui de l'agence « Agence de Metz »."}
    type_in(qtbot, page.form.code_edit, "METZ-NORD")
    next_page(wizard)
    assert wizard.currentId() == PageId.RESERVATAIRES
    assert [a.code for a in wizard.draft.agencies] == ["METZ", "METZ-NORD"]
    assert wizard.draft.agencies[0].department_code == "57"


def test_an_agency_renamed_follows_into_its_commission(qtbot, wizard: SetupWizard) -> None:
    next_page(wizard)
    fill_landlord(qtbot, wizard)
    next_page(wizard)
    add_agency(qtbot, wizard, "METZ", "Agence de Metz")
    next_page(wizard)
    next_page(wizard)  # no réservataire: optional
    assert wizard.currentId() == PageId.COMMISSIONS
    form = wizard.commissions.form
    assert form.checked_codes() == ["METZ"]  # the only agency, offered checked
    type_in(qtbot, form.code_edit, "CALEOL-METZ")
    type_in(qtbot, form.name_edit, "CALEOL de Metz")
    choose(form.epci_box, "200039865")  # Metz Métropole, offered for the Moselle
    wizard.commissions.commit_button.click()
    press(wizard, QWizard.WizardButton.BackButton)
    press(wizard, QWizard.WizardButton.BackButton)
    page = wizard.agencies
    page.list.setCurrentRow(0)
    assert page.form.code_edit.text() == "METZ"
    type_in(qtbot, page.form.code_edit, "METZ-CENTRE")
    page.commit_button.click()
    assert wizard.draft.commissions[0].agency_codes == ("METZ-CENTRE",)
    assert wizard.draft.commissions[0].epci_siren == "200039865"


def test_members_need_a_deliberative_vote_and_keep_the_form_on_refusal(
        qtbot, wizard: SetupWizard) -> None:
    next_page(wizard)
    fill_landlord(qtbot, wizard)
    next_page(wizard)
    add_agency(qtbot, wizard, "METZ", "Agence de Metz")
    next_page(wizard)
    next_page(wizard)
    from ui.dialogs.wizard_steps import add_commission

    add_commission(qtbot, wizard, "CALEOL-METZ", "CALEOL de Metz", ("METZ",))
    next_page(wizard)
    page = wizard.members
    next_page(wizard)
    assert wizard.currentId() == PageId.MEMBERS
    assert page.page_error.text() == ("La commission « CALEOL de Metz » n'a encore aucun "
                                      "membre à voix délibérative : ajoutez ses membres.")
    # a casting vote without a deliberative vote: the service's message, the form kept
    choose(page.member_form.civility_box, "M.")
    type_in(qtbot, page.member_form.name_edit, "Paul Weber")
    page.member_form.consultative_radio.click()
    page.member_form.casting_check.click()
    page.commit_button.click()
    assert page.form.visible_errors() == {
        "casting_vote": "La voix prépondérante suppose une voix délibérative."}
    assert page.member_form.name_edit.text() == "Paul Weber" and page.list.count() == 0
    page.member_form.deliberative_radio.click()
    page.commit_button.click()
    assert page.list.count() == 1
    assert page.list.item(0).text() == ("M. Paul Weber — administrateur désigné par le "
                                        "conseil, voix prépondérante")
    # a second casting vote: refused once the commission is looked at as a whole
    add_member(qtbot, wizard, "Mme", "Lucie Klein", "president_epci", casting=True)
    assert "un seul membre actif a la voix prépondérante" in page.page_error.text()
    assert page.member_form.name_edit.text() == "Lucie Klein" and page.list.count() == 1


def test_cancel_leaves_no_half_organisation(qtbot, wizard: SetupWizard,
                                            sqlite_engine: Engine, monkeypatch) -> None:
    before = audit_count(sqlite_engine)
    walk_to_certificate(qtbot, wizard)
    asked: list[str] = []
    monkeypatch.setattr(wizard, "confirm_cancel", lambda text: asked.append(text) or False)
    press(wizard, QWizard.WizardButton.CancelButton)
    assert wizard.isVisible() and asked[0].startswith("Quitter l'assistant sans rien enregistrer")
    monkeypatch.setattr(wizard, "confirm_cancel", lambda text: True)
    with qtbot.waitSignal(wizard.rejected):
        press(wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible()
    assert audit_count(sqlite_engine) == before  # every page was checked, none written
    assert not organisation_started(sqlite_engine)
    assert org.list_reservataires(sqlite_engine) == () and org.list_reasons(sqlite_engine) == []


def test_finish_writes_everything_at_once(qtbot, wizard: SetupWizard,
                                          sqlite_engine: Engine) -> None:
    walk_to_certificate(qtbot, wizard)
    next_page(wizard)
    assert wizard.currentId() == PageId.FINISH
    summary = wizard.finish.summary.text()
    assert "Habitat Lorrain" in summary and "2 agences" in summary
    assert "1 commission, 3 membres" in summary
    assert not organisation_started(sqlite_engine)
    with qtbot.waitSignal(wizard.completed) as done:
        press(wizard, QWizard.WizardButton.FinishButton)
    assert done.args == ["sessions"]
    assert [a.code for a in org.list_agencies(sqlite_engine)] == ["METZ", "WOIPPY"]
    members = {m.name: m for m in org.list_members(sqlite_engine, "CALEOL-METZ")}
    assert members["Anne Muller"].substitute_for == members["Claire Martin"].code
    assert members["Karim Benali"].reservataire_code == "ALS"
    assert not members["Karim Benali"].deliberative  # chosen with « réservataire »
    assert org.list_reasons(sqlite_engine)  # the charter's catalogue


def test_a_link_of_the_last_page_finishes_then_asks_for_the_import(
        qtbot, wizard: SetupWizard, sqlite_engine: Engine) -> None:
    walk_to_certificate(qtbot, wizard)
    next_page(wizard)
    # the préfet's délai too (a new base outside the charter's départements has none)
    assert "<a href='departments'>Fixer le délai anormalement long…</a>" in (
        wizard.finish.next_steps.text())
    # which charter: a default catalogue, the landlord's own charter to adapt it to (it
    # said « ceux de la charte des attributions », a charter this landlord never had)
    assert "catalogue par défaut (CCH et charte d'attribution type)" in (
        wizard.finish.next_steps.text())
    assert "la charte des attributions" not in wizard.finish.next_steps.text()
    with qtbot.waitSignal(wizard.completed) as done:
        wizard.finish.next_steps.linkActivated.emit("dwellings")
    assert done.args == ["dwellings"] and organisation_started(sqlite_engine)


def test_a_setup_file_is_applied_whole(qtbot, wizard: SetupWizard, sqlite_engine: Engine,
                                       tmp_path: Path) -> None:
    other = open_database(str(tmp_path / "autre.sqlite3"), create=True)
    try:
        build_organisation(other)
        org.export_setup(other, tmp_path / "organisation.toml")
    finally:
        other.dispose()
    bad = tmp_path / "faux.toml"
    bad.write_text('[[agences]]\ncode = "METZ"\nnom = ""\n', encoding="utf-8")
    page = wizard.welcome
    before = audit_count(sqlite_engine)
    assert not page.import_file(bad)
    assert page.page_error.text() == (
        "faux.toml :\nFichier d'organisation refusé : 1 erreur ; rien n'a été modifié.\n"
        "- Ligne 3 : agence « METZ » : le nom de l'agence est obligatoire.")
    assert audit_count(sqlite_engine) == before and wizard.currentId() == PageId.WELCOME
    page.ask_setup_path = lambda: tmp_path / "organisation.toml"  # type: ignore[method-assign]
    page.import_button.click()
    assert wizard.currentId() == PageId.CERTIFICATE  # the organisation pages are skipped
    assert "Organisation importée de organisation.toml" in page.report.text()
    assert [c.code for c in org.list_commissions(sqlite_engine)] == ["CALEOL-METZ"]
    next_page(wizard)
    assert "Organisation importée du fichier, déjà enregistrée" in wizard.finish.summary.text()
    with qtbot.waitSignal(wizard.completed):
        press(wizard, QWizard.WizardButton.FinishButton)
    assert len(org.list_members(sqlite_engine, "CALEOL-METZ")) == 8


def test_the_certificate_is_tried_and_only_its_path_kept(qtbot, wizard: SetupWizard,
                                                         tmp_path: Path, fail_on_log) -> None:
    fail_on_log.expect("pyhanko", logging.ERROR, "Could not load key material")
    p12 = tmp_path / "cachet.p12"
    create_demo_certificate(p12, b"phrase-tres-secrete", "Habitat Lorrain")
    walk_to_certificate(qtbot, wizard)
    form = wizard.certificate.form
    form.ask_certificate_path = lambda: p12  # type: ignore[method-assign]
    form.findChild(type(form.test_button), "browseCertificateButton").click()
    type_in(qtbot, form.passphrase_edit, "mauvaise")
    next_page(wizard)
    assert wizard.currentId() == PageId.CERTIFICATE
    assert form.visible_errors() == {"passphrase": "Impossible d'ouvrir le certificat de "
                                                   "signature : phrase secrète incorrecte ou "
                                                   "fichier PKCS#12 invalide."}
    type_in(qtbot, form.passphrase_edit, "phrase-tres-secrete")
    form.test_button.click()
    assert form.result.text() == ("Certificat ouvert : cachet électronique de l'organisme "
                                  "« Habitat Lorrain », délivré par Habitat Lorrain.")
    next_page(wizard)
    saved: list[Settings] = []
    wizard.settings_saved.connect(saved.append)
    with qtbot.waitSignal(wizard.completed):
        press(wizard, QWizard.WizardButton.FinishButton)
    assert saved[0].signing_certificate == str(p12)
    written = (tmp_path / "settings.json").read_text(encoding="utf-8")
    assert json.loads(written)["signing_certificate"] == str(p12)
    assert "phrase-tres-secrete" not in written


def test_a_missing_certificate_file_is_said_beside_its_field(qtbot, wizard: SetupWizard,
                                                             tmp_path: Path) -> None:
    walk_to_certificate(qtbot, wizard)
    form = wizard.certificate.form
    type_in(qtbot, form.path_edit, str(tmp_path / "absent.p12"))
    next_page(wizard)
    assert form.visible_errors() == {"path": "Ce fichier n'existe pas."}
    type_in(qtbot, form.path_edit, "")  # no certificate yet: « Suivant » moves on
    next_page(wizard)
    assert wizard.currentId() == PageId.FINISH
    assert "à indiquer plus tard dans Paramètres" in wizard.finish.summary.text()


def test_a_refusal_at_finish_writes_nothing_and_says_where(qtbot, wizard: SetupWizard,
                                                          sqlite_engine: Engine) -> None:
    """Someone else entered agency METZ while the assistant was open: « Terminer » is
    refused whole (one transaction), the assistant stays open on its last page."""
    walk_to_certificate(qtbot, wizard)
    next_page(wizard)
    org.save_agency(sqlite_engine, org.AgencyRecord("METZ", "Agence de Metz-Nord"))
    before = audit_count(sqlite_engine)
    press(wizard, QWizard.WizardButton.FinishButton)
    assert wizard.isVisible() and wizard.currentId() == PageId.FINISH
    assert wizard.finish.page_error.text().startswith(
        "Rien n'a été enregistré : l'agence est à corriger.\nPour l'agence n° 1 : 1 champ "
        "à corriger.\n• Le code « METZ » est déjà celui de l'agence « Agence de Metz-Nord ».")
    assert audit_count(sqlite_engine) == before
    assert org.get_landlord(sqlite_engine) is None and org.list_commissions(sqlite_engine) == ()
