"""Cell parsers: French text from Excel to typed values, or a French `CellError`."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import TypeVar

from caleol.fr import parse_civility, parse_decimal

E = TypeVar("E", bound=Enum)

MAX_MONEY = Decimal("1000000")  # euros; a monthly rent or income beyond is a typo
YES = {"oui", "o", "vrai", "true", "1", "x", "yes", "y"}
NO = {"non", "n", "faux", "false", "0", "no", ""}
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Fast paths (an import reads 10 000 rows of ~20 cells): what Excel France writes,
# decided without Decimal or a second pattern; anything else takes the general path.
_BOOLEAN_WORDS = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False)}
_PLAIN_MONEY = re.compile(r"([0-9]{1,7})(?:[.,]([0-9]{1,2}))?")
_MAX_CENTS = int(MAX_MONEY) * 100
_LIST_SEPARATORS = re.compile(r"[|,]")


class CellError(ValueError):
    """A cell that cannot be read; the message is French and names what is expected."""


def text(value: str, max_length: int) -> str:
    if len(value) > max_length:
        raise CellError(f"texte trop long ({len(value)} caractères, au plus {max_length})")
    return value


def civility(value: str) -> str:
    """« Madame », « Mme », « Monsieur », « M. »… → « Mme » / « M. »; empty: not stated."""
    try:
        return parse_civility(value)
    except ValueError as exc:
        raise CellError(str(exc)) from None


def boolean(value: str) -> bool:
    found = _BOOLEAN_WORDS.get(value)
    if found is not None:
        return found
    cleaned = value.strip().casefold()
    if cleaned in YES:
        return True
    if cleaned in NO:
        return False
    raise CellError(f"« {value} » : attendu oui ou non")


def optional_boolean(value: str) -> bool | None:
    """oui / non / vide (inconnu)."""
    cleaned = value.strip().casefold()
    if cleaned in ("", "inconnu", "?", "nc"):
        return None
    return boolean(value)


def day(value: str, *, not_after: date | None = None, not_before: date = date(1900, 1, 1)) -> date:
    """JJ/MM/AAAA or AAAA-MM-JJ (what Excel France and ISO write)."""
    cleaned = value.strip()
    fields: tuple[str, ...] | None
    if (len(cleaned) == 10 and cleaned[2] == "/" and cleaned[5] == "/" and cleaned.isascii()
            and cleaned[:2].isdigit() and cleaned[3:5].isdigit() and cleaned[6:].isdigit()):
        fields = (cleaned[6:], cleaned[3:5], cleaned[:2])  # JJ/MM/AAAA: no pattern needed
    else:
        match = _FR_DATE.match(cleaned)
        fields = match.group(3, 2, 1) if match else None
    try:
        if fields is not None:
            parsed = date(*map(int, fields))
        elif _ISO_DATE.match(cleaned):
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


def optional_day(value: str, **limits: date) -> date | None:
    return day(value, **limits) if value.strip() else None


def money_cents(value: str) -> int:
    """Euros with a decimal comma or point, at most 2 decimals, 0 to 1 000 000 €."""
    cleaned = value.strip()
    plain = _PLAIN_MONEY.fullmatch(cleaned)
    if plain is not None:  # `1850`, `1850,5`, `1850.50`: whole cents without Decimal
        whole, fraction = plain.groups()
        cents = int(whole) * 100 + (int(fraction.ljust(2, "0")) if fraction else 0)
        if cents <= _MAX_CENTS:
            return cents
    if cleaned.casefold() in ("nan", "inf", "-inf", "infinity", "+inf"):
        raise CellError(f"« {value} » n'est pas un montant")
    try:
        amount = parse_decimal(cleaned)
    except ValueError:
        raise CellError(f"« {value} » n'est pas un montant (exemple : 1234,56)") from None
    if amount < 0:
        raise CellError(f"« {value} » : montant négatif")
    if amount > MAX_MONEY:
        raise CellError(f"« {value} » : montant invraisemblable (plus de 1 000 000 €)")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(f"« {value} » : au plus deux décimales")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def optional_money_cents(value: str) -> int | None:
    return money_cents(value) if value.strip() else None


def integer(value: str, low: int, high: int) -> int:
    cleaned = value.strip().replace(" ", "").replace("\u00a0", "")
    if cleaned.isascii() and cleaned.isdigit():  # plain digits: no Decimal needed
        whole = int(cleaned)
        if not low <= whole <= high:
            raise CellError(f"« {value} » : attendu entre {low} et {high}")
        return whole
    try:
        number = parse_decimal(cleaned)
    except ValueError:
        raise CellError(f"« {value} » n'est pas un nombre entier") from None
    if number != number.to_integral_value() or not math.isfinite(number):
        raise CellError(f"« {value} » n'est pas un nombre entier")
    if not low <= number <= high:
        raise CellError(f"« {value} » : attendu entre {low} et {high}")
    return int(number)


def optional_integer(value: str, low: int, high: int) -> int | None:
    return integer(value, low, high) if value.strip() else None


def decimal(value: str, low: Decimal, high: Decimal, places: int) -> Decimal:
    try:
        number = parse_decimal(value)
    except ValueError:
        raise CellError(f"« {value} » n'est pas un nombre") from None
    if not low <= number <= high:
        raise CellError(f"« {value} » : attendu entre {low} et {high}")
    quant = Decimal(1).scaleb(-places)
    if number != number.quantize(quant):
        raise CellError(f"« {value} » : au plus {places} décimales")
    return number


def choice(value: str, options: Mapping[str, E], what: str) -> E:
    """One of `options` (keys normalised: case-folded, accents kept)."""
    key = value.strip().casefold()
    if key in options:
        return options[key]
    accepted = ", ".join(sorted({k for k in options if k}))
    raise CellError(f"{what} inconnu « {value} » (attendu : {accepted})")


def split_list(value: str) -> list[str]:
    """`T2 | T3` or `T2, T3` → `["T2", "T3"]` (never `;`, the CSV separator)."""
    return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]


def split_list_pipe(value: str) -> list[str]:
    """`a | b` → `["a", "b"]`: for items whose amounts hold a decimal comma."""
    return [part.strip() for part in value.split("|") if part.strip()]
