"""Composition root: builds settings, logging, engine, services and the main window once.

Nothing else in the application reaches for a global: every page receives what it
needs here, through its constructor (STYLE.md, « no service locator »). Which
database is opened is `database`, what the screens are given `context`, the screens
themselves `screens`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from caleol import __version__
from caleol import settings as settings_module
from caleol.app import database, screens
from caleol.app.context import AppContext, session_settings, task_runner
from caleol.app.database import DatabaseTarget, describe_database
from caleol.errors import CaleolError

log = logging.getLogger(__name__)


def build_main_window(ctx: AppContext) -> Any:
    """The window with every screen; those needing the database are built when shown."""
    from caleol.ui.main_window import MainWindow
    from caleol.ui.pages.base import LazyPage

    label = describe_database(ctx.target.url) if ctx.target is not None else ""
    window = MainWindow(label, demo=bool(ctx.target and ctx.target.demo))
    for page_id, title, build in screens.page_builders(ctx, window):
        window.add_page(LazyPage(page_id, title, build))
    settings_page = LazyPage("settings", window.tr("Paramètres"),
                             lambda: screens.settings_page(ctx))
    settings_page.allow()  # needs no database
    window.add_page(settings_page)
    return window


def show_light_list(ctx: AppContext, window: Any) -> bool:
    """Fill the Séances list from its light read, before the database is opened.

    The list is what the secretary looks at first; read with sqlite3 (or psycopg) on
    a read-only connection, it shows a fraction of a second after the window, while
    opening the database fully (SQLAlchemy, schema check, audit hooks) takes most of
    a second more. Shown, but nothing can be done with it until `open_in_window`.

    Returns:
        False when the light read was not possible (another schema, no file, a lock):
        the list then waits for the full open, as before.
    """
    if ctx.target is None:
        return False
    from caleol.services.session_list import light_sessions

    rows = light_sessions(ctx.target.url)
    if rows is None:
        return False
    window.page("sessions").build_early(lambda: screens.sessions_while_opening(ctx, rows))
    window.statusBar().showMessage(window.tr("Ouverture de la base de données…"))
    return True


def open_in_window(ctx: AppContext, window: Any) -> None:
    """Open the database once the window is on screen, then let its screens be built.

    Importing SQLAlchemy and checking the schema take a second on an office PC; the
    window is already shown (« Ouverture de la base de données… ») meanwhile, with the
    Séances list when its light read succeeded (`show_light_list`). If the database
    cannot be opened, that list goes before the error is shown.
    """
    from caleol.ui.pages.base import LazyPage

    if ctx.target is not None:
        try:
            ctx.engine = database.open_database(ctx.target, ctx.settings)
        except Exception as exc:
            for page in window.pages():
                if isinstance(page, LazyPage):
                    page.discard()  # the rows read early are not of a base caleol can open
            _report(window, exc)
        else:
            try:
                log.info("database: %s", describe_database(ctx.target.url))
                database.warn_network_database(ctx.target, window)
                database.warn_rewritten_log(ctx.engine, window)
            except Exception as exc:
                _report(window, exc)
    window.statusBar().clearMessage()
    if ctx.engine is None:
        window.set_database_label("")
    else:
        screens.database_opened(ctx, window)
    for page in window.pages():
        if isinstance(page, LazyPage):
            page.allow()
    ctx.opened = True
    if ctx.engine is None:
        window.show_page("settings")
    else:
        current = window.current_page()
        if current is not None:
            current.activated()
        if ctx.target is not None and ctx.target.create and not ctx.target.demo:
            from caleol.ui.dialogs.setup_wizard.launch import offer_setup

            offer_setup(ctx, window)  # a new or still empty base: its organisation first


def _report(window: Any, exc: Exception) -> None:
    """An expected failure (`CaleolError`) said in French; anything else is a bug,
    reported, and the window still opens (on Paramètres when there is no database)."""
    from caleol.ui import messages

    if isinstance(exc, CaleolError):
        messages.show_error(window, exc)
    else:
        messages.report_exception(exc)


def _light_then_open(ctx: AppContext, window: Any) -> None:
    """The Séances list from its light read, painted, then the database opened."""
    from PySide6.QtCore import QTimer

    if show_light_list(ctx, window):
        QTimer.singleShot(0, window, lambda: open_in_window(ctx, window))
    else:
        open_in_window(ctx, window)


def _install_translations(app: Any) -> None:
    """Qt's own strings (Annuler, Oui, Non, file and print dialogs) in French."""
    from caleol.ui.translations import install_french

    install_french(app)


def create_application() -> Any:
    from PySide6.QtWidgets import QApplication

    from caleol.ui.qt_sources import spare_source_cache

    spare_source_cache()  # before the screens' modules are imported
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        app = QApplication(["caleol"])
        _install_translations(app)
    app.setApplicationName("caleol")
    app.setOrganizationName("caleol")
    app.setApplicationVersion(__version__)
    from caleol.ui.icons import application_icon

    app.setWindowIcon(application_icon())
    app.setDesktopFileName("caleol")
    return app


def start(db: str | None = None, demo: bool = False, *,
          reset: bool = False,
          settings_file: Path | None = None,
          ask: Callable[[], Any] | None = None,
          build_demo: Callable[[], DatabaseTarget] | None = None,
          ) -> tuple[AppContext, Any] | None:
    """Everything `run_gui` does before entering the event loop (tested directly).

    The window is shown before the database is opened (`show_light_list` then
    `open_in_window`, queued on the event loop): wait for `ctx.opened` before using
    `ctx.engine`.

    Returns:
        The context and the shown main window, or None if the user quit at the first
        start.
    """
    from caleol import logs
    from caleol.ui import messages

    settings_file = settings_file or settings_module.settings_path()
    settings = settings_module.load(settings_file)
    ctx = AppContext(settings=settings, settings_file=settings_file,
                     log_file=logs.log_file_path())

    def ask_first_start() -> Any:
        from caleol.ui.dialogs.first_start import FirstStartDialog

        dialog = FirstStartDialog()
        dialog.exec()
        return dialog.choice

    try:
        ctx.target = database.choose_database(
            db, demo, settings, ask or ask_first_start,
            build_demo or (lambda: database.prepare_demo_database(task_runner(ctx),
                                                              reset=reset)))
        if ctx.target is None and not demo:
            log.info("no database chosen at first start; quitting")
            return None
        ctx.settings = session_settings(ctx.target, ctx.settings)
    except CaleolError as exc:
        messages.show_error(None, exc)
    except Exception as exc:  # a bug: report it, still open the window on Paramètres
        messages.report_exception(exc)
    window = build_main_window(ctx)
    window.closing.connect(lambda: _shutdown(ctx))
    _show_sized(window)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window, lambda: _light_then_open(ctx, window))
    return ctx, window


def _show_sized(window: Any) -> None:
    """Fit the screen: maximised on a 1366×768 laptop, 1280×800 on larger screens."""
    screen = window.screen()
    available = screen.availableGeometry() if screen is not None else None
    if available is not None and (available.width() <= 1400 or available.height() <= 800):
        window.resize(available.width(), available.height())
        window.showMaximized()
    else:
        window.resize(1280, 800)
        window.show()


def _shutdown(ctx: AppContext) -> None:
    if ctx.tasks is not None:
        ctx.tasks.cancel_all()
        ctx.tasks.wait_for_done()
    if ctx.engine is not None and hasattr(ctx.engine, "dispose"):
        ctx.engine.dispose()
    log.info("caleol stopped")


def run_gui(db: str | None = None, demo: bool = False, reset: bool = False) -> int:
    """Entry point of `caleol` without a sub-command (`reset`: rebuild the demo)."""
    import sys

    from caleol import logs
    from caleol.ui import platform_check

    # Before PySide6 is imported: Qt's own failure would be an English abort.
    trouble = platform_check.problem()
    if trouble:
        sys.stderr.write(trouble)
        return 1
    try:
        from caleol.ui import messages
    except ImportError as exc:  # a system library the check does not know of
        sys.stderr.write(platform_check.import_problem(exc))
        return 1

    log_file = logs.configure_logging()
    log.info("caleol %s starting", __version__)
    app = create_application()
    restore_qt_handler = logs.install_qt_message_handler()
    hook = messages.install_excepthook(log_file)
    try:
        started = start(db, demo, reset=reset)
        if started is None:
            return 0
        from caleol.ui import smoke

        shot = smoke.requested()  # packaging/windows/build.sh: the built program's own grab
        if shot is not None:
            ctx, window = started
            smoke.schedule_screenshot(window, lambda: ctx.opened, shot)
        return int(app.exec())
    finally:
        hook.uninstall()
        restore_qt_handler()
        logs.flush_logging()

