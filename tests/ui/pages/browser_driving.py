"""Driving a Logements or Demandes browser as the secretary does: shown, a row clicked,
a column read (shared by the browser, editor and import tests)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt

from caleol.ui.pages.browser.page import BrowserPage

P = TypeVar("P", bound=BrowserPage)


def show_browser(qtbot, page: P, width: int = 1200, height: int = 700) -> P:
    """`page` on screen and loaded, as when chosen in the navigation."""
    qtbot.addWidget(page)
    page.resize(width, height)
    with qtbot.waitExposed(page):
        page.show()
    page.activated()
    return page


def column_values(page: BrowserPage, key: str) -> list[str]:
    model = page.model
    assert model is not None
    col = model.column_index(key)
    return [model.index(r, col).data() for r in range(model.rowCount())]


def click_row(qtbot, page: BrowserPage, row: int) -> None:
    assert page.model is not None
    rect = page.table.visualRect(page.model.index(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
