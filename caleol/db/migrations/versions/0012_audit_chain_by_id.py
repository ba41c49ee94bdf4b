"""The audit chain is guarded by its numbering, not by unique hashes (issue 19).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 10:00:00.000000

Every audit entry went into two unique indexes of random 64-character keys (`hash`,
`prev_hash`), and into two single-column indexes (`entity`, `entity_id`) that the
composite `ix_audit_entry_row` of 0007 already serves. Importing 10 000 demandes
writes 78 000 entries: the unique indexes alone were half the log's cost, and past
30 000 demandes their random B-tree inserts outgrow any page cache (most of the
17–24 s the log took for 100 000 demandes).

Forks are now prevented by the primary key: each writer gives an entry the id of the
head it chained to plus one, so two writers building on the same head collide on the
id and the second fails (as the unique `prev_hash` made it fail). The ids must then
count 1, 2, 3… without gap, which `caleol verify-db` checks, and an anchor
(« entrée n° N, empreinte H ») is the entry whose id is N:

* the entries are renumbered in their order when ids have gaps (a PostgreSQL
  sequence loses the ids of every rolled-back transaction; the hashes do not cover
  ids, and an anchor's count of entries up to its head is exactly the new id);
* SQLite: the table is rebuilt without its UNIQUE constraints (SQLite cannot drop
  them), its triggers (0001, 0007) re-created verbatim from the database itself;
* both: `chain_anchor`'s check finds the anchored entry by id, not by a hash no
  longer indexed.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = "('closed', 'signed')"
COLUMNS = ('id', 'at', 'os_user', 'entity', 'entity_id', 'action', '"before"', '"after"',
           'prev_hash', 'hash', 'before_sha256', 'after_sha256', 'redacted_at')
SINGLE_INDEXES = (('ix_audit_entry_entity', 'entity'), ('ix_audit_entry_entity_id', 'entity_id'))


def _sqlite_table(name: str, unique: bool) -> str:
    constraints = ",\n\tUNIQUE (hash),\n\tUNIQUE (prev_hash)" if unique else ""
    return f"""CREATE TABLE {name} (
\tid INTEGER NOT NULL,
\tat DATETIME NOT NULL,
\tos_user VARCHAR(200) NOT NULL,
\tentity VARCHAR(100) NOT NULL,
\tentity_id INTEGER NOT NULL,
\taction VARCHAR(40) NOT NULL,
\t"before" TEXT,
\t"after" TEXT,
\tprev_hash VARCHAR(64) NOT NULL,
\thash VARCHAR(64) NOT NULL,
\tbefore_sha256 VARCHAR(64),
\tafter_sha256 VARCHAR(64),
\tredacted_at DATETIME,
\tPRIMARY KEY (id){constraints}
)"""


def _anchor_check_sqlite(by_id: bool) -> str:
    status = "(SELECT status FROM commission_session WHERE id = NEW.session_id)"
    if by_id:
        entry = ("NOT EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.entry_count\n"
                 "              AND hash = NEW.head_hash)")
    else:  # 0007's text, kept for the downgrade
        entry = ("NEW.entry_count <> (SELECT count(*) FROM audit_entry WHERE id <= coalesce(\n"
                 "              (SELECT id FROM audit_entry WHERE hash = NEW.head_hash), -1))")
    return f"""CREATE TRIGGER chain_anchor_rules BEFORE INSERT ON chain_anchor
        WHEN coalesce({status}, '') NOT IN {FROZEN}
          OR {entry}
        BEGIN SELECT RAISE(ABORT, 'caleol:refused:chain_anchor'); END"""


def _anchor_check_pg(by_id: bool) -> str:
    if by_id:
        entry = ("NOT EXISTS (SELECT 1 FROM audit_entry e WHERE e.id = NEW.entry_count\n"
                 "               AND e.hash = NEW.head_hash)")
    else:  # 0007's function, kept for the downgrade
        entry = ("NEW.entry_count <> (SELECT count(*) FROM audit_entry WHERE id <= coalesce(\n"
                 "               (SELECT e.id FROM audit_entry e WHERE e.hash = NEW.head_hash),"
                 " -1))")
    return f"""CREATE OR REPLACE FUNCTION caleol_guard_anchor() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce((SELECT s.status FROM commission_session s WHERE s.id = NEW.session_id),
                    '') NOT IN {FROZEN}
           OR {entry} THEN
            RAISE EXCEPTION 'caleol:refused:chain_anchor';
        END IF;
        RETURN NEW;
    END $$"""


def _rebuild_sqlite(unique: bool) -> None:
    """Copy the log into a table with (or without) the unique constraints, its entries
    numbered from 1 in their order, then put its indexes and triggers back."""
    connection = op.get_bind()
    triggers = [sql for (sql,) in connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry' "
        "ORDER BY name")]
    op.execute('DROP TRIGGER IF EXISTS chain_anchor_rules')  # it names audit_entry
    op.execute(_sqlite_table('audit_entry_copy', unique))
    rest = ", ".join(COLUMNS[1:])
    op.execute(f"INSERT INTO audit_entry_copy ({', '.join(COLUMNS)}) "
               f"SELECT row_number() OVER (ORDER BY id), {rest} FROM audit_entry ORDER BY id")
    op.execute('DROP TABLE audit_entry')  # its indexes and triggers with it
    op.execute('ALTER TABLE audit_entry_copy RENAME TO audit_entry')
    op.execute('CREATE INDEX ix_audit_entry_row ON audit_entry (entity, entity_id)')
    if unique:
        for name, column in SINGLE_INDEXES:
            op.execute(f'CREATE INDEX {name} ON audit_entry ({column})')
    for sql in triggers:
        op.execute(sql)
    op.execute(_anchor_check_sqlite(by_id=not unique))


def _renumber_pg() -> None:
    """Ids 1, 2, 3… in their order, when a rolled-back transaction left gaps (through
    negative ids: PostgreSQL checks the primary key row by row)."""
    connection = op.get_bind()
    count, highest = connection.exec_driver_sql(
        "SELECT count(*), coalesce(max(id), 0) FROM audit_entry").one()
    if count == highest:
        return
    op.execute('ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_immutable')
    op.execute("UPDATE audit_entry a SET id = -n.rank FROM (SELECT id, row_number() OVER "
               "(ORDER BY id) AS rank FROM audit_entry) n WHERE a.id = n.id AND a.id <> n.rank")
    op.execute('UPDATE audit_entry SET id = -id WHERE id < 0')
    op.execute('ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_immutable')


def _unique_constraints() -> list[str]:
    inspector = sa.inspect(op.get_bind())
    return [c['name'] for c in inspector.get_unique_constraints('audit_entry')
            if c['column_names'] in (['hash'], ['prev_hash']) and c['name']]


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_sqlite(unique=False)
        return
    for name in _unique_constraints():
        op.execute(f'ALTER TABLE audit_entry DROP CONSTRAINT {name}')
    for name, _column in SINGLE_INDEXES:
        op.execute(f'DROP INDEX IF EXISTS {name}')
    _renumber_pg()
    op.execute(_anchor_check_pg(by_id=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_sqlite(unique=True)
        return
    op.execute(_anchor_check_pg(by_id=False))
    op.execute('ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_hash_key UNIQUE (hash)')
    op.execute('ALTER TABLE audit_entry ADD CONSTRAINT audit_entry_prev_hash_key '
               'UNIQUE (prev_hash)')
    for name, column in SINGLE_INDEXES:
        op.execute(f'CREATE INDEX {name} ON audit_entry ({column})')
    # the sequence again serves ids after the downgrade (caleol before 0012 relies on it)
    op.execute("SELECT setval(pg_get_serial_sequence('audit_entry', 'id'), "
                "coalesce(max(id), 0) + 1, false) FROM audit_entry")
