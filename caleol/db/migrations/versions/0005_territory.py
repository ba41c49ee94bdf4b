"""Territory shipped with caleol: communes, EPCI, QPV, ceiling zones; sources per row.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00.000000

Placeholder reserved for issue 21 (territory data); filled in by that work (a no-op until then).
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
