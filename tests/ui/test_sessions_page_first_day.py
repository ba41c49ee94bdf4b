"""The Séances page on the first day: with no séance yet, « Ouvrir la séance » is not
offered and « Nouvelle séance… » is the button Entrée presses (under Xvfb, after the
setup assistant, the highlighted button was « Ouvrir la séance », which did nothing,
while the status bar said to create the first séance)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from services.organisation_factory import build_organisation
from sqlalchemy import Engine

from caleol.services import organisation as org
from caleol.services import sessions
from caleol.settings import Settings
from caleol.ui.pages.sessions_page import SessionsPage
from caleol.ui.tasks import TaskRunner


def test_no_seance_yet_offers_the_new_one(qtbot, sqlite_engine: Engine) -> None:
    build_organisation(sqlite_engine)
    page = SessionsPage(sqlite_engine, Settings(), TaskRunner())
    qtbot.addWidget(page)
    page.show()
    assert not page.open_button.isEnabled()
    assert page.new_button.isDefault() and not page.open_button.isDefault()
    commission = org.list_commissions(sqlite_engine)[0]
    sessions.create_session(sqlite_engine, commission.id, date(2027, 1, 14), place="Salle")
    page.refresh()
    assert page.open_button.isEnabled() and page.open_button.isDefault()
    assert not page.new_button.isDefault()
    page.view.clearSelection()
    assert not page.open_button.isEnabled()
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.view.visualRect(page.model.index(0, 0)).center())
    assert page.open_button.isEnabled()
