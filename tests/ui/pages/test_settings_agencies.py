"""Paramètres' « Agence » list offers the agencies recorded in the database (issue 17:
it was empty on a real base, filled with the demo's towns in the code)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from caleol.app.context import AppContext
from caleol.app.screens import agency_names
from caleol.services.organisation.agencies import save_agency, set_agency_active
from caleol.services.organisation.records import AgencyRecord
from caleol.settings import Settings
from caleol.ui.pages.settings_page import SettingsPage


def combo_items(page: SettingsPage) -> list[str]:
    return [page.agency_combo.itemText(i) for i in range(page.agency_combo.count())]


def test_the_list_follows_the_database(qtbot, engine: Engine, tmp_path: Path) -> None:
    ctx = AppContext(settings=Settings(agency="Siège"), settings_file=tmp_path / "s.json",
                     log_file=None)
    page = SettingsPage(ctx.settings, ctx.settings_file, agencies=lambda: agency_names(ctx))
    qtbot.addWidget(page)
    assert combo_items(page) == [""]  # no database open yet: nothing invented
    assert page.agency_combo.currentText() == "Siège"  # what is set stays
    ctx.engine = engine
    save_agency(engine, AgencyRecord("MET", "Agence de Metz"))
    closed = save_agency(engine, AgencyRecord("NAN", "Agence de Nancy"))
    set_agency_active(engine, closed.id, False)
    page.activated()  # shown again once the database is open
    assert combo_items(page) == ["", "Agence de Metz"]  # active agencies only
    assert page.agency_combo.currentText() == "Siège"
    page.agency_combo.setCurrentIndex(1)
    assert page.agency_combo.currentText() == "Agence de Metz"
