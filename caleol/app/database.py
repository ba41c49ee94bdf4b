"""Which database the window opens, and what is said on opening it.

`--demo`, `--db`, the settings, caleol's own file, or the first-start dialog
(`choose_database`); the demonstration database built off the GUI thread and put in
place once complete (`prepare_demo_database`); the engine opened with its schema
upgraded after a backup (`open_database`); the warnings shown once it is open (a
SQLite file on a network share, an audit log rewritten outside caleol).
SQLAlchemy is imported only when the database is opened: the window shows first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from caleol import paths
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

