"""Territory shipped with caleol: EPCI kind, QPV communes and source, imported datasets.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000

Communes, EPCI and départements are not loaded here: they come from the reference
shipped in the package, on demand, when an import, an editor or the setup first
names them (`caleol.services.territory.resolve`). This revision adds:
* `epci.kind` (CC, CA, CU, METRO, MET69; "" for rows written before);
* `qpv.source` and `qpv_commune` (every commune of a quartier prioritaire);
* `territory_dataset`: a newer territory reference imported by the user.

Columns only on existing tables, with defaults that keep every row valid: no row is
rewritten, so the audit log still matches every row. On SQLite a plain ALTER TABLE.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ('epci', 'kind', sa.String(length=10)),
    ('qpv', 'source', sa.String(length=300)),
)


def upgrade() -> None:
    for table, name, type_ in _COLUMNS:
        op.add_column(table, sa.Column(name, type_, nullable=False, server_default=''))
    op.create_table(
        'qpv_commune',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('qpv_id', sa.Integer(), nullable=False),
        sa.Column('commune_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['commune_id'], ['commune.id'], ),
        sa.ForeignKeyConstraint(['qpv_id'], ['qpv.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('qpv_id', 'commune_id'),
    )
    op.create_index('ix_qpv_commune_qpv_id', 'qpv_commune', ['qpv_id'], unique=False)
    op.create_index('ix_qpv_commune_commune_id', 'qpv_commune', ['commune_id'], unique=False)
    op.create_table(
        'territory_dataset',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('version', sa.String(length=40), nullable=False),
        sa.Column('data_date', sa.Date(), nullable=False),
        sa.Column('licence', sa.String(length=200), nullable=False),
        sa.Column('sources', sa.String(length=500), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('sha256'),
    )


def downgrade() -> None:
    op.drop_table('territory_dataset')
    op.drop_index('ix_qpv_commune_commune_id', table_name='qpv_commune')
    op.drop_index('ix_qpv_commune_qpv_id', table_name='qpv_commune')
    op.drop_table('qpv_commune')
    dialect = op.get_bind().dialect.name
    for table, name, _type in reversed(_COLUMNS):
        if dialect == 'sqlite':  # SQLite's own DROP COLUMN (3.35+), no copy of the table
            op.execute(f'ALTER TABLE {table} DROP COLUMN {name}')
        else:
            op.drop_column(table, name)
