"""Indicators on their own basis; full-text search index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00.000000

Placeholder reserved for issues 19 and 20; filled in by that work (a no-op until then).
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
