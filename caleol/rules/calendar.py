"""Working days: French public holidays, with the local law of Alsace-Moselle.

Public holidays (art. L3133-1 Code du travail): 1 January, Easter Monday, 1 May,
8 May, Ascension Thursday, Whit Monday, 14 July, 15 August, 1 November,
11 November, 25 December. In Moselle, Bas-Rhin and Haut-Rhin the local law adds
Good Friday and 26 December (art. L3134-13 Code du travail). A commission meets on
a working day: Monday to Friday, not a public holiday of its department.
"""

from __future__ import annotations

from datetime import date, timedelta

from caleol.rules.waiting import normalize_department

ALSACE_MOSELLE = frozenset({"57", "67", "68"})


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, « Meeus/Jones/Butcher »)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def public_holidays(year: int, department: str = "") -> dict[date, str]:
    """The public holidays of `year` in `department` (« 57 », « 057 »; empty: national)."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Jour de l'an",
        easter + timedelta(days=1): "Lundi de Pâques",
        date(year, 5, 1): "Fête du travail",
        date(year, 5, 8): "Victoire 1945",
        easter + timedelta(days=39): "Ascension",
        easter + timedelta(days=50): "Lundi de Pentecôte",
        date(year, 7, 14): "Fête nationale",
        date(year, 8, 15): "Assomption",
        date(year, 11, 1): "Toussaint",
        date(year, 11, 11): "Armistice 1918",
        date(year, 12, 25): "Noël",
    }
    if normalize_department(department) in ALSACE_MOSELLE:
        days[easter - timedelta(days=2)] = "Vendredi saint (Alsace-Moselle)"
        days[date(year, 12, 26)] = "Saint-Étienne (Alsace-Moselle)"
    return days


def is_working_day(day: date, department: str = "") -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year, department)


def working_day_on_or_after(day: date, department: str = "") -> date:
    """`day` itself if it is a working day, else the working day after it: a deadline
    given to a household that would end on a Saturday, a Sunday or a public holiday
    ends the next working day (it never shortens the time to answer)."""
    while not is_working_day(day, department):
        day += timedelta(days=1)
    return day


def working_day_on_or_before(day: date, department: str = "") -> date:
    """`day` itself if it is a working day, else the working day before it."""
    while not is_working_day(day, department):
        day -= timedelta(days=1)
    return day
