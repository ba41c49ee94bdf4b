"""Audit entries are numbered 1, 2, 3…: the primary key prevents forks, verify-db checks it.

Since revision 0012 no unique index guards `prev_hash`: every writer gives an entry the
id of the head it chained to plus one, so a writer that read a head another one has
extended since collides on the primary key. These tests take the append-only trigger
away (it refuses a stale `prev_hash` too) to show the primary key alone holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from db.factories import make_dwelling
from sqlalchemy import Connection, Engine, func, select, text

from caleol.db import audit
from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry, Dwelling
from caleol.errors import CaleolError
from caleol.services.audit import verify_chain
from caleol.services.bulk import AuditedInserter

ENTRIES = AuditEntry.__table__  # type: ignore[attr-defined]


@contextmanager
def _audit_triggers_off(connection: Connection) -> Iterator[None]:
    """The log's triggers away for a raw write, then put back as they were."""
    if connection.dialect.name == "sqlite":
        saved = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'audit_entry'").all()
        for name, _sql in saved:
            connection.exec_driver_sql(f"DROP TRIGGER {name}")
        yield
        for _name, sql in saved:
            connection.exec_driver_sql(sql)
        return
    connection.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
    yield
    connection.exec_driver_sql("ALTER TABLE audit_entry ENABLE TRIGGER USER")


def shift_ids(connection: Connection, above: int, by: int) -> None:
    """Renumber the entries after n° `above` by `by` (through negative ids: PostgreSQL
    checks the primary key row by row). Hashes do not cover ids: the links still hold."""
    with _audit_triggers_off(connection):
        connection.execute(text("UPDATE audit_entry SET id = -(id + :by) WHERE id > :above"),
                           {"by": by, "above": above})
        connection.exec_driver_sql("UPDATE audit_entry SET id = -id WHERE id < 0")


def _without_append_trigger(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_entry_append_only")
        else:
            connection.exec_driver_sql(
                "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")


def _bulk_dwellings(connection: Connection, *references: str) -> None:
    AuditedInserter(connection).insert(Dwelling.__table__, [  # type: ignore[attr-defined]
        {"reference": reference, "typology": "T2", "financing": "PLAI", "rent_cents": 40_000,
         "charges_cents": 7_000, "energy_cents": 5_000, "qpv": False,
         "availability_date": date(2025, 3, 1)} for reference in references])


def _log(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(  # type: ignore[misc]
            select(ENTRIES.c.id, ENTRIES.c.prev_hash, ENTRIES.c.hash).order_by(ENTRIES.c.id))]


def _dwellings(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Dwelling)).scalar_one()


@pytest.fixture
def stale_head(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> audit.ChainHead:
    """Two dwellings written; every writer then reads the head as it was after the first
    (what a second workstation that read it before the other committed would build on)."""
    with session_scope(engine) as s:
        make_dwelling(s)
    with engine.connect() as connection:
        head = audit.read_head(connection)
    with session_scope(engine) as s:
        make_dwelling(s)
    _without_append_trigger(engine)
    monkeypatch.setattr(audit, "read_head", lambda connection: head)
    return head


def test_entries_are_numbered_from_one_without_gap(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s)
    with engine.begin() as connection:
        _bulk_dwellings(connection, "LOG-B1", "LOG-B2")
    with session_scope(engine) as s:
        make_dwelling(s)
    log = _log(engine)
    assert [entry_id for entry_id, _, _ in log] == list(range(1, len(log) + 1))
    assert log[0][1] == audit.GENESIS
    assert [prev for _, prev, _ in log[1:]] == [digest for _, _, digest in log[:-1]]


def test_an_orm_write_from_a_stale_head_fails_and_writes_nothing(
        engine: Engine, stale_head: audit.ChainHead) -> None:
    before, dwellings = _log(engine), _dwellings(engine)
    with pytest.raises(CaleolError, match="une donnée identique existe déjà"), \
            session_scope(engine) as s:
        make_dwelling(s)
    assert _log(engine) == before  # no fork: the second writer's entry is not there...
    assert _dwellings(engine) == dwellings  # ...nor its row
    assert verify_chain(engine).ok


def test_a_bulk_write_from_a_stale_head_fails_and_writes_nothing(
        engine: Engine, stale_head: audit.ChainHead) -> None:
    before, dwellings = _log(engine), _dwellings(engine)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate key"), \
            engine.begin() as connection:
        _bulk_dwellings(connection, "LOG-F1", "LOG-F2")
    assert _log(engine) == before
    assert _dwellings(engine) == dwellings
    assert verify_chain(engine).ok


def test_verify_db_reports_a_gap_in_the_numbering(engine: Engine) -> None:
    with session_scope(engine) as s:
        for _ in range(3):
            make_dwelling(s)
    with engine.begin() as connection:
        shift_ids(connection, above=1, by=4)  # 1, 6, 7: the links still hold
    report = verify_chain(engine)
    assert not report.ok
    assert report.first_broken_link is not None
    assert report.first_broken_link.startswith("entrée n° 6 du ")
    assert ("chaîne rompue, numérotation discontinue (l'entrée n° 2 devait suivre l'entrée "
            "n° 1" in report.first_broken_link)
    assert len(report.problems) == 1  # only where the numbering jumps


def test_verify_db_reports_a_log_not_numbered_from_one(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s)
    with engine.begin() as connection:
        shift_ids(connection, above=0, by=1)
    report = verify_chain(engine)
    assert report.first_broken_link is not None
    assert report.first_broken_link.startswith("entrée n° 2 du ")
    assert "l'entrée n° 1 devait suivre l'entrée n° 0" in report.first_broken_link
