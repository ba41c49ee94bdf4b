"""The organisation a landlord enters: landlord, agencies, réservataires, commissions, members.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00.000000

Placeholder reserved for issue 21 (organisation setup); filled in by that work (a no-op until then).
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
