"""No caleol write builds on a row changed behind its back (issue 16, finding 1).

The ORM hook (`caleol.db.audit`) compares each row a write updates or deletes with its
last audited image. Two writes build on other rows than the ones they change, and
are checked here: the closing freezes a séance's presences, agenda, candidacies and
decisions (forged votes, or a candidate deleted, would be frozen into the PV), and a
candidacy's snapshot copies its demande's and dwelling's values (a forgery copied
into it, then undone, would leave nothing to see). Each raises `TamperedDataError`
naming the row and pointing to `caleol verify-db`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, func, select, text
from sqlmodel import Session

from caleol.db.audit import audited_tables, describe_row, read_images, refuse_tampered
from caleol.db.models import AuditEntry
from caleol.db.typed import table_of

# The rows a séance's closing freezes, and how to find them from the séance's id.
_SESSION_ROWS: tuple[tuple[str, str], ...] = (
    ("commission_session", "SELECT id FROM commission_session WHERE id = :s"),
    ("attendance", "SELECT id FROM attendance WHERE session_id = :s"),
    ("agenda_item", "SELECT id FROM agenda_item WHERE session_id = :s"),
    ("occupation_review", "SELECT id FROM occupation_review WHERE session_id = :s"),
    ("candidacy", "SELECT c.id FROM candidacy c JOIN agenda_item a ON a.id = c.agenda_item_id"
                  " WHERE a.session_id = :s"),
    ("decision", "SELECT d.id FROM decision d JOIN candidacy c ON c.id = d.candidacy_id"
                 " JOIN agenda_item a ON a.id = c.agenda_item_id WHERE a.session_id = :s"),
)


def refuse_tampered_session(db: Session, session_id: int) -> None:
    """Raise `TamperedDataError` if a row of the séance differs from its last audited
    image, or if a row the log holds for it is gone: closing would freeze, and the PV
    print, votes, a snapshot or a list of candidates forged by raw SQL (issue 16). Call
    it before freezing, in the closing's transaction, and before storing a signed
    document (the triggers guarding a closed séance may have been dropped then put
    back)."""
    db.flush()
    connection = db.connection()
    tables = {t.name: t for t in audited_tables()}
    for name, query in _SESSION_ROWS:
        ids = [r[0] for r in connection.execute(text(query), {"s": session_id})]
        if ids:
            refuse_tampered(connection, name, read_images(connection, tables[name], ids))
    _refuse_rows_deleted_behind(connection, session_id)


# What a candidacy's snapshot is built from: a demande's rows, found by its id.
_DEMANDE_SOURCES: tuple[tuple[str, str], ...] = (
    ("demande", "id"), ("household_member", "demande_id"), ("resource", "demande_id"),
    ("demande_priority", "demande_id"),
)


def refuse_tampered_sources(db: Session, demande_ids: Iterable[int],
                            dwelling_ids: Iterable[int] = ()) -> None:
    """Raise `TamperedDataError` if a demande's rows or a dwelling a snapshot is about to
    be built from differ from their last audited image: the snapshot, an audited write
    the PV prints, would carry a forgery that outlives it (forged, snapshot taken,
    forgery undone: nothing left to see) (audit16). Call it only for the snapshots that
    change: a refresh that changes nothing costs nothing."""
    demandes = sorted(set(demande_ids))
    dwellings = sorted(set(dwelling_ids))
    if not demandes and not dwellings:
        return
    connection = db.connection()
    tables = {t.name: t for t in audited_tables()}
    wanted = [(name, tables[name].c[column], demandes) for name, column in _DEMANDE_SOURCES]
    wanted.append(("dwelling", tables["dwelling"].c.id, dwellings))
    for name, column, keys in wanted:
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            ids = [r[0] for r in connection.execute(
                select(tables[name].c.id).where(column.in_(chunk)))]
            if ids:
                refuse_tampered(connection, name, read_images(connection, tables[name], ids))


# The séance's rows a raw DELETE could take out of its PV (a candidate examined, a
# member present…), each with the column of its image that ties it to the séance and
# the table that column points to (None: the séance itself).
_SESSION_CHILDREN: tuple[tuple[str, str, str | None], ...] = (
    ("attendance", "session_id", None),
    ("agenda_item", "session_id", None),
    ("occupation_review", "session_id", None),
    ("candidacy", "agenda_item_id", "agenda_item"),
    ("decision", "candidacy_id", "candidacy"),
)


def _refuse_rows_deleted_behind(connection: Connection, session_id: int) -> None:
    """The rows the log still holds (last entry not a delete) but the table no longer
    has, among the séance's: each table's gone rows are found by one indexed query
    (normally none), and only their last image is read."""
    from caleol.db.errors import TamperedDataError

    table = table_of(AuditEntry)
    tables = {t.name: t for t in audited_tables()}
    ids_of: dict[str | None, set[int]] = {None: {session_id}}
    for name, column, parent in _SESSION_CHILDREN:
        latest = (select(func.max(table.c.id)).where(table.c.entity == name)
                  .group_by(table.c.entity_id))
        gone = connection.execute(
            select(table.c.id, table.c.entity_id, table.c.after)
            .where(table.c.id.in_(latest), table.c.action != "delete",
                   table.c.entity_id.not_in(select(tables[name].c.id)))
        ).all()
        for entry_id, entity_id, after in gone:
            if after is None or json.loads(after).get(column) not in ids_of[parent]:
                continue  # another séance's row (or erased by the purge)
            raise TamperedDataError(
                f"Enregistrement refusé : {describe_row(name, entity_id, after)} a disparu "
                "de la base hors de caleol (dernière trace au journal d'audit : entrée "
                f"n° {entry_id}, qui ne la supprime pas). caleol ne clôt ni ne signe une "
                "séance dont une ligne a été supprimée en dehors de lui : lancez « caleol "
                "verify-db » pour le détail, puis faites vérifier la base par le "
                "responsable des données (ou restaurez une sauvegarde).")
        ids_of[name] = {r[0] for r in connection.execute(
            text(dict(_SESSION_ROWS)[name]), {"s": session_id})}
