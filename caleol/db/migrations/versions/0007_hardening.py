"""Hardening against tampering: purge records, chain anchors, stricter triggers.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000

Placeholder reserved for issue 16 (hostile testing); filled in by that work (a no-op until then).
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
