"""Stored values as the lists and detail panels say them in French."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Protocol

from caleol.fr import format_date, format_money
from caleol.rules.waiting import months_between


class _Labelled(Protocol):
    @property
    def label(self) -> str: ...


def status_label(value: str, enum: Callable[[str], _Labelled]) -> str:
    """The French label of a stored enum value (the value itself when unknown)."""
    try:
        return enum(value).label
    except ValueError:
        return value


def waiting_months(filing: dt.date, today: dt.date) -> int:
    """A demande's age in completed months as the rules count it (0 for a filing
    dated after `today`)."""
    return max(0, months_between(filing, today))


def cents(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 100


def yes_no(value: bool | None) -> str:
    return "non renseigné" if value is None else ("oui" if value else "non")


def money(amount_cents: int | None) -> str:
    return "" if amount_cents is None else format_money(amount_cents, cents=True)


def date_text(value: dt.date | None) -> str:
    return "" if value is None else format_date(value)
