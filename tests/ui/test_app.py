"""Composition root: which database is opened, and the window it builds."""

from __future__ import annotations

import types
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from caleol import app as app_module
from caleol import paths
from caleol.app import database
from caleol.app.database import DatabaseTarget, choose_database, describe_database
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
    target = choose_database(str(tmp_path / "cli.db"), False, settings, never_ask, no_demo)
    assert target == DatabaseTarget(database_url(str(tmp_path / "cli.db")))
    assert target.url.endswith("cli.db")


def test_settings_then_default_file(tmp_path: Path) -> None:
    target = choose_database(None, False, Settings(database_url=str(tmp_path / "s.db")),
                             never_ask, no_demo)
    assert target.url.endswith("s.db")
    paths.default_database_path().write_bytes(b"")
    target = choose_database(None, False, Settings(), never_ask, no_demo)
    # caleol's own file in its data folder: set up if empty, refused if not caleol's
    assert target == DatabaseTarget(database_url(str(paths.default_database_path())),
                                    create=True)


def test_first_start_choices() -> None:
    assert choose_database(None, False, Settings(), lambda: None, no_demo) is None
    empty = choose_database(None, False, Settings(),
                            lambda: FirstStartChoice(StartKind.EMPTY), no_demo)
    assert empty == DatabaseTarget(database_url(str(paths.default_database_path())),
                                   create=True)
    existing = choose_database(None, False, Settings(),
                               lambda: FirstStartChoice(StartKind.EXISTING, "postgresql://h/db"),
                               no_demo)
    # the chosen URL goes through database_url: psycopg 3 is named as the driver
    assert existing == DatabaseTarget("postgresql+psycopg://h/db", create=True)


DEMO = DatabaseTarget("sqlite:////demo/caleol-demo.sqlite3", demo=True)


def no_demo() -> DatabaseTarget:
    raise AssertionError("demo data must not be built unasked")


def test_demo_flag_builds_the_demo_never_the_real_database() -> None:
    target = choose_database(None, True, Settings(database_url="/real.sqlite3"), never_ask,
                             lambda: DEMO)
    assert target is DEMO


def test_first_start_demo_choice_builds_the_demo() -> None:
    target = choose_database(None, False, Settings(),
                             lambda: FirstStartChoice(StartKind.DEMO), lambda: DEMO)
    assert target is DEMO


def test_prepare_demo_runs_off_the_gui_thread(qtbot, monkeypatch) -> None:
    import threading

    from caleol.services import demo
    from caleol.ui.tasks import TaskRunner

    threads: list[int] = []
    lines: list[str] = []

    def fake_create(target, *, replace: bool, progress) -> types.SimpleNamespace:
        threads.append(threading.get_ident())
        progress("Territoire…")
        Path(target).write_bytes(b"demo")
        lines.append("done")
        return types.SimpleNamespace(url=f"sqlite:///{target}")

    monkeypatch.setattr(demo, "create_demo_database", fake_create)
    runner = TaskRunner()
    target = database.prepare_demo_database(runner)
    assert runner.wait_for_done(5000)
    demo_file = paths.demo_database_path()
    assert target == DatabaseTarget(database_url(str(demo_file)), demo=True)
    assert threads and threads[0] != threading.get_ident()
    assert lines == ["done"]


def test_prepare_demo_failure_is_raised(qtbot, monkeypatch, fail_on_log) -> None:
    import logging

    from caleol.services import demo
    from caleol.ui.tasks import TaskRunner

    fail_on_log.expect("caleol.ui.tasks", logging.WARNING, "failed")

    def refuse(target, *, replace: bool, progress) -> None:
        raise CaleolError("Cette base contient déjà des données.")

    monkeypatch.setattr(demo, "create_demo_database", refuse)
    with pytest.raises(CaleolError, match="déjà des données"):
        database.prepare_demo_database(TaskRunner())


def _fake_demo(built: list[Path]):  # the builder writes the file it is given
    def fake_create(target, *, replace: bool, progress) -> types.SimpleNamespace:
        assert replace
        progress("Territoire…")
        Path(target).write_bytes(b"demo")
        built.append(Path(target))
        return types.SimpleNamespace(url=f"sqlite:///{target}")

    return fake_create


def test_demo_is_built_once_then_reused(qtbot, monkeypatch) -> None:
    from caleol.services import demo
    from caleol.ui.tasks import TaskRunner

    built: list[Path] = []
    monkeypatch.setattr(demo, "create_demo_database", _fake_demo(built))
    final = paths.demo_database_path()
    expected = DatabaseTarget(database_url(str(final)), demo=True)
    assert database.prepare_demo_database(TaskRunner()) == expected
    # built under another name, put in place once complete
    assert built == [final.with_name(final.name + ".construction")]
    assert final.read_bytes() == b"demo" and not built[0].exists()
    assert database.prepare_demo_database(TaskRunner()) == expected  # opened, not rebuilt
    assert len(built) == 1
    final.write_bytes(b"used")
    assert database.prepare_demo_database(TaskRunner(), reset=True) == expected
    assert len(built) == 2 and final.read_bytes() == b"demo"


def test_a_failed_rebuild_keeps_the_demo_there_was(qtbot, monkeypatch, fail_on_log) -> None:
    import logging

    from caleol.services import demo
    from caleol.ui.tasks import TaskRunner

    fail_on_log.expect("caleol.ui.tasks", logging.WARNING, "failed")
    final = paths.demo_database_path()
    final.write_bytes(b"previous")

    def half_then_fail(target, *, replace: bool, progress) -> None:
        Path(target).write_bytes(b"half")
        raise CaleolError("Panne au milieu de la construction.")

    monkeypatch.setattr(demo, "create_demo_database", half_then_fail)
    with pytest.raises(CaleolError, match="Panne"):
        database.prepare_demo_database(TaskRunner(), reset=True)
    assert final.read_bytes() == b"previous"


def test_reset_is_passed_down_and_needs_demo(monkeypatch, capsys) -> None:
    from caleol import cli

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(app_module, "run_gui",
                        lambda db=None, demo=False, reset=False: calls.append((db, demo, reset))
                        or 0)
    assert cli.main(["--demo", "--reset"]) == 0
    assert calls == [(None, True, True)]
    with pytest.raises(SystemExit) as caught:
        cli.main(["--reset"])
    assert caught.value.code == 2
    assert "--reset ne s'emploie qu'avec --demo" in capsys.readouterr().err


def test_the_demo_window_says_it_is_the_demo(qtbot, tmp_path: Path, sqlite_engine) -> None:
    demo_file = sqlite_engine.url.database
    sqlite_engine.dispose()
    started = app_module.start(
        demo=True, settings_file=tmp_path / "s.json", ask=never_ask,
        build_demo=lambda: DatabaseTarget(f"sqlite:///{demo_file}", demo=True))
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        assert window.windowTitle().endswith("(démonstration)")
        qtbot.waitUntil(lambda: ctx.opened)
        assert ctx.engine is not None
        assert "Base de démonstration" in window.statusBar().currentMessage() or any(
            "Base de démonstration" in label.text()
            for label in window.statusBar().findChildren(QLabel))
    finally:
        window.close()


def test_start_quits_when_the_user_declines_the_first_start(qtbot, tmp_path: Path) -> None:
    assert app_module.start(settings_file=tmp_path / "s.json", ask=lambda: None) is None


def test_start_builds_every_page(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(database, "open_database", lambda target, settings: None)
    started = app_module.start(db=str(tmp_path / "x.sqlite3"),
                               settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Séances", "Logements", "Demandes", "Indicateurs", "Référentiels",
                      "Paramètres"]
    assert ctx.target.url.endswith("x.sqlite3")
    # shown before the database is opened, which happens on the next turn of the loop
    assert window.isVisible() and not ctx.opened
    qtbot.waitUntil(lambda: ctx.opened)
    # without an engine the window opens on Paramètres so the user can fix it
    assert window.current_page().page_id == "settings"
    assert window.database_label.text() == "Aucune base ouverte"
    window.show_page("indicators")
    lazy = window.page("indicators")
    assert lazy.built and "Aucune base de données" in lazy.content.findChild(
        QLabel, "placeholderNote").text()


def test_start_opens_a_new_sqlite_database(qtbot, tmp_path: Path) -> None:
    from caleol.db.engine import open_database as create_database

    db = tmp_path / "agence.sqlite3"
    create_database(str(db), create=True).dispose()  # a new, empty caleol database
    started = app_module.start(db=str(db), settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        # the status bar names the file at once; the screens wait for the database
        assert window.database_label.text() == f"Base : {db}"
        sessions = window.page("sessions")
        assert not sessions.built and ctx.engine is None
        qtbot.waitUntil(lambda: ctx.opened)
        assert ctx.engine is not None
        assert window.current_page().page_id == "sessions"
        assert sessions.built  # the page shown is built once the database is open...
        assert not window.page("indicators").built  # ...the others when first shown
        window.show_page("demandes")
        assert window.page("demandes").built
        assert window.page("demandes").search_field() is not None  # Ctrl+F reaches it
        for page in window.pages():  # every screen builds on a real (empty) database
            window.show_page(page.page_id)
            content = getattr(page, "content", page)
            assert type(content).__name__ != "PlaceholderPage", page.page_id
    finally:
        window.close()  # disposes the engine and stops the task runner


def test_a_missing_file_given_to_db_is_not_created(qtbot, tmp_path: Path,
                                                   monkeypatch) -> None:
    """`caleol --db faute.sqlite3`: a typo never becomes a new empty base (issue 16)."""
    shown: list[str] = []
    monkeypatch.setattr("caleol.ui.messages.show_error",
                        lambda parent, exc, *a, **k: shown.append(str(exc)))
    db = tmp_path / "faute.sqlite3"
    started = app_module.start(db=str(db), settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: ctx.opened)
    assert shown == [f"Base de données introuvable : {db}"]
    assert ctx.engine is None and not db.exists()
    assert window.current_page().page_id == "settings"


def test_database_failure_opens_settings(qtbot, tmp_path: Path, monkeypatch) -> None:
    def refuse(target, settings):
        raise CaleolError("Base illisible : fichier corrompu.")

    shown: list[str] = []
    monkeypatch.setattr(database, "open_database", refuse)
    monkeypatch.setattr("caleol.ui.messages.show_error",
                        lambda parent, exc, *a, **k: shown.append(str(exc)))
    started = app_module.start(db=str(tmp_path / "x.sqlite3"),
                               settings_file=tmp_path / "s.json", ask=never_ask)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: ctx.opened)
    assert shown == ["Base illisible : fichier corrompu."]
    assert window.current_page().page_id == "settings"
    assert window.database_label.text() == "Aucune base ouverte"


def test_demo_lends_its_certificate_without_touching_the_settings_file(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    from caleol import settings as settings_module
    from caleol.services.demo import demo_certificate_path

    p12 = demo_certificate_path()
    p12.parent.mkdir(parents=True, exist_ok=True)
    p12.write_bytes(b"p12")
    p12.with_suffix(".pem").write_bytes(b"pem")
    settings_file = tmp_path / "s.json"
    settings_module.save(Settings(trusted_certificates=("/srv/pki/ac.pem",)), settings_file)
    monkeypatch.setattr(database, "open_database", lambda target, settings: None)
    started = app_module.start(
        demo=True, settings_file=settings_file, ask=never_ask,
        build_demo=lambda: DatabaseTarget("sqlite:////tmp/demo.sqlite3", demo=True))
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    assert ctx.settings.signing_certificate == str(p12)
    assert ctx.settings.trusted_certificates == ("/srv/pki/ac.pem",
                                                 str(p12.with_suffix(".pem")))
    on_disk = settings_module.load(settings_file)
    assert on_disk.signing_certificate == ""
    assert on_disk.trusted_certificates == ("/srv/pki/ac.pem",)
    # Paramètres edits the file's values, not the ones lent to the demo
    qtbot.waitUntil(lambda: ctx.opened)
    window.show_page("settings")
    page = window.page("settings").content
    assert page.trusted_edit.toPlainText() == "/srv/pki/ac.pem"
