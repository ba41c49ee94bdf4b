"""Column helpers shared by every table module.

Conventions (documented once here):
* every table has a surrogate integer primary key `id` (the audit log keys on it);
* money is integer cents in columns named `*_cents`; yearly ceiling amounts are
  whole euros as published by the arrêté;
* enums are stored as their short string value (the `StrEnum`s of `caleol.rules`
  or of `caleol.db.models.enums`), so a new value never needs a schema change;
* timestamps are timezone-aware UTC (`utcnow()`; SQLModel's UTCDateTime refuses
  naive values and returns UTC), dates are `datetime.date`;
* exact non-money decimals (rates, targets) use `DecimalText`: stored as text so
  SQLite never turns them into binary floats.
"""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Column, Integer, String
from sqlalchemy.types import TypeDecorator

SHORT = 40  # length of enum-like columns


def utcnow() -> datetime:
    """Aware UTC: the one timestamp convention of the database."""
    return datetime.now(UTC)


def version_column() -> Column[int]:
    """A fresh `version` column for `__mapper_args__ = {"version_id_col": ...}`.

    SQLAlchemy bumps it on every UPDATE and adds it to the WHERE clause, so a write
    based on a stale read fails instead of silently overwriting someone else's.
    """
    return Column("version", Integer, nullable=False)


class DecimalText(TypeDecorator[Decimal]):
    """An exact `Decimal` stored as its text (portable, never a float)."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:  # pragma: no cover - only if edited outside the app
            return None
