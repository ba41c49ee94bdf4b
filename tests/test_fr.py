from datetime import date
from decimal import Decimal

import pytest

from caleol import fr
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


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("1234567.891"), 2, f"1{NBSP}234{NBSP}567,89"),
        (Decimal("999.995"), 2, f"1{NBSP}000,00"),  # half-up carries into a new group
        (Decimal("-1234.5"), 0, f"-1{NBSP}235"),
        (Decimal("-0.004"), 2, "0,00"),  # a negative that rounds to zero has no sign
        (7, 3, "7,000"),
    ],
)
def test_format_decimal_edges(value: Decimal | int, places: int, expected: str) -> None:
    from caleol.fr import format_decimal

    assert format_decimal(value, places) == expected


def test_memoised_formatting_depends_on_the_value_not_its_exponent() -> None:
    # 1.5, 1.50 and 1.500 are equal Decimals sharing one cache entry: same text
    assert fr.format_decimal(Decimal("1.5")) == "1,50"
    assert fr.format_decimal(Decimal("1.500")) == "1,50"
    assert fr.format_decimal(Decimal("1.50"), 0) == "2"  # half-up, places part of the key
    assert fr.format_decimal(3, 1) == fr.format_decimal(Decimal("3.0"), 1) == "3,0"
    assert fr.format_decimal(Decimal("-0.001")) == "0,00"


def test_counted_agrees_with_the_count() -> None:
    assert fr.counted(0, "logement") == "0 logement"
    assert fr.counted(1, "candidat") == "1 candidat"
    assert fr.counted(3, "logement") == "3 logements"
    assert fr.counted(2, "examen d'occupation", "examens d'occupation") == \
        "2 examens d'occupation"


@pytest.mark.parametrize(("text", "expected"), [
    ("Total : 1 873,42 €", "Total\u00a0: 1\u00a0873,42\u00a0€"),
    ("taux 35 % ; « logement »", "taux 35\u00a0%\u00a0; «\u00a0logement\u00a0»"),
    ("séance n° 13 à 14:02, https://exemple.fr", "séance n°\u00a013 à 14:02, https://exemple.fr"),
    ("Logement 1 / 4", "Logement 1 / 4"),
])
def test_french_spacing(text: str, expected: str) -> None:
    assert fr.french_spacing(text) == expected
    assert fr.french_spacing(expected) == expected  # idempotent


@pytest.mark.parametrize(("text", "expected"), [
    ("Madame", "Mme"), (" MME ", "Mme"), ("Mme", "Mme"), ("Mademoiselle", "Mme"),
    ("Monsieur", "M."), ("M", "M."), ("m.", "M."), ("Mr", "M."), ("", ""), ("  ", ""),
])
def test_civility_as_typed_or_exported(text: str, expected: str) -> None:
    assert fr.parse_civility(text) == expected


@pytest.mark.parametrize("text", ["Docteur", "Mme M.", "X"])
def test_an_unknown_civility_is_refused_in_french(text: str) -> None:
    with pytest.raises(ValueError, match=r"civilité « .* » inconnue : Madame, Monsieur ou vide"):
        fr.parse_civility(text)


def test_a_letter_opens_with_the_civility_stated() -> None:
    assert (fr.salutation("Mme"), fr.salutation("M."), fr.salutation("")) == (
        "Madame", "Monsieur", "Madame, Monsieur")
    assert fr.addressed("Mme", "Élodie MARTIN") == "Madame Élodie MARTIN"
    assert fr.addressed("M.", "Rachid ROTH") == "Monsieur Rachid ROTH"
    assert fr.addressed("", "Élodie MARTIN") == "Élodie MARTIN"  # not stated: no guess
