"""The missing-tables banner in the séance workspace and on the Indicateurs page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import Engine

from caleol.services import sessions as svc
from caleol.services.territory.missing import MissingTables
from caleol.settings import Settings
from caleol.ui.pages.indicators_page import IndicatorsPage
from caleol.ui.pages.session.workspace import SessionWorkspace
from caleol.ui.tasks import TaskRunner
from caleol.ui.widgets.missing_tables import MissingTablesBanner
from tests.services.sessions_factory import SESSION_DATE, add_dwelling_row, build_world

QUARTILES = ("siren_epci;annee;seuil;source\n"
             "200039865;2026;10105,40;arrêté préfectoral du 2 février 2026\n")


def test_banner_shows_what_is_missing(qtbot, engine: Engine) -> None:
    banner = MissingTablesBanner(engine)
    qtbot.addWidget(banner)
    banner.show()
    banner.show_missing(MissingTables(2026, ("PLAI, zone autres régions",), ()))
    assert banner.isVisible()
    assert banner.label.text().startswith("Plafonds de ressources 2026 manquants : PLAI")
    assert banner.ceilings_button.isVisible() and not banner.quartiles_button.isVisible()
    banner.show_missing(MissingTables(2026))
    assert not banner.isVisible()


@pytest.fixture
def workspace(qtbot, engine: Engine) -> Iterator[tuple[SessionWorkspace, int]]:
    # A séance on an empty database (no demo): a PLAI dwelling in 2026 (PLAI tables stop at
    # 2022) in Metz Métropole, which has no 2026 threshold.
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world, financing="PLAI"))
    runner = TaskRunner()
    widget = SessionWorkspace(engine, Settings, runner)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget, session_id
    runner.wait_for_done()
    qtbot.waitUntil(lambda: not runner.running())


def test_workspace_banner_and_import(qtbot, workspace: tuple[SessionWorkspace, int],
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    widget, session_id = workspace
    assert widget.open_session(session_id)
    banner = widget.missing_tables
    assert banner.isVisible()
    assert "PLAI, zone autres régions" in banner.label.text()
    assert "Metz Métropole (SIREN 200039865)" in banner.label.text()
    assert banner.ceilings_button.text() == "Importer les plafonds…"
    source = tmp_path / "seuils.csv"
    source.write_text(QUARTILES, encoding="utf-8")
    monkeypatch.setattr(MissingTablesBanner, "ask_open_path", lambda self, title: source)
    with qtbot.waitSignal(banner.imported):
        qtbot.mouseClick(banner.quartiles_button, Qt.MouseButton.LeftButton)
    assert "Metz Métropole" not in banner.label.text()  # imported: only the PLAI table left
    assert banner.isVisible() and not banner.quartiles_button.isVisible()


def test_workspace_banner_refuses_a_file_without_source(
        qtbot, workspace: tuple[SessionWorkspace, int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    widget, session_id = workspace
    widget.open_session(session_id)
    source = tmp_path / "seuils.csv"
    source.write_text(QUARTILES.replace("arrêté préfectoral du 2 février 2026", ""), "utf-8")
    monkeypatch.setattr(MissingTablesBanner, "ask_open_path", lambda self, title: source)
    shown: list[str] = []
    monkeypatch.setattr("caleol.ui.widgets.missing_tables.messages.show_error",
                        lambda parent, error, title="": shown.append(str(error)))
    qtbot.mouseClick(widget.missing_tables.quartiles_button, Qt.MouseButton.LeftButton)
    assert shown == ["Seuils de premier quartile non importés : 1 ligne sans source.\n"
                     "- Ligne 2 : source manquante (le texte officiel qui fixe ces valeurs)."]
    assert "Metz Métropole" in widget.missing_tables.label.text()  # nothing imported


def test_indicators_page_banner(qtbot, engine: Engine, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    world = build_world(engine)
    add_dwelling_row(engine, world)
    runner = TaskRunner()
    page = IndicatorsPage(engine, runner, lambda: Settings(), today=SESSION_DATE)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: not runner.running())
    banner = page.missing_tables
    assert banner.isVisible()
    assert banner.label.text().startswith("Seuil de premier quartile 2026 manquant : Metz "
                                          "Métropole (SIREN 200039865)")
    source = tmp_path / "seuils.csv"
    source.write_text(QUARTILES, encoding="utf-8")
    monkeypatch.setattr(MissingTablesBanner, "ask_open_path", lambda self, title: source)
    qtbot.mouseClick(banner.quartiles_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    page.year_spin.setValue(2027)  # another year: its threshold is missing again
    qtbot.waitUntil(lambda: banner.isVisible())
    runner.wait_for_done()
    qtbot.waitUntil(lambda: not runner.running())
