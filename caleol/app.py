"""Composition root: builds settings, logging, engine, services and the main window once.

Nothing else in the application reaches for a global: every page receives what it
needs here, through its constructor (STYLE.md, « no service locator »).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caleol import __version__, paths
from caleol import settings as settings_module
from caleol.db.urls import database_url, sqlite_path
from caleol.errors import CaleolError
from caleol.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DatabaseTarget:
    """The database the window works on.

    Attributes:
        url: SQLAlchemy URL (`sqlite:///…` or `postgresql://…`), see
            `caleol.db.engine.database_url`.
        demo: the separate demonstration database.
        create: the user asked for a new database (« Base vide », or a new server
            database to initialise): only then may a missing or empty one be created.
    """

    url: str
    demo: bool = False
    create: bool = False


def describe_database(url: str) -> str:
    """Status-bar text: the file path, or the server URL without its password."""
    try:
        path = sqlite_path(url)
        if path is not None:
            return str(path)
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a malformed URL is reported when opening; just show its end
        return url.split("@")[-1]


@dataclass
class AppContext:
    """Everything the pages may be given; built once by `start`."""

    settings: Settings
    settings_file: Path
    log_file: Path | None
    target: DatabaseTarget | None = None
    engine: Any = None
    services: dict[str, Any] = field(default_factory=dict)
    tasks: Any = None  # caleol.ui.tasks.TaskRunner, made by `task_runner()`
    opened: bool = False  # `open_in_window` has run (the database is open, or failed)


def _session_settings(target: DatabaseTarget | None, settings: Settings) -> Settings:
    """The settings the window works with: the demo database lends its certificate."""
    if target is None or not target.demo:
        return settings
    from caleol.services.demo import demo_settings

    return demo_settings(settings)


def task_runner(ctx: AppContext) -> Any:
    """The application's one `TaskRunner`, made when first needed (not before the
    window shows: the thread pool and its imports are not free)."""
    if ctx.tasks is None:
        from caleol.ui.tasks import TaskRunner

        ctx.tasks = TaskRunner()
    return ctx.tasks


def open_database(target: DatabaseTarget, settings: Settings) -> Any:
    """The engine for `target`, its schema created or upgraded (backup first).

    Raises:
        CaleolError: the database cannot be opened (French message).
    """
    from caleol.db import engine as db_engine

    backup_dir = Path(settings.backup_folder) if settings.backup_folder else None
    return db_engine.open_database(target.url, create=target.create, backup_dir=backup_dir,
                                   backups_kept=settings.backups_kept)


def prepare_demo_database(tasks: Any, *, reset: bool = False) -> DatabaseTarget:
    """The demonstration database: the one already built (`caleol --demo`), built the
    first time, or rebuilt when asked (`caleol --demo --reset`).

    Building takes tens of seconds, so it runs on the task runner behind a progress
    dialog while a local event loop keeps the screen alive. A new demo is built under
    another name and put in place once complete: an interrupted build is never opened
    as the demo.

    Raises:
        CaleolError: the demonstration data could not be created.
    """
    final = paths.demo_database_path()
    if final.is_file() and not reset:
        log.info("demo database reused: %s", final)
        return DatabaseTarget(database_url(str(final)), demo=True)

    from PySide6.QtCore import QEventLoop

    from caleol.services import demo
    from caleol.ui.tasks import TaskContext, run_with_progress

    building = final.with_name(final.name + ".construction")

    def work(ctx: TaskContext) -> Any:
        steps = iter((5, 40, 80, 95))

        def say(line: str) -> None:
            ctx.progress(next(steps, 95), line)

        summary = demo.create_demo_database(building, replace=True, progress=say)
        _put_in_place(building, final)
        return summary

    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    task = run_with_progress(None, tasks, "Création de la base de démonstration…", work,
                             lambda summary: outcome.update(summary=summary),
                             on_error=lambda exc: outcome.update(error=exc),
                             cancellable=False, minimum_duration_ms=0)
    task.finished.connect(loop.quit)
    loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    log.info("demo database ready: %s", final)
    return DatabaseTarget(database_url(str(final)), demo=True)


def _put_in_place(built: Path, final: Path) -> None:
    """Replace the demo file (and its SQLite side files) by the one just built."""
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{final}{suffix}").unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{built}{suffix}")
        if side.exists():
            side.replace(Path(f"{final}{suffix}"))
    built.replace(final)


def choose_database(db: str | None, demo: bool, settings: Settings,
                    ask: Callable[[], Any],
                    build_demo: Callable[[], DatabaseTarget]) -> DatabaseTarget | None:
    """Which database to open: --demo, --db, the settings, the default file, or ask.

    Args:
        ask: shows the first-start dialog and returns its `FirstStartChoice` (or None
            when the user quits); only called when no database exists yet.
        build_demo: makes a fresh demonstration database (only when asked for).
    """
    if demo:
        return build_demo()
    if db:
        return DatabaseTarget(database_url(db))
    if settings.database_url:
        return DatabaseTarget(database_url(settings.database_url))
    default = paths.default_database_path()
    if default.exists():  # caleol's own file: set up if empty, refused if not caleol's
        return DatabaseTarget(database_url(str(default)), create=True)
    choice = ask()
    if choice is None:
        return None
    from caleol.ui.dialogs.first_start import StartKind

    if choice.kind == StartKind.DEMO:
        return build_demo()
    if choice.kind == StartKind.EMPTY:
        return DatabaseTarget(database_url(str(default)), create=True)
    url = database_url(choice.database_url)
    # a server database is created empty by its administrator, for caleol to set up;
    # an existing file is opened, never replaced by a new one
    return DatabaseTarget(url, create=sqlite_path(url) is None)


def _page_builders(ctx: AppContext, window: Any) -> list[tuple[str, str, Callable[[], Any]]]:
    """(id, title, build) of the screens that need the database, in navigation order.

    Each `build` runs the first time its screen is shown, once the database is open;
    without a database it makes a page that says what the screen is for.
    """
    from caleol.ui.pages.base import PlaceholderPage

    no_database = window.tr("Aucune base de données n'est ouverte : choisissez-en une "
                            "dans Paramètres puis redémarrez caleol.")

    def sessions() -> Any:
        if ctx.engine is None:
            return PlaceholderPage(
                "sessions", window.tr("Séances"),
                window.tr("Les séances de la commission : préparation de l'ordre du jour, "
                          "contrôle des candidatures, décisions, clôture et procès-verbal "
                          "signé."),
                [window.tr("liste des séances avec leur état (brouillon, prête, tenue, "
                           "signée)"),
                 window.tr("nouvelle séance : commission, date, lieu, membres convoqués"),
                 window.tr("espace de travail de la séance : logements, candidats, "
                           "contrôles, décisions, présences et quorum")],
                note=no_database)
        from caleol.ui.pages.sessions_page import SessionsPage

        return SessionsPage(ctx.engine, lambda: ctx.settings, task_runner(ctx))

    def dwellings() -> Any:
        if ctx.engine is None:
            return PlaceholderPage("dwellings", window.tr("Logements"), no_database, note="")
        from caleol.services.browse import DwellingBrowser
        from caleol.ui.pages.dwellings_page import DwellingsPage

        return DwellingsPage(DwellingBrowser(ctx.engine), engine=ctx.engine,
                             runner=task_runner(ctx))

    def demandes() -> Any:
        if ctx.engine is None:
            return PlaceholderPage("demandes", window.tr("Demandes"), no_database, note="")
        from caleol.services.browse import DemandeBrowser
        from caleol.ui.pages.demandes_page import DemandesPage

        return DemandesPage(DemandeBrowser(ctx.engine), engine=ctx.engine,
                            runner=task_runner(ctx))

    def indicators() -> Any:
        if ctx.engine is None:
            return PlaceholderPage(
                "indicators", window.tr("Indicateurs"),
                window.tr("Les objectifs annuels d'attribution : premier quartile hors QPV, "
                          "quartiles 2 à 4 en QPV, publics prioritaires, réservataires."),
                [window.tr("tableaux et graphiques par année et par EPCI"),
                 window.tr("rapports PDF (bilan annuel, bilan semestriel au préfet)")],
                note=no_database)
        from caleol.ui.pages.indicators_page import IndicatorsPage

        return IndicatorsPage(ctx.engine, task_runner(ctx), lambda: ctx.settings)

    def reference() -> Any:
        if ctx.engine is None:
            return PlaceholderPage(
                "reference", window.tr("Référentiels"),
                window.tr("Les données de référence : plafonds de ressources par année, "
                          "seuils de quartile par EPCI, critères de priorité, motifs de "
                          "non-attribution, modèles de courriers, commissions et membres."),
                [], note=no_database)
        from caleol.ui.pages.reference import ReferencePage

        return ReferencePage(ctx.engine)

    return [
        ("sessions", window.tr("Séances"), sessions),
        ("dwellings", window.tr("Logements"), dwellings),
        ("demandes", window.tr("Demandes"), demandes),
        ("indicators", window.tr("Indicateurs"), indicators),
        ("reference", window.tr("Référentiels"), reference),
    ]


def agency_names(ctx: AppContext) -> list[str]:
    """The active agencies of the open database, for Paramètres' « Agence » list."""
    if ctx.engine is None:
        return []
    from caleol.services.organisation.agencies import list_agencies

    return [agency.name for agency in list_agencies(ctx.engine, active_only=True)]


def build_main_window(ctx: AppContext) -> Any:
    """The window with every screen; those needing the database are built when shown."""
    from caleol.ui.main_window import MainWindow
    from caleol.ui.pages.base import LazyPage

    label = describe_database(ctx.target.url) if ctx.target is not None else ""
    window = MainWindow(label, demo=bool(ctx.target and ctx.target.demo))
    for page_id, title, build in _page_builders(ctx, window):
        window.add_page(LazyPage(page_id, title, build))

    def settings() -> Any:
        from caleol.ui.pages.settings_page import SettingsPage

        demo = ctx.target is not None and ctx.target.demo
        # the page edits the user's file: never the demo certificate lent in memory
        page = SettingsPage(settings_module.load(ctx.settings_file) if demo else ctx.settings,
                            ctx.settings_file, agencies=lambda: agency_names(ctx))
        page.settings_saved.connect(
            lambda new: setattr(ctx, "settings", _session_settings(ctx.target, new)))
        return page

    settings_page = LazyPage("settings", window.tr("Paramètres"), settings)
    settings_page.allow()  # needs no database
    window.add_page(settings_page)
    return window


def warn_network_database(target: DatabaseTarget, window: Any) -> None:
    """A SQLite file on a Windows network share works until two PCs open it: say so."""
    from caleol import desktop
    from caleol.ui import messages

    warning = desktop.network_database_warning(sqlite_path(target.url))
    if warning:
        messages.show_info(window, warning, "Base de données sur le réseau")


def warn_rewritten_log(engine: Any, window: Any) -> None:
    """Say so at once when the latest signed PV's audit anchor is no longer in the chain
    (the database was rewritten outside caleol: issue 16). One indexed lookup."""
    from caleol.services.anchor import latest_anchor_problem
    from caleol.ui import messages

    if engine is None:
        return
    try:
        problem = latest_anchor_problem(engine)
    except Exception:  # the check never keeps a database from opening
        log.exception("audit anchor check failed")
        return
    if problem:
        messages.show_error(window, CaleolError(problem), window.tr("Journal d'audit réécrit"))


def open_in_window(ctx: AppContext, window: Any) -> None:
    """Open the database once the window is on screen, then let its screens be built.

    Importing SQLAlchemy and checking the schema take a second on an office PC; the
    window is already shown (« Ouverture de la base de données… ») meanwhile.
    """
    from caleol.ui import messages
    from caleol.ui.pages.base import LazyPage

    if ctx.target is not None:
        try:
            ctx.engine = open_database(ctx.target, ctx.settings)
            log.info("database: %s", describe_database(ctx.target.url))
            warn_network_database(ctx.target, window)
            warn_rewritten_log(ctx.engine, window)
        except CaleolError as exc:
            messages.show_error(window, exc)
        except Exception as exc:  # a bug: report it, still open the window on Paramètres
            messages.report_exception(exc)
    if ctx.engine is None:
        window.set_database_label("")
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


def _install_translations(app: Any) -> None:
    """Qt's own strings (Annuler, Oui, Non, file and print dialogs) in French."""
    from caleol.ui.translations import install_french

    install_french(app)


def create_application() -> Any:
    from PySide6.QtWidgets import QApplication

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

    The window is shown before the database is opened (`open_in_window`, queued on
    the event loop): wait for `ctx.opened` before using `ctx.engine`.

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
        ctx.target = choose_database(
            db, demo, settings, ask or ask_first_start,
            build_demo or (lambda: prepare_demo_database(task_runner(ctx),
                                                     reset=reset)))
        if ctx.target is None and not demo:
            log.info("no database chosen at first start; quitting")
            return None
        ctx.settings = _session_settings(ctx.target, ctx.settings)
    except CaleolError as exc:
        messages.show_error(None, exc)
    except Exception as exc:  # a bug: report it, still open the window on Paramètres
        messages.report_exception(exc)
    window = build_main_window(ctx)
    window.closing.connect(lambda: _shutdown(ctx))
    _show_sized(window)
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, window, lambda: open_in_window(ctx, window))
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
