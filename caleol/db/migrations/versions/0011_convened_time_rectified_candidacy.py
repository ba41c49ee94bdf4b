"""The convened time of a séance; the candidacy a rectification corrects (task docfix).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 14:00:00.000000

* `commission_session.convened_time`: the time the members were called for. The
  opening records the actual start in `start_time`, which the agenda reprinted after
  the opening printed as the convened time (« à 13 h 17 » for a séance called at
  9 h 30). Existing séances: their current start time (the only one known).
* `rectification.candidacy_id`: the candidacy a rectification corrects, when it
  corrects one, so that candidate's extract prints it (an extract made after a
  rectificatif certified the old wording).

Columns only, as 0006: plain ALTER TABLE on SQLite, never batch mode's copy-and-move,
which would drop the tables of closed séances and their immutability triggers. Filling
the convened time of closed séances goes round their frozen trigger (dropped then
recreated on SQLite, with `convened_time` among the columns signing may not change;
disabled then enabled on PostgreSQL, whose trigger compares whole rows).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the séance columns of 0006's trigger.
_SESSION_COLUMNS = (
    'id', 'commission_id', 'date', 'start_time', 'end_time', 'place', 'kind',
    'president_member_id', 'secretary_name', 'notes', 'closed_at', 'times_confirmed',
)
_FROZEN = "('closed', 'signed')"


def _session_trigger(columns: Sequence[str]) -> str:
    unchanged = ' AND '.join(f'NEW.{c} IS OLD.{c}' for c in columns)
    return f"""CREATE TRIGGER commission_session_frozen_update BEFORE UPDATE ON commission_session
        WHEN OLD.status IN {_FROZEN} AND NOT (
            OLD.status = 'closed' AND NEW.status = 'signed' AND {unchanged})
        BEGIN SELECT RAISE(ABORT, 'caleol:frozen:commission_session'); END"""


def _drop_column(dialect: str, table: str, column: str) -> None:
    if dialect == 'sqlite':  # SQLite's own DROP COLUMN (3.35+), no copy of the table
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    else:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table('commission_session', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('convened_time', sa.Time(), nullable=True))
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS commission_session_frozen_update')
        op.execute('UPDATE commission_session SET convened_time = start_time')
        op.execute(_session_trigger((*_SESSION_COLUMNS, 'convened_time')))
        op.execute('ALTER TABLE rectification ADD COLUMN candidacy_id INTEGER '
                   'REFERENCES candidacy (id)')
    else:
        op.execute('ALTER TABLE commission_session DISABLE TRIGGER commission_session_frozen')
        op.execute('UPDATE commission_session SET convened_time = start_time')
        op.execute('ALTER TABLE commission_session ENABLE TRIGGER commission_session_frozen')
        op.add_column('rectification', sa.Column('candidacy_id', sa.Integer(), nullable=True))
        op.create_foreign_key('fk_rectification_candidacy_id', 'rectification', 'candidacy',
                              ['candidacy_id'], ['id'])
    op.create_index('ix_rectification_candidacy_id', 'rectification', ['candidacy_id'],
                    unique=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index('ix_rectification_candidacy_id', table_name='rectification')
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS commission_session_frozen_update')
        op.execute(_session_trigger(_SESSION_COLUMNS))
    else:
        op.drop_constraint('fk_rectification_candidacy_id', 'rectification',
                           type_='foreignkey')
    _drop_column(dialect, 'rectification', 'candidacy_id')
    _drop_column(dialect, 'commission_session', 'convened_time')
