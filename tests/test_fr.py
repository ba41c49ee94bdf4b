from datetime import date
from decimal import Decimal

import pytest

from caleol.fr import NBSP, format_date, format_money, format_percent, parse_decimal


def test_money_groups_thousands_with_decimal_comma() -> None:
    assert format_money(Decimal("1234.56")) == f"1{NBSP}234,56{NBSP}€"
    assert format_money(123456, cents=True) == f"1{NBSP}234,56{NBSP}€"
    assert format_money(Decimal("-0.005")) == f"-0,01{NBSP}€"  # half-up away from zero


def test_percent_and_dates() -> None:
    assert format_percent(Decimal("0.3")) == f"30,0{NBSP}%"
    assert format_date(date(2026, 3, 10)) == "10 mars 2026"
    assert format_date(date(2026, 8, 1)) == "1er août 2026"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1 234,56", "1234.56"), ("1234.56", "1234.56"), (f"1{NBSP}234,5 €", "1234.5"), ("0", "0")],
)
def test_parse_decimal_accepts_french_input(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "1,2,3"])
def test_parse_decimal_rejects_non_numbers(text: str) -> None:
    with pytest.raises(ValueError, match="n'est pas un nombre"):
        parse_decimal(text)
