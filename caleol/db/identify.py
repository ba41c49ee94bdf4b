"""What a database is, found out before caleol writes a byte to it.

Opening a SQLite file the usual way already changes it: `journal_mode=WAL` rewrites
bytes 18-19 of its header, a migration adds tables. So a file given to `--db`, to
`restore` or chosen in the window is first read through a read-only connection
(`mode=ro` URI): an unrelated SQLite file, another application's Alembic database or
a caleol database of a newer version is refused without one byte changed; a missing
or empty file is a new database only for the commands meant to create one.

A caleol database has caleol's own tables (`CALEOL_TABLES`) and an Alembic revision
among caleol's own scripts (`caleol.db.revisions.packaged_revisions`); the same
tables with a revision caleol does not know come from a newer caleol.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from caleol.db.revisions import VERSION_TABLE, packaged_revisions
from caleol.errors import CaleolError

SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_BYTES = 100  # bytes 18-19: 2 and 2 in WAL mode
# Tables every caleol schema since the first revision has: their set, not one name, so
# another application's `demande` table is not mistaken for caleol's.
CALEOL_TABLES = frozenset({
    "audit_entry", "commission_session", "demande", "dwelling", "signed_document",
    "candidacy", "decision",
})


class Kind(StrEnum):
    MISSING = "missing"
    EMPTY = "empty"  # no table at all (a new file, a new server database)
    CALEOL = "caleol"  # caleol's tables, a revision caleol knows
    NEWER = "newer"  # caleol's tables, a revision of a newer caleol
    FOREIGN = "foreign"  # tables of another application (Alembic or not)
    NOT_SQLITE = "not_sqlite"
    DAMAGED = "damaged"  # a SQLite header, but its schema cannot be read


@dataclass(frozen=True)
class Identity:
    kind: Kind
    revision: str | None = None
    detail: str = ""

    @property
    def is_new(self) -> bool:
        """Nothing in it yet: a database may be created there (when asked to)."""
        return self.kind in (Kind.MISSING, Kind.EMPTY)

    def refusal(self, where: str, *, create: bool = False) -> CaleolError | None:
        """The French refusal for opening this database, None when it may be opened.

        Args:
            where: the file or server database, as the user knows it.
            create: the command is meant to create a database (a missing or empty
                one is then fine).
        """
        from caleol.db.errors import DatabaseUnavailableError

        untouched = "caleol ne l'a pas modifié"
        if self.kind is Kind.CALEOL or (self.is_new and create):
            return None
        if self.kind is Kind.MISSING:
            return CaleolError(f"Base de données introuvable : {where}")
        if self.kind is Kind.EMPTY:
            return CaleolError(
                f"{where} ne contient aucune base caleol (fichier ou base vide) ; {untouched}. "
                "Une nouvelle base se crée au premier démarrage de caleol (« Base vide »)."
            )
        if self.kind is Kind.NEWER:
            return CaleolError(
                f"Cette base de données a été mise à jour par une version plus récente de "
                f"caleol (révision « {self.revision} »). Installez la dernière version de "
                "caleol pour l'ouvrir ; la base n'a pas été modifiée."
            )
        if self.kind is Kind.FOREIGN:
            version = f", révision Alembic « {self.revision} »" if self.revision else ""
            return CaleolError(
                f"{where} n'est pas une base caleol : c'est la base d'une autre application "
                f"(tables {self.detail}{version}) ; {untouched}."
            )
        if self.kind is Kind.NOT_SQLITE:
            return CaleolError(
                f"{where} n'est pas une base de données SQLite{self.detail} ; {untouched}."
            )
        return DatabaseUnavailableError(
            f"La base de données {where} est endommagée ({self.detail}). Restaurez la "
            "dernière sauvegarde (caleol restore) ou contactez votre support ; caleol ne "
            "l'a pas modifiée."
        )


def classify(tables: set[str], revision: str | None) -> Identity:
    """The kind of a database from its table names and its Alembic revision."""
    own = tables - {VERSION_TABLE}
    if not own and revision is None:
        return Identity(Kind.EMPTY)
    if own >= CALEOL_TABLES:
        if revision in packaged_revisions():
            return Identity(Kind.CALEOL, revision)
        if revision is not None:
            return Identity(Kind.NEWER, revision)
    names = sorted(own)
    shown = ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    return Identity(Kind.FOREIGN, revision, shown or "aucune")


def read_only_uri(path: Path, *, immutable: bool = False) -> str:
    """`file:` URI opening `path` read-only (quoted: spaces, `#`, `?` in names);
    `immutable`: without even the `-wal` and `-shm` files a WAL database's reader
    creates beside it (and leaves there)."""
    uri = uri_for_sqlite(path.resolve().as_uri()) + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def uri_for_sqlite(uri: str) -> str:
    """A `file:` URI SQLite accepts: it refuses an authority, so a Windows share
    (`file://serveur/partage/…` from `Path.as_uri()`) is written with an empty one and
    the share in the path (`file:////serveur/partage/…`)."""
    if uri.startswith("file://") and not uri.startswith("file:///"):
        return "file:////" + uri[len("file://"):]
    return uri


def identify_sqlite(path: Path) -> Identity:
    """What the SQLite file `path` holds, read without writing a byte to it."""
    try:
        if not path.exists():
            return Identity(Kind.MISSING)
        if path.is_dir():
            return Identity(Kind.NOT_SQLITE, detail=" (c'est un dossier)")
        with path.open("rb") as handle:
            header = handle.read(_HEADER_BYTES)
        # A WAL database no one has open has no -wal file: read it as immutable, or
        # the read-only reader would leave -wal and -shm files beside it (audit16).
        quiet = header[18:20] == b"\x02\x02" and not Path(f"{path}-wal").exists()
    except OSError as exc:
        return Identity(Kind.DAMAGED, detail=f"illisible : {exc.strerror or exc}")
    if not header:
        return Identity(Kind.EMPTY)
    if not header.startswith(SQLITE_MAGIC):
        return Identity(Kind.NOT_SQLITE)
    try:
        connection = sqlite3.connect(read_only_uri(path, immutable=quiet), uri=True)
    except sqlite3.Error as exc:
        return Identity(Kind.DAMAGED, detail=str(exc))
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        revision = None
        if VERSION_TABLE in tables:
            rows = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()
            revision = rows[0][0] if len(rows) == 1 else None
    except sqlite3.DatabaseError as exc:
        return Identity(Kind.DAMAGED, detail=str(exc))
    finally:
        connection.close()
    return classify(tables, revision)
