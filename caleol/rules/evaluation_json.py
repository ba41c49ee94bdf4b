"""The JSON document of `caleol evaluate`: strict parsing in, plain JSON out.

Every defect of the input becomes one French line of a `ValidationError` (all found
defects at once, each with the path of the field: `household.members[2].age`), never
a Python exception. Choices:

* Money: a JSON number or a string (`"520.00"`, `"520,00"`), read without float
  (`parse_float=Decimal`), non-negative, at most 2 decimals, at most 1 000 000 000 €.
* `reference_tax_income`: whole euros (number or string of digits);
  `reference_tax_income_year`: the year of those incomes (the notice is of the year
  after); without it the ceiling check is `unknown` (`rules.tax_notice`).
* Booleans must be JSON booleans (`true`/`false`), never 0/1; numbers are never
  booleans. NaN and Infinity are refused; so are duplicate keys and unknown keys
  (a misspelt optional key would otherwise silently change a result).
* Dates: `AAAA-MM-JJ` only.
* A member gives `age` or `birth_date` (the age is then computed on `date`).
* Optional, with their default: `dwelling.adaptations` ([]), `household.housing_aid`
  ("0"), `payment_guarantee` (false), `dalo` (false), `reference_tax_income_year`
  (null), `tax_income_n1_requested` (false), member `disabled` and `visiting_rights`
  (false).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum, auto
from typing import Any, Literal, TypeVar

from caleol.errors import CaleolError, ValidationError
from caleol.fr import parse_decimal
from caleol.rules.ceilings import CeilingTable, Financing, Zone
from caleol.rules.evaluation import DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import MAX_AGE, Household, Member, Role, age_on
from caleol.rules.solvency import SolvencyPolicy
from caleol.rules.typology import Adaptation, Typology

MAX_DOCUMENT_BYTES = 1_000_000
MAX_MONEY = Decimal(1_000_000_000)
MAX_MEMBERS = 30
CENTS = Decimal("0.01")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
DEPARTMENT_PATTERN = re.compile(r"[0-9]{2,3}|2[ABab]|02[ABab]")

TOP_KEYS = {"date", "dwelling", "household"}
DWELLING_KEYS = {"typology", "financing", "zone", "rent", "charges", "energy", "adaptations"}
HOUSEHOLD_KEYS = {
    "members", "monthly_resources", "resources_stable", "housing_aid",
    "reference_tax_income", "payment_guarantee", "dalo", "application_date", "department",
    "reference_tax_income_year", "tax_income_n1_requested",
}
MEMBER_KEYS = {"role", "age", "birth_date", "disabled", "visiting_rights"}

T = TypeVar("T")
D = TypeVar("D")  # a field's default
class _Missing(Enum):
    """No default: the field is required."""

    MISSING = auto()


_MISSING = _Missing.MISSING


@dataclass(frozen=True)
class EvaluationRequest:
    on: date
    file: HouseholdFile
    dwelling: DwellingTerms


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


class _Reader:
    """Collects every problem with its path instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{path} : {message}")

    def obj(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.fail(path, f"objet JSON attendu, reçu {_kind(value)}")
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
                self.fail(path, f"« {_short(value)} » n'est pas un montant")
                return None
        else:
            self.fail(path, f"montant attendu (nombre ou texte), reçu {_kind(value)}")
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
            self.fail(path, f"année attendue (ex. 2024), reçu {_kind(value)}")
            return None
        if not 1990 <= value <= 2100:
            self.fail(path, f"année hors limites ({value})")
            return None
        return value

    def boolean(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.fail(path, f"booléen attendu (true ou false), reçu {_kind(value)}")
            return None
        return value

    def age(self, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"âge en années entières attendu, reçu {_kind(value)}")
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
                self.fail(path, f"texte attendu, reçu {_kind(value)}")
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


def _kind(value: Any) -> str:
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


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def parse_request(document: Any) -> EvaluationRequest:
    """Validated request from a decoded JSON document.

    Raises:
        ValidationError: listing every problem found, with its path.
    """
    r = _Reader()
    top = r.obj(document, "document", TOP_KEYS)
    if top is None:
        raise ValidationError("Document d'évaluation invalide.", details=r.problems)
    on = r.field(top, "date", "document", r.iso_date)
    dwelling = _dwelling(r, top)
    file = _household_file(r, top, on)
    if r.problems or on is None or dwelling is None or file is None:
        raise ValidationError("Document d'évaluation invalide.", details=r.problems)
    return EvaluationRequest(on=on, file=file, dwelling=dwelling)


def _dwelling(r: _Reader, top: dict[str, Any]) -> DwellingTerms | None:
    raw = r.field(top, "dwelling", "document", lambda v, p: r.obj(v, p, DWELLING_KEYS))
    if raw is None:
        return None
    p = "dwelling"
    typology = r.field(raw, "typology", p, r.choice(Typology.parse))
    financing = r.field(raw, "financing", p, r.choice(Financing.parse))
    zone = r.field(raw, "zone", p, r.choice(Zone.parse))
    rent = r.field(raw, "rent", p, r.money)
    charges = r.field(raw, "charges", p, r.money)
    energy = r.field(raw, "energy", p, r.money)
    adaptations = r.field(raw, "adaptations", p, lambda v, path: _adaptations(r, v, path), ())
    if (typology is None or financing is None or zone is None or rent is None
            or charges is None or energy is None or adaptations is None):
        return None
    return DwellingTerms(typology, financing, zone, rent, charges, energy, adaptations)


def _adaptations(r: _Reader, value: Any, path: str) -> tuple[Adaptation, ...] | None:
    if not isinstance(value, list):
        r.fail(path, f"liste attendue, reçu {_kind(value)}")
        return None
    convert = r.choice(Adaptation.parse)
    items = [convert(item, f"{path}[{i}]") for i, item in enumerate(value)]
    read = tuple(item for item in items if item is not None)
    return read if len(read) == len(items) else None


def _household_file(r: _Reader, top: dict[str, Any], on: date | None) -> HouseholdFile | None:
    raw = r.field(top, "household", "document", lambda v, p: r.obj(v, p, HOUSEHOLD_KEYS))
    if raw is None:
        return None
    p = "household"
    household = r.field(raw, "members", p, lambda v, path: _household(r, v, path, on))
    resources = r.field(raw, "monthly_resources", p, r.money)
    stable = r.field(raw, "resources_stable", p, r.boolean)
    aid = r.field(raw, "housing_aid", p, r.money, Decimal("0.00"))
    income = r.field(raw, "reference_tax_income", p, r.whole_euros)
    guarantee = r.field(raw, "payment_guarantee", p, r.boolean, False)
    dalo = r.field(raw, "dalo", p, r.boolean, False)
    applied = r.field(raw, "application_date", p, r.iso_date)
    department = r.field(raw, "department", p, r.department)
    income_year = r.field(raw, "reference_tax_income_year", p, r.year, None)
    n1_requested = r.field(raw, "tax_income_n1_requested", p, r.boolean, False)
    if (household is None or resources is None or stable is None or aid is None
            or income is None or guarantee is None or dalo is None or applied is None
            or department is None or n1_requested is None
            or r.failed("household.reference_tax_income_year")):
        return None
    return HouseholdFile(
        household=household,
        monthly_resources=resources,
        resources_stable=stable,
        housing_aid=aid,
        reference_tax_income=income,
        payment_guarantee=guarantee,
        dalo=dalo,
        application_date=applied,
        department=department,
        reference_tax_income_year=income_year,
        tax_income_n1_requested=n1_requested,
    )


def _household(r: _Reader, value: Any, path: str, on: date | None) -> Household | None:
    if not isinstance(value, list):
        r.fail(path, f"liste des membres attendue, reçu {_kind(value)}")
        return None
    if not value:
        r.fail(path, "le ménage ne comporte aucun membre")
        return None
    if len(value) > MAX_MEMBERS:
        r.fail(path, f"plus de {MAX_MEMBERS} membres : ménage invraisemblable")
        return None
    members = [_member(r, item, f"{path}[{i}]", on) for i, item in enumerate(value)]
    read = tuple(m for m in members if m is not None)
    if len(read) != len(members):
        return None
    try:
        return Household(read)
    except ValidationError as exc:
        for detail in exc.details or [exc.message]:
            r.fail(path, detail.rstrip("."))
        return None


def _member(r: _Reader, value: Any, path: str, on: date | None) -> Member | None:
    raw = r.obj(value, path, MEMBER_KEYS)
    if raw is None:
        return None
    role = r.field(raw, "role", path, r.choice(_parse_role))
    disabled = r.field(raw, "disabled", path, r.boolean, False)
    visiting = r.field(raw, "visiting_rights", path, r.boolean, False)
    age: int | None
    if "age" in raw and "birth_date" in raw:
        r.fail(path, "donnez « age » ou « birth_date », pas les deux")
        return None
    if "birth_date" in raw:
        birth = r.field(raw, "birth_date", path, r.iso_date)
        if birth is None or on is None:
            return None
        if birth > on:
            r.fail(f"{path}.birth_date", "date de naissance postérieure à la date d'examen")
            return None
        age = age_on(birth, on)
    else:
        age = r.field(raw, "age", path, r.age)
    if role is None or age is None or disabled is None or visiting is None:
        return None
    return Member(role, age, disabled, visiting)


def _parse_role(text: str) -> Role:
    try:
        return Role(text.strip())
    except ValueError:
        known = ", ".join(item.value for item in Role)
        raise ValidationError(f"rôle inconnu « {_short(text)} » (attendu : {known})") from None


def evaluate_document(
    document: Any,
    table: CeilingTable | None = None,
    policy: SolvencyPolicy | None = None,
) -> dict[str, Any]:
    """Decoded input document → output document `{"checks": {name: {...}}}`."""
    request = parse_request(document)
    checks = evaluate_candidate(request.on, request.file, request.dwelling, table, policy)
    return {"checks": {name: result.to_json() for name, result in checks.items()}}
