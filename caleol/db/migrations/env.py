"""Alembic environment: the app passes its connection; developers use alembic.ini."""

from alembic import context
from sqlalchemy import Connection, create_engine, pool
from sqlmodel import SQLModel

import caleol.db.models  # noqa: F401  (registers every table)
from caleol.db.text_search import include_name

config = context.config
target_metadata = SQLModel.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: recreate tables
        compare_type=True,
        include_name=include_name,  # the text-search index is not a model
        transaction_per_migration=False,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    if url is None:
        raise SystemExit("alembic.ini : l'adresse de la base (sqlalchemy.url) manque.")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
