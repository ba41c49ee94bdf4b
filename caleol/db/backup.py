"""SQLite backups with the online backup API, rotation, and a checked restore.

Lives in the database layer because `open_database` backs up before migrating;
`caleol.services.backup` is the use-case entry point the GUI and CLI call.

A backup is one self-contained file (journal mode DELETE, no -wal beside it), named
`caleol-<database>-<UTC timestamp>[-<label>].sqlite3` so names sort by age, and
checked with `PRAGMA integrity_check` before it is kept.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from caleol.errors import CaleolError, describe_os_error

log = logging.getLogger(__name__)

SUFFIX = ".sqlite3"


def _source_path(source: Engine | Path | str) -> Path:
    if isinstance(source, Engine):
        if source.dialect.name != "sqlite" or not source.url.database or (
            source.url.database == ":memory:"
        ):
            raise CaleolError(
                "La sauvegarde intégrée ne concerne que les bases SQLite locales ; pour un "
                "serveur PostgreSQL, utilisez les sauvegardes du serveur (pg_dump)."
            )
        return Path(source.url.database)
    return Path(source)


def _integrity_problems(connection: sqlite3.Connection) -> list[str]:
    rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else [str(r) for r in rows]


def _check_file(path: Path) -> list[str]:
    """Integrity problems of a SQLite file; a non-SQLite file is one problem."""
    from caleol.db.identify import read_only_uri

    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error as exc:
        return [f"fichier illisible ({exc})"]
    try:
        return _integrity_problems(connection)
    except sqlite3.DatabaseError as exc:
        return [f"ce n'est pas une base SQLite valide ({exc})"]
    finally:
        connection.close()


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _timestamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")


def backups_of(database: Path, directory: Path) -> list[Path]:
    """Existing backups of `database` in `directory`, oldest first.

    The timestamp must follow the stem at once: the backups of `caleol-demo.sqlite3`
    also start with `caleol-caleol-`, and rotating `caleol.sqlite3` must never count
    (and so delete) them or let them push its own copies out.
    """
    name = re.compile(
        rf"caleol-{re.escape(database.stem)}-\d{{8}}-\d{{6}}-\d{{6}}(-[^/]*)?{re.escape(SUFFIX)}"
    )
    return sorted(
        p for p in directory.glob(f"caleol-{database.stem}-*{SUFFIX}") if name.fullmatch(p.name)
    )


def _copy_with_backup_api(source: Path, destination: Path) -> None:
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(destination)
        try:
            src.backup(dst)  # one step: a consistent snapshot even while others write
            dst.execute("PRAGMA journal_mode = DELETE")
            dst.commit()
        finally:
            dst.close()
    finally:
        src.close()


def backup_sqlite(
    source: Engine | Path | str,
    dest_dir: Path | str,
    *,
    keep: int = 10,
    label: str = "",
) -> Path:
    """Copy the live database to `dest_dir`, check the copy, keep the `keep` newest.

    Returns the backup's path. Raises `CaleolError` (French) if the database is missing
    or the copy fails its integrity check (the bad copy is removed).
    """
    database = _source_path(source)
    if not database.exists():
        raise CaleolError(f"Base de données introuvable : {database}")
    if not isinstance(source, Engine):  # an open engine's database was identified then
        _refuse_foreign(database)
    directory = _writable_folder(Path(dest_dir))
    suffix = f"-{label}" if label else ""
    final = directory / f"caleol-{database.stem}-{_timestamp()}{suffix}{SUFFIX}"
    partial = final.with_name(final.name + ".partiel")
    try:
        _copy_with_backup_api(database, partial)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        if "unable to open" in str(exc).lower():
            raise _unwritable(directory, "dossier en lecture seule ou droits insuffisants"
                              ) from exc
        raise CaleolError(f"La sauvegarde de {database.name} a échoué : {exc}") from exc
    problems = _check_file(partial)
    if problems:
        partial.unlink(missing_ok=True)
        raise CaleolError(
            "La copie de sauvegarde n'est pas intègre ; elle n'a pas été conservée.",
            details=problems[:10],
        )
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, final)
    _fsync_dir(directory)
    rotate(database, directory, keep=keep)
    log.info("backup written: %s", final)
    return final


def _refuse_foreign(database: Path) -> None:
    """Only a caleol database is backed up (or replaced by a restore): another
    application's file would otherwise become « a verified caleol backup » pushing real
    ones out of the rotation, or be swapped for a caleol base (issue 16, finding 8)."""
    from caleol.db.identify import identify_sqlite

    refusal = identify_sqlite(database).refusal(str(database))
    if refusal is not None:
        raise refusal


def _unwritable(directory: Path, reason: str) -> CaleolError:
    return CaleolError(
        f"Impossible d'écrire la sauvegarde dans « {directory} » : {reason}. Choisissez un "
        "autre dossier (caleol backup -o DOSSIER, ou le réglage « Dossier des sauvegardes »)."
    )


def _writable_folder(directory: Path) -> Path:
    """The backup folder, created if needed; a French error when nothing can be written
    there (SQLite would only say « unable to open database file »)."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(directory, describe_os_error(exc).split(" : ", 1)[-1].rstrip(".")
                          ) from exc
    if not directory.is_dir():
        raise _unwritable(directory, "ce n'est pas un dossier")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise _unwritable(directory, "dossier en lecture seule ou droits insuffisants")
    return directory


def rotate(database: Path, directory: Path, *, keep: int) -> list[Path]:
    """Delete the oldest backups of `database` beyond `keep` (at least one is kept)."""
    existing = backups_of(database, directory)
    doomed = existing[: max(0, len(existing) - max(1, keep))]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def restore_sqlite(
    backup_path: Path | str, db_path: Path | str, *, busy_timeout: float = 5.0,
    verify: Callable[[Path], list[str]] | None = None,
) -> Path | None:
    """Replace `db_path` by a checked copy of `backup_path`.

    Nothing is touched unless every check passes, in this order: the backup is a sound
    SQLite file (integrity), it is a caleol database of a revision this caleol knows
    (`caleol.db.identify`: another application's file or a newer caleol's is refused),
    then its staged copy passes `verify` (the services check the schema and the audit
    chain there; the copy may be upgraded in place). The replaced database is kept
    aside as `<name>.remplacee-<timestamp>` and its path returned (None when there was
    no database). Other caleol windows on this database must be closed: a database
    still in use is refused.
    """
    from caleol.db.identify import Kind, identify_sqlite

    backup = Path(backup_path)
    target = Path(db_path)
    untouched = "la base actuelle n'a pas été modifiée"
    if not backup.is_file():
        raise CaleolError(f"Sauvegarde introuvable : {backup}")
    problems = _check_file(backup)
    if problems:
        raise CaleolError(
            f"Cette sauvegarde est endommagée ; {untouched}.", details=problems[:10],
        )
    identity = identify_sqlite(backup)
    if identity.kind is Kind.NEWER:
        raise CaleolError(
            f"Cette sauvegarde vient d'une version plus récente de caleol (révision "
            f"« {identity.revision} ») : installez-la pour la restaurer ; {untouched}."
        )
    if identity.kind is not Kind.CALEOL:
        reason = identity.refusal(backup.name)
        raise CaleolError(
            f"Ce fichier n'est pas une sauvegarde caleol ; {untouched}.",
            details=[reason.message] if reason is not None else [],
        )
    current = identify_sqlite(target)
    if current.kind is Kind.FOREIGN:  # a damaged caleol base, though, is replaced
        reason = current.refusal(str(target))
        raise CaleolError(
            f"Restauration refusée : {target} n'est pas la base de caleol ; rien n'a été "
            "remplacé. Indiquez le fichier de la base de caleol (--db).",
            details=[reason.message] if reason is not None else [])
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restauration")
    _remove_with_journals(staged)
    _copy_with_backup_api(backup, staged)
    problems = _check_file(staged)
    if not problems and verify is not None:
        problems = verify(staged)
    if problems:
        _remove_with_journals(staged)
        raise CaleolError(
            f"La sauvegarde ne passe pas la vérification ; rien n'a été remplacé, {untouched}.",
            details=problems[:10],
        )
    aside: Path | None = None
    if target.exists():
        _checkpoint_or_refuse(target, busy_timeout)
        aside = target.with_name(f"{target.name}.remplacee-{_timestamp()}")
        os.replace(target, aside)
    for extra in ("-wal", "-shm", "-journal"):
        Path(str(target) + extra).unlink(missing_ok=True)
    os.replace(staged, target)
    _fsync_dir(target.parent)
    log.info("restored %s from %s (previous kept as %s)", target, backup, aside)
    return aside


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _checkpoint_or_refuse(database: Path, busy_timeout: float) -> None:
    """Fold the WAL into the file; refuse if another connection keeps it busy."""
    connection = sqlite3.connect(database, timeout=busy_timeout)
    try:
        busy, _log_frames, _done = connection.execute(
            "PRAGMA wal_checkpoint(TRUNCATE)"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        # A corrupt current database can still be replaced: that is what restore is for.
        log.warning("checkpoint of %s failed before restore: %s", database, exc)
        return
    finally:
        with contextlib.suppress(sqlite3.Error):
            connection.close()
    if busy:
        raise CaleolError(
            "La base de données est en cours d'utilisation : fermez caleol sur les autres "
            "fenêtres ou postes, puis recommencez la restauration."
        )
