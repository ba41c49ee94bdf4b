"""Backups of the local SQLite database: on request, before migrations, on closing.

The mechanics (online backup API, integrity check, rotation, checked restore) live
in `caleol.db.backup` because `open_database` needs them before migrating; this
module is the entry point for the GUI, the CLI and the session workflow, which
know the user's settings. A PostgreSQL server is backed up by its administrator
(pg_dump): `backup_database` refuses it with a French message.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine

from caleol import paths
from caleol.db.backup import backup_sqlite, backups_of, restore_sqlite
from caleol.settings import Settings

log = logging.getLogger(__name__)

__all__ = [
    "backup_before_close",
    "backup_database",
    "backup_folder",
    "backup_sqlite",
    "backups_of",
    "restore",
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
    """Replace the database by a checked backup; returns where the old file was kept."""
    return restore_sqlite(backup_path, db_path, busy_timeout=busy_timeout)
