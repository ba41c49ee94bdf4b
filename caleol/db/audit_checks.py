"""What the audit log says of a row, and the refusal to build on a row it disowns.

Before a write, each updated or deleted row's stored image must be (by digest) the
last image the log recorded for it, and an inserted row's id must not belong to a row
the log still holds (issue 16): otherwise a French `TamperedDataError` names the row.
Also the retention purge's erasure of images (`redact`), the only change the database
triggers allow to an entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from caleol.db.audit_images import image_digest
from caleol.db.models.audit import AuditEntry
from caleol.db.models.base import utcnow
from caleol.db.typed import table_of
from caleol.errors import CaleolError

_BATCH = 500


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


def _of(named: str) -> str:
    """« de » before a row's name as French writes it: du logement, d'un membre."""
    if named.startswith("le "):
        return "du " + named[3:]
    if named.startswith(("un ", "une ")):
        return "d'" + named
    return "de " + named


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
            f"les valeurs {_of(describe_row(entity, entity_id, recorded or image))} ont été "
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
