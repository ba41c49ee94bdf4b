"""Composition root: which database is opened, and the window it builds."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from caleol import app as app_module
from caleol import paths
from caleol.app import DatabaseTarget, choose_database, describe_database
from caleol.db.engine import database_url
from caleol.errors import CaleolError
from caleol.settings import Settings
from caleol.ui.dialogs.first_start import FirstStartChoice, StartKind


def never_ask() -> None:
    raise AssertionError("the first-start dialog must not be shown")


def test_describe_database_hides_the_password() -> None:
    text = describe_database("postgresql+psycopg://alice:s3cret@serveur:5432/caleol")
    assert "s3cret" not in text
    assert "serveur" in text and "caleol" in text
    assert describe_database("sqlite:////data/caleol.sqlite3") == "/data/caleol.sqlite3"


def test_command_line_database_wins(tmp_path: Path) -> None:
    settings = Settings(database_url="/elsewhere.sqlite3")
    target = choose_database(str(tmp_path / "cli.db"), False, settings, never_ask)
    assert target == DatabaseTarget(database_url(str(tmp_path / "cli.db")))
    assert target.url.endswith("cli.db")


def test_settings_then_default_file(tmp_path: Path) -> None:
    target = choose_database(None, False, Settings(database_url=str(tmp_path / "s.db")),
                             never_ask)
    assert target.url.endswith("s.db")
    paths.default_database_path().write_bytes(b"")
    target = choose_database(None, False, Settings(), never_ask)
    assert target == DatabaseTarget(database_url(str(paths.default_database_path())))


def test_first_start_choices() -> None:
    assert choose_database(None, False, Settings(), lambda: None) is None
    empty = choose_database(None, False, Settings(),
                            lambda: FirstStartChoice(StartKind.EMPTY))
    assert empty == DatabaseTarget(database_url(str(paths.default_database_path())))
    existing = choose_database(None, False, Settings(),
                               lambda: FirstStartChoice(StartKind.EXISTING, "postgresql://h/db"))
    assert existing == DatabaseTarget("postgresql://h/db")


def test_demo_without_generator_is_a_french_message(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "caleol.services.demo", None)  # import fails
    with pytest.raises(CaleolError, match="démonstration"):
        choose_database(None, True, Settings(), never_ask)


def test_demo_is_rebuilt_in_its_own_file(monkeypatch) -> None:
    built: list[str] = []
    fake = types.ModuleType("caleol.services.demo")
    fake.build_demo_database = built.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "caleol.services.demo", fake)
    import caleol.services

    monkeypatch.setattr(caleol.services, "demo", fake, raising=False)
    stale = paths.demo_database_path()
    stale.write_bytes(b"old demo")
    target = choose_database(None, True, Settings(database_url="/real.sqlite3"), never_ask)
    assert target.demo
    assert target.url == database_url(str(stale))
    assert built == [target.url]
    assert not stale.exists()  # the old demo file was removed before rebuilding
    assert "real" not in target.url  # never the user's own database


def test_start_quits_when_the_user_declines_the_first_start(qtbot, tmp_path: Path) -> None:
    assert app_module.start(settings_file=tmp_path / "s.json", ask=lambda: None) is None


def test_start_builds_every_page(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(app_module, "open_database", lambda target, settings: None)
    started = app_module.start(db=str(tmp_path / "x.sqlite3"),
                               settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Séances", "Logements", "Demandes", "Indicateurs", "Référentiels",
                      "Paramètres"]
    assert ctx.target.url.endswith("x.sqlite3")
    # without an engine the window opens on Paramètres so the user can fix it
    assert window.current_page().page_id == "settings"
    assert window.database_label.text() == "Aucune base ouverte"


def test_start_opens_a_new_sqlite_database(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "agence.sqlite3"
    started = app_module.start(db=str(db), settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        assert db.is_file()  # created with its schema by caleol.db.engine
        assert ctx.engine is not None
        assert window.database_label.text() == f"Base : {db}"
        assert window.current_page().page_id == "sessions"
    finally:
        window.close()  # disposes the engine and stops the task runner
