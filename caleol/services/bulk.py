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
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
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

_BATCH = 2000
AUDIT_TABLE = audit.AUDIT_TABLE
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
        return _Factory(field.default_factory)  # type: ignore[arg-type]
    if field.default is PydanticUndefined:
        return _MISSING
    return field.default


def _datetime_text(value: datetime) -> str:
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
    if isinstance(kind, DateTime):
        return _datetime_text
    if isinstance(kind, Date | Time):
        return _iso
    if isinstance(kind, JSON | LargeBinary | DecimalText):
        return _via_canonical
    return None


@dataclass(frozen=True)
class _Plan:
    """Everything about a table that does not change from one row to the next."""

    table: Table
    names: tuple[str, ...]  # every column but `id`, in table order
    defaults: tuple[Any, ...]
    binders: tuple[Callable[[Any], Any] | None, ...]
    # (column name, index in `names` or -1 for id, converter), sorted by column name
    image_order: tuple[tuple[str, int, Callable[[Any], Any] | None], ...]
    sql: str
    named: bool  # pyformat/named paramstyle (PostgreSQL) vs qmark (SQLite)
    explicit_id: bool  # the statement takes `id` first (ids reserved beforehand)


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
        table.c[name].type._cached_bind_processor(dialect)
        for name in with_id
    )
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
        defaults=tuple(_default(c, model) for c in columns),
        binders=binders,
        image_order=image_order,
        sql=str(compiled),
        named=named,
        explicit_id=explicit_id,
    )


def _values(plan: _Plan, row: Mapping[str, Any]) -> list[Any]:
    values: list[Any] = []
    for name, default in zip(plan.names, plan.defaults, strict=True):
        value = row.get(name, default)
        if value is _MISSING:
            raise KeyError(f"{plan.table.name}: column {name} is required")
        if isinstance(value, _Factory):
            value = value.make()
        values.append(value)
    return values


def _image(plan: _Plan, values: list[Any], new_id: int) -> str:
    data: dict[str, Any] = {}
    for name, index, convert in plan.image_order:
        if index < 0:
            data[name] = new_id
            continue
        value = values[index]
        data[name] = value if convert is None or value is None else convert(value)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _entry_hash(entry: Mapping[str, Any], at_text: str) -> str:
    """Same digest as `audit.entry_hash(**entry)`, without the generic conversion."""
    payload = json.dumps(
        {
            "action": entry["action"],
            "after": entry["after"],
            "at": at_text,
            "before": entry["before"],
            "entity": entry["entity"],
            "entity_id": entry["entity_id"],
            "os_user": entry["os_user"],
            "prev_hash": entry["prev_hash"],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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

    def _head(self) -> str:
        if self._dialect.name == "postgresql":
            self.connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({audit.PG_LOCK_KEY})")
        table = AuditEntry.__table__  # type: ignore[attr-defined]
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
            unknown = set(row) - known
            if unknown:
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

    def _execute(self, plan: _Plan, batch: list[list[Any]], ids: list[int] | None) -> None:
        names = ("id", *plan.names) if plan.explicit_id else plan.names
        params: list[Any] = []
        for position, values in enumerate(batch):
            full = [ids[position], *values] if ids is not None else values
            bound = [
                v if binder is None or v is None else binder(v)
                for v, binder in zip(full, plan.binders, strict=True)
            ]
            params.append(dict(zip(names, bound, strict=True)) if plan.named else tuple(bound))
        self.connection.exec_driver_sql(plan.sql, params)

    def _insert_batch(self, plan: _Plan, batch: list[list[Any]]) -> list[int]:
        ids = self._write(plan, batch)
        prev = self._head()
        entries: list[dict[str, Any]] = []
        for values, new_id in zip(batch, ids, strict=True):
            entry = {
                "at": self.at,
                "os_user": self.user,
                "entity": plan.table.name,
                "entity_id": new_id,
                "action": "insert",
                "before": None,
                "after": _image(plan, values, new_id),
                "prev_hash": prev,
            }
            entry["hash"] = _entry_hash(entry, self._at_text)
            prev = entry["hash"]
            entries.append(entry)
        audit_plan = _plan(AUDIT_TABLE, self._dialect, False)
        self._execute(audit_plan, [[e[name] for name in audit_plan.names] for e in entries], None)
        self.entries += len(entries)
        return ids
