"""Coherent time: a séance opens on or after its day; its times are confirmed at closing."""

from __future__ import annotations

from datetime import date, datetime, time

from caleol.rules.calendar import (
    easter_sunday,
    is_working_day,
    public_holidays,
    working_day_on_or_before,
)
from caleol.rules.session_times import closing_times, format_time, opening_problem

DAY = date(2026, 12, 7)  # a Monday


def test_a_seance_opens_on_or_after_its_day() -> None:
    assert opening_problem(DAY, date(2026, 12, 3)) == (
        "La séance du 7 décembre 2026 ne peut pas être ouverte avant son jour (nous sommes "
        "le 3 décembre 2026).")
    assert opening_problem(DAY, DAY) is None
    assert opening_problem(DAY, date(2026, 12, 9)) is None  # held on paper, typed later


def test_closing_on_the_day_defaults_to_the_recorded_start_and_the_clock() -> None:
    times = closing_times(DAY, time(14, 0), None, None, datetime(2026, 12, 7, 16, 12, 40))
    assert (times.start, times.end, dict(times.problems)) == (time(14, 0), time(16, 12), {})
    corrected = closing_times(DAY, time(14, 0), time(14, 5), time(15, 50),
                              datetime(2026, 12, 7, 16, 12))
    assert (corrected.start, corrected.end, dict(corrected.problems)) == (
        time(14, 5), time(15, 50), {})


def test_closing_days_later_asks_for_both_times() -> None:
    later = datetime(2026, 12, 10, 9, 30)
    times = closing_times(DAY, time(14, 0), None, None, later)
    assert times.end is None  # never the clock of the 10th
    assert times.problems == {
        "start": "La séance du 7 décembre 2026 est close le 10 décembre 2026 : indiquez "
                 "l'heure d'ouverture de la séance.",
        "end": "La séance du 7 décembre 2026 est close le 10 décembre 2026 : indiquez "
               "l'heure de fin de la séance.",
    }
    given = closing_times(DAY, time(14, 0), time(14, 0), time(16, 10), later)
    assert (given.start, given.end, dict(given.problems)) == (time(14, 0), time(16, 10), {})


def test_the_end_comes_after_the_start_and_is_not_in_the_future() -> None:
    backwards = closing_times(DAY, None, time(14, 0), time(8, 22), datetime(2026, 12, 9, 9, 0))
    assert backwards.problems == {"end": (
        "L'heure de fin (8 h 22) doit venir après l'heure d'ouverture (14 h 00), le même jour.")}
    future = closing_times(DAY, time(14, 0), None, time(17, 0), datetime(2026, 12, 7, 16, 10))
    assert future.problems == {"end": "L'heure de fin (17 h 00) n'est pas encore passée (il "
                                      "est 16 h 10)."}
    early = closing_times(DAY, None, None, None, datetime(2026, 12, 3, 16, 10))
    assert "avant son jour" in early.problems["end"]
    assert format_time(time(9, 5)) == "9 h 05"


def test_easter_and_the_public_holidays_of_moselle() -> None:
    assert [easter_sunday(y) for y in (2024, 2025, 2026, 2027)] == [
        date(2024, 3, 31), date(2025, 4, 20), date(2026, 4, 5), date(2027, 3, 28)]
    moselle = public_holidays(2026, "057")
    assert moselle[date(2026, 4, 3)].startswith("Vendredi saint")  # Easter − 2
    assert moselle[date(2026, 5, 14)] == "Ascension"  # Easter + 39
    assert moselle[date(2026, 5, 25)] == "Lundi de Pentecôte"  # Easter + 50
    assert date(2026, 12, 26) in moselle
    assert date(2026, 4, 3) not in public_holidays(2026, "54")  # Meurthe-et-Moselle
    assert len(public_holidays(2026, "54")) == 11


def test_working_days() -> None:
    assert not is_working_day(date(2026, 12, 6))  # Sunday 6 December 2026 (issue 15)
    assert working_day_on_or_before(date(2026, 12, 6)) == date(2026, 12, 4)  # Friday
    assert working_day_on_or_before(date(2026, 11, 11)) == date(2026, 11, 10)  # Armistice
    # Monday 6 April 2026 is Easter Monday, Good Friday the 3rd is off in Moselle only
    assert working_day_on_or_before(date(2026, 4, 6), "57") == date(2026, 4, 2)
    assert working_day_on_or_before(date(2026, 4, 6), "54") == date(2026, 4, 3)


def test_a_deadline_moves_to_the_next_working_day() -> None:
    from caleol.rules.calendar import working_day_on_or_after

    assert working_day_on_or_after(date(2026, 12, 13)) == date(2026, 12, 14)  # Sunday
    assert working_day_on_or_after(date(2026, 12, 25)) == date(2026, 12, 28)  # Friday
    assert working_day_on_or_after(date(2026, 12, 26), "57") == date(2026, 12, 28)
    assert working_day_on_or_after(date(2026, 12, 14)) == date(2026, 12, 14)
