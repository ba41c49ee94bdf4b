"""Is this SQLite database's schema caleol's own, protections included?

A backup about to be restored, or a database `caleol verify-db` checks, must have every
table and column of the models and exactly the triggers caleol's migrations create
(the frozen séances, the append-only log): a trigger dropped, added or rewritten by
someone with write access would silently lift a protection (or rewrite data on the
fly). The reference is a database migrated from scratch in memory by the same
scripts, once per process, so it can never disagree with them.
"""

from __future__ import annotations

import re
from functools import cache

from sqlalchemy import Connection, Engine, create_engine, inspect, pool
from sqlmodel import SQLModel

_SPACES = re.compile(r"\s+")


def _triggers(connection: Connection) -> dict[str, str]:
    rows = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
    return {name: _SPACES.sub(" ", sql or "").strip() for name, sql in rows}


@cache
def expected_triggers() -> dict[str, str]:
    """Name → SQL of the triggers a SQLite database at the packaged head has."""
    from caleol.db import migrate

    engine = create_engine("sqlite://", poolclass=pool.StaticPool)
    try:
        with engine.begin() as connection:
            migrate.upgrade(connection, "head")
        with engine.connect() as connection:
            return _triggers(connection)
    finally:
        engine.dispose()


def schema_problems(engine: Engine) -> list[str]:
    """What differs from caleol's schema at its head, in French (empty: conforms).

    Tables and columns of the models on every database; triggers on SQLite (on a
    PostgreSQL server they are the administrator's to watch, with the database's
    own rights).
    """
    problems: list[str] = []
    with engine.connect() as connection:
        inspector = inspect(connection)
        present = set(inspector.get_table_names())
        for table in SQLModel.metadata.sorted_tables:
            if table.name not in present:
                problems.append(f"table « {table.name} » absente")
                continue
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            missing = [c.name for c in table.columns if c.name not in columns]
            if missing:
                problems.append(f"table « {table.name} » : "
                                + ("colonne absente " if len(missing) == 1
                                   else "colonnes absentes ") + ", ".join(missing))
        if engine.dialect.name != "sqlite":
            return problems
        found = _triggers(connection)
    expected = expected_triggers()
    for name in sorted(expected.keys() - found.keys()):
        problems.append(f"protection « {name} » supprimée (déclencheur absent)")
    for name in sorted(found.keys() - expected.keys()):
        problems.append(f"déclencheur « {name} » inconnu de caleol (ajouté hors de "
                        "l'application)")
    for name in sorted(expected.keys() & found.keys()):
        if expected[name] != found[name]:
            problems.append(f"protection « {name} » modifiée (déclencheur réécrit)")
    return problems
