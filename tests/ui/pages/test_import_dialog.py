"""« Importer un fichier CSV… » on the Logements and Demandes pages, end to end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import Engine
from ui.pages.browser_driving import show_browser

from caleol.services.browse import DemandeBrowser, DwellingBrowser
from caleol.ui import messages
from caleol.ui.pages.demandes_page import DemandesPage
from caleol.ui.pages.dwellings_page import DwellingsPage
from caleol.ui.tasks import TaskRunner

HEADER = "Référence;Code INSEE;Commune;Code postal;Typologie;Financement;Loyer (€)\n"
GOOD = HEADER + "X-1;57001;Aboncourt;57920;T2;PLUS;300\nX-2;57001;Aboncourt;57920;T3;PLUS;412,50\n"
# line 1 is the header: the bad typology « T9 » is on line 3
_FINISHED_TASKS: list[object] = []  # see test_indicators_page: freed Tasks' addresses reused

BAD = HEADER + "X-1;57001;Aboncourt;57920;T2;PLUS;300\nX-2;57001;Aboncourt;57920;T9;PLUS;400\n"


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait_for_done()
    qtbot.waitUntil(lambda: not runner.running())


@pytest.fixture
def page(qtbot, sqlite_engine: Engine, runner: TaskRunner) -> Iterator[DwellingsPage]:
    page = show_browser(qtbot, DwellingsPage(DwellingBrowser(sqlite_engine),
                                             engine=sqlite_engine, runner=runner))
    yield page
    if page.import_task is not None:
        _FINISHED_TASKS.append(page.import_task)


def choose(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "logements.csv"
    path.write_text(text, encoding="utf-8")
    filters: list[str] = []

    def fake_dialog(parent: object, caption: str, directory: str,
                    filter_text: str, options: object = None) -> tuple[str, str]:
        filters.append(filter_text)
        return str(path), filter_text

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    return filters


def test_good_file_is_imported_and_listed(qtbot, monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path, page: DwellingsPage) -> None:
    filters = choose(monkeypatch, tmp_path, GOOD)
    infos: list[str] = []
    monkeypatch.setattr(messages, "show_info",
                        lambda parent, text, title="": infos.append(text))
    assert page.model.rowCount() == 0
    assert page.import_button is not None
    assert page.import_button.text() == "Importer un fichier CSV…"
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(infos), timeout=20_000)
    assert filters == ["Fichiers CSV (*.csv)"]
    # 2 data lines, both new: 2 read, 2 created, 0 updated, 0 unchanged
    assert infos == ["Import des logements (logements.csv) : 2 lignes lues, 2 créées, "
                     "0 mise à jour, 0 inchangée."]
    model = page.model
    col = model.column_index("reference")
    assert sorted(model.index(r, col).data() for r in range(model.rowCount())) == ["X-1", "X-2"]
    assert page.count_label.text() == "2 logements"
    assert page.import_report_dialog is None


def test_bad_file_shows_every_bad_row_and_imports_nothing(
        qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: DwellingsPage,
        fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.tasks", text="Import des logements refusé")
    choose(monkeypatch, tmp_path, BAD)
    monkeypatch.setattr(messages, "show_info",
                        lambda *a, **k: pytest.fail("no success message on a refused file"))
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.import_report_dialog is not None
                    and page.import_report_dialog.isVisible(), timeout=20_000)
    dialog = page.import_report_dialog
    assert dialog is not None
    report = dialog.report_view.toPlainText()
    assert dialog.report_view.isReadOnly()
    assert "ligne 3, colonne « Typologie » : Typologie inconnue « T9 »" in report
    assert "aucune ligne n'a été enregistrée" in dialog.headline.text()
    # all or nothing: the valid line 2 was not written either
    page.reload()
    assert page.model.rowCount() == 0
    assert page.count_label.text() == "0 logement"
    dialog.close()


def test_demandes_page_gets_the_button_only_with_an_engine(
        qtbot, sqlite_engine: Engine, runner: TaskRunner) -> None:
    with_import = DemandesPage(DemandeBrowser(sqlite_engine), engine=sqlite_engine,
                               runner=runner)
    without = DemandesPage(DemandeBrowser(sqlite_engine))
    qtbot.addWidget(with_import)
    qtbot.addWidget(without)
    assert with_import.import_button is not None
    assert with_import.import_button.text() == "Importer un fichier CSV…"
    assert without.import_button is None
