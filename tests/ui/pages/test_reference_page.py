"""Référentiels screen on the demo database: tabs, edit dialogs, CSV imports, templates.
(The organisation tabs, from an empty database: test_reference_organisation.py.)"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from sqlalchemy import Engine
from ui.pages.demo_copy import DEMO_TODAY

from caleol.services import organisation as org
from caleol.services import reference
from caleol.services.documents.letter_templates import LetterKind, load_template
from caleol.ui.dialogs.reference_dialogs import (
    CriterionDialog,
    QuartileDialog,
    ReasonDialog,
    RecordDialog,
    TargetDialog,
    delay_text,
)
from caleol.ui.pages.reference import ReferencePage
from caleol.ui.pages.reference.table_tab import TableTab


@pytest.fixture
def page(qtbot, demo_db: Engine) -> ReferencePage:
    page = ReferencePage(demo_db, today=DEMO_TODAY)
    qtbot.addWidget(page)
    page.resize(1176, 700)
    with qtbot.waitSignal(page.reloaded):
        page.show()
        page.activated()
    return page


def drive_dialog(page: ReferencePage, monkeypatch: pytest.MonkeyPatch,
                 *fills: Callable[[RecordDialog], None]) -> list[RecordDialog]:
    """Replace exec(): apply each fill then press « Enregistrer » (accept)."""
    seen: list[RecordDialog] = []

    def run(dialog: RecordDialog) -> bool:
        seen.append(dialog)
        for fill in fills:
            fill(dialog)
            dialog.accept()
            if dialog.result() == QDialog.DialogCode.Accepted:
                return True
        return False

    monkeypatch.setattr(page, "run_dialog", run)
    return seen


def column(tab: TableTab, key: str) -> list[str]:
    col = tab.model.column_index(key)
    return [tab.model.index(r, col).data() for r in range(tab.model.rowCount())]


def test_every_tab_is_filled_from_the_database(page: ReferencePage, demo_db: Engine,
                                                qtmodeltester) -> None:
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Bailleur", "Agences", "Réservataires", "Commissions", "Motifs",
        "Critères de priorité", "Départements", "Objectifs", "Plafonds",
        "Seuils de quartile", "Modèles de courriers"]
    for tab in (page.ceilings, page.quartiles, page.criteria, page.reasons, page.targets,
                page.agencies, page.reservataires, page.commissions, page.departments):
        assert tab.model.rowCount() > 0
        qtmodeltester.check(tab.model)
    qtmodeltester.check(page.commissions.members.model)
    qtmodeltester.check(page.templates.model)
    assert page.landlord.form.name_edit.text() == "Vivest"
    assert page.ceilings.model.rowCount() == len(reference.list_ceilings(demo_db))
    assert set(column(page.ceilings, "imported")) == {"livrée"}
    assert page.templates.model.rowCount() == len(LetterKind)
    # reasons: the « illégal seul » flag is visible
    flags = dict(zip(column(page.reasons, "code"), column(page.reasons, "unlawful_alone"),
                     strict=True))
    assert flags["RESSOURCES_FAIBLES"] == "oui" and flags["PLAFOND"] == "—"


def test_selecting_a_commission_lists_its_members(page: ReferencePage, demo_db: Engine) -> None:
    page.tabs.setCurrentWidget(page.commissions)
    page.commissions.table.selectRow(1)
    selected = page.commissions.selected()
    expected = org.list_members(demo_db, selected.code)
    members = page.commissions.members.model
    assert members.rowCount() == len(expected)
    assert members.index(0, 0).data() == expected[0].display_name


def test_new_reason_error_next_to_field_then_saved(page: ReferencePage, monkeypatch) -> None:
    def empty(dialog: RecordDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.label_edit.setText("Logement trop cher pour le ménage")

    def filled(dialog: RecordDialog) -> None:
        # the first try left its message under the code field
        assert not dialog.errors["code"].isHidden()
        assert dialog.errors["code"].text() == "Le code du motif est obligatoire."
        assert dialog.errors["label"].isHidden()
        assert isinstance(dialog, ReasonDialog)
        dialog.code_edit.setText("CHER")
        dialog.unlawful_check.setChecked(True)

    seen = drive_dialog(page, monkeypatch, empty, filled)
    before = page.reasons.model.rowCount()
    page.reasons.findChild(QPushButton, "newReasonButton").click()
    assert len(seen) == 1 and seen[0].saved is not None
    assert page.reasons.model.rowCount() == before + 1
    flags = dict(zip(column(page.reasons, "code"), column(page.reasons, "unlawful_alone"),
                     strict=True))
    assert flags["CHER"] == "oui"


def test_duplicate_reason_code_is_refused_in_the_dialog(page: ReferencePage,
                                                        monkeypatch) -> None:
    def duplicate(dialog: RecordDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        dialog.code_edit.setText("PLAFOND")
        dialog.label_edit.setText("Autre libellé")

    seen = drive_dialog(page, monkeypatch, duplicate)
    before = page.reasons.model.rowCount()
    page.reasons.edit(None)
    assert seen[0].result() != QDialog.DialogCode.Accepted
    assert "déjà utilisé" in seen[0].errors["code"].text()
    assert page.reasons.model.rowCount() == before


def test_edit_target_in_percent(page: ReferencePage, demo_db: Engine, monkeypatch) -> None:
    codes = column(page.targets, "indicator_code")
    years = column(page.targets, "year")
    row = next(i for i, (c, y) in enumerate(zip(codes, years, strict=True))
               if c == "AL-SALARIES" and y == "2026")  # the charter's, installed
    page.targets.table.selectRow(row)

    def set_value(dialog: RecordDialog) -> None:
        assert isinstance(dialog, TargetDialog)
        assert dialog.value_edit.text() == "50,0"  # 0.50 shown as a percentage
        dialog.value_edit.setText("52,5")

    drive_dialog(page, monkeypatch, set_value)
    page.targets.findChild(QPushButton, "editTargetButton").click()
    salaries = [t for t in reference.list_targets(demo_db, 2026)
                if t.indicator_code == "AL-SALARIES"]
    assert [t.value for t in salaries] == [Decimal("0.525")]
    assert "52,5\u00a0%" in column(page.targets, "value")


def test_target_rate_over_100_percent_is_refused(page: ReferencePage, monkeypatch) -> None:
    def too_much(dialog: RecordDialog) -> None:
        assert isinstance(dialog, TargetDialog)
        dialog.year_spin.setValue(2030)
        dialog.value_edit.setText("150")

    seen = drive_dialog(page, monkeypatch, too_much)
    page.targets.edit(None)
    assert seen[0].errors["value"].text() == "Un objectif de taux est compris entre 0 % et 100 %."


def test_delete_target_after_confirmation(page: ReferencePage, demo_db: Engine,
                                          monkeypatch) -> None:
    before = len(reference.list_targets(demo_db))
    page.targets.table.selectRow(0)
    monkeypatch.setattr("caleol.ui.messages.ask_confirmation", lambda *a, **k: False)
    page.targets.delete()
    assert len(reference.list_targets(demo_db)) == before
    monkeypatch.setattr("caleol.ui.messages.ask_confirmation", lambda *a, **k: True)
    page.targets.delete()
    assert len(reference.list_targets(demo_db)) == before - 1
    assert page.targets.model.rowCount() == before - 1


def test_quartile_threshold_edit_by_double_click(qtbot, page: ReferencePage, demo_db: Engine,
                                                 monkeypatch) -> None:
    first = page.quartiles.model.row_at(0)

    def change(dialog: RecordDialog) -> None:
        assert isinstance(dialog, QuartileDialog)
        assert dialog.epci_box.currentData() == first.epci_code
        dialog.threshold_edit.setText("9 999,50")

    drive_dialog(page, monkeypatch, change)
    page.tabs.setCurrentWidget(page.quartiles)
    table = page.quartiles.table
    table.selectRow(0)
    rect = table.visualRect(page.quartiles.model.index(0, 1))
    # a press/release first: QTest's double click alone does not make a doubleClicked
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    saved = [q for q in reference.list_quartiles(demo_db)
             if q.epci_code == first.epci_code and q.year == first.year]
    assert [q.threshold for q in saved] == [Decimal("9999.50")]


def test_ceiling_csv_import(page: ReferencePage, tmp_path: Path, monkeypatch) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("financement;zone;date_effet;cat1;cat2;cat3;cat4;cat5;cat6;"
                   "par_personne_supp;source\nPLUS;lune;2027-01-01;1;2;3;4;5;6;7;arrêté\n",
                   encoding="utf-8")
    unsourced = tmp_path / "unsourced.csv"
    unsourced.write_text(  # every row names its official source (services.territory.yearly)
        "financement;zone;date_effet;cat1;cat2;cat3;cat4;cat5;cat6;par_personne_supp;source\n"
        "PLUS;autres_regions;2027-01-01;24000;32000;38500;46500;54700;61600;6880;\n",
        encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text("financement;zone;date_effet;cat1;cat2;cat3;cat4;cat5;cat6;"
                    "par_personne_supp;source\nPLUS;autres_regions;2027-01-01;24000;32000;"
                    "38500;46500;54700;61600;6880;arrêté 2027\n", encoding="utf-8")
    before = page.ceilings.model.rowCount()
    monkeypatch.setattr(page.ceilings, "ask_open_path", lambda: bad)
    page.ceilings.import_file()
    assert not page.ceilings.error_label.isHidden()
    assert "Ligne 2 : zone « lune » inconnue" in page.ceilings.error_label.text()
    assert page.ceilings.model.rowCount() == before
    monkeypatch.setattr(page.ceilings, "ask_open_path", lambda: unsourced)
    page.ceilings.import_file()
    assert "Ligne 2 : source manquante" in page.ceilings.error_label.text()
    assert page.ceilings.model.rowCount() == before
    monkeypatch.setattr(page.ceilings, "ask_open_path", lambda: good)
    page.ceilings.import_file()
    assert page.ceilings.error_label.isHidden()
    assert page.ceilings.model.rowCount() == before + 1
    assert column(page.ceilings, "imported").count("importée") == 1


def test_letter_template_edit_and_reset(qtbot, page: ReferencePage) -> None:
    page.tabs.setCurrentWidget(page.templates)
    row = next(i for i, t in enumerate(page.templates.model.rows())
               if t.kind is LetterKind.RANK)
    page.templates.table.selectRow(row)
    assert page.templates.edit.toPlainText() == load_template(LetterKind.RANK)
    assert not page.templates.reset_button.isEnabled()
    page.templates.edit.setPlainText("Objet : votre rang\n\nBonjour $civilite, 5 $ \n")
    qtbot.mouseClick(page.templates.save_button, Qt.MouseButton.LeftButton)
    assert "mal formé" in page.templates.error.text() and not page.templates.error.isHidden()
    page.templates.edit.setPlainText("Objet : votre rang\n\nBonjour $civilite,\n")
    qtbot.mouseClick(page.templates.save_button, Qt.MouseButton.LeftButton)
    assert page.templates.error.isHidden()
    assert load_template(LetterKind.RANK).startswith("Objet : votre rang")
    assert page.templates.model.index(row, 1).data() == "personnalisée"
    assert page.templates.reset_button.isEnabled()
    qtbot.mouseClick(page.templates.reset_button, Qt.MouseButton.LeftButton)
    assert page.templates.model.index(row, 1).data() == "livrée"
    assert not page.templates.edit.toPlainText().startswith("Objet : votre rang")


def test_toggle_priority_criterion(page: ReferencePage, demo_db: Engine) -> None:
    page.tabs.setCurrentWidget(page.criteria)
    page.criteria.table.selectRow(0)
    code = page.criteria.selected().code
    assert page.criteria.selected().active
    page.criteria.findChild(QPushButton, "toggleCriterionButton").click()
    assert {c.code: c.active for c in reference.list_criteria(demo_db)}[code] is False
    assert page.criteria.selected().code == code  # the same row stays selected
    assert column(page.criteria, "active")[0] == "—"


def test_reason_edit_keeps_its_reference_and_check(page: ReferencePage, demo_db: Engine,
                                                   monkeypatch) -> None:
    row = column(page.reasons, "code").index("PLAFOND")
    page.reasons.table.selectRow(row)
    before = next(r for r in reference.list_reasons(demo_db) if r.code == "PLAFOND")
    assert before.legal_reference and before.contradicts_check == "ceiling"

    def relabel(dialog: RecordDialog) -> None:
        assert isinstance(dialog, ReasonDialog)
        assert dialog.reference_edit.text() == before.legal_reference
        assert dialog.check_box.currentText() == "plafond de ressources"
        dialog.label_edit.setText("Ressources supérieures au plafond de l'année")

    drive_dialog(page, monkeypatch, relabel)
    page.reasons.findChild(QPushButton, "editReasonButton").click()
    after = next(r for r in reference.list_reasons(demo_db) if r.code == "PLAFOND")
    assert after.label == "Ressources supérieures au plafond de l'année"
    assert (after.legal_reference, after.contradicts_check, after.position) == (
        before.legal_reference, before.contradicts_check, before.position)


def test_new_criterion_from_the_cia(page: ReferencePage, demo_db: Engine, monkeypatch) -> None:
    def duplicate(dialog: RecordDialog) -> None:
        assert isinstance(dialog, CriterionDialog)
        assert dialog.source_box.currentData() == "CIA"
        dialog.code_edit.setText("HANDICAP")
        dialog.label_edit.setText("Sortie de structure d'hébergement")

    def renamed(dialog: RecordDialog) -> None:
        assert isinstance(dialog, CriterionDialog)
        assert dialog.errors["code"].text() == ("Le code « HANDICAP » est déjà celui d'un "
                                                "autre critère.")
        assert dialog.label_edit.text() == "Sortie de structure d'hébergement"
        dialog.code_edit.setText("CIA_SORTIE_CHRS")
        dialog.reference_edit.setText("CIA de Metz Métropole, orientation 2")

    drive_dialog(page, monkeypatch, duplicate, renamed)
    page.criteria.findChild(QPushButton, "newCriterionButton").click()
    added = next(c for c in reference.list_criteria(demo_db) if c.code == "CIA_SORTIE_CHRS")
    assert (added.source, added.legal_reference, added.active) == (
        "CIA", "CIA de Metz Métropole, orientation 2", True)
    assert page.criteria.selected().code == "CIA_SORTIE_CHRS"


def test_quartile_thresholds_imported_from_a_file(page: ReferencePage, demo_db: Engine,
                                                  tmp_path: Path, monkeypatch) -> None:
    unsourced = tmp_path / "seuils.csv"
    unsourced.write_text("siren_epci;annee;seuil;source\n200039865;2027;10250;\n",
                         encoding="utf-8")
    before = page.quartiles.model.rowCount()
    monkeypatch.setattr(page.quartiles, "ask_open_path", lambda: unsourced)
    page.quartiles.findChild(QPushButton, "importQuartilesButton").click()
    assert "source" in page.quartiles.error_label.text()
    assert page.quartiles.model.rowCount() == before
    good = tmp_path / "seuils-2027.csv"
    good.write_text("siren_epci;annee;seuil;source\n200039865;2027;10250;arrêté préfectoral "
                    "du 12 mars 2027\n", encoding="utf-8")
    monkeypatch.setattr(page.quartiles, "ask_open_path", lambda: good)
    page.quartiles.import_file()
    assert page.quartiles.error_label.isHidden()
    assert page.quartiles.model.rowCount() == before + 1
    [added] = [q for q in reference.list_quartiles(demo_db) if q.year == 2027]
    assert (added.epci_code, added.threshold) == ("200039865", Decimal("10250"))


def test_the_abnormal_delay_of_a_departement_is_set_in_the_window(
        page: ReferencePage, demo_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # Seen on a new base (Marne): no window set the préfet's délai anormalement long,
    # only `caleol setup apply`; every candidate's seniority stayed « indéterminé ».
    tab = page.departments
    delays = dict(zip(column(tab, "code"), column(tab, "abnormal_delay_months"), strict=True))
    assert delays["57"] == "18 mois"
    tab.select_where(lambda r: r.code == "57")

    def unset(dialog: RecordDialog) -> None:
        assert dialog.delay_spin.text() == "18 mois"
        dialog.delay_spin.setValue(0)

    drive_dialog(page, monkeypatch, unset)
    tab.findChild(QPushButton, "editDepartmentButton").click()
    # none recorded: the charter's default, which the check applies, says so
    assert dict(zip(column(tab, "code"), column(tab, "abnormal_delay_months"),
                    strict=True))["57"] == "18 mois (par défaut)"
    assert {d.code: d.abnormal_delay_months
            for d in org.list_departments(demo_db)}["57"] is None
    drive_dialog(page, monkeypatch, lambda dialog: dialog.delay_spin.setValue(20))
    tab.findChild(QPushButton, "editDepartmentButton").click()
    assert {d.code: d.abnormal_delay_months
            for d in org.list_departments(demo_db)}["57"] == 20
    assert tab.selected().code == "57"
    assert delay_text("51", None) == "non fixé" and delay_text("051", 24) == "24 mois"
