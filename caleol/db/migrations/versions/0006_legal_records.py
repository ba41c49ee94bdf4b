"""Documents as legal records: séance times, justifications, second reason, casting vote holder.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:00:00.000000

Placeholder reserved for issue 15 (legal records); filled in by that work (a no-op until then).
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
