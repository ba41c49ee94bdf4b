"""Documents as legal records: séance times, justifications, second reason, casting vote holder.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00.000000

* `commission_session.times_confirmed`: the start and end times were confirmed by the
  secretary at the closing (False for the séances closed before: their end time may
  be the clock of the closing).
* `decision.second_reason_id` (a lawful reason beside one that cannot stand alone),
  `decision.unanimous`, `decision.casting_vote_member_id` (who held the casting vote
  that settled a tie).
* `reason.contradicts_check`: the check whose pass contradicts the reason; the
  charter's default reasons get theirs (by code).

Columns only, as 0004: plain ALTER TABLE on SQLite (REFERENCES on ADD COLUMN), never
batch mode's copy-and-move, which would drop the tables of closed séances and their
immutability triggers. The SQLite trigger guarding a frozen séance lists the columns
that must not change when its minutes are signed: it is recreated with
`times_confirmed` (PostgreSQL's compares whole rows and needs nothing).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of rules.decisions.DEFAULT_REASON_CHECKS (the charter's catalogue codes).
_REASON_CHECKS = {
    'PLAFOND': 'ceiling',
    'SOLVABILITE': 'solvency',
    'RESSOURCES_FAIBLES': 'solvency',
    'INADAPTE': 'typology',
}
# (table, column, referenced table): nullable integer foreign keys, each indexed
_REFERENCES = (
    ('decision', 'second_reason_id', 'reason'),
    ('decision', 'casting_vote_member_id', 'commission_member'),
)
# Frozen copy of the séance columns of 0001's trigger, then this revision's.
_SESSION_COLUMNS = (
    'id', 'commission_id', 'date', 'start_time', 'end_time', 'place', 'kind',
    'president_member_id', 'secretary_name', 'notes', 'closed_at',
)
_FROZEN = "('closed', 'signed')"


def _session_trigger(columns: Sequence[str]) -> str:
    unchanged = ' AND '.join(f'NEW.{c} IS OLD.{c}' for c in columns)
    return f"""CREATE TRIGGER commission_session_frozen_update BEFORE UPDATE ON commission_session
        WHEN OLD.status IN {_FROZEN} AND NOT (
            OLD.status = 'closed' AND NEW.status = 'signed' AND {unchanged})
        BEGIN SELECT RAISE(ABORT, 'caleol:frozen:commission_session'); END"""


def _add_reference(dialect: str, table: str, column: str, target: str) -> None:
    if dialect == 'sqlite':  # SQLite takes REFERENCES on ADD COLUMN, not ADD CONSTRAINT
        op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(f'fk_{table}_{column}', table, target, [column], ['id'])
    op.create_index(f'ix_{table}_{column}', table, [column], unique=False)


def _drop_column(dialect: str, table: str, column: str) -> None:
    if dialect == 'sqlite':  # SQLite's own DROP COLUMN (3.35+), no copy of the table
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    else:
        op.drop_column(table, column)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column('commission_session', sa.Column(
        'times_confirmed', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('decision', sa.Column(
        'unanimous', sa.Boolean(), nullable=False, server_default=sa.false()))
    for table, column, target in _REFERENCES:
        _add_reference(dialect, table, column, target)
    op.add_column('reason', sa.Column('contradicts_check', sa.String(length=40), nullable=True))
    reason = sa.table('reason', sa.column('code', sa.String()),
                      sa.column('contradicts_check', sa.String()))
    for code, check in _REASON_CHECKS.items():
        op.execute(reason.update().where(reason.c.code == code)
                   .values(contradicts_check=check))
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS commission_session_frozen_update')
        op.execute(_session_trigger((*_SESSION_COLUMNS, 'times_confirmed')))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == 'sqlite':
        op.execute('DROP TRIGGER IF EXISTS commission_session_frozen_update')
        op.execute(_session_trigger(_SESSION_COLUMNS))
    _drop_column(dialect, 'reason', 'contradicts_check')
    for table, column, _target in reversed(_REFERENCES):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
        if dialect != 'sqlite':
            op.drop_constraint(f'fk_{table}_{column}', table, type_='foreignkey')
        _drop_column(dialect, table, column)
    _drop_column(dialect, 'decision', 'unanimous')
    _drop_column(dialect, 'commission_session', 'times_confirmed')
