"""Accent-aware sort of the demandes by name: a stored, indexed sort key.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:00:00.000000

`demande.name_sort_key` holds the applicant's « surname first names » without
accents, case-folded (« Élodie » sorts with E, not after Z), so the Demandes list
sorts 100 000 rows by name through an index on SQLite and PostgreSQL alike. Existing
rows are filled here; the application keeps the column up to date afterwards.
"""
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of caleol.db.models.demande.name_sort_key as of this revision: a
# migration must give the same result whatever the application code becomes.
_LENGTH = 410
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_BATCH = 2000


def _sort_key(surname: str, first_names: str) -> str:
    text = f"{surname.strip()} {first_names.strip()}".strip().casefold()
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in text if not unicodedata.combining(c))[:_LENGTH]


def upgrade() -> None:
    with op.batch_alter_table('demande', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_sort_key', sa.String(length=_LENGTH),
                                      server_default='', nullable=False))
    _fill_sort_keys()
    with op.batch_alter_table('demande', schema=None) as batch_op:
        batch_op.create_index('ix_demande_name_sort_key', ['name_sort_key'], unique=False)


def _fill_sort_keys() -> None:
    connection = op.get_bind()
    demande = sa.table('demande', sa.column('id', sa.Integer()),
                       sa.column('applicant_surname', sa.String()),
                       sa.column('applicant_first_names', sa.String()),
                       sa.column('name_sort_key', sa.String()))
    update = (sa.update(demande).where(demande.c.id == sa.bindparam('row_id'))
              .values(name_sort_key=sa.bindparam('key')))
    rows = connection.execute(sa.select(demande.c.id, demande.c.applicant_surname,
                                        demande.c.applicant_first_names)).all()
    for start in range(0, len(rows), _BATCH):
        batch = [{'row_id': row_id, 'key': _sort_key(surname or '', first or '')}
                 for row_id, surname, first in rows[start:start + _BATCH]]
        connection.execute(update, batch)


def downgrade() -> None:
    with op.batch_alter_table('demande', schema=None) as batch_op:
        batch_op.drop_index('ix_demande_name_sort_key')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite's own DROP COLUMN (3.35+): batch mode would copy the table, and
        # dropping the original with foreign keys on would cascade to the households.
        op.execute('ALTER TABLE demande DROP COLUMN name_sort_key')
    else:
        with op.batch_alter_table('demande', schema=None) as batch_op:
            batch_op.drop_column('name_sort_key')
