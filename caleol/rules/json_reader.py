"""Strict reading of a JSON document, every defect in French with its path.

Every defect of the input becomes one French line (all found defects at once, each
with the path of the field: `household.members[2].age`), never a Python exception;
the caller raises one `ValidationError` listing them. Choices:

* Money: a JSON number or a string (`"520.00"`, `"520,00"`), read without float
  (`parse_float=Decimal`), non-negative, at most 2 decimals, at most 1 000 000 000 €;
  whole euros where asked (a reference tax income).
* Booleans must be JSON booleans (`true`/`false`), never 0/1; numbers are never
  booleans. NaN and Infinity are refused; so are duplicate keys and unknown keys
  (a misspelt optional key would otherwise silently change a result).
* Dates: `AAAA-MM-JJ` only. Years of incomes: 1990 to 2100. Ages: 0 to `MAX_AGE`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum, auto
from typing import Any, Literal, TypeVar

from caleol.errors import CaleolError, ValidationError
from caleol.fr import parse_decimal
from caleol.rules.household import MAX_AGE

MAX_DOCUMENT_BYTES = 1_000_000
MAX_MONEY = Decimal(1_000_000_000)
CENTS = Decimal("0.01")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
DEPARTMENT_PATTERN = re.compile(r"[0-9]{2,3}|2[ABab]|02[ABab]")

T = TypeVar("T")
D = TypeVar("D")  # a field's default


class _Missing(Enum):
    """No default: the field is required."""

    MISSING = auto()


_MISSING = _Missing.MISSING


def decode_document(data: bytes) -> Any:
    """Bytes of stdin → JSON value, with French errors for every way it can be wrong.

    Raises:
        ValidationError: not UTF-8, not JSON, too large, too deep, NaN/Infinity,
            duplicate keys.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            f"Document trop volumineux ({len(data)} octets, maximum {MAX_DOCUMENT_BYTES})."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"L'entrée n'est pas du texte UTF-8 valide (octet {exc.start})."
        ) from None
    if not text.strip():
        raise ValidationError("Entrée vide : un document JSON est attendu sur l'entrée standard.")
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_refuse_duplicates,
        )
    except CaleolError:
        raise
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"JSON invalide (ligne {exc.lineno}, colonne {exc.colno}) : {_french(exc.msg)}."
        ) from None
    except RecursionError:
        raise ValidationError("JSON trop profondément imbriqué.") from None
    except ValueError:
        # e.g. an integer with thousands of digits (Python's int conversion limit)
        raise ValidationError("JSON invalide : nombre démesuré.") from None


def _refuse_constant(name: str) -> Any:
    raise ValidationError(f"Valeur « {name} » refusée : seuls des nombres finis sont admis.")


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValidationError(f"Clé « {key} » présente deux fois dans un même objet.")
        result[key] = value
    return result


def _french(message: str) -> str:
    known = {
        "Expecting value": "valeur attendue",
        "Extra data": "données en trop après le document",
        "Expecting property name enclosed in double quotes": "nom de clé entre guillemets attendu",
        "Expecting ',' delimiter": "virgule attendue",
        "Expecting ':' delimiter": "deux-points attendu",
        "Unterminated string starting at": "chaîne non terminée",
        "Invalid control character at": "caractère de contrôle dans une chaîne",
        "Invalid \\escape": "séquence d'échappement invalide",
        "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    }
    return known.get(message, "syntaxe incorrecte")


class FieldReader:
    """Collects every problem with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path} : {message}")

    def obj(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"objet JSON attendu, reçu {kind_of(value)}")
            return None
        for key in sorted(set(value) - allowed):
            self.fail(f"{path}.{key}" if path != "document" else key, "champ inconnu")
        return value

    def field(
        self,
        container: dict[str, Any],
        key: str,
        path: str,
        convert: Callable[[Any, str], T | None],
        default: D | Literal[_Missing.MISSING] = _MISSING,
    ) -> T | D | None:
        where = f"{path}.{key}" if path != "document" else key
        if key not in container:
            if default is _MISSING:
                self.fail(where, "champ obligatoire manquant")
                return None
            return default
        return convert(container[key], where)

    # -- converters: return None after recording a problem ----------------------------
    def money(self, value: Any, path: str) -> Decimal | None:
        amount: Decimal
        if isinstance(value, bool):
            self.fail(path, "montant attendu, reçu un booléen")
            return None
        if isinstance(value, int):
            amount = Decimal(value)
        elif isinstance(value, Decimal):
            amount = value
        elif isinstance(value, str):
            try:
                amount = parse_decimal(value)
            except ValueError:
                self.fail(path, f"« {shortened(value)} » n'est pas un montant")
                return None
        else:
            self.fail(path, f"montant attendu (nombre ou texte), reçu {kind_of(value)}")
            return None
        if not amount.is_finite():
            self.fail(path, "montant non fini refusé")
            return None
        if amount < 0:
            self.fail(path, "montant négatif refusé")
            return None
        if amount > MAX_MONEY:
            self.fail(path, "montant démesuré (plus d'un milliard d'euros)")
            return None
        try:
            rounded = amount.quantize(CENTS)
        except InvalidOperation:
            self.fail(path, "montant illisible")
            return None
        if rounded != amount:
            self.fail(path, "au plus deux décimales (centimes)")
            return None
        return rounded

    def whole_euros(self, value: Any, path: str) -> int | None:
        amount = self.money(value, path)
        if amount is None:
            return None
        if amount != amount.to_integral_value():
            self.fail(path, "montant en euros entiers attendu (revenu fiscal de référence)")
            return None
        return int(amount)

    def failed(self, path: str) -> bool:
        return any(problem.startswith(f"{path} : ") for problem in self.problems)

    def year(self, value: Any, path: str) -> int | None:
        """A year of incomes (null: not known)."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"année attendue (ex. 2024), reçu {kind_of(value)}")
            return None
        if not 1990 <= value <= 2100:
            self.fail(path, f"année hors limites ({value})")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"booléen attendu (true ou false), reçu {kind_of(value)}")
            return None
        return value

    def age(self, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"âge en années entières attendu, reçu {kind_of(value)}")
            return None
        if not 0 <= value <= MAX_AGE:
            self.fail(path, f"âge hors limites ({value})")
            return None
        return value

    def iso_date(self, value: Any, path: str) -> date | None:
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            self.fail(path, "date attendue au format AAAA-MM-JJ")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"date inexistante « {value} »")
            return None

    def choice(self, parse: Callable[[str], T]) -> Callable[[Any, str], T | None]:
        def convert(value: Any, path: str) -> T | None:
            if not isinstance(value, str):
                self.fail(path, f"texte attendu, reçu {kind_of(value)}")
                return None
            try:
                return parse(value)
            except ValidationError as exc:
                self.fail(path, exc.message.rstrip("."))
                return None

        return convert

    def department(self, value: Any, path: str) -> str | None:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not DEPARTMENT_PATTERN.fullmatch(value.strip()):
            self.fail(path, "code de département attendu (ex. « 57 », « 054 », « 2A »)")
            return None
        return value.strip()


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | Decimal):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un objet"
    return type(value).__name__


def shortened(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."
