"""Python dates and times to Qt's and back.

PySide6 converts a `datetime.date` to a QDate by itself, but its stubs do not say so, and
`QDate.toPython()` is typed as returning any object: these say what they give.
"""

from datetime import date, time

from PySide6.QtCore import QDate, QTime


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def from_qtime(moment: QTime) -> time:
    return time(moment.hour(), moment.minute(), moment.second(), moment.msec() * 1000)
