"""Opening the database and running one transaction per use case.

SQLite settings, chosen for a secretary's laptop and decided once here:
* `journal_mode=WAL`: readers never block the writer, and a crash never leaves a
  half-written page (the WAL is replayed or ignored at next open);
* `synchronous=FULL`: each commit is fsynced to the WAL, so a decision recorded just
  before a power cut is still there (NORMAL would only protect against a process
  crash). Commits are human-paced, the cost is invisible;
* `foreign_keys=ON`: SQLite leaves them off by default;
* `busy_timeout=10000`: another instance writing makes us wait up to 10 s instead of
  failing at once; `run_transaction` then retries the whole use case with backoff.
Transactions keep pysqlite's default mode (BEGIN issued before the first write), so a
read never takes a stale snapshot that would later refuse to write; lost updates are
caught by the version columns instead.

PostgreSQL: `lock_timeout` of 10 s (same role as busy_timeout), UTC session time zone,
pre-ping of pooled connections (a shared server may restart).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, event, pool
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session, create_engine

from caleol import paths
from caleol.db import audit, revisions
from caleol.db.errors import DatabaseBusyError, DatabaseUnavailableError, translate_db_error
from caleol.db.identify import Identity, Kind
from caleol.db.urls import database_url, sqlite_path, with_psycopg
from caleol.errors import CaleolError

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
T = TypeVar("T")


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    def on_connect(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    return on_connect


def create_db_engine(url: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine with caleol's connection settings (see the module docstring)."""
    audit.install()
    parsed = make_url(with_psycopg(url))
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout_ms))
        return engine
    if backend == "postgresql":
        options = f"-c lock_timeout={int(busy_timeout_ms)} -c timezone=UTC"
        return create_engine(
            parsed,
            pool_pre_ping=True,
            connect_args={"application_name": "caleol", "options": options},
        )
    raise CaleolError(
        f"Base de données « {backend} » non prise en charge : utilisez SQLite ou PostgreSQL."
    )


def _transactional_ddl_engine(url: URL | str) -> Engine:
    """A SQLite engine whose transactions start with BEGIN IMMEDIATE, DDL included.

    pysqlite runs DDL outside any transaction by default; a migration interrupted
    half-way would leave half a schema. Here the whole upgrade is one transaction.
    """
    engine = create_engine(url, poolclass=pool.NullPool)
    event.listen(engine, "connect", _sqlite_pragmas(BUSY_TIMEOUT_MS))

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: sqlite3.Connection, record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def open_database(
    url: str | None = None,
    *,
    create: bool = False,
    upgrade: bool = True,
    backup_dir: Path | None = None,
    backups_kept: int = 10,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
) -> Engine:
    """An engine on an up-to-date caleol database, upgrading it with Alembic.

    The database is identified first without writing to it (`caleol.db.identify`): a
    file or server database that is not caleol's, or of a newer caleol, is refused with
    a French `CaleolError` and left byte for byte as it was.

    Args:
        create: the caller is meant to create a database (the demo, the window's « Base
            vide », `caleol setup apply`): a missing or empty one is then created at the
            schema's head. Every other caller gets a French error instead, never a new
            empty base in place of a mistyped path.
        upgrade: bring an older caleol database to the head (after a backup of a SQLite
            file to `backup_dir`, default: the user backup folder); False refuses it.
    """
    from caleol.db.identify import identify_sqlite

    url = database_url(url)
    path = sqlite_path(url)
    identity: Identity | None = None
    if path is not None:
        identity = identify_sqlite(path)
        refusal = identity.refusal(str(path), create=create)
        if refusal is not None:
            raise refusal
        if identity.kind is Kind.MISSING:
            path.parent.mkdir(parents=True, exist_ok=True)
    elif not create and make_url(with_psycopg(url)).get_backend_name() == "sqlite":
        raise CaleolError("Une base en mémoire est toujours vide : elle ne s'ouvre que pour "
                          "être créée.")
    engine = create_db_engine(url, busy_timeout_ms=busy_timeout_ms)
    try:
        with engine.connect() as connection:
            if identity is None:  # a server (or in-memory) database: identified here
                identity = _identify_connection(connection)
                refusal = identity.refusal(_server_label(url), create=create)
                if refusal is not None:
                    raise refusal
            current = identity.revision
            if current is not None and current == revisions.packaged_head():
                return engine  # the usual case, decided without importing Alembic
    except CaleolError:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        translated = translate_db_error(exc)
        if translated is not None:
            raise translated from exc
        raise
    from caleol.db import migrate

    head = migrate.head_revision()
    if current == head:
        return engine
    if not upgrade and not (create and identity.is_new):  # a new base is made at the head
        engine.dispose()
        raise CaleolError(
            "La base de données doit être mise à jour (caleol db-upgrade) avant d'être utilisée."
        )
    if current is not None and path is not None:
        from caleol.db.backup import backup_sqlite

        saved = backup_sqlite(
            path, backup_dir or paths.backup_dir(), keep=backups_kept, label="avant-migration"
        )
        log.info("backup before migration %s -> %s: %s", current, head, saved)
    _upgrade(url, engine)
    return engine


def _identify_connection(connection: Any) -> Identity:
    from sqlalchemy import inspect

    from caleol.db.identify import classify

    return classify(set(inspect(connection).get_table_names()),
                    revisions.stored_revision(connection))


def _server_label(url: str) -> str:
    parsed = make_url(with_psycopg(url))
    if parsed.get_backend_name() != "postgresql":
        return "La base en mémoire"
    return f"La base « {parsed.database} » du serveur {parsed.host or 'local'}"


def _upgrade(url: str, engine: Engine, revision: str = "head") -> None:
    from caleol.db import migrate

    file_database = sqlite_path(url) is not None
    try:
        if file_database:
            ddl_engine = _transactional_ddl_engine(url)
            try:
                with ddl_engine.begin() as connection:
                    migrate.upgrade(connection, revision)
            finally:
                ddl_engine.dispose()
        else:  # PostgreSQL (transactional DDL) or an in-memory SQLite database
            with engine.begin() as connection:
                migrate.upgrade(connection, revision)
    except Exception as exc:
        translated = translate_db_error(exc)
        if translated is not None:
            raise translated from exc
        raise
    if file_database or engine.dialect.name != "sqlite":
        engine.dispose()  # pooled connections may have cached the old schema


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One use case = one transaction: commit on success, roll back on any error.

    Known database failures come out as French `CaleolError`s (busy, read-only, disk
    full, corrupt, frozen séance, `ConcurrentModificationError` for a stale version).
    Objects stay readable after the block (no expiry on commit).
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException as exc:
        try:
            session.rollback()
        except Exception:
            log.exception("rollback failed")
        translated = translate_db_error(exc)
        if translated is not None and translated is not exc:
            raise translated from exc
        raise
    finally:
        session.close()


def run_transaction(
    engine: Engine,
    work: Callable[[Session], T],
    *,
    attempts: int = 3,
    first_delay: float = 0.2,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `work(session)` in `session_scope`, retrying when the database stays busy.

    Each attempt already waits up to the busy timeout; between attempts the delay
    doubles. `work` must be safe to run again (it starts from a fresh session).
    """
    delay = first_delay
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(engine) as session:
                return work(session)
        except DatabaseBusyError:
            if attempt == attempts:
                raise
            log.warning("database busy, retry %d/%d in %.1fs", attempt, attempts, delay)
            sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")  # pragma: no cover


def check_sqlite_integrity(engine: Engine) -> list[str]:
    """`PRAGMA integrity_check` and `foreign_key_check` problems (empty list = sound)."""
    if engine.dialect.name != "sqlite":
        return []
    with engine.connect() as connection:
        rows = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check")]
        problems = [] if rows == ["ok"] else rows
        for row in connection.exec_driver_sql("PRAGMA foreign_key_check"):
            problems.append(f"clé étrangère rompue : table {row[0]}, ligne {row[1]}")
    return problems


__all__ = [
    "BUSY_TIMEOUT_MS",
    "DatabaseBusyError",
    "DatabaseUnavailableError",
    "check_sqlite_integrity",
    "create_db_engine",
    "database_url",
    "open_database",
    "run_transaction",
    "session_scope",
    "sqlite_path",
]
