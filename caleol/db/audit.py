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
lock serialises writers. `prev_hash` is unique: a fork is impossible, never silent.

No write builds on a row changed behind caleol's back (issue 16): before the entries
of a flush are written, each updated or deleted row's stored image is compared (by
digest) with the last image the log recorded for it, and an inserted row's id must not
belong to a row the log still holds; otherwise the flush fails with a French
`TamperedDataError` naming the row, and the forged values never reach the log as a
legitimate « before ». One extra indexed query per table per flush.

Bulk statements (`session.execute(update(...))`) bypass these hooks: they are
refused on audited tables (`do_orm_execute`), so every write goes through objects.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any, TypeGuard

from sqlalchemy import Connection, Table, bindparam, event, func, insert, select, update
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, object_session
from sqlmodel import SQLModel

from caleol.db.models.audit import AuditEntry
from caleol.db.models.base import utcnow
from caleol.db.typed import table_of
from caleol.errors import CaleolError

log = logging.getLogger(__name__)

AUDIT_TABLE = "audit_entry"
GENESIS = "0" * 64  # prev_hash of the first entry
PG_LOCK_KEY = 0x0CA1E01  # pg_advisory_xact_lock key serialising the chain
_BATCH = 500
_PENDING = "caleol_audit_pending"
_BEFORE = "caleol_audit_before"
_LOCKED = "caleol_audit_locked"  # this transaction already holds the PG advisory lock
_CHANGES = "caleol_audit_changes"  # id(object) → its flush changes its row


@cache
def current_os_user() -> str:
    """The OS account writing (the secretary); never fails."""
    try:
        return getpass.getuser()
    except Exception:
        return "inconnu"


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _jsonable(value: Any) -> Any:
    # Plain values first, by exact type (StrEnum members are not `str` here): the ABC
    # `Mapping` check below is slow, and check snapshots are deep trees of plain values.
    if type(value) in _PLAIN:
        return value
    if type(value) is dict:
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            value = value.replace(tzinfo=UTC)  # stored without zone: UTC by convention
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def canonical_json(data: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(_jsonable(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _converted(value: Any) -> Any:
    """`json`'s hook for what it cannot write itself: as `_jsonable` writes it."""
    converted = _jsonable(value)
    if converted is value:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return converted


_ROW_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                                default=_converted)


def row_image(row: Mapping[Any, Any]) -> str:
    """Canonical JSON of a stored row (bytes appear as their sha256 and size).

    The same text as `canonical_json`, written in one pass of `json`'s C encoder
    (the hook converts dates, decimals and bytes only): a stored row's keys are
    column names and its JSON columns were decoded from JSON, so no key needs the
    `str()` that `_jsonable` applies. Reading the images is most of an audited
    update's cost (check snapshots are deep trees): half the time of `canonical_json`.
    """
    return _ROW_ENCODER.encode(dict(row))


def text_digest(image: str) -> str:
    """sha256 (hex) of an image's text: what the chain covers instead of the text."""
    return hashlib.sha256(image.encode("utf-8")).hexdigest()


def image_digest(image: str | None) -> str | None:
    """`text_digest` of an image, None for no image (an insert's before...)."""
    return None if image is None else text_digest(image)


def entry_hash(
    *,
    at: datetime,
    os_user: str,
    entity: str,
    entity_id: int,
    action: str,
    before_sha256: str | None,
    after_sha256: str | None,
    prev_hash: str,
) -> str:
    payload = canonical_json(
        {
            "at": at,
            "os_user": os_user,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "before_sha256": before_sha256,
            "after_sha256": after_sha256,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class LastEntry:
    """The last entry the log holds for a row."""

    entry_id: int
    action: str
    after_sha256: str | None


@cache
def _last_entries_query() -> Any:
    """Built once: this runs at every flush (building it cost more than running it)."""
    table = table_of(AuditEntry)
    latest = (select(func.max(table.c.id))
              .where(table.c.entity == bindparam("entity"),
                     table.c.entity_id.in_(bindparam("ids", expanding=True)))
              .group_by(table.c.entity_id))
    return (select(table.c.entity_id, table.c.id, table.c.action, table.c.after_sha256)
            .where(table.c.id.in_(latest)))


def last_entries(connection: Connection, entity: str, ids: Iterable[int]) -> dict[int, LastEntry]:
    """The last entry of each of the rows `ids` of table `entity` (absent: none)."""
    found: dict[int, LastEntry] = {}
    id_list = sorted(set(ids))
    query = _last_entries_query()
    for start in range(0, len(id_list), _BATCH):
        chunk = id_list[start:start + _BATCH]
        for row in connection.execute(query, {"entity": entity, "ids": chunk}):
            found[row[0]] = LastEntry(row[1], row[2], row[3])
    return found


def changed_columns(recorded: str, current: str) -> list[str]:
    """Columns whose value differs between two images of a row. Only the columns both
    know are compared: the others were added or dropped by a schema upgrade (DDL,
    which only a migration runs), not by a write behind the application's back."""
    before: dict[str, Any] = json.loads(recorded)
    now: dict[str, Any] = json.loads(current)
    return sorted(k for k in before if k in now and before[k] != now[k])


# How a row is named to the user: table → (what, column of the image naming it).
_ROW_NAMES: dict[str, tuple[str, str]] = {
    "demande": ("la demande NUR", "nur"),
    "dwelling": ("le logement", "reference"),
    "commission_session": ("la séance du", "date"),
    "household_member": ("un membre du ménage de la demande n°", "demande_id"),
    "resource": ("une ressource de la demande n°", "demande_id"),
    "demande_priority": ("un critère de priorité de la demande n°", "demande_id"),
    "wished_commune": ("une commune souhaitée de la demande n°", "demande_id"),
    "candidacy": ("une candidature de la demande n°", "demande_id"),
    "decision": ("la décision sur la candidature n°", "candidacy_id"),
    "attendance": ("une présence de la séance n°", "session_id"),
    "agenda_item": ("un logement de l'ordre du jour de la séance n°", "session_id"),
    "commune": ("la commune", "insee_code"),
    "reason": ("le motif", "code"),
    "commission_member": ("le membre de commission", "name"),
}


def describe_row(entity: str, entity_id: int, image: str | None) -> str:
    """« la demande NUR 057… (table demande, ligne n° 12) », from a row's image."""
    where = f"(table {entity}, ligne n° {entity_id})"
    named = _ROW_NAMES.get(entity)
    value = json.loads(image).get(named[1]) if named and image else None
    if named is None or value in (None, ""):
        return f"la ligne n° {entity_id} de la table {entity}"
    return f"{named[0]} {value} {where}"


def _tampered(text: str) -> CaleolError:
    from caleol.db.errors import TamperedDataError

    return TamperedDataError(
        f"Enregistrement refusé : {text}. caleol n'enregistre rien par-dessus une donnée "
        "modifiée en dehors de lui : lancez « caleol verify-db » pour le détail, puis "
        "faites vérifier la base par le responsable des données (ou restaurez une "
        "sauvegarde)."
    )


def refuse_tampered(connection: Connection, entity: str, stored: Mapping[int, str | None],
                    inserted: Iterable[int] = ()) -> None:
    """Raise `TamperedDataError` if a row about to be written does not match the log.

    Args:
        stored: row id → its image as stored now (None: the row is gone), for rows
            about to be updated or deleted (or frozen: the closing of a séance).
        inserted: ids about to be given to new rows: none may belong to a row the log
            says is still there (SQLite reuses the highest ids of deleted rows).
    """
    new_ids = list(inserted)
    last = last_entries(connection, entity, [*stored, *new_ids])
    for entity_id in new_ids:
        seen = last.get(entity_id)
        if seen is not None and seen.action != "delete":
            raise _tampered(
                f"{describe_row(entity, entity_id, None)} a été supprimée hors de caleol (le "
                f"journal d'audit la tient pour présente, entrée n° {seen.entry_id})")
    for entity_id, image in stored.items():
        if image is None:
            continue  # the row is gone: the ORM reports the stale write itself
        seen = last.get(entity_id)
        if seen is None or seen.action == "delete":
            raise _tampered(
                f"{describe_row(entity, entity_id, image)} n'a aucune trace valable dans le "
                "journal d'audit (ajoutée ou réinsérée hors de caleol)")
        if image_digest(image) == seen.after_sha256:
            continue
        table = table_of(AuditEntry)
        recorded = connection.execute(
            select(table.c.after).where(table.c.id == seen.entry_id)).scalar_one_or_none()
        changed = changed_columns(recorded, image) if recorded is not None else None
        if changed == []:
            continue  # only columns added by a schema upgrade differ
        columns = f" ; colonnes : {', '.join(changed)}" if changed else ""
        raise _tampered(
            f"les valeurs de {describe_row(entity, entity_id, recorded or image)} ont été "
            f"modifiées hors de caleol depuis leur dernière trace dans le journal d'audit "
            f"(entrée n° {seen.entry_id}{columns})")


def redact(connection: Connection, rows: Mapping[str, Iterable[int]]) -> int:
    """Erase the images of the audit entries of these rows (retention purge).

    `rows` maps a table name to the ids of its rows being deleted or anonymised in
    this transaction, after their own entries were written (flush first). Every image
    of those entries goes, except the last `after` image of a row that stays (the
    anonymised state: nothing personal in it, and `verify-db` compares the row with
    it). Digests, hashes and the rest of each entry stay, so the chain still
    verifies; the database triggers allow no other change. Returns the number of
    entries redacted.
    """
    table = table_of(AuditEntry)
    now = utcnow()
    count = 0
    for entity, ids in rows.items():
        id_list = sorted(set(ids))
        for start in range(0, len(id_list), _BATCH):
            chunk = id_list[start:start + _BATCH]
            mine = (table.c.entity == entity) & table.c.entity_id.in_(chunk)
            latest = select(func.max(table.c.id)).where(mine).group_by(table.c.entity_id)
            older = connection.execute(
                update(table)
                .where(mine, table.c.id.not_in(latest),
                       table.c.before.is_not(None) | table.c.after.is_not(None))
                .values(before=None, after=None, redacted_at=now)
            )
            last = connection.execute(
                update(table)
                .where(mine, table.c.id.in_(latest), table.c.before.is_not(None))
                .values(before=None, redacted_at=now)
            )
            count += older.rowcount + last.rowcount
    return count


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


def _chain_head(session: Session, connection: Connection) -> str:
    """The last hash, read every time: other writers of this transaction (e.g. a bulk
    inserter on the same connection) may have appended since the previous flush."""
    if connection.dialect.name == "postgresql" and not session.info.get(_LOCKED):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
        session.info[_LOCKED] = True
    table = table_of(AuditEntry)
    head = connection.execute(
        select(table.c.hash).order_by(table.c.id.desc()).limit(1)
    ).scalar_one_or_none()
    return head or GENESIS


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
    prev = _chain_head(session, connection)
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
