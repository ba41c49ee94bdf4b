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
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from caleol.db.engine import open_database

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
        engine = open_database(str(self.path), backup_dir=directory / "backups")
        engine.dispose()  # last connection closed: WAL folded into the file

    def fresh(self, directory: Path) -> Engine:
        target = directory / "caleol-test.sqlite3"
        shutil.copyfile(self.path, target)
        return open_database(str(target), backup_dir=directory / "backups")


class PgTemplate:
    """A migrated template database; each test gets `CREATE DATABASE ... TEMPLATE`."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.template = f"caleol_tpl_{uuid.uuid4().hex[:10]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.template}"'))
        engine = open_database(self.url_of(self.template))
        engine.dispose()

    def url_of(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> tuple[Engine, str]:
        name = f"caleol_t_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return open_database(self.url_of(name)), name

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self.drop(self.template)
        self.admin.dispose()
