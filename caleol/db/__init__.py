"""Persistence: SQLModel tables, the engine, Alembic migrations, the audit hooks.

How the rest of caleol uses it::

    from caleol.db.engine import open_database, session_scope
    from caleol.db.models import Demande

    engine = open_database(db)          # path, URL or None; upgrades (backup first)
    engine = open_database(db, create=True)  # only what is meant to create a database
    with session_scope(engine) as s:    # one use case = one transaction
        s.add(Demande(nur=..., filing_date=...))

* `caleol.db.models`: every table (import the package to register them all);
  `caleol.db.models.enums`: statuses and kinds stored as short strings.
* `caleol.db.engine`: `database_url`, `create_db_engine`, `open_database`,
  `session_scope`, `run_transaction` (retries when SQLite stays busy),
  `check_sqlite_integrity`, `sqlite_path`.
* `caleol.db.errors`: `translate_db_error` and the French `DatabaseBusyError` /
  `DatabaseUnavailableError`; a frozen séance raises `FrozenError`, a stale version
  `ConcurrentModificationError`.
* `caleol.db.identify`: what a file or server database is (caleol's, another
  application's, a newer caleol's, empty), found out read-only before opening it.
* `caleol.db.audit`: the hash-chained log written on every ORM flush (automatic);
  a write building on a row changed behind caleol's back raises `TamperedDataError`.
* `caleol.db.schema_check`: the schema and protection triggers against caleol's own.
* `caleol.db.backup`: SQLite online backups and checked restore (used by
  `open_database` before migrating; services call `caleol.services.backup`).
* `caleol.db.migrate`: Alembic run from the package (`upgrade`, `head_revision`...).
"""
