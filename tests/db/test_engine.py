"""Opening databases, connection settings, transactions and their French errors."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from db.factories import make_dwelling
from sqlalchemy import Engine, func, select, text

from caleol import paths
from caleol.db import migrate
from caleol.db.engine import (
    _transactional_ddl_engine,
    check_sqlite_integrity,
    create_db_engine,
    database_url,
    open_database,
    run_transaction,
    session_scope,
    sqlite_path,
)
from caleol.db.errors import DatabaseBusyError, DatabaseUnavailableError, translate_db_error
from caleol.db.models import Dwelling
from caleol.errors import CaleolError, ConcurrentModificationError
from caleol.services.audit import verify_chain


def test_database_url_forms(tmp_path: Path) -> None:
    assert database_url(None) == f"sqlite:///{paths.default_database_path().resolve()}"
    assert database_url(tmp_path / "a.sqlite3") == f"sqlite:///{tmp_path / 'a.sqlite3'}"
    pg = "postgresql+psycopg://caleol:secret@db.example:5432/caleol"
    assert database_url(pg) == pg
    assert sqlite_path(database_url(tmp_path / "a.sqlite3")) == tmp_path / "a.sqlite3"
    assert sqlite_path(pg) is None
    assert sqlite_path("sqlite://") is None


@pytest.mark.parametrize("scheme", ["postgresql", "postgres", "POSTGRES"])
def test_bare_postgresql_urls_use_psycopg_3(scheme: str) -> None:
    rest = "caleol:s%40cret@db.example:5432/caleol?sslmode=require"
    assert database_url(f"{scheme}://{rest}") == f"postgresql+psycopg://{rest}"
    engine = create_db_engine(f"{scheme}://{rest}")
    assert engine.dialect.driver == "psycopg"  # not psycopg2 (SQLAlchemy's default)
    engine.dispose()


def test_bad_url_is_a_french_error() -> None:
    with pytest.raises(CaleolError, match="Adresse de base de données invalide"):
        database_url("pas une url://")


def test_unsupported_backend_is_refused() -> None:
    with pytest.raises(CaleolError, match="non prise en charge"):
        create_db_engine("mysql://u@localhost/x")


def test_sqlite_connection_settings(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    # synchronous: 2 = FULL
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10_000,
                      "synchronous": 2}


def test_open_database_creates_the_schema_at_head(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "new.sqlite3"), create=True)
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
    assert check_sqlite_integrity(engine) == []
    assert list((tmp_path).glob("*.sqlite3")) == [tmp_path / "new.sqlite3"]
    engine.dispose()


def test_open_database_defaults_to_the_user_data_directory() -> None:
    engine = open_database(None, create=True)
    assert sqlite_path(str(engine.url)) == paths.default_database_path().resolve()
    assert paths.default_database_path().exists()
    engine.dispose()


def test_database_of_a_newer_caleol_is_refused(sqlite_engine: Engine) -> None:
    url = sqlite_engine.url.render_as_string(hide_password=False)
    with sqlite_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    sqlite_engine.dispose()
    with pytest.raises(CaleolError, match="version plus récente de caleol") as caught:
        open_database(url)
    assert "9999_future" in caught.value.message


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "autre.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE clients (id INTEGER PRIMARY KEY)")
    with pytest.raises(CaleolError, match="base d'une autre application"):
        open_database(str(path))


def test_not_a_database_file_is_a_french_error(tmp_path: Path) -> None:
    path = tmp_path / "texte.sqlite3"
    path.write_text("ceci n'est pas une base\n" * 100, encoding="utf-8")
    with pytest.raises(CaleolError, match="n'est pas une base de données SQLite"):
        open_database(str(path))


def test_outdated_database_without_upgrade_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ancienne.sqlite3"
    ddl = _transactional_ddl_engine(f"sqlite:///{path}")
    with ddl.begin() as connection:
        migrate.upgrade(connection, "0001")
    ddl.dispose()
    with pytest.raises(CaleolError, match="doit être mise à jour"):
        open_database(str(path), upgrade=False)


def test_an_empty_file_is_not_a_database_to_open(tmp_path: Path) -> None:
    path = tmp_path / "vide.sqlite3"
    sqlite3.connect(path).close()
    with pytest.raises(CaleolError, match="ne contient aucune base caleol"):
        open_database(str(path))
    assert path.read_bytes() == b""


def test_session_scope_commits_and_rolls_back(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s, reference="A")
    with pytest.raises(ZeroDivisionError), session_scope(engine) as s:
        make_dwelling(s, reference="B")
        _ = 1 / 0
    with session_scope(engine) as s:
        assert s.scalars(select(Dwelling.reference)).all() == ["A"]


def test_duplicate_key_is_a_french_error(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s, reference="L-1")
    scope = session_scope(engine)
    with pytest.raises(CaleolError, match="une donnée identique existe déjà"), scope as s:
        make_dwelling(s, reference="L-1")


def test_stale_write_is_refused_with_reload_message(engine: Engine) -> None:
    """Two secretaries open the same dwelling; the second save must not win silently."""
    with session_scope(engine) as s:
        dwelling_id = make_dwelling(s, rent_cents=45_000).id
    with session_scope(engine) as first, session_scope(engine) as other:
        mine = first.get(Dwelling, dwelling_id)
        theirs = other.get(Dwelling, dwelling_id)
        theirs.rent_cents = 47_000
        other.commit()
        mine.rent_cents = 46_000
        with pytest.raises(Exception) as caught:
            first.flush()
        first.rollback()
    error = translate_db_error(caught.value)
    assert isinstance(error, ConcurrentModificationError)
    assert error.message == (
        "Enregistrement modifié par ailleurs entre-temps ; rechargez avant d'enregistrer."
    )
    with session_scope(engine) as s:
        saved = s.get(Dwelling, dwelling_id)
        assert (saved.rent_cents, saved.version) == (47_000, 2)


def test_session_scope_raises_concurrent_modification(engine: Engine) -> None:
    with session_scope(engine) as s:
        dwelling_id = make_dwelling(s).id
    with pytest.raises(ConcurrentModificationError), session_scope(engine) as s:
        dwelling = s.get(Dwelling, dwelling_id)
        with engine.begin() as connection:  # another instance saves meanwhile
            connection.execute(text("UPDATE dwelling SET version = version + 1"))
        dwelling.floor = 3


def _lock(path: Path) -> sqlite3.Connection:
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    return blocker


def test_busy_database_becomes_french_error_after_retries(sqlite_engine: Engine) -> None:
    path = sqlite_path(str(sqlite_engine.url))
    engine = create_db_engine(str(sqlite_engine.url), busy_timeout_ms=50)
    blocker = _lock(path)
    waits: list[float] = []
    try:
        with pytest.raises(DatabaseBusyError, match="occupée par un autre poste"):
            run_transaction(engine, lambda s: make_dwelling(s), attempts=3, sleep=waits.append)
    finally:
        blocker.rollback()
        blocker.close()
        engine.dispose()
    assert waits == [0.2, 0.4]  # backoff doubles between the three attempts


def test_busy_database_is_retried_until_free(sqlite_engine: Engine) -> None:
    path = sqlite_path(str(sqlite_engine.url))
    engine = create_db_engine(str(sqlite_engine.url), busy_timeout_ms=50)
    blocker = _lock(path)

    def release(_delay: float) -> None:  # the other instance finishes while we back off
        blocker.commit()

    try:
        reference = run_transaction(engine, lambda s: make_dwelling(s).reference, sleep=release)
    finally:
        blocker.close()
    with session_scope(engine) as s:
        assert s.scalars(select(Dwelling.reference)).all() == [reference]
    engine.dispose()


def test_two_instances_writing_at_once_keep_one_audit_chain(engine: Engine) -> None:
    """Two engines (two app instances) write concurrently: nothing lost, chain intact."""
    url = engine.url.render_as_string(hide_password=False)
    engines = [create_db_engine(url), create_db_engine(url)]
    errors: list[BaseException] = []

    def writer(instance: Engine, prefix: str) -> None:
        try:
            for i in range(15):
                run_transaction(instance, lambda s, i=i: make_dwelling(s, reference=f"{prefix}{i}"))
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(e, p)) for e, p in zip(engines, "AB",
                                                                             strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for instance in engines:
        instance.dispose()
    assert errors == []
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Dwelling)) == 30
    report = verify_chain(engine)
    assert report.ok, report.text()
    assert report.entries == 30


def test_read_only_database_is_a_french_error(sqlite_engine: Engine) -> None:
    path = sqlite_path(str(sqlite_engine.url))
    readonly = create_db_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    scope = session_scope(readonly)
    with pytest.raises(DatabaseUnavailableError, match="lecture seule"), scope as s:
        make_dwelling(s)
    readonly.dispose()


def test_text_longer_than_its_column(engine: Engine) -> None:
    """PostgreSQL enforces VARCHAR lengths (French error); SQLite stores the text."""
    scope = session_scope(engine)
    if engine.dialect.name == "postgresql":
        with pytest.raises(CaleolError, match="dépasse la longueur permise"), scope as s:
            make_dwelling(s, reference="L" * 41)
    else:
        with scope as s:
            assert len(make_dwelling(s, reference="L" * 41).reference) == 41


@pytest.mark.postgres
def test_unknown_postgresql_database_is_a_french_error() -> None:
    from db.backends import pg_admin_url
    from sqlalchemy.engine import make_url

    admin = pg_admin_url()
    if not admin:
        pytest.skip("CALEOL_TEST_PG_URL non défini")
    url = make_url(admin).set(database="caleol_absente").render_as_string(hide_password=False)
    with pytest.raises(DatabaseUnavailableError, match="n'existe pas sur le serveur"):
        open_database(url)


def test_in_memory_database_is_migrated_in_place() -> None:
    engine = open_database("sqlite://", create=True)
    with session_scope(engine) as s:
        make_dwelling(s, reference="MEMOIRE")
    with session_scope(engine) as s:
        assert s.scalars(select(Dwelling.reference)).all() == ["MEMOIRE"]
    engine.dispose()
