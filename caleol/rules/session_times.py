"""When a séance can be opened, and the times its minutes state.

The minutes are a legal record of what happened (R441-9 CCH; the president announces
the opening and the closing of the séance): a séance is opened on or after its day,
never before; its start and end times are the ones the secretary confirms when
closing it, not the computer's clock at some later moment.

* Closing on the séance day: the start recorded at the opening and the current time
  are the defaults; the secretary may correct them.
* Closing on a later day (minutes written up afterwards): both times must be given;
  the clock is no default, it would date the séance from the day of the typing.
* Either way: the end comes after the start, the same day, and neither lies in the
  future.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from caleol.fr import format_date


def format_time(value: time) -> str:
    """« 14 h 05 »: the French way of writing a time of day."""
    return f"{value.hour} h {value.minute:02d}"


def _minute(value: time) -> time:
    return value.replace(second=0, microsecond=0)


def opening_problem(session_date: date, today: date) -> str | None:
    """Why the séance cannot be opened today (None: it can)."""
    if today < session_date:
        return (
            f"La séance du {format_date(session_date)} ne peut pas être ouverte avant son "
            f"jour (nous sommes le {format_date(today)})."
        )
    return None


@dataclass(frozen=True)
class SessionTimes:
    """The confirmed times, or the problems by field (`start`, `end`)."""

    start: time | None
    end: time | None
    problems: Mapping[str, str] = field(default_factory=dict)


def closing_times(
    session_date: date,
    recorded_start: time | None,
    start: time | None,
    end: time | None,
    now: datetime,
) -> SessionTimes:
    """The start and end times stated by the minutes of a séance closed at `now`.

    Args:
        recorded_start: the start time recorded so far (at the opening, or planned).
        start, end: the times the secretary confirmed (None: not given).
        now: the local time of the closing.
    """
    problems: dict[str, str] = {}
    today = now.date()
    if today < session_date:
        return SessionTimes(start, end, {"end": (
            f"La séance du {format_date(session_date)} ne peut pas être close avant son "
            f"jour (nous sommes le {format_date(today)})."
        )})
    same_day = today == session_date
    clock = _minute(now.time())
    if start is None and same_day:
        start = recorded_start
    if end is None and same_day:
        end = clock
    start = _minute(start) if start is not None else None
    end = _minute(end) if end is not None else None
    later = (f"La séance du {format_date(session_date)} est close le {format_date(today)} : "
             "indiquez l'heure ")
    if start is None:
        problems["start"] = (later + "d'ouverture de la séance." if not same_day
                             else "Indiquez l'heure d'ouverture de la séance.")
    if end is None:
        problems["end"] = later + "de fin de la séance."
    if start is not None and end is not None and end <= start:
        problems["end"] = (
            f"L'heure de fin ({format_time(end)}) doit venir après l'heure d'ouverture "
            f"({format_time(start)}), le même jour."
        )
    if same_day:
        for name, value, what in (("start", start, "d'ouverture"), ("end", end, "de fin")):
            if value is not None and value > clock and name not in problems:
                problems[name] = (
                    f"L'heure {what} ({format_time(value)}) n'est pas encore passée (il est "
                    f"{format_time(clock)})."
                )
    return SessionTimes(start, end, problems)
