"""The JSON document of `caleol evaluate`: strict parsing in, plain JSON out.

Every defect of the input becomes one French line of a `ValidationError` (all found
defects at once, each with its path), never a Python exception: the values are read by
`json_reader` (money, booleans, dates, keys: its choices). Here:

* `reference_tax_income`: whole euros (number or string of digits);
  `reference_tax_income_year`: the year of those incomes (the notice is of the year
  after); without it the ceiling check is `unknown` (`rules.tax_notice`).
* A member gives `age` or `birth_date` (the age is then computed on `date`).
* Optional, with their default: `dwelling.adaptations` ([]), `household.housing_aid`
  ("0"), `payment_guarantee` (false), `dalo` (false), `reference_tax_income_year`
  (null), `tax_income_n1_requested` (false), member `disabled` and `visiting_rights`
  (false).
* `dwelling.energy`: required, but `null` (or 0) says "not estimated", as a dwelling
  imported without its estimate: the solvency check is then `unknown` when it would
  pass hors énergie (`rules.solvency`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from caleol.errors import ValidationError
from caleol.rules.ceilings import CeilingTable, Financing, Zone
from caleol.rules.evaluation import DwellingTerms, HouseholdFile, evaluate_candidate
from caleol.rules.household import Household, Member, Role, age_on
from caleol.rules.json_reader import FieldReader, kind_of, shortened
from caleol.rules.solvency import SolvencyPolicy
from caleol.rules.typology import Adaptation, Typology

MAX_MEMBERS = 30

TOP_KEYS = {"date", "dwelling", "household"}
DWELLING_KEYS = {"typology", "financing", "zone", "rent", "charges", "energy", "adaptations"}
HOUSEHOLD_KEYS = {
    "members", "monthly_resources", "resources_stable", "housing_aid",
    "reference_tax_income", "payment_guarantee", "dalo", "application_date", "department",
    "reference_tax_income_year", "tax_income_n1_requested",
}
MEMBER_KEYS = {"role", "age", "birth_date", "disabled", "visiting_rights"}


@dataclass(frozen=True)
class EvaluationRequest:
    on: date
    file: HouseholdFile
    dwelling: DwellingTerms


def parse_request(document: Any) -> EvaluationRequest:
    """Validated request from a decoded JSON document.

    Raises:
        ValidationError: listing every problem found, with its path.
    """
    r = FieldReader()
    top = r.obj(document, "document", TOP_KEYS)
    if top is None:
        raise ValidationError("Document d'évaluation invalide.", details=r.problems)
    on = r.field(top, "date", "document", r.iso_date)
    dwelling = _dwelling(r, top)
    file = _household_file(r, top, on)
    if r.problems or on is None or dwelling is None or file is None:
        raise ValidationError("Document d'évaluation invalide.", details=r.problems)
    return EvaluationRequest(on=on, file=file, dwelling=dwelling)


def _dwelling(r: FieldReader, top: dict[str, Any]) -> DwellingTerms | None:
    raw = r.field(top, "dwelling", "document", lambda v, p: r.obj(v, p, DWELLING_KEYS))
    if raw is None:
        return None
    p = "dwelling"
    typology = r.field(raw, "typology", p, r.choice(Typology.parse))
    financing = r.field(raw, "financing", p, r.choice(Financing.parse))
    zone = r.field(raw, "zone", p, r.choice(Zone.parse))
    rent = r.field(raw, "rent", p, r.money)
    charges = r.field(raw, "charges", p, r.money)
    energy = r.field(raw, "energy", p, lambda v, path: _energy(r, v, path))
    adaptations = r.field(raw, "adaptations", p, lambda v, path: _adaptations(r, v, path), ())
    if (typology is None or financing is None or zone is None or rent is None
            or charges is None or energy is None or adaptations is None):
        return None
    return DwellingTerms(typology, financing, zone, rent, charges, energy, adaptations)


def _energy(r: FieldReader, value: Any, path: str) -> Decimal | None:
    """null = not estimated, carried as 0 like an imported dwelling (`DwellingTerms`)."""
    return Decimal(0) if value is None else r.money(value, path)


def _adaptations(r: FieldReader, value: Any, path: str) -> tuple[Adaptation, ...] | None:
    if not isinstance(value, list):
        r.fail(path, f"liste attendue, reçu {kind_of(value)}")
        return None
    convert = r.choice(Adaptation.parse)
    items = [convert(item, f"{path}[{i}]") for i, item in enumerate(value)]
    read = tuple(item for item in items if item is not None)
    return read if len(read) == len(items) else None


def _household_file(r: FieldReader, top: dict[str, Any], on: date | None) -> HouseholdFile | None:
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


def _household(r: FieldReader, value: Any, path: str, on: date | None) -> Household | None:
    if not isinstance(value, list):
        r.fail(path, f"liste des membres attendue, reçu {kind_of(value)}")
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


def _member(r: FieldReader, value: Any, path: str, on: date | None) -> Member | None:
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
        raise ValidationError(f"rôle inconnu « {shortened(text)} » (attendu : {known})") from None


def evaluate_document(
    document: Any,
    table: CeilingTable | None = None,
    policy: SolvencyPolicy | None = None,
) -> dict[str, Any]:
    """Decoded input document → output document `{"checks": {name: {...}}}`."""
    request = parse_request(document)
    checks = evaluate_candidate(request.on, request.file, request.dwelling, table, policy)
    return {"checks": {name: result.to_json() for name, result in checks.items()}}
