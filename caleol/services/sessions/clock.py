"""The computer's clock as the séance services read it (injected by tests and the demo).

A séance's date and times are local (the commission meets in France, on the
secretary's computer); the instants stored (`closed_at`, `signed_at`) are UTC, as
every timestamp of the database.
"""

from __future__ import annotations

import datetime as dt


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """`now` (or the clock) as a naive local date and time; an aware `now` is converted."""
    if now is None:
        return dt.datetime.now()
    if now.tzinfo is not None:
        return now.astimezone().replace(tzinfo=None)
    return now


def utc_instant(now: dt.datetime | None = None) -> dt.datetime:
    """`now` (or the clock) as an aware UTC instant; a naive `now` is local time."""
    if now is None:
        return dt.datetime.now(dt.UTC)
    return now.astimezone(dt.UTC)
