"""Age of the demande and délai anormalement long (57: 18 months, 54: 16 months)."""

from __future__ import annotations

from datetime import date

import pytest

from caleol.rules.result import Status
from caleol.rules.waiting import (
    ABNORMAL_DELAY_MONTHS,
    abnormal_delay,
    check_waiting_time,
    months_between,
)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 1, 15), date(2026, 3, 10), 25),  # 26 calendar months, day 10 < 15
        (date(2024, 1, 15), date(2026, 3, 15), 26),
        (date(2024, 1, 31), date(2024, 2, 29), 0),  # month not complete
        (date(2024, 1, 31), date(2024, 3, 31), 2),
        (date(2026, 3, 10), date(2026, 3, 10), 0),
    ],
)
def test_completed_months(start: date, end: date, months: int) -> None:
    assert months_between(start, end) == months


def test_issue_example_is_abnormally_long_in_moselle() -> None:
    result = check_waiting_time(date(2024, 1, 15), date(2026, 3, 10), "57")
    assert result.status is Status.PASS
    assert result.figures["months"] == 25
    assert result.figures["threshold_months"] == 18
    assert result.figures["abnormally_long"] is True
    assert "25 ≥ 18 mois (Moselle)" in result.explanation


@pytest.mark.parametrize(("start", "abnormal"), [(date(2024, 11, 10), True),
                                                 (date(2024, 11, 11), False)])
def test_meurthe_et_moselle_threshold_is_reached_at_16_months(
    start: date, abnormal: bool
) -> None:
    # 2024-11-10 → 2026-03-10 = 16 months ≥ 16; 2024-11-11 → 15 months
    result = check_waiting_time(start, date(2026, 3, 10), "054")
    assert result.figures["abnormally_long"] is abnormal
    assert result.figures["department"] == "54"


def test_unknown_department_is_unknown_and_table_is_extendable() -> None:
    result = check_waiting_time(date(2024, 1, 1), date(2026, 3, 10), "75")
    assert result.status is Status.UNKNOWN
    assert result.figures["months"] == 26
    assert "« 75 »" in result.explanation
    extended = {**ABNORMAL_DELAY_MONTHS, "75": 30}
    known = check_waiting_time(date(2024, 1, 1), date(2026, 3, 10), "75", extended)
    assert known.figures["abnormally_long"] is False


def test_application_after_examination_is_unknown() -> None:
    result = check_waiting_time(date(2026, 4, 1), date(2026, 3, 10), "57")
    assert result.status is Status.UNKNOWN
    assert "postérieure" in result.explanation
    assert result.figures["months"] is None


@pytest.mark.parametrize(("start", "department", "expected"), [
    (date(2024, 11, 10), "054", True),  # 16 completed months ≥ 16 (Meurthe-et-Moselle)
    (date(2024, 11, 11), "54", False),  # 15 months
    (date(2024, 9, 10), "57", True),  # 18 months ≥ 18 (Moselle)
    (date(2024, 9, 11), "57", False),  # 17 months
    (date(2024, 1, 1), "75", None),  # no threshold known
    (date(2026, 4, 1), "57", None),  # filed after the examination
])
def test_abnormal_delay_is_the_checks_finding(start: date, department: str,
                                              expected: bool | None) -> None:
    """`abnormal_delay` (used to order thousands of suggestions) says what the check
    says, on the examination day 10 March 2026."""
    on = date(2026, 3, 10)
    assert abnormal_delay(start, on, department) is expected
    assert check_waiting_time(start, on, department).figures["abnormally_long"] is expected
