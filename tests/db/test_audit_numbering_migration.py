"""Migration 0012: the log loses its unique hash indexes, keeps every entry, verifies.

A base at 0011 whose entries have a gap in their ids (a PostgreSQL sequence loses the
ids of rolled-back transactions) and an anchor recorded before the gap: after the
upgrade the entries are the same, in the same order, numbered 1, 2, 3…, the anchor
(« entrée n° N ») names its entry by id, and verify-db finds nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from db.factories import decide_all, make_dwelling, make_session_with_agenda
from services.test_audit_numbering import shift_ids
from sqlalchemy import Engine, inspect, text
from sqlmodel import Session

from caleol.db import migrate
from caleol.db.engine import _transactional_ddl_engine, session_scope
from caleol.db.models import ChainAnchor
from caleol.db.schema_check import schema_problems
from caleol.services.anchor import CLOSING, record_closing_anchor, stored_anchor_problems
from caleol.services.audit import verify_chain


@pytest.fixture
def ddl(engine: Engine) -> Iterator[Engine]:
    """An engine whose transactions hold DDL (pysqlite's default does not)."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    migrating = _transactional_ddl_engine(engine.url)
    yield migrating
    migrating.dispose()


def _chain(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        return [(r[0], r[1]) for r in connection.exec_driver_sql(
            "SELECT prev_hash, hash FROM audit_entry ORDER BY id")]


def _ids(engine: Engine) -> list[int]:
    with engine.connect() as connection:
        return list(connection.exec_driver_sql(
            "SELECT id FROM audit_entry ORDER BY id").scalars())


def _unique_columns(engine: Engine) -> list[tuple[str, ...]]:
    """Columns of the log's unique constraints or indexes (PostgreSQL lists both)."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        return sorted({*(tuple(c["column_names"]) for c in
                         inspector.get_unique_constraints("audit_entry")),
                       *(tuple(i["column_names"]) for i in inspector.get_indexes("audit_entry")
                         if i["unique"])})


def _close_with_anchor(db: Session, *, before_0012: bool = False) -> None:
    """A séance closed and its anchor recorded: as caleol does it now, or as it did
    before 0012 (the number of entries up to the head, whatever the ids)."""
    sitting = make_session_with_agenda(db, dwellings=1, candidates=1)
    decide_all(db, sitting)
    db.flush()
    sitting.status = "closed"
    db.flush()
    if not before_0012:
        record_closing_anchor(db, sitting.id)
        return
    count, head = db.connection().exec_driver_sql(
        "SELECT count(*), (SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1) "
        "FROM audit_entry").one()
    db.add(ChainAnchor(session_id=sitting.id, kind=CLOSING, entry_count=count,
                       head_hash=head))
    db.flush()


def test_upgrade_keeps_the_entries_renumbers_them_and_verifies(engine: Engine,
                                                               ddl: Engine) -> None:
    with ddl.begin() as connection:
        migrate.downgrade(connection, "0011")
    assert _unique_columns(engine) == [("hash",), ("prev_hash",)]
    with session_scope(engine) as s:
        make_dwelling(s)
        make_dwelling(s)
    with engine.begin() as connection:  # what rolled-back transactions left on PostgreSQL
        shift_ids(connection, above=1, by=3)
    with session_scope(engine) as s:  # 0011's anchor: it counts the entries up to its hash
        _close_with_anchor(s, before_0012=True)
    with session_scope(engine) as s:
        make_dwelling(s)
    before = _chain(engine)
    assert _ids(engine)[:3] == [1, 5, 6]

    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")

    assert _chain(engine) == before  # the same entries, in the same order
    assert _ids(engine) == list(range(1, len(before) + 1))
    assert _unique_columns(engine) == []
    with engine.connect() as connection:
        indexes = {i["name"] for i in inspect(connection).get_indexes("audit_entry")}
    assert indexes == {"ix_audit_entry_row"}
    assert schema_problems(engine) == []  # triggers re-created as the scripts make them
    report = verify_chain(engine)
    assert report.ok, report.text()
    assert stored_anchor_problems(engine) == (0, [])  # the anchor finds its entry by id
    with session_scope(engine) as s:  # writes go on, numbered after the last entry
        make_dwelling(s)
        _close_with_anchor(s)
    assert _ids(engine) == list(range(1, len(_ids(engine)) + 1))
    assert verify_chain(engine).ok
    with engine.connect() as connection:
        anchors = connection.execute(text(
            "SELECT entry_count, head_hash FROM chain_anchor ORDER BY id")).all()
        for count, head in anchors:
            assert connection.execute(text("SELECT hash FROM audit_entry WHERE id = :i"),
                                      {"i": count}).scalar_one() == head


def test_downgrade_restores_the_unique_hashes(engine: Engine, ddl: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s)
    before = _chain(engine)
    with ddl.begin() as connection:
        migrate.downgrade(connection, "0011")
    assert _unique_columns(engine) == [("hash",), ("prev_hash",)]
    assert _chain(engine) == before
    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    assert _chain(engine) == before
    assert verify_chain(engine).ok
