"""The Séances list, read with a plain DB-API connection: no SQLAlchemy, no ORM.

The list is what a cold start waits for (issue 19), and importing SQLAlchemy and
SQLModel, checking the schema and installing the audit hooks take most of a second
on an office PC. So the list has one reading, `read_sessions`, in SQL every backend
speaks, over any DB-API connection: at start on a read-only connection of its own
(`light_sessions`, before the database is fully open), afterwards on one of the
engine's (`caleol.services.sessions.list_sessions`). Its rows hold the séance's date,
commission, place, status and counts: no applicant's personal data.

The light read is only ever a head start: it happens only when the base's stored
schema revision is the application's own, and any failure (another schema, no file,
a lock, no server) gives None and the window waits for the full open as before.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from typing import Any

from caleol.db.revisions import VERSION_TABLE, packaged_head
from caleol.db.urls import sqlite_path

log = logging.getLogger(__name__)

BUSY_SECONDS = 1.0  # a base busy longer than this is read by the full open instead
CONNECT_SECONDS = 3  # a server that does not answer within this: the full open says why

SESSIONS_SQL = """
SELECT s.id, s.commission_id, COALESCE(c.name, ''), s.date, s.place, s.kind, s.status,
       s.version,
       (SELECT COUNT(*) FROM agenda_item a WHERE a.session_id = s.id),
       (SELECT COUNT(*) FROM candidacy k JOIN agenda_item a ON a.id = k.agenda_item_id
         WHERE a.session_id = s.id),
       (SELECT COUNT(*) FROM decision d JOIN candidacy k ON k.id = d.candidacy_id
         JOIN agenda_item a ON a.id = k.agenda_item_id WHERE a.session_id = s.id)
FROM commission_session s LEFT JOIN commission c ON c.id = s.commission_id
ORDER BY s.date DESC, s.id DESC
"""


@dataclass(frozen=True)
class SessionSummary:
    """One line of the Séances list."""

    id: int
    commission_id: int
    commission: str
    date: dt.date
    place: str
    kind: str
    status: str
    dwellings: int
    candidacies: int
    decisions: int
    version: int

    @property
    def status_label(self) -> str:
        """« en préparation », « prête »… (the enum is imported only when asked)."""
        from caleol.db.models.enums import SessionStatus

        return SessionStatus(self.status).label


def read_sessions(connection: Any) -> tuple[SessionSummary, ...]:
    """Every séance, most recent first, with its counts (one query), from a DB-API
    connection (sqlite3, psycopg, or an engine's `raw_connection()`)."""
    cursor = connection.cursor()
    try:
        cursor.execute(SESSIONS_SQL)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return tuple(
        SessionSummary(id=r[0], commission_id=r[1], commission=r[2], date=_date(r[3]),
                       place=r[4] or "", kind=r[5], status=r[6], version=r[7] or 0,
                       dwellings=r[8], candidacies=r[9], decisions=r[10])
        for r in rows
    )


def light_sessions(url: str) -> tuple[SessionSummary, ...] | None:
    """The list read before the database is opened, or None to wait for the full open.

    SQLite: the file opened read-only (`mode=ro`), never created, with a short busy
    timeout; PostgreSQL: psycopg in a read-only transaction. Read only when the
    stored revision is the application's head: any other schema goes through the
    full open (which upgrades it, or says why it cannot).
    """
    try:
        head = packaged_head()
        if head is None:
            log.debug("light séance list: no packaged head")
            return None
        connection = _connect(url)
        if connection is None:
            return None
        try:
            stored = _stored_revision(connection)
            if stored != head:
                log.debug("light séance list: base at %s, application at %s", stored, head)
                return None
            return read_sessions(connection)
        finally:
            connection.close()
    except Exception as exc:  # a head start only: the full open reports real problems
        log.debug("light séance list unavailable: %r", exc)
        return None


def _connect(url: str) -> Any:
    path = sqlite_path(url)
    if path is not None:
        # `mode=ro`: never creates the file, never writes (not even a journal)
        return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                               timeout=BUSY_SECONDS)
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.lower().startswith(("postgresql", "postgres")):
        log.debug("light séance list: no light read for %s", scheme)
        return None
    import psycopg

    connection = psycopg.connect(f"postgresql://{rest}", connect_timeout=CONNECT_SECONDS)
    connection.read_only = True
    return connection


def _stored_revision(connection: Any) -> str | None:
    cursor = connection.cursor()
    try:
        cursor.execute(f"SELECT version_num FROM {VERSION_TABLE}")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return str(rows[0][0]) if len(rows) == 1 else None


def _date(value: Any) -> dt.date:
    """SQLite gives the ISO text SQLAlchemy stored, psycopg a date."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
