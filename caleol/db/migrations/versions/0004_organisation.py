"""The organisation a landlord enters: landlord, agencies, réservataires, commissions, members.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00.000000

Adds what letters, minutes and the setup file need: the landlord's address, phone,
e-mail and logo; each agency's département, phone, e-mail and `active` flag; each
réservataire's postal address and contact; `commission.active` and the agencies a
commission covers (`commission_agency`); each member's civility, stable code and the
titular member a substitute replaces; the legal reference of each reason.

Columns only, with defaults that keep every existing row valid: no row is rewritten,
so the audit log still matches every row (`caleol verify-db` ignores columns added
after a row's last entry). On SQLite every step is a plain ALTER TABLE or CREATE
INDEX, never batch mode's copy-and-move: copying `commission_member` would mean
dropping a table that attendances of closed séances refer to.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (column, type, not-null server default or None) for the plain columns
_COLUMNS: dict[str, list[tuple[str, sa.types.TypeEngine, str | bool | None]]] = {
    'landlord': [
        ('address', sa.String(length=300), ''),
        ('phone', sa.String(length=40), ''),
        ('email', sa.String(length=200), ''),
        ('logo', sa.LargeBinary(), None),
    ],
    'agency': [
        ('phone', sa.String(length=40), ''),
        ('email', sa.String(length=200), ''),
        ('active', sa.Boolean(), True),
    ],
    'reservataire': [
        ('address', sa.String(length=300), ''),
        ('contact_name', sa.String(length=200), ''),
        ('phone', sa.String(length=40), ''),
        ('email', sa.String(length=200), ''),
    ],
    'commission': [
        ('active', sa.Boolean(), True),
    ],
    'reason': [
        ('legal_reference', sa.String(length=200), ''),
    ],
    'commission_member': [
        ('code', sa.String(length=40), None),
        ('civility', sa.String(length=10), ''),
    ],
}
# (table, column, referenced table): nullable integer foreign keys, each indexed
_REFERENCES = (
    ('agency', 'department_id', 'department'),
    ('commission_member', 'substitute_for_id', 'commission_member'),
)


def _server_default(value: str | bool) -> str | sa.ColumnElement[bool]:
    if isinstance(value, bool):
        return sa.true() if value else sa.false()
    return value


def _add_reference(dialect: str, table: str, column: str, target: str) -> None:
    if dialect == 'sqlite':  # SQLite takes REFERENCES on ADD COLUMN, not ADD CONSTRAINT
        op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target} (id)')
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(f'fk_{table}_{column}', table, target, [column], ['id'])
    op.create_index(f'ix_{table}_{column}', table, [column], unique=False)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table, columns in _COLUMNS.items():
        for name, type_, default in columns:
            if default is None:
                op.add_column(table, sa.Column(name, type_, nullable=True))
            else:
                op.add_column(table, sa.Column(name, type_, nullable=False,
                                               server_default=_server_default(default)))
    for table, column, target in _REFERENCES:
        _add_reference(dialect, table, column, target)
    op.create_index('uq_commission_member_code', 'commission_member',
                    ['commission_id', 'code'], unique=True)
    op.create_table(
        'commission_agency',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('commission_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], ),
        sa.ForeignKeyConstraint(['commission_id'], ['commission.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('commission_id', 'agency_id'),
    )
    op.create_index('ix_commission_agency_commission_id', 'commission_agency',
                    ['commission_id'], unique=False)
    op.create_index('ix_commission_agency_agency_id', 'commission_agency', ['agency_id'],
                    unique=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.drop_index('ix_commission_agency_agency_id', table_name='commission_agency')
    op.drop_index('ix_commission_agency_commission_id', table_name='commission_agency')
    op.drop_table('commission_agency')
    op.drop_index('uq_commission_member_code', table_name='commission_member')
    for table, column, _target in reversed(_REFERENCES):
        op.drop_index(f'ix_{table}_{column}', table_name=table)
        if dialect != 'sqlite':
            op.drop_constraint(f'fk_{table}_{column}', table, type_='foreignkey')
        _drop_column(dialect, table, column)
    for table, columns in reversed(_COLUMNS.items()):
        for name, _type, _default in reversed(columns):
            _drop_column(dialect, table, name)


def _drop_column(dialect: str, table: str, column: str) -> None:
    if dialect == 'sqlite':  # SQLite's own DROP COLUMN (3.35+), no copy of the table
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
    else:
        op.drop_column(table, column)
