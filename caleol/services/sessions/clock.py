"""The computer's clock as the séance services read it (injected by tests and the demo).

A séance's date and times are Paris times (the commission meets in France; its
documents print Paris times), whatever zone the computer is set to; the instants
stored (`decided_at`, `closed_at`, `signed_at`) are aware UTC, as every timestamp of
the database. A naive `now` given by a caller is a Paris time (`caleol.fr`).
"""

from __future__ import annotations

import datetime as dt

from caleol.fr import paris_wall_time, utc_instant


def local_now(now: dt.datetime | None = None) -> dt.datetime:
    """`now` (or the clock) as a naive Paris date and time; an aware `now` is converted."""
    return paris_wall_time(now)


__all__ = ["local_now", "utc_instant"]
