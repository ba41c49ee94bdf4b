"""The applicant's civility on the demande (task followups, issue 15).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 16:00:00.000000

Issue 15 asks for the civility in every letter (« Madame Élodie MARTIN », « Madame, »);
the SNE form asks it, caleol had nowhere to keep it. `demande.applicant_civility`:
« Mme », « M. » or "" when not stated (the letters then keep « Madame, Monsieur, »).
Existing demandes: not stated. Chained after 0009 (the Demandes text index).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # never a table copy on SQLite: dropping the old demande table with foreign keys on
    # would cascade to the households (ALTER TABLE ADD COLUMN with a default instead)
    with op.batch_alter_table('demande', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('applicant_civility', sa.String(length=10),
                                      server_default='', nullable=False))


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite's own DROP COLUMN (3.35+): batch mode would copy the table, and
        # dropping the original with foreign keys on would cascade to the households.
        op.execute('ALTER TABLE demande DROP COLUMN applicant_civility')
    else:
        with op.batch_alter_table('demande', schema=None) as batch_op:
            batch_op.drop_column('applicant_civility')
