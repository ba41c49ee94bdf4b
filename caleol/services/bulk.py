"""Fast inserts of many rows that still append to the hash-chained audit log.

The ORM path (objects + `caleol.db.audit` flush hooks) costs a read-back and a
generic conversion per row; the demo's 100 000 demandes and a 10 000-row import
cannot afford that. Here each table gets a plan made once (column order, model
defaults, SQLAlchemy's own bind processors, JSON converters), rows go in with one
DBAPI `executemany` per batch, and their audit entries are computed from the very
values inserted: every column is given explicitly, so the image of a row is the
image the audit hooks would have read back (`tests/services/test_bulk.py` checks
it against `caleol.db.audit.read_images` and `entry_hash`).

Updates of existing rows stay on the ORM path (they need the row as stored before).
A new row never takes the id of a row the log still holds (SQLite reuses the highest
ids of deleted rows: one deleted behind caleol's back would otherwise be laundered by
the next insert's clean entry): `caleol.db.audit.refuse_tampered`, checked only when
the log knows ids that high (one indexed query per batch).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, select, text

from caleol.db import audit
from caleol.db.models import AuditEntry
from caleol.db.models.base import utcnow
from caleol.db.typed import table_of
from caleol.services.bulk_plan import (
    Plan,
    bound_columns,
    columns_of,
    datetime_text,
    encode,
    images,
    plan_of,
    row_values,
)

_BATCH = 2000
BULK_CACHE_KIB = 64 * 1024  # SQLite page cache while a large batch goes in
MAX_BULK_CACHE_KIB = 256 * 1024  # … and for the largest files (`cache_for`)
AUDIT_TABLE = audit.AUDIT_TABLE
AUDIT_COLUMNS = ("at", "os_user", "entity", "entity_id", "action", "before", "after",
                 "prev_hash", "hash", "before_sha256", "after_sha256", "redacted_at")
_AT = 1  # position of `at` in the audit statement, after the entry's own id


@functools.lru_cache(maxsize=256)
def _multi_row_sql(single_row_sql: str, rows: int) -> str:
    """`INSERT … VALUES (?, ?)` for `rows` rows: `VALUES (?, ?), (?, ?), …`."""
    head, values = single_row_sql.rsplit(" VALUES ", 1)
    return f"{head} VALUES {', '.join([values] * rows)}"


def cache_for(source_bytes: int) -> int:
    """The page cache (KiB) for importing a file of `source_bytes`: 8 bytes of cache per
    byte of CSV, from `BULK_CACHE_KIB` to `MAX_BULK_CACHE_KIB`.

    Measured when the audit log still had unique indexes of random keys (before
    revision 0012), which outgrew 64 MB past ~30 000 demandes: 100 000 demandes (28 MB
    of CSV, 780 000 entries) took 20.5 s CPU to write with 64 MB, 16.8 s with 256 MB.
    The cache is only filled as pages are read, and given back at the end (`bulk_cache`).
    """
    return min(MAX_BULK_CACHE_KIB, max(BULK_CACHE_KIB, source_bytes * 8 // 1024))


@contextmanager
def bulk_cache(connection: Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A larger SQLite page cache for one large write, the usual one again after.

    Each row goes into its table's indexes and each audit entry into the log's: with
    SQLite's default 2 MB cache, a large import keeps evicting and re-reading their
    pages (10 000 demandes: 3.3 → 2.3 s CPU, measured before revision 0012 took the
    log's unique indexes of random keys away). Shrinking the cache afterwards frees
    the pages (memory stays as before).
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")


class AuditedInserter:
    """Inserts batches of rows in the caller's transaction and audits each one.

    Rows are mappings of column → value; missing columns take the model's default
    (`version` starts at 1, as with the ORM); a key that is not a column raises
    `KeyError` (a programming error). Mixing with ORM
    writes in the same transaction is fine once the ORM session has been flushed:
    the head of the audit chain is re-read for every batch.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.user = audit.current_os_user()
        self.at: datetime = utcnow()
        self._at_text = datetime_text(self.at)
        self.entries = 0
        self._dialect = connection.dialect
        self._variables: int | None = None  # SQLite's limit of bound values per statement

    def _refuse_reused_ids(self, entity: str, ids: list[int]) -> None:
        table = table_of(AuditEntry)
        newest = self.connection.execute(
            select(func.max(table.c.entity_id)).where(table.c.entity == entity)
        ).scalar_one_or_none()
        if newest is not None and ids and newest >= min(ids):
            audit.refuse_tampered(self.connection, entity, {}, ids)

    def _head(self) -> audit.ChainHead:
        if self._dialect.name == "postgresql":
            self.connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({audit.PG_LOCK_KEY})")
        return audit.read_head(self.connection)

    def insert(self, table: Table, rows: Iterable[Mapping[str, Any]]) -> list[int]:
        """Insert `rows` into `table`; returns their new ids in the same order."""
        plan = plan_of(table.name, self._dialect, self._dialect.name == "postgresql")
        known = set(plan.names)
        ids: list[int] = []
        batch: list[list[Any]] = []
        for row in rows:
            if not row.keys() <= known:
                unknown = set(row) - known
                raise KeyError(f"{table.name}: unknown columns {sorted(unknown)}")
            batch.append(row_values(plan, row))
            if len(batch) >= _BATCH:
                ids += self._insert_batch(plan, batch)
                batch = []
        if batch:
            ids += self._insert_batch(plan, batch)
        return ids

    def _write(self, plan: Plan, columns: list[Sequence[Any]], count: int) -> list[int]:
        """Insert `count` rows (given as columns) and tell which ids they got.

        PostgreSQL: the ids are reserved from the table's sequence first (safe with
        concurrent writers). SQLite: an INTEGER PRIMARY KEY takes max(id) + 1 and,
        from this statement on, the transaction holds the database's write lock, so
        the batch's rows are exactly the last `count` ids after the insert.
        """
        postgres = self._dialect.name == "postgresql"
        ids: list[int] = []
        if postgres:
            ids = list(self.connection.execute(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                     "FROM generate_series(1, :n)"),
                {"t": plan.table.name, "n": count},
            ).scalars())
        self._execute(plan, bound_columns(plan, columns, ids if postgres else None), count)
        if postgres:
            return ids
        last = self.connection.execute(select(func.max(plan.table.c.id))).scalar_one()
        return list(range(last - count + 1, last + 1))

    def _execute(self, plan: Plan, bound: list[Sequence[Any]], count: int) -> None:
        """One executemany (PostgreSQL) or a few multi-row INSERTs (SQLite) of the
        statement's columns `bound` (already through their bind processors)."""
        if plan.named:
            names = ("id", *plan.names) if plan.explicit_id else plan.names
            self.connection.exec_driver_sql(
                plan.sql, [dict(zip(names, row, strict=True)) for row in zip(*bound, strict=True)])
            return
        flat = list(itertools.chain.from_iterable(zip(*bound, strict=True)))
        self._execute_rows(plan, flat, count, len(bound))

    def _execute_rows(self, plan: Plan, flat: list[Any], count: int, width: int) -> None:
        """SQLite: many rows per INSERT statement (`VALUES (…), (…), …`); `flat` holds
        the `count` rows' values one row after the other.

        One statement per row would make SQLite open a statement savepoint for each
        row of a table with triggers, and the text-search index flushes its pending
        terms at every savepoint: one tiny index segment per demande (4× the cost of
        the insert itself). Many rows per statement also spare the per-statement work.
        """
        per_statement = max(1, self._max_variables() // max(1, width))
        for start in range(0, count, per_statement):
            rows = min(per_statement, count - start)
            self.connection.exec_driver_sql(
                _multi_row_sql(plan.sql, rows),
                tuple(flat[start * width:(start + rows) * width]))

    def _max_variables(self) -> int:
        if self._variables is None:
            driver = self.connection.connection.driver_connection
            getlimit = getattr(driver, "getlimit", None)
            self._variables = (getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
                               if getlimit is not None else 999)  # SQLite < 3.32's default
        return self._variables

    def _insert_batch(self, plan: Plan, batch: list[list[Any]]) -> list[int]:
        count = len(batch)
        columns = columns_of(batch, len(plan.names))
        ids = self._write(plan, columns, count)
        self._refuse_reused_ids(plan.table.name, ids)
        head = self._head()
        prev = head.hash
        # the entries' own ids: the head's plus one onwards (a writer that chained to the
        # same head collides on the primary key: `caleol.db.audit`)
        entry_ids = range(head.next_id, head.next_id + count)
        afters = images(plan, columns, ids)
        # a plain str: the table's name is SQLAlchemy's quoted_name, which sqlite3 asks
        # for an adapter (__conform__) at every row, through SQLAlchemy's __getattr__
        entity = str(plan.table.name)
        audit_plan = plan_of(AUDIT_TABLE, self._dialect, True)
        # audit_entry columns: id first, then in table order at, os_user, entity,
        # entity_id, action, before, after, prev_hash, hash, before_sha256, after_sha256,
        # redacted_at (checked by the assertion below, once per plan)
        assert audit_plan.names == AUDIT_COLUMNS, audit_plan.names
        at = self.at  # the same for every entry: bound once
        for index, binder in audit_plan.binders:
            if index == _AT:
                at = binder(at)
        # `audit.entry_hash` of an insert, written out key by key (sorted), its constant
        # parts once per batch; `audit.text_digest` of each image
        sha256 = hashlib.sha256
        start = '{"action":"insert","after_sha256":"'
        middle = (f'","at":"{self._at_text}","before_sha256":null,"entity":{encode(entity)},'
                  '"entity_id":')
        end = f',"os_user":{encode(self.user)},"prev_hash":"'
        after_digests: list[str] = []
        prevs: list[str] = []
        hashes: list[str] = []
        for after, new_id in zip(afters, ids, strict=True):
            after_sha256 = sha256(after.encode()).hexdigest()
            prevs.append(prev)
            prev = sha256(f'{start}{after_sha256}{middle}{new_id}{end}{prev}"}}'.encode()
                          ).hexdigest()
            after_digests.append(after_sha256)
            hashes.append(prev)
        nothing = [None] * count
        entries: list[Sequence[Any]] = [
            [at] * count, [self.user] * count, [entity] * count, ids, ["insert"] * count,
            nothing, afters, prevs, hashes, nothing, after_digests, nothing]
        self._execute(
            audit_plan, bound_columns(audit_plan, entries, entry_ids, frozenset({_AT})), count)
        self.entries += count
        return ids
