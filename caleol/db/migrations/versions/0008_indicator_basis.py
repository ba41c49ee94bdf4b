"""Indicators on their own basis; full-text search index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00.000000

Issue 20 (task indicators): `demande.tax_income_n1_requested`, the household asks for
its incomes of year n-1 to be compared to the resource ceiling instead of those of
n-2 (arrêté of 29 July 1987 as amended; `caleol.rules.tax_notice`). Existing
demandes did not ask: false. The indicators' counting bases are user settings, not
schema.

Issue 19 (task performance) appends its full-text search index here, in functions of
its own.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _upgrade_tax_income_n1()


def downgrade() -> None:
    _downgrade_tax_income_n1()


# --- issue 20: the household's request to be assessed on its incomes of year n-1 -------

def _upgrade_tax_income_n1() -> None:
    # never a table copy on SQLite: dropping the old demande table with foreign keys on
    # would cascade to the households (ALTER TABLE ADD COLUMN with a default instead)
    with op.batch_alter_table('demande', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('tax_income_n1_requested', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))


def _downgrade_tax_income_n1() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite's own DROP COLUMN (3.35+): batch mode would copy the table, and
        # dropping the original with foreign keys on would cascade to the households.
        op.execute('ALTER TABLE demande DROP COLUMN tax_income_n1_requested')
    else:
        with op.batch_alter_table('demande', schema=None) as batch_op:
            batch_op.drop_column('tax_income_n1_requested')
