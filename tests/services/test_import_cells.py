"""The cell readers' fast paths (plain dates, amounts, whole numbers, oui/non) give what
the general path gives: the same value, or the same French error."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caleol.fr import parse_decimal
from caleol.services.imports import cells
from caleol.services.imports.cells import CellError
from caleol.services.imports.household_cells import parse_members

TODAY = date(2026, 6, 15)


# -- the general path, as it was before the fast paths ---------------------------------
def _day(value: str, not_after: date | None, not_before: date) -> date:
    cleaned = value.strip()
    match = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", cleaned)
    try:
        if match:
            parsed = date(int(match[3]), int(match[2]), int(match[1]))
        elif re.match(r"^(\d{4})-(\d{2})-(\d{2})$", cleaned):
            parsed = date.fromisoformat(cleaned)
        else:
            raise CellError(f"« {value} » : date attendue au format JJ/MM/AAAA ou AAAA-MM-JJ")
    except ValueError as exc:
        if isinstance(exc, CellError):
            raise
        raise CellError(f"« {value} » : cette date n'existe pas") from None
    if parsed < not_before:
        raise CellError(f"« {value} » : date antérieure au {not_before.strftime('%d/%m/%Y')}")
    if not_after is not None and parsed > not_after:
        raise CellError(f"« {value} » : date dans le futur (après le "
                        f"{not_after.strftime('%d/%m/%Y')})")
    return parsed


def _money_cents(value: str) -> int:
    cleaned = value.strip()
    if cleaned.casefold() in ("nan", "inf", "-inf", "infinity", "+inf"):
        raise CellError(f"« {value} » n'est pas un montant")
    try:
        amount = parse_decimal(cleaned)
    except ValueError:
        raise CellError(f"« {value} » n'est pas un montant (exemple : 1234,56)") from None
    if amount < 0:
        raise CellError(f"« {value} » : montant négatif")
    if amount > cells.MAX_MONEY:
        raise CellError(f"« {value} » : montant invraisemblable (plus de 1 000 000 €)")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(f"« {value} » : au plus deux décimales")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _integer(value: str, low: int, high: int) -> int:
    cleaned = value.strip().replace(" ", "").replace("\u00a0", "")
    try:
        number = parse_decimal(cleaned)
    except ValueError:
        raise CellError(f"« {value} » n'est pas un nombre entier") from None
    if number != number.to_integral_value() or not math.isfinite(number):
        raise CellError(f"« {value} » n'est pas un nombre entier")
    if not low <= number <= high:
        raise CellError(f"« {value} » : attendu entre {low} et {high}")
    return int(number)


def _boolean(value: str) -> bool:
    cleaned = value.strip().casefold()
    if cleaned in cells.YES:
        return True
    if cleaned in cells.NO:
        return False
    raise CellError(f"« {value} » : attendu oui ou non")


def _outcome(read: Callable[[str], object], value: str) -> object:
    try:
        return read(value)
    except CellError as exc:
        return ("CellError", str(exc))


DIGITS = st.text("0123456789", min_size=0, max_size=9)
NUMBERS = st.one_of(
    st.builds(lambda a, sep, b: f"{a}{sep}{b}", DIGITS, st.sampled_from(["", ",", ".", " "]),
              DIGITS),
    st.sampled_from(["", " 12 ", "1000000", "1000000,00", "1000000,01", "999999,99", "0,001",
                     "-3", "+3", "1_000", "٣٤", "１２", "12\u00a0000", "1e3", "nan", "0x10",
                     "01/02/2024", "1/2/2024", "31/02/2024", "2024-02-29", "2023-02-29",
                     "00/01/2024", "01/01/1899", "12/31/2024", "٠١/٠٢/٢٠٢٤", "01/02/2024\n",
                     "oui", "OUI", " non ", "x", "Vrai", "nc"]),
    st.text(max_size=12),
)


@settings(max_examples=600, deadline=None)
@given(NUMBERS)
def test_fast_paths_read_as_the_general_path(value: str) -> None:
    assert _outcome(cells.money_cents, value) == _outcome(_money_cents, value)
    assert (_outcome(lambda v: cells.integer(v, 0, 100_000), value)
            == _outcome(lambda v: _integer(v, 0, 100_000), value))
    assert (_outcome(lambda v: cells.day(v, not_after=TODAY), value)
            == _outcome(lambda v: _day(v, TODAY, date(1900, 1, 1)), value))
    assert _outcome(cells.boolean, value) == _outcome(_boolean, value)


@pytest.mark.parametrize(("value", "cents"), [("1850,5", 185050), ("0.07", 7), ("007", 700),
                                              ("1000000", 100_000_000)])
def test_plain_amounts(value: str, cents: int) -> None:
    assert cells.money_cents(value) == cents


def test_a_refused_household_is_refused_each_time() -> None:
    """The verdict on a composition is remembered: a second identical household gets
    the same problems, not a pass."""
    items = [["enfant", "01/01/2010"], ["demandeur", "01/01/2012"]]
    first = parse_members(items, TODAY)
    assert first[0] == [] and first[1]
    assert parse_members(items, TODAY) == first
