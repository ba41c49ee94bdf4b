"""The index behind the Demandes text filter: a fragment of a name or NUR, found fast.

A `LIKE '%mar%'` reads all 100 000 demandes whatever the fragment. An index of the
demandes' three-letter sequences (trigrams) answers the same question from the few
rows that hold the fragment:

* SQLite: an FTS5 table with the `trigram` tokenizer (SQLite ≥ 3.34) over
  `demande.name_sort_key` (the name without accents, case-folded: « elo » finds
  « Élodie ») and `demande.nur`, as an external-content index of `demande` (it
  stores trigrams and row ids, never a second copy of the names), kept in step by
  three triggers. It is no audited table (not in the models): its shadow tables are
  an index, as a B-tree index is, so the audit log and `verify-db` ignore them, and
  `caleol.db.schema_check` checks its triggers like caleol's other ones.
* PostgreSQL: GIN `pg_trgm` indexes on the same two columns, which `ILIKE` uses.

A fragment shorter than three characters has no trigram: the list then falls back to
the plain `LIKE` scan (correct, slower). So does a database without the index (a
SQLite built without FTS5, a PostgreSQL server refusing `pg_trgm`).

The migration creating all this (`0008_indicator_basis`, issue 19's part) keeps its
own frozen copy of the SQL; the names below are what the application relies on.
Note for later migrations: a batch « recreate » of `demande` drops its triggers; such
a migration must create them again (or rebuild the index: `rebuild_sql`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

SEARCH_TABLE = "demande_search"
# FTS5 shadow tables of SEARCH_TABLE (external content: no `_content` table)
SHADOW_SUFFIXES = ("_data", "_idx", "_docsize", "_config")
TRIGGERS = ("demande_search_insert", "demande_search_delete", "demande_search_update")
PG_INDEXES = ("ix_demande_search_name_trgm", "ix_demande_search_nur_trgm")
MIN_FRAGMENT = 3  # a trigram: shorter fragments are searched by a scan


def search_object_names() -> frozenset[str]:
    """Every table and index name of the text-search index (outside the models)."""
    return frozenset({SEARCH_TABLE, *(SEARCH_TABLE + s for s in SHADOW_SUFFIXES),
                      *PG_INDEXES})


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name`: the index is not a model, so no schema drift."""
    return name not in search_object_names()


def has_index(connection: Connection) -> bool:
    """Whether this database holds the text-search index (decided once per engine)."""
    if connection.dialect.name == "sqlite":
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            (SEARCH_TABLE,)).scalar()
        return bool(found)
    if connection.dialect.name == "postgresql":
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_indexes WHERE indexname = %(name)s",
            {"name": PG_INDEXES[0]}).scalar()
        return bool(found)
    return False


def phrase(fragment: str) -> str:
    """An FTS5 string matching `fragment` as typed (quotes doubled), not as syntax."""
    return '"' + fragment.replace('"', '""') + '"'


def rebuild_sql() -> str:
    """Refill the SQLite index from `demande` (after a bulk change with triggers off)."""
    return f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')"
