"""The index of the Demandes text filter (issue 19).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 12:00:00.000000

SQLite: an FTS5 table with the trigram tokenizer over `demande.name_sort_key` and
`demande.nur`, external content (`demande` itself: trigrams and row ids, no second
copy of the names), filled from the demandes and kept in step by three triggers.
Skipped on a SQLite without FTS5 or older than 3.34 (no trigram tokenizer): the
filter then keeps its LIKE scan. PostgreSQL: GIN `pg_trgm` indexes on the same two
columns, which ILIKE uses (skipped when the server refuses the extension).

Frozen SQL: the application's names are in `caleol.db.text_search`; this revision's
schema stays what it is whatever that module becomes. Neither the FTS tables nor the
trigram indexes are models (`text_search.include_name` keeps Alembic's comparison
from reporting them); the triggers are checked by `caleol.db.schema_check` like the
other triggers.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _upgrade_text_search()


def downgrade() -> None:
    _downgrade_text_search()


_FTS_TRIGGERS = {
    'demande_search_insert': (
        "AFTER INSERT ON demande BEGIN "
        "INSERT INTO demande_search(rowid, name_sort_key, nur) "
        "VALUES (new.id, new.name_sort_key, new.nur); END"),
    'demande_search_delete': (
        "AFTER DELETE ON demande BEGIN "
        "INSERT INTO demande_search(demande_search, rowid, name_sort_key, nur) "
        "VALUES ('delete', old.id, old.name_sort_key, old.nur); END"),
    'demande_search_update': (
        "AFTER UPDATE OF name_sort_key, nur ON demande BEGIN "
        "INSERT INTO demande_search(demande_search, rowid, name_sort_key, nur) "
        "VALUES ('delete', old.id, old.name_sort_key, old.nur); "
        "INSERT INTO demande_search(rowid, name_sort_key, nur) "
        "VALUES (new.id, new.name_sort_key, new.nur); END"),
}
_PG_TRGM_INDEXES = {'ix_demande_search_name_trgm': 'name_sort_key',
                    'ix_demande_search_nur_trgm': 'nur'}


def _sqlite_has_trigram(connection: sa.Connection) -> bool:
    """FTS5 with the trigram tokenizer (SQLite ≥ 3.34 built with FTS5)."""
    version = connection.exec_driver_sql("SELECT sqlite_version()").scalar() or ''
    built_in = connection.exec_driver_sql(
        "SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar()
    return bool(built_in) and tuple(int(p) for p in version.split('.')[:2]) >= (3, 34)


def _upgrade_text_search() -> None:
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        if not _sqlite_has_trigram(connection):
            return  # the Demandes filter keeps its LIKE scan
        connection.exec_driver_sql(
            "CREATE VIRTUAL TABLE demande_search USING fts5(name_sort_key, nur, "
            "content='demande', content_rowid='id', tokenize='trigram')")
        connection.exec_driver_sql(
            "INSERT INTO demande_search(demande_search) VALUES ('rebuild')")
        for name, body in _FTS_TRIGGERS.items():
            connection.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    elif connection.dialect.name == 'postgresql':
        # pg_trgm is a trusted extension (PostgreSQL ≥ 13): the database's owner may
        # create it; a server refusing it keeps the scan rather than failing the upgrade
        try:
            with connection.begin_nested():
                connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:
            return
        for name, column in _PG_TRGM_INDEXES.items():
            connection.exec_driver_sql(
                f"CREATE INDEX {name} ON demande USING gin ({column} gin_trgm_ops)")


def _downgrade_text_search() -> None:
    connection = op.get_bind()
    if connection.dialect.name == 'sqlite':
        for name in _FTS_TRIGGERS:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        connection.exec_driver_sql("DROP TABLE IF EXISTS demande_search")
    elif connection.dialect.name == 'postgresql':
        for name in _PG_TRGM_INDEXES:
            connection.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
