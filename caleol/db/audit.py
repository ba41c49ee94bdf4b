"""Every ORM write appends a hash-chained entry to `audit_entry`, in the same transaction.

How it works:
* mapper events (`before_update`/`before_delete`) read the row as stored before the
  write; `after_insert`/`after_update`/`after_delete` queue the row's key;
* the session's `after_flush` reads the queued rows back as stored (batched), turns
  both images into canonical JSON, chains each entry to the previous one by hash and
  inserts the entries with Core (no recursion into the ORM);
* the images are read back from the database, not taken from the Python objects, so
  `caleol verify-db` can compare them with the rows as they are now and spot any row
  changed behind the application's back.

Concurrency: the head of the chain is read after this flush's own writes, i.e. while
this transaction holds SQLite's write lock; on PostgreSQL a transaction-level advisory
lock serialises writers. Each entry is given the id of the head it chains to plus one
(`ChainHead.next_id`): two writers building on the same head would collide on the
primary key, so a fork is impossible, never silent (the unique indexes on `hash` and
`prev_hash` that did it before revision 0012 cost half of a bulk import's log).

No write builds on a row changed behind caleol's back (issue 16): before the entries
of a flush are written, each updated or deleted row's stored image is compared (by
digest) with the last image the log recorded for it, and an inserted row's id must not
belong to a row the log still holds; otherwise the flush fails with a French
`TamperedDataError` naming the row, and the forged values never reach the log as a
legitimate « before ». One extra indexed query per table per flush.

The images and digests are `audit_images`, the tamper checks and the purge's
erasure `audit_checks` (both re-exported here).

Bulk statements (`session.execute(update(...))`) bypass these hooks: they are
refused on audited tables (`do_orm_execute`), so every write goes through objects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from sqlalchemy import Connection, Table, event, insert, select
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, object_session
from sqlmodel import SQLModel

from caleol.db.audit_checks import (
    LastEntry,
    changed_columns,
    describe_row,
    last_entries,
    redact,
    refuse_tampered,
)
from caleol.db.audit_images import (
    GENESIS,
    canonical_json,
    current_os_user,
    entry_hash,
    image_digest,
    row_image,
    text_digest,
)
from caleol.db.models.audit import AuditEntry
from caleol.db.models.base import utcnow
from caleol.db.typed import table_of

log = logging.getLogger(__name__)

AUDIT_TABLE = "audit_entry"
PG_LOCK_KEY = 0x0CA1E01  # pg_advisory_xact_lock key serialising the chain
_BATCH = 500
_PENDING = "caleol_audit_pending"
_BEFORE = "caleol_audit_before"
_LOCKED = "caleol_audit_locked"  # this transaction already holds the PG advisory lock
_CHANGES = "caleol_audit_changes"  # id(object) → its flush changes its row


def audited_tables() -> list[Table]:
    """Every table of the application except the log itself, in dependency order."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name != AUDIT_TABLE]


def _is_audited(table: object) -> TypeGuard[Table]:
    return (
        isinstance(table, Table)
        and table.metadata is SQLModel.metadata
        and table.name != AUDIT_TABLE
    )


def read_images(
    connection: Connection, table: Table, ids: Iterable[int]
) -> dict[int, str]:
    """Canonical images of the rows `ids` of `table` as stored now."""
    images: dict[int, str] = {}
    id_list = list(ids)
    for start in range(0, len(id_list), _BATCH):
        chunk = id_list[start : start + _BATCH]
        for row in connection.execute(select(table).where(table.c.id.in_(chunk))).mappings():
            images[row["id"]] = row_image(row)
    return images


@dataclass
class _Pending:
    table: Table
    entity_id: int
    action: str
    before: str | None


def _session_of(target: Any) -> Session | None:
    return object_session(target)


def _changes_row(session: Session, obj: Any) -> bool:
    """Whether flushing `obj` changes its row: an object set to equal values (a check
    snapshot recomputed the same) or changed only in its collections is « dirty » but
    no UPDATE runs, so it has no entry, and its images need not be read. Decided once
    per flush (`_before_flush`), asked again by the mapper events."""
    known: dict[int, bool] = session.info.setdefault(_CHANGES, {})
    found = known.get(id(obj))
    if found is None:
        found = known[id(obj)] = session.is_modified(obj, include_collections=False)
    return found


def _before_update(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    session = _session_of(target)
    if session is not None and _changes_row(session, target):
        _before_write(mapper, connection, target)


def _before_write(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    """Fallback for rows not prefetched by `_before_flush` (cascaded deletes, orphans)."""
    table = mapper.local_table
    if not _is_audited(table):
        return
    session = _session_of(target)
    if session is None or target.id is None:
        return
    cache = session.info.setdefault(_BEFORE, {})
    if (table.name, target.id) not in cache:
        cache[(table.name, target.id)] = read_images(connection, table, [target.id]).get(
            target.id
        )


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """Read the before-images of every dirty or deleted row in a few batched SELECTs."""
    session.info.pop(_CHANGES, None)
    wanted: dict[str, tuple[Table, set[int]]] = {}
    deleted = session.deleted
    for obj in (*session.dirty, *deleted):
        table = getattr(type(obj), "__table__", None)
        entity_id = getattr(obj, "id", None)
        if not _is_audited(table) or entity_id is None:
            continue
        if obj not in deleted and not _changes_row(session, obj):
            continue
        wanted.setdefault(table.name, (table, set()))[1].add(entity_id)
    if not wanted:
        return
    connection = session.connection()
    cache = session.info.setdefault(_BEFORE, {})
    for name, (table, ids) in wanted.items():
        images = read_images(connection, table, ids)
        for entity_id in ids:
            cache[(name, entity_id)] = images.get(entity_id)


def _queue(action: str) -> Any:
    def listener(mapper: Mapper[Any], connection: Connection, target: Any) -> None:
        table = mapper.local_table
        if not _is_audited(table):
            return
        session = _session_of(target)
        if session is None:
            return
        if action == "update" and not _changes_row(session, target):
            return  # no UPDATE ran (see `_changes_row`)
        before = None
        if action != "insert":
            before = session.info.get(_BEFORE, {}).pop((table.name, target.id), None)
        session.info.setdefault(_PENDING, []).append(_Pending(table, target.id, action, before))

    return listener


@dataclass(frozen=True)
class ChainHead:
    """The last entry of the chain: the next one is `next_id` and chains to `hash`."""

    id: int  # 0: the log is empty
    hash: str

    @property
    def next_id(self) -> int:
        return self.id + 1


def read_head(connection: Connection) -> ChainHead:
    """The chain's last entry as this transaction sees it (`GENESIS` at id 0 when the log
    is empty). The caller must hold the write lock (SQLite) or `PG_LOCK_KEY`."""
    table = table_of(AuditEntry)
    head = connection.execute(
        select(table.c.id, table.c.hash).order_by(table.c.id.desc()).limit(1)
    ).first()
    return ChainHead(0, GENESIS) if head is None else ChainHead(head[0], head[1])


def _chain_head(session: Session, connection: Connection) -> ChainHead:
    """The head, read every time: other writers of this transaction (e.g. a bulk
    inserter on the same connection) may have appended since the previous flush."""
    if connection.dialect.name == "postgresql" and not session.info.get(_LOCKED):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
        session.info[_LOCKED] = True
    return read_head(connection)


def _after_flush(session: Session, flush_context: Any) -> None:
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    session.info.pop(_BEFORE, None)
    session.info.pop(_CHANGES, None)
    if not pending:
        return
    connection = session.connection()
    _refuse_tampered_rows(connection, pending)
    wanted: dict[str, tuple[Table, set[int]]] = {}
    for item in pending:
        if item.action != "delete":
            wanted.setdefault(item.table.name, (item.table, set()))[1].add(item.entity_id)
    after_images: dict[tuple[str, int], str] = {}
    for name, (table, ids) in wanted.items():
        for entity_id, image in read_images(connection, table, ids).items():
            after_images[(name, entity_id)] = image

    at = utcnow()
    user = current_os_user()
    head = _chain_head(session, connection)
    prev, next_id = head.hash, head.next_id
    rows: list[dict[str, Any]] = []
    for item in pending:
        after = after_images.get((item.table.name, item.entity_id))
        if item.action == "update" and after == item.before:
            continue  # flushed but unchanged (e.g. only relationships touched)
        after_image = after if item.action != "delete" else None
        before_sha256 = image_digest(item.before)
        after_sha256 = image_digest(after_image)
        digest = entry_hash(
            at=at, os_user=user, entity=item.table.name, entity_id=item.entity_id,
            action=item.action, before_sha256=before_sha256, after_sha256=after_sha256,
            prev_hash=prev)
        rows.append({
            "id": next_id,
            "at": at,
            "os_user": user,
            "entity": item.table.name,
            "entity_id": item.entity_id,
            "action": item.action,
            "before": item.before,
            "after": after_image,
            "prev_hash": prev,
            "before_sha256": before_sha256,
            "after_sha256": after_sha256,
            "hash": digest,
        })
        prev = digest
        next_id += 1
    if rows:
        connection.execute(insert(table_of(AuditEntry)), rows)


def _refuse_tampered_rows(connection: Connection, pending: list[_Pending]) -> None:
    """`refuse_tampered` for every row of this flush, one query per table."""
    stored: dict[str, dict[int, str | None]] = {}
    inserted: dict[str, list[int]] = {}
    for item in pending:
        if item.action == "insert":
            inserted.setdefault(item.table.name, []).append(item.entity_id)
        else:
            stored.setdefault(item.table.name, {}).setdefault(item.entity_id, item.before)
    for entity in stored.keys() | inserted.keys():
        refuse_tampered(connection, entity, stored.get(entity, {}), inserted.get(entity, ()))


def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name in SQLModel.metadata.tables and name != AUDIT_TABLE:
        raise RuntimeError(
            f"Bulk {state.statement.__class__.__name__} on {name} bypasses the audit "
            "log; write through ORM objects instead."
        )


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_BEFORE, None)
    session.info.pop(_CHANGES, None)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    # Commit, rollback or savepoint end: the advisory lock may have been released.
    session.info.pop(_LOCKED, None)


_installed = False


def install() -> None:
    """Register the hooks once for every Session (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Mapper, "before_update", _before_update)
    event.listen(Mapper, "before_delete", _before_write)
    event.listen(Mapper, "after_insert", _queue("insert"))
    event.listen(Mapper, "after_update", _queue("update"))
    event.listen(Mapper, "after_delete", _queue("delete"))
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "after_flush", _after_flush)
    event.listen(Session, "after_soft_rollback", _after_soft_rollback)
    event.listen(Session, "after_transaction_end", _after_transaction_end)
    event.listen(Session, "do_orm_execute", _refuse_bulk_writes)
    _installed = True


__all__ = [
    "AUDIT_TABLE", "GENESIS", "PG_LOCK_KEY", "ChainHead", "LastEntry", "audited_tables",
    "canonical_json", "changed_columns", "current_os_user", "describe_row", "entry_hash",
    "image_digest", "install", "last_entries", "read_head", "read_images", "redact",
    "refuse_tampered", "row_image", "text_digest",
]
