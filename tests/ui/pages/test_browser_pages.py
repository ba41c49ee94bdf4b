"""Logements and Demandes browsers driven with real widgets over a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from db.factories import make_commune, make_demande, make_dwelling
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import Engine, insert
from ui.pages.browser_driving import click_row, column_values, show_browser

from caleol.db.engine import session_scope
from caleol.db.models import Demande
from caleol.services.browse import DemandeBrowser, DwellingBrowser
from caleol.ui.pages.demandes_page import DemandesPage
from caleol.ui.pages.dwellings_page import DwellingsPage


@pytest.fixture
def demandes_page(qtbot, engine: Engine) -> DemandesPage:
    with session_scope(engine) as s:
        make_demande(s, nur="057240100001", applicant_surname="Durand",
                     applicant_first_names="Élodie", children=2, wished_typologies="T3")
        make_demande(s, nur="057230200002", applicant_surname="Martin",
                     applicant_first_names="Paul", children=0, dalo=True,
                     filing_date=dt.date(2023, 2, 1), wished_typologies="T2")
        make_demande(s, nur="054240300003", applicant_surname="Lefèvre",
                     applicant_first_names="Lucie", filing_date=dt.date(2024, 3, 1))
    return show_browser(qtbot, DemandesPage(DemandeBrowser(engine, today=dt.date(2025, 6, 20))))


def test_demandes_list_loads_when_shown(demandes_page: DemandesPage, qtmodeltester) -> None:
    assert demandes_page.count_label.text() == "3 demandes"
    # default order: oldest filing first (longest wait)
    assert column_values(demandes_page, "nur") == ["057230200002", "057240100001",
                                                   "054240300003"]
    assert column_values(demandes_page, "priority")[0] == "DALO"
    qtmodeltester.check(demandes_page.model)


def test_typing_a_name_filters_in_sql(qtbot, demandes_page: DemandesPage) -> None:
    with qtbot.waitSignal(demandes_page.model.count_changed) as blocker:
        qtbot.keyClicks(demandes_page.search_edit, "durand")
    assert blocker.args == [1]
    assert demandes_page.count_label.text() == "1 demande"
    assert column_values(demandes_page, "name") == ["DURAND Élodie"]
    with qtbot.waitSignal(demandes_page.model.count_changed):
        demandes_page.search_edit.clear()
    assert demandes_page.model.rowCount() == 3


def test_enter_searches_at_once_by_nur(qtbot, demandes_page: DemandesPage) -> None:
    qtbot.keyClicks(demandes_page.search_edit, "054")
    qtbot.keyClick(demandes_page.search_edit, Qt.Key.Key_Return)
    assert column_values(demandes_page, "nur") == ["054240300003"]


def test_priority_filter_box(qtbot, demandes_page: DemandesPage) -> None:
    box = demandes_page.filter_boxes["priority"]
    assert box.itemText(0) == "Toutes priorités"
    box.setCurrentIndex(box.findText("DALO"))
    assert column_values(demandes_page, "nur") == ["057230200002"]
    assert demandes_page.current_filters().priority == "dalo"


def test_clicking_a_row_shows_the_household(qtbot, demandes_page: DemandesPage) -> None:
    click_row(qtbot, demandes_page, 1)  # DURAND Élodie
    values = demandes_page.detail.values()
    assert values["NUR"] == "057240100001"
    assert values["Ancienneté"] == "17 mois"  # 15/01/2024 → 20/06/2025
    tables = demandes_page.detail.findChildren(type(demandes_page.table))
    assert [t.model().rowCount() for t in tables] == [3, 1]  # 3 persons, 1 resource


def test_header_click_sorts_through_the_query(qtbot, demandes_page: DemandesPage) -> None:
    header = demandes_page.table.horizontalHeader()
    col = demandes_page.model.column_index("name")
    x = header.sectionViewportPosition(col) + header.sectionSize(col) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().center().__class__(x, header.height() // 2))
    assert demandes_page.model.sort_spec.key == "name"
    assert column_values(demandes_page, "name") == ["DURAND Élodie", "LEFÈVRE Lucie",
                                                    "MARTIN Paul"]


def test_large_list_is_fetched_page_by_page(qtbot, engine: Engine) -> None:
    rows = [{"nur": f"0572401{i:05d}", "filing_date": dt.date(2024, 1, 1),
             "applicant_surname": f"Nom{i:04d}", "applicant_first_names": "Alex",
             "status": "active", "wished_typologies": "", "version": 1}
            for i in range(450)]
    with engine.begin() as connection:
        connection.execute(insert(Demande), rows)
    page = DemandesPage(DemandeBrowser(engine))
    show_browser(qtbot, page, 1000, 600)
    assert page.count_label.text() == "450 demandes"
    assert page.model.rowCount() == 200
    page.table.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() == 400)
    assert page.model.canFetchMore(QModelIndex())


def test_dwellings_page_filters_by_commune(qtbot, engine: Engine) -> None:
    with session_scope(engine) as s:
        metz = make_commune(s, name="Metz")
        nancy = make_commune(s, name="Nancy")
        make_dwelling(s, reference="MET-1", commune_id=metz.id, surface_dm2=6540)
        make_dwelling(s, reference="NAN-1", commune_id=nancy.id)
    page = DwellingsPage(DwellingBrowser(engine))
    qtbot.addWidget(page)
    with qtbot.waitExposed(page):
        page.show()
    page.activated()
    assert page.count_label.text() == "2 logements"
    assert column_values(page, "surface_m2")[0] == "65,40\u00a0m²"
    box = page.filter_boxes["commune_id"]
    assert [box.itemText(i) for i in range(box.count())] == ["Toutes communes", "Metz", "Nancy"]
    box.setCurrentIndex(2)
    assert column_values(page, "reference") == ["NAN-1"]
    click_row(qtbot, page, 0)
    assert page.detail.values()["Référence"] == "NAN-1"
    box.setCurrentIndex(0)
    assert page.model.rowCount() == 2
    assert page.detail.values() == {}  # the selection went with the old list


def test_page_built_before_it_has_its_width_still_sizes_its_columns(qtbot, engine: Engine) -> None:
    """The main window builds a screen on first show, before the layout gives it its
    width: the columns are fitted once the real width arrives, the identifying ones
    whole, and the detail panel takes its width once a record is shown."""
    from caleol.ui.columns import elided_cells, fits_horizontally
    from caleol.ui.pages.browser.listing import DETAIL_WIDTH, IDENTIFYING_COLUMNS

    with session_scope(engine) as s:
        make_demande(s, nur="057240100001", applicant_surname="Durand-Schmittberger",
                     applicant_first_names="Marie-Élodie Christiane")
    page = DemandesPage(DemandeBrowser(engine, today=dt.date(2025, 6, 20)))
    qtbot.addWidget(page)
    page.activated()  # shown for the first time: not laid out yet, no real width
    page.resize(1176, 700)  # 1366 px minus the navigation
    page.show()
    qtbot.waitUntil(lambda: page.columns is not None and page.columns.is_fitted()
                    and fits_horizontally(page.table))
    assert not page.detail.isVisible()  # nothing to show: the list has the width
    assert elided_cells(page.table, range(IDENTIFYING_COLUMNS)) == []
    click_row(qtbot, page, 0)
    qtbot.waitUntil(page.detail.isVisible)
    assert page.splitter.sizes()[1] == DETAIL_WIDTH
    qtbot.waitUntil(page.columns.is_fitted)
    assert elided_cells(page.table, range(IDENTIFYING_COLUMNS)) == []
