"""Migration 0003: the audit chain is converted to image digests, verified first."""

from __future__ import annotations

from pathlib import Path

import pytest
from db.factories import make_demande
from sqlalchemy import Engine, inspect, select, text

from caleol.db import migrate
from caleol.db.engine import _transactional_ddl_engine, open_database, session_scope
from caleol.db.models import AuditEntry
from caleol.services.audit import verify_chain

TABLE = AuditEntry.__table__  # type: ignore[attr-defined]


def _chain(connection) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    rows = connection.execute(text("SELECT id, prev_hash, hash FROM audit_entry ORDER BY id"))
    return [tuple(r) for r in rows]


@pytest.fixture
def database(tmp_path: Path) -> tuple[Path, Engine]:
    path = tmp_path / "agence.sqlite3"
    engine = open_database(str(path), create=True)
    with session_scope(engine) as s:
        make_demande(s, children=2)
    engine.dispose()
    ddl = _transactional_ddl_engine(f"sqlite:///{path}")
    yield path, ddl
    ddl.dispose()


def test_chain_converts_down_and_up_to_the_same_hashes(database) -> None:  # type: ignore[no-untyped-def]
    path, ddl = database
    with ddl.connect() as connection:
        current = _chain(connection)
    with ddl.begin() as connection:
        migrate.downgrade(connection, "0002")
    with ddl.connect() as connection:
        old = _chain(connection)
        assert "after_sha256" not in {c["name"] for c in inspect(connection).get_columns(
            "audit_entry")}
    assert len(old) == len(current) == 5
    assert [h for _, _, h in old] != [h for _, _, h in current]  # the other formula
    assert [p for _, p, _ in old][1:] == [h for _, _, h in old][:-1]  # still a chain
    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    with ddl.connect() as connection:
        assert _chain(connection) == current  # same entries, same digests, same hashes
    engine = open_database(str(path))
    try:
        report = verify_chain(engine)
        assert report.ok, report.text()
    finally:
        engine.dispose()


def test_a_broken_old_chain_is_not_converted(database) -> None:  # type: ignore[no-untyped-def]
    _path, ddl = database
    with ddl.begin() as connection:
        migrate.downgrade(connection, "0002")
    with ddl.begin() as connection:  # behind the application's back, triggers removed
        connection.execute(text("DROP TRIGGER audit_entry_immutable_update"))
        connection.execute(text("UPDATE audit_entry SET os_user = 'intrus' WHERE id = 3"))
    with ddl.connect() as connection:
        tampered = _chain(connection)
    with pytest.raises(RuntimeError, match="journal d'audit altéré à l'entrée n° 3"), \
            ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    with ddl.connect() as connection:  # nothing changed: still 0002, same chain
        assert migrate.current_revision(connection) == "0002"
        assert _chain(connection) == tampered


def test_downgrade_is_refused_once_an_entry_was_redacted(database) -> None:  # type: ignore[no-untyped-def]
    _path, ddl = database
    with ddl.begin() as connection:  # the purge lists the row first (revision 0007)
        connection.execute(text(
            "INSERT INTO purged_row (purged_at, demande_id, entity, entity_id, action) "
            "SELECT CURRENT_TIMESTAMP, NULL, entity, entity_id, 'suppression' "
            "FROM audit_entry WHERE id = 2"))
        connection.execute(text('UPDATE audit_entry SET "after" = NULL, '
                                "redacted_at = CURRENT_TIMESTAMP WHERE id = 2"))
    with pytest.raises(RuntimeError, match="expurgées"), ddl.begin() as connection:
        migrate.downgrade(connection, "0002")
    with ddl.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        assert connection.execute(select(TABLE.c.redacted_at).where(TABLE.c.id == 2)
                                  ).scalar_one() is not None
