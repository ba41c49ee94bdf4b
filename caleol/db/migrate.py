"""Alembic, run from the installed package (no alembic.ini needed at run time).

`caleol/db/alembic.ini` exists only for developers generating a new revision:
`alembic -c caleol/db/alembic.ini revision --autogenerate -m "..."`.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from caleol.db.revisions import VERSION_TABLE

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """A Config pointing at the packaged scripts; `connection` is used by env.py if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None, "no migration script packaged"
    return head


def known_revisions() -> set[str]:
    return {script.revision for script in script_directory().walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def has_user_tables(connection: Connection) -> bool:
    """Any table besides Alembic's own (a foreign or half-created database)."""
    names = set(inspect(connection).get_table_names())
    return bool(names - {VERSION_TABLE})


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the caller's transaction (atomic on SQLite and PostgreSQL)."""
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)
