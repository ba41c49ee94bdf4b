"""« Nouveau… » / « Modifier… » on Logements and Demandes, with real widgets and a real
database: save → list and detail show it; bad values → red lines, nothing saved."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog, QTableWidgetItem
from sqlalchemy import Engine

from caleol.fr import paris_today
from caleol.services.browse import DemandeBrowser, DwellingBrowser
from caleol.services.editing import load_demande, save_demande, save_dwelling
from caleol.ui import messages
from caleol.ui.dialogs.demande_editor import TAB_APPLICANT, TAB_HOUSEHOLD, DemandeEditor
from caleol.ui.dialogs.dwelling_editor import DwellingEditor
from caleol.ui.pages.demandes_page import DemandesPage
from caleol.ui.pages.dwellings_page import DwellingsPage
from caleol.ui.tasks import TaskRunner
from tests.services.import_fixtures import counts, with_references
from tests.services.test_editing import a_demande, a_dwelling
from tests.ui.pages.browser_driving import click_row, column_values, show_browser

_FINISHED_TASKS: list[object] = []  # freed Tasks' addresses are reused (test_import_dialog)


def save(qtbot, dialog: object) -> None:
    qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Enregistrer


@pytest.fixture
def refs(sqlite_engine: Engine) -> Engine:
    return with_references(sqlite_engine)


@pytest.fixture
def demandes(qtbot, refs: Engine) -> Iterator[DemandesPage]:
    today = paris_today()
    save_demande(refs, a_demande(), today=today)
    save_demande(refs, a_demande(nur="057240300124G5701", applicant_surname="Zimmer",
                                 applicant_first_names="Paul", criteria=[]), today=today)
    save_demande(refs, a_demande(nur="057240300125G5701", applicant_surname="Élie",
                                 applicant_first_names="Anne", wished_communes=[]), today=today)
    page = DemandesPage(DemandeBrowser(refs), engine=refs)
    show_browser(qtbot, page, 1300, 720)
    yield page


def test_modify_a_demande_add_a_child_and_change_a_resource(qtbot, demandes: DemandesPage,
                                                            refs: Engine) -> None:
    assert demandes.edit_button is not None and not demandes.edit_button.isEnabled()
    row = column_values(demandes, "nur").index("057240300123G5701")
    click_row(qtbot, demandes, row)
    assert demandes.edit_button.isEnabled()
    qtbot.mouseClick(demandes.edit_button, Qt.MouseButton.LeftButton)
    editor = demandes.editor
    assert isinstance(editor, DemandeEditor)
    qtbot.waitUntil(editor.isVisible)
    assert editor.texts["nur"].isReadOnly()

    editor.tabs.setCurrentIndex(TAB_HOUSEHOLD)
    qtbot.mouseClick(editor.findChild(object, "add_members"), Qt.MouseButton.LeftButton)
    table = editor.household.members_table
    assert table.rowCount() == 3
    role = table.cellWidget(2, 0)
    assert isinstance(role, QComboBox)
    role.setCurrentIndex(role.findData("child"))
    table.item(2, 1).setText("Muller")
    table.item(2, 2).setText("Zoé")
    table.item(2, 3).setText("15/09/2016")
    editor.household.resources_table.item(1, 1).setText("410,20")  # prestation: 320 → 410,20 €

    save(qtbot, editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    # the list reloaded, the edited row is still the selected one
    selected = demandes.selected_row()
    assert selected is not None and selected.nur == "057240300123G5701"
    assert selected.household_size == 3
    # 1 850,50 + 410,20 = 2 260,70 € a month
    assert selected.monthly_resources == Decimal("2260.70")
    detail = demandes.detail.values()
    assert detail["Ressources mensuelles"] == "2\u00a0260,70\u00a0€"
    form = load_demande(refs, selected.id)
    assert [m.first_names for m in form.members] == ["Anne", "Léo", "Zoé"]


def test_double_click_opens_the_editor(qtbot, demandes: DemandesPage) -> None:
    click_row(qtbot, demandes, 0)  # a view takes a double click on the row it pressed
    rect = demandes.table.visualRect(demandes.model.index(0, 1))
    qtbot.mouseDClick(demandes.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: demandes.editor is not None and demandes.editor.isVisible())
    assert demandes.editor.texts["nur"].text() == column_values(demandes, "nur")[0]
    demandes.editor.reject()


def test_bad_values_show_red_lines_under_their_fields_and_save_nothing(
    qtbot, demandes: DemandesPage, refs: Engine
) -> None:
    before = counts(refs)
    click_row(qtbot, demandes, 0)
    demandes.edit_selected()
    editor = demandes.editor
    qtbot.waitUntil(editor.isVisible)
    editor.texts["filing_date"].setText("hier")
    editor.texts["max_rent"].setText("12,345")
    editor.household.add_member(editor.household.members()[1])
    editor.household.members_table.item(2, 3).setText("32/01/2020")
    editor.tabs.setCurrentIndex(TAB_HOUSEHOLD)

    save(qtbot, editor)
    assert editor.isVisible()  # stays open
    shown = editor.visible_errors()
    assert shown["filing_date"] == ("« hier » : date attendue au format JJ/MM/AAAA ou "
                                    "AAAA-MM-JJ")
    assert shown["max_rent"] == "« 12,345 » : au plus deux décimales"
    assert shown["members"] == "Membre 3 (enfant) : « 32/01/2020 » : cette date n'existe pas"
    for name in ("filing_date", "max_rent", "members"):
        label = editor.errors[name]
        # shown (its tab may be in the background) and red
        assert not label.isHidden() and label.styleSheet() == "color: #b3261e;"
    assert editor.tabs.currentIndex() == TAB_HOUSEHOLD  # already showing an error
    assert editor.tabs.tabText(TAB_APPLICANT).endswith("⚠")
    assert counts(refs) == before

    # corrected: the red lines go and the save goes through
    editor.texts["filing_date"].setText("12/03/2024")
    editor.texts["max_rent"].setText("520")
    editor.household.members_table.item(2, 3).setText("31/01/2020")
    save(qtbot, editor)
    qtbot.waitUntil(lambda: not editor.isVisible())


def test_new_demande_is_listed_and_selected(qtbot, demandes: DemandesPage) -> None:
    assert demandes.new_button is not None and demandes.new_button.text() == "Nouveau…"
    qtbot.mouseClick(demandes.new_button, Qt.MouseButton.LeftButton)
    editor = demandes.editor
    qtbot.waitUntil(editor.isVisible)
    editor.texts["nur"].setText("057240300126G5701")
    editor.texts["filing_date"].setText("12/03/2024")
    editor.texts["applicant_surname"].setText("Nouvel")
    editor.texts["applicant_first_names"].setText("Arrivant")
    editor.household.members_table.item(0, 3).setText("02/03/1990")
    save(qtbot, editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert demandes.count_label.text() == "4 demandes"
    selected = demandes.selected_row()
    assert selected is not None and selected.name == "NOUVEL Arrivant"


def test_header_sort_by_name_ignores_accents(qtbot, demandes: DemandesPage) -> None:
    demandes.table.sortByColumn(demandes.model.column_index("name"),
                                Qt.SortOrder.AscendingOrder)
    # « Élie » sorts with E, before Muller, not after Zimmer
    assert column_values(demandes, "name") == ["ÉLIE Anne", "MULLER Anne", "ZIMMER Paul"]


def test_commune_filter_keeps_its_choice_and_learns_new_communes(
    qtbot, demandes: DemandesPage, refs: Engine
) -> None:
    box = demandes.filter_boxes["commune_id"]
    assert [box.itemText(i) for i in range(box.count())] == ["Toutes communes", "Metz"]
    box.setCurrentIndex(1)
    assert demandes.count_label.text() == "2 demandes"
    form = load_demande(refs, demandes.model.rows()[0].id)
    form.wished_communes.append("57480")  # Montigny-lès-Metz, wished by no one so far
    save_demande(refs, form)
    demandes.reload()
    assert [box.itemText(i) for i in range(box.count())] == [
        "Toutes communes", "Metz", "Montigny-lès-Metz"]
    assert box.currentText() == "Metz"  # the choice is kept
    assert demandes.count_label.text() == "2 demandes"


# --- dwellings -----------------------------------------------------------------------


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_done()
    qtbot.waitUntil(lambda: not runner.running())


@pytest.fixture
def dwellings(qtbot, refs: Engine, runner: TaskRunner) -> Iterator[DwellingsPage]:
    save_dwelling(refs, a_dwelling(), today=paris_today())
    page = DwellingsPage(DwellingBrowser(refs), engine=refs, runner=runner)
    show_browser(qtbot, page, 1300, 720)
    yield page
    if page.import_task is not None:
        _FINISHED_TASKS.append(page.import_task)


def test_new_dwelling_bad_values_then_saved(qtbot, dwellings: DwellingsPage,
                                            refs: Engine) -> None:
    before = counts(refs)
    qtbot.mouseClick(dwellings.new_button, Qt.MouseButton.LeftButton)
    editor = dwellings.editor
    assert isinstance(editor, DwellingEditor)
    qtbot.waitUntil(editor.isVisible)
    editor.texts["reference"].setText("MET-200")
    editor.texts["rent"].setText("douze")
    editor.texts["surface"].setText("3")
    editor.texts["availability_date"].setText("31/02/2026")
    save(qtbot, editor)
    assert editor.isVisible()
    shown = editor.visible_errors()
    assert set(shown) == {"commune", "rent", "surface", "availability_date"}
    assert shown["rent"] == "« douze » n'est pas un montant (exemple : 1234,56)"
    assert shown["commune"] == "Choisissez la commune du logement."
    assert counts(refs) == before

    box = editor.boxes["commune"]
    box.setCurrentIndex(box.findData("57480"))
    editor.texts["rent"].setText("512,30")
    editor.texts["surface"].setText("71,2")
    editor.texts["availability_date"].setText("01/02/2026")
    save(qtbot, editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    selected = dwellings.selected_row()
    assert selected is not None and selected.reference == "MET-200"
    assert dwellings.detail.values()["Loyer"] == "512,30\u00a0€"
    # the new dwelling's commune is offered by the filter at once
    commune_box = dwellings.filter_boxes["commune_id"]
    assert "Montigny-lès-Metz" in [commune_box.itemText(i) for i in range(commune_box.count())]


def test_modify_a_dwelling_from_the_list(qtbot, dwellings: DwellingsPage) -> None:
    click_row(qtbot, dwellings, 0)
    qtbot.mouseClick(dwellings.edit_button, Qt.MouseButton.LeftButton)
    editor = dwellings.editor
    qtbot.waitUntil(editor.isVisible)
    assert editor.texts["reference"].isReadOnly()
    editor.texts["rent"].setText("430")
    editor.boxes["status"].setCurrentIndex(editor.boxes["status"].findData("proposed"))
    save(qtbot, editor)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert column_values(dwellings, "status_label") == ["proposé"]
    assert dwellings.detail.values()["Loyer"] == "430,00\u00a0€"


def test_filter_lists_are_refreshed_after_an_import(
    qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, dwellings: DwellingsPage
) -> None:
    box = dwellings.filter_boxes["commune_id"]
    box.setCurrentIndex(box.findText("Metz"))
    path = tmp_path / "logements.csv"
    path.write_text("Référence;Code INSEE;Typologie;Financement;Loyer (€)\n"
                    "X-1;57480;T2;PLUS;300\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "")))
    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info",
                        lambda parent, text, title="": infos.append(text))
    qtbot.mouseClick(dwellings.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert [box.itemText(i) for i in range(box.count())] == [
        "Toutes communes", "Metz", "Montigny-lès-Metz"]
    assert box.currentText() == "Metz"  # kept
    assert column_values(dwellings, "reference") == ["MET-100"]


def test_editor_cell_items_are_editable_text(qtbot, refs: Engine) -> None:
    """The household table takes typed text (dates are read by the import's parser)."""
    editor = DemandeEditor(refs)
    qtbot.addWidget(editor)
    item = editor.household.members_table.item(0, 3)
    assert isinstance(item, QTableWidgetItem)
    assert item.flags() & Qt.ItemFlag.ItemIsEditable
    assert editor.household.members()[0].role == "applicant"
