"""NUR structure: department on 3, YYMM consistent with the filing date, sequence, desk."""

from __future__ import annotations

from datetime import date

import pytest

from caleol.rules.nur import check_nur, format_nur, normalize_nur

TODAY = date(2026, 11, 23)


def test_well_formed_nur_with_spaces() -> None:
    verdict = check_nur("057 24 03 00123 g5701", date(2024, 3, 12), today=TODAY)
    assert verdict.valid and not verdict.warnings
    assert verdict.nur == "057240300123G5701"
    assert verdict.department == "57"
    assert format_nur(verdict.nur) == "057 24 03 00123 G5701"


@pytest.mark.parametrize(("nur", "department"), [
    ("02A240300123G2A01", "2A"), ("054240300001N5401", "54"), ("971240300123G9711", "971"),
])
def test_departments(nur: str, department: str) -> None:
    verdict = check_nur(nur, date(2024, 3, 1), today=TODAY)
    assert verdict.valid, verdict.errors
    assert verdict.department == department


@pytest.mark.parametrize(("nur", "fragment"), [
    ("", "vide"),
    ("0572403001", "17 caractères"),
    ("057240300123G57011", "17 caractères"),
    ("096240300123G5701", "département « 096 »"),
    ("020240300123G5701", "département « 020 »"),
    ("057241300123G5701", "mois « 13 »"),
    ("057271100123G5701", "dans le futur"),  # 11/2027 after 23/11/2026
    ("0572403001-3G5701", "17 caractères"),  # a hyphen is a separator: 16 characters left
])
def test_errors(nur: str, fragment: str) -> None:
    verdict = check_nur(nur, today=TODAY)
    assert not verdict.valid
    assert any(fragment in e for e in verdict.errors), verdict.errors
    assert verdict.department is None


def test_registration_month_against_filing_date() -> None:
    # registered 04/2024 for a demande filed 29/03/2024: a few days later, a warning
    late = check_nur("057240400123G5701", date(2024, 3, 29), today=TODAY)
    assert late.valid and "mois suivant" in late.warnings[0]
    # registered 03/2024 for a demande filed in 01/2024: two months, an error
    wrong = check_nur("057240300123G5701", date(2024, 1, 15), today=TODAY)
    assert not wrong.valid and "incohérent" in wrong.errors[0]
    # registered before the filing month: impossible
    before = check_nur("057240200123G5701", date(2024, 3, 1), today=TODAY)
    assert not before.valid


def test_sequence_of_zeros_is_a_warning() -> None:
    verdict = check_nur("057240300000G5701", date(2024, 3, 1), today=TODAY)
    assert verdict.valid and verdict.warnings


def test_normalize() -> None:
    assert normalize_nur(" 057-24-03-00123-g5701 ") == "057240300123G5701"
    assert format_nur("pas un NUR") == "pas un NUR"
