"""Backups of the local SQLite database: on request, before migrations, on closing.

The mechanics (online backup API, integrity check, rotation, checked restore) live
in `caleol.db.backup` because `open_database` needs them before migrating; this
module is the entry point for the GUI, the CLI and the session workflow, which
know the user's settings. A PostgreSQL server is backed up by its administrator
(pg_dump): `backup_database` refuses it with a French message.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from caleol import paths
from caleol.db.backup import backup_sqlite, backups_of, restore_sqlite
from caleol.errors import CaleolError
from caleol.settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "backup_before_close",
    "backup_database",
    "backup_folder",
    "backup_sqlite",
    "backups_of",
    "restore",
    "verify_restorable",
]


def backup_folder(settings: Settings) -> Path:
    return Path(settings.backup_folder).expanduser() if settings.backup_folder else (
        paths.backup_dir()
    )


def backup_database(
    source: Engine | Path | str, settings: Settings, *, label: str = ""
) -> Path:
    """Back up to the configured folder, keeping `settings.backups_kept` copies."""
    return backup_sqlite(
        source, backup_folder(settings), keep=settings.backups_kept, label=label
    )


def backup_before_close(engine: Engine, settings: Settings) -> Path | None:
    """The automatic backup taken when a séance is closed (None on PostgreSQL)."""
    if engine.dialect.name != "sqlite":
        return None
    return backup_database(engine, settings, label="cloture")


def restore(
    backup_path: Path | str, db_path: Path | str, *, busy_timeout: float = 5.0
) -> Path | None:
    """Replace the database by a checked backup; returns where the old file was kept.

    Only a caleol database of a revision this caleol can open is restored, and only
    once its staged copy, brought to the current schema, has caleol's schema and
    protections and an intact audit chain (`verify_restorable`): the current database
    is not touched otherwise.
    """
    return restore_sqlite(backup_path, db_path, busy_timeout=busy_timeout,
                          verify=verify_restorable)


def verify_restorable(staged: Path) -> list[str]:
    """What is wrong with a database about to replace the current one (French)."""
    from caleol.db.engine import check_sqlite_integrity, open_database
    from caleol.db.schema_check import schema_problems
    from caleol.services.anchor import stored_anchor_problems
    from caleol.services.audit import verify_chain

    with tempfile.TemporaryDirectory(prefix="caleol-restauration-") as scratch:
        try:  # an older revision is upgraded here, on the copy (its backup is scratch)
            engine = open_database(str(staged), backup_dir=Path(scratch), backups_kept=1)
        except CaleolError as exc:
            return [exc.message]
        try:
            problems = check_sqlite_integrity(engine) + schema_problems(engine)
            report = verify_chain(engine)
            # a chain rewritten whole verifies: its own signed PVs' anchors do not (audit16)
            problems += [f"journal d'audit : {p}" for p in stored_anchor_problems(engine)[1]]
        finally:
            engine.dispose()
    if report.first_broken_link:
        problems.append(f"journal d'audit : premier maillon rompu : {report.first_broken_link}")
    problems += [f"journal d'audit : {p}" for p in report.problems
                 if p != report.first_broken_link]
    return problems
