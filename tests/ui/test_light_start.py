"""Cold start: the Séances list from its light read, then the database opened (issue 19).

The window shows the list read with sqlite3 before SQLAlchemy is imported; nothing
can be done with it until `open_in_window` has opened the database. These tests stop
the start between the two (at the call of `open_in_window`) to look at the window.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from caleol import app as app_module
from caleol.app import database
from caleol.db.engine import database_url, open_database
from caleol.errors import CaleolError
from caleol.services import session_list
from caleol.services import sessions as svc
from caleol.services.demo import create_demo_database
from caleol.ui.pages.base import LazyPage, PlaceholderPage
from caleol.ui.pages.sessions_page import SessionsPage

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    create_demo_database(path, today=TODAY, certificate=False)
    return path


@pytest.fixture
def demo(demo_source: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.sqlite3"
    shutil.copy(demo_source, copy)
    return copy


def never_ask() -> None:
    raise AssertionError("the first-start dialog must not be shown")


class Paused:
    """`open_in_window` held back: what the window shows before the database opens."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = app_module.open_in_window
        self.calls: list[tuple[Any, Any]] = []
        self.list_on_screen: list[bool] = []  # as soon as the light read is done
        light = app_module.show_light_list

        def show_light_list(ctx: Any, window: Any) -> bool:
            shown = light(ctx, window)
            page = sessions_content(window)  # before any event: it is painted at once
            self.list_on_screen.append(page is not None and page.isVisible())
            return shown

        monkeypatch.setattr(app_module, "show_light_list", show_light_list)
        monkeypatch.setattr(app_module, "open_in_window",
                            lambda ctx, window: self.calls.append((ctx, window)))

    def resume(self) -> None:
        ctx, window = self.calls.pop()
        self.real(ctx, window)


def start(qtbot, db: Path, tmp_path: Path) -> tuple[Any, Any]:
    started = app_module.start(db=str(db), settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    return ctx, window


def sessions_content(window: Any) -> Any:
    page = window.page("sessions")
    assert isinstance(page, LazyPage)
    return page.content if page.built else None


def test_the_list_shows_before_the_open_and_waits_for_it(qtbot, demo: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    paused = Paused(monkeypatch)
    ctx, window = start(qtbot, demo, tmp_path)
    try:
        qtbot.waitUntil(lambda: bool(paused.calls))
        assert ctx.engine is None and not ctx.opened
        page = sessions_content(window)
        assert isinstance(page, SessionsPage) and page.opening
        assert paused.list_on_screen == [True]  # painted before the open blocks the loop
        engine = open_database(database_url(str(demo)))
        try:  # the ORM's own reading of each séance, most recent first
            expected = tuple(sorted((svc.session_detail(engine, row.id).summary
                                     for row in svc.list_sessions(engine)),
                                    key=lambda s: (s.date, s.id), reverse=True))
        finally:
            engine.dispose()
        assert len(expected) > 5 and tuple(page.model.rows()) == expected
        # visibly not actionable: buttons off, said in the list and the status bar
        assert not page.open_button.isEnabled() and not page.new_button.isEnabled()
        assert "ouverture de la base" in page.count_label.text()
        assert window.statusBar().currentMessage() == "Ouverture de la base de données…"
        assert not window.page("sessions").start_new()  # Ctrl+N: nothing yet
        # a double-click (or Entrée) on a row before the open is ignored
        index = page.model.index(0, 0)
        page.view.doubleClicked.emit(index)
        page.view.activated.emit(index)
        assert page.stack.currentWidget() is page.list_widget
        assert page._workspace is None and not page.open_session(expected[0].id)

        paused.resume()
        assert ctx.opened and ctx.engine is not None
        assert sessions_content(window) is page and not page.opening  # the same list
        assert tuple(page.model.rows()) == expected
        assert page.open_button.isEnabled() and page.new_button.isEnabled()
        assert "ouverture" not in page.count_label.text()
        assert window.statusBar().currentMessage() == ""
        page.view.doubleClicked.emit(index)  # now the same double-click opens the séance
        assert page.stack.currentWidget() is page.workspace
        assert page.workspace.detail.summary.id == expected[0].id
    finally:
        window.close()


def test_a_failed_open_clears_the_list_before_the_error(qtbot, demo: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    paused = Paused(monkeypatch)
    ctx, window = start(qtbot, demo, tmp_path)
    qtbot.waitUntil(lambda: bool(paused.calls))
    assert isinstance(sessions_content(window), SessionsPage)

    def refuse(target: Any, settings: Any) -> None:
        raise CaleolError("Base illisible : fichier corrompu.")

    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr(database, "open_database", refuse)
    monkeypatch.setattr("caleol.ui.messages.show_error", lambda parent, exc, *a, **k:
                        seen.append((str(exc), sessions_content(window))))
    paused.resume()
    assert seen == [("Base illisible : fichier corrompu.", None)]  # the rows went first
    assert ctx.opened and ctx.engine is None
    assert window.current_page().page_id == "settings"
    window.show_page("sessions")
    assert isinstance(sessions_content(window), PlaceholderPage)
    window.close()


def test_another_schema_waits_for_the_full_open(qtbot, demo: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_list, "packaged_head", lambda: "0000_ailleurs")
    paused = Paused(monkeypatch)
    _ctx, window = start(qtbot, demo, tmp_path)
    try:
        qtbot.waitUntil(lambda: bool(paused.calls))
        assert not window.page("sessions").built  # « Ouverture de la base de données… »
        assert paused.list_on_screen == [False]
        paused.resume()
        page = sessions_content(window)
        assert isinstance(page, SessionsPage) and not page.opening
        assert page.model.rowCount() > 0 and page.open_button.isEnabled()
    finally:
        window.close()


def test_a_base_a_landlord_set_up_shows_an_empty_list(qtbot, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from caleol.services import organisation as org

    db = tmp_path / "bailleur.sqlite3"
    engine = open_database(str(db), create=True)
    org.apply_setup_file(engine, Path(__file__).resolve().parents[2] / "docs"
                         / "exemple-organisation.toml")
    with engine.connect() as connection:  # nothing else in it
        assert connection.execute(text("SELECT count(*) FROM commission_session")).scalar() == 0
    engine.dispose()
    paused = Paused(monkeypatch)
    ctx, window = start(qtbot, db, tmp_path)
    try:
        qtbot.waitUntil(lambda: bool(paused.calls))
        page = sessions_content(window)
        assert isinstance(page, SessionsPage) and page.model.rowCount() == 0
        assert page.count_label.text().startswith("0 séance")
        paused.resume()
        assert ctx.engine is not None and page.model.rowCount() == 0
        assert page.new_button.isEnabled() and not page.open_button.isEnabled()
    finally:
        window.close()
