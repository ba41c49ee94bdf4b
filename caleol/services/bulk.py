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
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import (
    JSON,
    Connection,
    Date,
    DateTime,
    Dialect,
    LargeBinary,
    Table,
    Time,
    func,
    insert,
    select,
    text,
)
from sqlmodel import SQLModel

from caleol.db import audit, models
from caleol.db.models import AuditEntry, metadata
from caleol.db.models.base import DecimalText, utcnow
from caleol.db.typed import table_of

_BATCH = 2000
BULK_CACHE_KIB = 64 * 1024  # SQLite page cache while a large batch goes in
AUDIT_TABLE = audit.AUDIT_TABLE
AUDIT_COLUMNS = ("at", "os_user", "entity", "entity_id", "action", "before", "after",
                 "prev_hash", "hash", "before_sha256", "after_sha256", "redacted_at")
_MISSING = object()


class _Factory:
    """A default computed per row (timestamps), never frozen in a cached plan."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make = make


@cache
def _model_of(table_name: str) -> type[SQLModel] | None:
    for name in models.__all__:
        candidate = getattr(models, name)
        if isinstance(candidate, type) and getattr(candidate, "__tablename__", None) == table_name:
            return candidate
    return None


def _default(column: Any, model: type[SQLModel] | None) -> Any:
    if column.name == "version":
        return 1  # what the ORM's version counter starts at
    field = model.model_fields.get(column.name) if model is not None else None
    if field is None:
        return None
    if field.default_factory is not None:
        # The models' factories take no argument (pydantic also allows one taking the data).
        return _Factory(field.default_factory)  # type: ignore[arg-type]
    if field.default is PydanticUndefined:
        return _MISSING
    return field.default


def _datetime_text(value: datetime) -> str:
    """As `audit_images` writes a stored timestamp (no offset: UTC, as SQLite keeps it);
    a naive Paris wall time is refused at bind by UTCDateTime (`fr.utc_instant` first)."""
    if value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def _iso(value: date | time) -> str:
    return value.isoformat()


def _via_canonical(value: Any) -> Any:
    return json.loads(audit.canonical_json(value))


def _image_converter(column: Any) -> Callable[[Any], Any] | None:
    """How `audit.canonical_json` turns this column's values into JSON (None: as is)."""
    kind = column.type
    if isinstance(kind, DateTime) or isinstance(getattr(kind, "impl", None), DateTime):
        return _datetime_text  # SQLModel's UTCDateTime decorates a DateTime
    if isinstance(kind, Date | Time):
        return _iso
    if isinstance(kind, JSON | LargeBinary | DecimalText):
        return _via_canonical
    return None


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # = canonical_json
_encode = _JSON.encode


@dataclass(frozen=True)
class _Plan:  # cached_property needs a __dict__: no slots
    """Everything about a table that does not change from one row to the next."""

    table: Table
    names: tuple[str, ...]  # every column but `id`, in table order
    pairs: tuple[tuple[str, Any], ...]  # (name, default) in table order
    special: tuple[int, ...]  # positions whose default is required or computed per row
    binders: tuple[tuple[int, Callable[[Any], Any]], ...]  # positions in the statement
    # (column name, index in `names` or -1 for id, converter), sorted by column name
    image_order: tuple[tuple[str, int, Callable[[Any], Any] | None], ...]
    sql: str
    named: bool  # pyformat/named paramstyle (PostgreSQL) vs qmark (SQLite)
    explicit_id: bool  # the statement takes `id` first (ids reserved beforehand)

    @functools.cached_property
    def defaults(self) -> tuple[Any, ...]:
        return tuple(default for _name, default in self.pairs)

    @functools.cached_property
    def image_keys(self) -> tuple[str, ...]:
        return tuple(name for name, _index, _convert in self.image_order)

    @functools.cached_property
    def image_positions(self) -> tuple[int, ...]:
        """Where each image key's value is in a row's values (-1: the new id)."""
        return tuple(index for _name, index, _convert in self.image_order)

    @functools.cached_property
    def image_converters(self) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
        """(position in the image, converter) of the values `canonical_json` rewrites."""
        return tuple((at, convert) for at, (_name, _index, convert)
                     in enumerate(self.image_order) if convert is not None)


@cache
def _plan(table_name: str, dialect: Dialect, explicit_id: bool) -> _Plan:
    table = metadata.tables[table_name]
    model = _model_of(table_name)
    columns = [c for c in table.columns if c.name != "id"]
    names = tuple(c.name for c in columns)
    with_id = ("id", *names) if explicit_id else names
    compiled = insert(table).compile(dialect=dialect, column_keys=list(with_id))
    named = dialect.paramstyle in ("pyformat", "named")
    binders = tuple(
        (position, binder)
        for position, name in enumerate(with_id)
        if (binder := table.c[name].type._cached_bind_processor(dialect)) is not None
    )
    defaults = tuple(_default(c, model) for c in columns)
    sorted_names = sorted(("id", *names))
    image_order = tuple(
        (name,
         -1 if name == "id" else names.index(name),
         None if name == "id" else _image_converter(table.c[name]))
        for name in sorted_names
    )
    return _Plan(
        table=table,
        names=names,
        pairs=tuple(zip(names, defaults, strict=True)),
        special=tuple(
            i for i, d in enumerate(defaults) if d is _MISSING or isinstance(d, _Factory)
        ),
        binders=binders,
        image_order=image_order,
        sql=str(compiled),
        named=named,
        explicit_id=explicit_id,
    )


def _values(plan: _Plan, row: Mapping[str, Any]) -> list[Any]:
    values = list(map(row.get, plan.names, plan.defaults))
    for index in plan.special:
        value = values[index]
        if value is _MISSING:
            raise KeyError(f"{plan.table.name}: column {plan.names[index]} is required")
        if isinstance(value, _Factory):
            values[index] = value.make()
    return values


def _image(plan: _Plan, values: list[Any], new_id: int) -> str:
    """Same text as `audit.row_image` (sorted keys, compact, UTF-8 kept)."""
    image = [new_id if index < 0 else values[index] for index in plan.image_positions]
    for at, convert in plan.image_converters:
        if image[at] is not None:
            image[at] = convert(image[at])
    return _encode(dict(zip(plan.image_keys, image, strict=True)))  # keys in sorted order


def _entry_hash(entity: str, entity_id: int, after_sha256: str, at_text: str,
                user_json: str, prev_hash: str) -> str:
    """Same digest as `audit.entry_hash(...)` of an insert, written out key by key."""
    payload = (
        f'{{"action":"insert","after_sha256":"{after_sha256}","at":"{at_text}",'
        f'"before_sha256":null,"entity":{_encode(entity)},"entity_id":{entity_id},'
        f'"os_user":{user_json},"prev_hash":"{prev_hash}"}}'
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=256)
def _multi_row_sql(single_row_sql: str, rows: int) -> str:
    """`INSERT … VALUES (?, ?)` for `rows` rows: `VALUES (?, ?), (?, ?), …`."""
    head, values = single_row_sql.rsplit(" VALUES ", 1)
    return f"{head} VALUES {', '.join([values] * rows)}"


@contextmanager
def bulk_cache(connection: Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A larger SQLite page cache for one large write, the usual one again after.

    Each audit entry goes into two unique indexes of random keys (`hash`,
    `prev_hash`): with SQLite's default 2 MB cache, a 10 000-demande import keeps
    evicting and re-reading their pages (3.3 → 2.3 s CPU for its 78 000 entries).
    Shrinking the cache afterwards frees the pages (memory stays as before).
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
        self._at_text = _datetime_text(self.at)
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

    def _head(self) -> str:
        if self._dialect.name == "postgresql":
            self.connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({audit.PG_LOCK_KEY})")
        table = table_of(AuditEntry)
        head = self.connection.execute(
            select(table.c.hash).order_by(table.c.id.desc()).limit(1)
        ).scalar_one_or_none()
        return head or audit.GENESIS

    def insert(self, table: Table, rows: Iterable[Mapping[str, Any]]) -> list[int]:
        """Insert `rows` into `table`; returns their new ids in the same order."""
        plan = _plan(table.name, self._dialect, self._dialect.name == "postgresql")
        known = set(plan.names)
        ids: list[int] = []
        batch: list[list[Any]] = []
        for row in rows:
            if not row.keys() <= known:
                unknown = set(row) - known
                raise KeyError(f"{table.name}: unknown columns {sorted(unknown)}")
            batch.append(_values(plan, row))
            if len(batch) >= _BATCH:
                ids += self._insert_batch(plan, batch)
                batch = []
        if batch:
            ids += self._insert_batch(plan, batch)
        return ids

    def _write(self, plan: _Plan, batch: list[list[Any]]) -> list[int]:
        """Insert with one DBAPI executemany and tell which ids the rows got.

        PostgreSQL: the ids are reserved from the table's sequence first (safe with
        concurrent writers). SQLite: an INTEGER PRIMARY KEY takes max(id) + 1 and,
        from this statement on, the transaction holds the database's write lock, so
        the batch's rows are exactly the last `len(batch)` ids after the insert.
        """
        count = len(batch)
        postgres = self._dialect.name == "postgresql"
        ids: list[int] = []
        if postgres:
            ids = list(self.connection.execute(
                text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                     "FROM generate_series(1, :n)"),
                {"t": plan.table.name, "n": count},
            ).scalars())
        self._execute(plan, batch, ids if postgres else None)
        if postgres:
            return ids
        last = self.connection.execute(select(func.max(plan.table.c.id))).scalar_one()
        return list(range(last - count + 1, last + 1))

    def _execute(self, plan: _Plan, batch: list[list[Any]], ids: list[int] | None,
                 prebound: frozenset[int] = frozenset()) -> None:
        names = ("id", *plan.names) if plan.explicit_id else plan.names
        binders = [(i, b) for i, b in plan.binders if i not in prebound]
        params: list[Any] = []
        for position, values in enumerate(batch):
            full = [ids[position], *values] if ids is not None else list(values)
            for index, binder in binders:
                value = full[index]
                if value is not None:
                    full[index] = binder(value)
            params.append(dict(zip(names, full, strict=True)) if plan.named else full)
        if plan.named:
            self.connection.exec_driver_sql(plan.sql, params)
            return
        self._execute_rows(plan, params, len(names))

    def _execute_rows(self, plan: _Plan, rows: list[list[Any]], width: int) -> None:
        """SQLite: many rows per INSERT statement (`VALUES (…), (…), …`).

        One statement per row would make SQLite open a statement savepoint for each
        row of a table with triggers, and the text-search index flushes its pending
        terms at every savepoint: one tiny index segment per demande (4× the cost of
        the insert itself). Many rows per statement also spare the per-statement work.
        """
        per_statement = max(1, self._max_variables() // max(1, width))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            self.connection.exec_driver_sql(_multi_row_sql(plan.sql, len(chunk)),
                                            tuple(itertools.chain.from_iterable(chunk)))

    def _max_variables(self) -> int:
        if self._variables is None:
            driver = self.connection.connection.driver_connection
            getlimit = getattr(driver, "getlimit", None)
            self._variables = (getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
                               if getlimit is not None else 999)  # SQLite < 3.32's default
        return self._variables

    def _insert_batch(self, plan: _Plan, batch: list[list[Any]]) -> list[int]:
        ids = self._write(plan, batch)
        self._refuse_reused_ids(plan.table.name, ids)
        prev = self._head()
        # a plain str: the table's name is SQLAlchemy's quoted_name, which sqlite3 asks
        # for an adapter (__conform__) at every row, through SQLAlchemy's __getattr__
        entity = str(plan.table.name)
        user_json = _encode(self.user)
        audit_plan = _plan(AUDIT_TABLE, self._dialect, False)
        # audit_entry columns in table order: at, os_user, entity, entity_id, action,
        # before, after, prev_hash, hash, before_sha256, after_sha256, redacted_at
        # (checked by the assertion below, once per plan)
        assert audit_plan.names == AUDIT_COLUMNS, audit_plan.names
        at = self.at  # the same for every entry: bound once
        for index, binder in audit_plan.binders:
            if index == 0:
                at = binder(at)
        entries: list[list[Any]] = []
        for values, new_id in zip(batch, ids, strict=True):
            after = _image(plan, values, new_id)
            after_sha256 = audit.text_digest(after)
            digest = _entry_hash(entity, new_id, after_sha256, self._at_text, user_json, prev)
            entries.append([at, self.user, entity, new_id, "insert", None, after, prev, digest,
                            None, after_sha256, None])
            prev = digest
        self._execute(audit_plan, entries, None, prebound=frozenset({0}))
        self.entries += len(entries)
        return ids
