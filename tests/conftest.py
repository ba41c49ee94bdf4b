"""Test-wide set-up: offscreen Qt and a throw-away user profile for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from db.backends import PgTemplate, SqliteTemplate, pg_admin_url, pg_unavailable
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from caleol.errors import CaleolError

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def caleol_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own CALEOL_HOME: no test touches the user's profile."""
    home = tmp_path_factory.mktemp("caleol_home")
    monkeypatch.setenv("CALEOL_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def _fresh_checks_memo() -> Iterator[None]:
    """The checks' memo lives for the process: each test starts without it, so a test
    that patches a rule or a setting never reads what another test computed."""
    from caleol.services.sessions.checks_memo import MEMO

    MEMO.clear()
    yield
    MEMO.clear()


# --- Databases (fixtures of caleol.db; builders in tests/db/factories.py) -----------


def _db_backends() -> list[object]:
    params: list[object] = [pytest.param("sqlite", id="sqlite")]
    if pg_admin_url():
        params.append(pytest.param("postgres", id="postgres", marks=pytest.mark.postgres))
    return params


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("db_template"))


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[PgTemplate]:
    url = pg_admin_url()
    if not url:
        pytest.skip("CALEOL_TEST_PG_URL non défini")
    try:
        template = PgTemplate(url)
    except (OperationalError, CaleolError) as exc:
        pg_unavailable(str(exc).splitlines()[0])
    yield template
    template.close()


@pytest.fixture
def sqlite_engine(_sqlite_template: SqliteTemplate, tmp_path: Path) -> Iterator[Engine]:
    """A fresh migrated SQLite database file in tmp_path (for SQLite-only tests)."""
    engine = _sqlite_template.fresh(tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture(params=_db_backends())
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh migrated database: SQLite, and PostgreSQL too when CALEOL_TEST_PG_URL is set."""
    if request.param == "sqlite":
        engine = request.getfixturevalue("_sqlite_template").fresh(tmp_path)
        yield engine
        engine.dispose()
        return
    template: PgTemplate = request.getfixturevalue("_pg_template")
    engine = template.fresh()
    yield engine
    template.reset(engine)
