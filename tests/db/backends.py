"""Throw-away migrated databases for tests: SQLite files and PostgreSQL databases.

The schema is migrated once per test run into a template (a SQLite file, a PostgreSQL
template database); each test gets a copy, so every test starts from a fresh,
really-migrated database without paying for the migration each time.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, create_engine, inspect, pool, text
from sqlalchemy.engine import make_url

from caleol.db.engine import create_db_engine, open_database

PG_ENV = "CALEOL_TEST_PG_URL"
REQUIRE_PG_ENV = "CALEOL_REQUIRE_PG"  # set by .ci/run: an unreachable server fails


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def pg_unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_PG_ENV):
        pytest.fail(f"PostgreSQL exigé mais indisponible : {reason}")
    pytest.skip(f"PostgreSQL indisponible : {reason}")


class SqliteTemplate:
    def __init__(self, directory: Path) -> None:
        self.path = directory / "template.sqlite3"
        engine = open_database(str(self.path), create=True, backup_dir=directory / "backups")
        engine.dispose()  # last connection closed: WAL folded into the file

    def fresh(self, directory: Path) -> Engine:
        target = directory / "caleol-test.sqlite3"
        shutil.copyfile(self.path, target)
        return open_database(str(target), backup_dir=directory / "backups")


class PgTemplate:
    """A migrated template database and one working copy reused from test to test.

    `CREATE DATABASE ... TEMPLATE` costs about 0.4 s, so the working copy is emptied
    after each test instead (DELETE with triggers off, identities restarted: a few
    ms). If a test changed the schema, the triggers, the revision, or left a lock,
    the copy is dropped and the next test gets a new one from the template.
    """

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.template = f"caleol_tpl_{uuid.uuid4().hex[:10]}"
        self.current: str | None = None
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.template}"'))
        engine = open_database(self.url_of(self.template), create=True)
        with engine.connect() as connection:
            self.expected = self._shape(connection)
        engine.dispose()

    def url_of(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    @staticmethod
    def _shape(connection: Connection) -> tuple[object, ...]:
        triggers = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
        ).scalar()
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        return triggers, tuple(sorted(inspect(connection).get_table_names())), tuple(revision)

    def fresh(self) -> Engine:
        if self.current is None:
            name = f"caleol_t_{uuid.uuid4().hex[:12]}"
            with self.admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
            self.current = name
        return create_db_engine(self.url_of(self.current))

    def reset(self, engine: Engine) -> None:
        """Empty the working copy for the next test, or drop it if it was altered."""
        engine.dispose()
        if self.current is None:
            return
        cleaner = create_engine(
            self.url_of(self.current), isolation_level="AUTOCOMMIT", poolclass=pool.NullPool
        )
        try:
            with cleaner.connect() as connection:
                connection.exec_driver_sql("SET lock_timeout = '3s'")
                if self._shape(connection) != self.expected:
                    raise RuntimeError("schema altered by the test")
                connection.exec_driver_sql("SET session_replication_role = replica")
                connection.exec_driver_sql(
                    "; ".join(
                        f"DELETE FROM {t}; "
                        f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), 1, false)"
                        for t in self.expected[1]
                        if t != "alembic_version"
                    )
                )
        except Exception:
            cleaner.dispose()
            self.drop(self.current)
            self.current = None
            return
        cleaner.dispose()

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self.current is not None:
            self.drop(self.current)
        self.drop(self.template)
        self.admin.dispose()
