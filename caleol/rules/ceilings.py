"""Dated resource-ceiling tables and the ceiling check.

Decisions documented once here:

* **Which table.** The ceilings are revalued every 1 January by arrêté. The table in
  force for an examination is the one of the examination date's year whose
  `effective_from` is on or before that date (a mid-year table imported by the user
  applies from its date). A table of an earlier year is never used: a missing table
  gives `unknown` with the table to import, never a silent pass on old values.
* **Which income.** The *revenu fiscal de référence* of year n-2 (the tax notice
  received in n-1; n-1 when the household asks for it) of everyone in the household,
  compared to the ceiling of year n; a notice of another year is `unknown`, never
  compared (`rules.tax_notice`). Income equal to the ceiling passes (« n'excèdent
  pas », R441-1 CCH).
* **PLAI adapté** uses the PLAI ceilings.
* **PLS** ceilings are the PLUS ceilings × 1.3 (PLS rules of the CCH). Unless PLS rows
  are imported, every column of the PLUS row (categories 1-6 and the amount per extra
  person) is multiplied by 1.3 and rounded to the nearest euro, halves up, which
  reproduces the published PLS tables; the extra persons are then added as usual.
* **PLI / LLI** have their own tables (no shipped values: loadable) and their own
  categories (`Household.intermediate_category`).
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from importlib import resources
from pathlib import Path

from caleol.errors import ValidationError, os_error_reason
from caleol.fr import format_money, format_percent
from caleol.rules.household import Household
from caleol.rules.result import CheckResult, Status
from caleol.rules.tax_notice import REFERENCE as TAX_NOTICE_REFERENCE
from caleol.rules.tax_notice import expected_income_year, income_year_problem, notice_text

CSV_NAME = "plafonds-ressources.csv"
CSV_COLUMNS = (
    "financing", "zone", "effective_from",
    "cat1", "cat2", "cat3", "cat4", "cat5", "cat6", "per_extra_person", "source",
)
PLS_FACTOR = Decimal("1.3")
REFERENCE = "Arrêté du 29 juillet 1987, annexe I ; art. R441-1 CCH"
REFERENCE_INTERMEDIATE = "CGI annexe III, art. 2 terdecies D (plafonds du logement intermédiaire)"


class Financing(StrEnum):
    PLAI = "PLAI"
    PLAI_ADAPTE = "PLAI adapté"
    PLUS = "PLUS"
    PLS = "PLS"
    PLI = "PLI"
    LLI = "LLI"

    @property
    def table(self) -> Financing:
        """The financing whose ceiling table applies (PLAI adapté → PLAI)."""
        return Financing.PLAI if self is Financing.PLAI_ADAPTE else self

    @property
    def is_intermediate(self) -> bool:
        return self in (Financing.PLI, Financing.LLI)

    @classmethod
    def parse(cls, text: str) -> Financing:
        """Accepts the value (`PLAI adapté`) or the name (`PLAI_ADAPTE`), any case.

        Raises:
            ValidationError: unknown financing.
        """
        wanted = text.strip().casefold()
        for item in cls:
            if wanted in (item.value.casefold(), item.name.casefold()):
                return item
        known = ", ".join(item.value for item in cls)
        raise ValidationError(f"Financement inconnu « {text} » (attendu : {known}).")


class Zone(StrEnum):
    PARIS_ET_LIMITROPHES = "paris_et_limitrophes"
    ILE_DE_FRANCE_HORS_PARIS = "ile_de_france_hors_paris"
    AUTRES_REGIONS = "autres_regions"
    # Départements d'outre-mer: outside the arrêté's three zones (caleol.rules.zones).
    OUTRE_MER = "outre_mer"

    @property
    def label(self) -> str:
        return {
            "paris_et_limitrophes": "Paris et communes limitrophes",
            "ile_de_france_hors_paris": "Île-de-France hors Paris et communes limitrophes",
            "autres_regions": "autres régions",
            "outre_mer": "outre-mer",
        }[self.value]

    @classmethod
    def parse(cls, text: str) -> Zone:
        """Raises `ValidationError` for an unknown zone."""
        for item in cls:
            if text.strip() == item.value:
                return item
        known = ", ".join(item.value for item in cls)
        raise ValidationError(f"Zone inconnue « {text} » (attendu : {known}).")


@dataclass(frozen=True)
class CeilingRow:
    """One yearly table line: categories 1-6 and the amount per extra person (euros)."""

    financing: Financing
    zone: Zone
    effective_from: date
    categories: tuple[int, int, int, int, int, int]
    per_extra_person: int
    source: str = ""

    @property
    def key(self) -> tuple[Financing, Zone, date]:
        return (self.financing, self.zone, self.effective_from)

    def amount(self, category: int, extra: int) -> int:
        return self.categories[category - 1] + extra * self.per_extra_person


def _six(amounts: Sequence[int]) -> tuple[int, int, int, int, int, int]:
    """The six household categories' amounts (ValueError unless there are six)."""
    c1, c2, c3, c4, c5, c6 = amounts
    return c1, c2, c3, c4, c5, c6


def _times_pls_factor(amount: int) -> int:
    return int((Decimal(amount) * PLS_FACTOR).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def derive_pls_row(plus: CeilingRow) -> CeilingRow:
    """PLS = PLUS × 1.3, each column rounded to the euro (halves up)."""
    return CeilingRow(
        financing=Financing.PLS,
        zone=plus.zone,
        effective_from=plus.effective_from,
        categories=_six([_times_pls_factor(a) for a in plus.categories]),
        per_extra_person=_times_pls_factor(plus.per_extra_person),
        source=f"PLUS × 1,3 ({plus.source})" if plus.source else "PLUS × 1,3",
    )


@dataclass(frozen=True)
class CeilingTable:
    """Immutable set of rows, keyed by (financing, zone, effective_from)."""

    rows: tuple[CeilingRow, ...] = ()

    def merged(self, rows: Iterable[CeilingRow]) -> CeilingTable:
        """A new table where `rows` (e.g. imported by the user) replace same-key rows."""
        by_key = {row.key: row for row in self.rows}
        for row in rows:
            by_key[row.key] = row
        return CeilingTable(tuple(sorted(by_key.values(), key=_sort_key)))

    def row_for(self, financing: Financing, zone: Zone, on: date) -> CeilingRow | None:
        """The row in force on `on`: same year, latest `effective_from` ≤ `on`.

        PLS without imported rows is derived from the PLUS row (× 1.3).
        """
        wanted = financing.table
        found = [row for row in self._by_year.get((wanted, zone, on.year), ())
                 if row.effective_from <= on]
        if found:
            return max(found, key=lambda row: row.effective_from)
        if wanted is Financing.PLS:
            plus = self.row_for(Financing.PLUS, zone, on)
            return derive_pls_row(plus) if plus else None
        return None

    @cached_property
    def _by_year(self) -> dict[tuple[Financing, Zone, int], tuple[CeilingRow, ...]]:
        """Rows by financing, zone and year, built once: a séance looks one up per candidate."""
        index: dict[tuple[Financing, Zone, int], list[CeilingRow]] = {}
        for row in self.rows:
            index.setdefault((row.financing, row.zone, row.effective_from.year), []).append(row)
        return {key: tuple(rows) for key, rows in index.items()}

    def ceiling_for(
        self, financing: Financing, zone: Zone, category: int, extra: int, on: date
    ) -> int | None:
        """Ceiling in euros, or None when no table of that year is loaded."""
        if not 1 <= category <= 6 or extra < 0 or (extra and category != 6):
            raise ValueError(f"bad category {category} + {extra}")
        row = self.row_for(financing, zone, on)
        return row.amount(category, extra) if row else None

    def years(self, financing: Financing, zone: Zone) -> tuple[int, ...]:
        return tuple(sorted({
            r.effective_from.year for r in self.rows
            if r.financing is financing.table and r.zone is zone
        }))


def _sort_key(row: CeilingRow) -> tuple[str, str, date]:
    return (row.financing.value, row.zone.value, row.effective_from)


def parse_ceiling_csv(text: str, origin: str = "table de plafonds") -> tuple[CeilingRow, ...]:
    """Rows of a ceiling CSV (the shipped file's columns; `source` optional).

    Raises:
        ValidationError: listing every bad line (French, with line numbers).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in CSV_COLUMNS if c != "source" and c not in header]
    if missing:
        raise ValidationError(
            f"{origin} : colonnes manquantes : {', '.join(missing)} "
            f"(attendu : {', '.join(CSV_COLUMNS)})."
        )
    rows: list[CeilingRow] = []
    problems: list[str] = []
    for line, record in enumerate(reader, start=2):
        try:
            rows.append(_row_from_record(record))
        except (ValidationError, ValueError) as exc:
            message = exc.message if isinstance(exc, ValidationError) else str(exc)
            problems.append(f"ligne {line} : {message}")
    if problems:
        raise ValidationError(f"{origin} : lignes invalides.", details=problems)
    return tuple(rows)


def _row_from_record(record: dict[str, str | None]) -> CeilingRow:
    def cell(name: str) -> str:
        return (record.get(name) or "").strip()

    try:
        effective_from = date.fromisoformat(cell("effective_from"))
    except ValueError:
        raise ValidationError(
            f"date d'effet « {cell('effective_from')} » invalide (AAAA-MM-JJ)"
        ) from None
    amounts: list[int] = []
    for name in ("cat1", "cat2", "cat3", "cat4", "cat5", "cat6", "per_extra_person"):
        text = cell(name)
        if not text.isdigit():
            raise ValidationError(f"{name} « {text} » n'est pas un montant entier en euros")
        amounts.append(int(text))
    return CeilingRow(
        financing=Financing.parse(cell("financing")).table,  # PLAI adapté rows are PLAI
        zone=Zone.parse(cell("zone")),
        effective_from=effective_from,
        categories=_six(amounts[:6]),
        per_extra_person=amounts[6],
        source=cell("source"),
    )


def load_ceiling_table(path: Path | str | None = None) -> CeilingTable:
    """The shipped table (package data) or the CSV at `path`."""
    if path is None:
        text = (resources.files("caleol") / "resources" / CSV_NAME).read_text("utf-8")
        origin = CSV_NAME
    else:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError(f"Impossible de lire {path} : {os_error_reason(exc)}.") from None
        except UnicodeDecodeError:
            raise ValidationError(f"{path} n'est pas un fichier texte UTF-8.") from None
        origin = str(path)
    return CeilingTable().merged(parse_ceiling_csv(text, origin))


@functools.cache
def shipped_ceiling_table() -> CeilingTable:
    """The shipped table, read once per process (tables are immutable)."""
    return load_ceiling_table()


def _euros(amount: int) -> str:
    return format_money(amount, places=0)


def check_ceiling(
    household: Household,
    financing: Financing,
    zone: Zone,
    reference_tax_income: int | None,
    on: date,
    table: CeilingTable,
    income_year: int | None = None,
    n1_requested: bool = False,
) -> CheckResult:
    """Revenu fiscal de référence n-2 (n-1 at the household's request) against the
    ceiling in force on `on`.

    Args:
        income_year: the year of the incomes of the tax notice (the notice is of the
            year after); any other year than the expected one, or None, gives
            `unknown` (`rules.tax_notice`).
        n1_requested: the household asks for its incomes of year n-1 to be taken.
    """
    if reference_tax_income is not None and reference_tax_income < 0:
        raise ValidationError("Le revenu fiscal de référence ne peut pas être négatif.")
    intermediate = financing.is_intermediate
    if intermediate:
        category, extra = household.intermediate_category()
        basis = household.summary()
        reference = REFERENCE_INTERMEDIATE
    else:
        category, extra = household.ceiling_category()
        basis = f"{household.summary()} : {household.ceiling_category_reason()}"
        reference = REFERENCE
    year = on.year
    expected_year = expected_income_year(year, n1_requested)
    figures: dict[str, object] = {
        "category": category,
        "extra_persons": extra,
        "ceiling": None,
        "income": reference_tax_income,
        "year": year,
        "income_year": expected_year,
        "notice_income_year": income_year,
        "n1_requested": n1_requested,
        "financing": financing.value,
        "zone": zone.value,
    }
    category_text = f"Ménage de catégorie {category}"
    if extra:
        category_text += f" + {extra} personne{'s' if extra > 1 else ''} supplémentaire" + (
            "s" if extra > 1 else ""
        )
    category_text += f" ({basis})."
    table_name = financing.table.value
    row = table.row_for(financing, zone, on)
    if row is None:
        # a plain statement of what was missing: the text reaches the household too
        # (access request), so it never tells the office what to do
        missing = (f"la table des plafonds {table_name} {year} (zone {zone.label}, arrêté "
                   "annuel de revalorisation) n'était pas disponible")
        if financing.table is Financing.PLS:
            missing = (f"ni la table des plafonds PLS {year} ni la table PLUS {year}, dont "
                       f"elle se déduit (× 1,3), n'étaient disponibles (zone {zone.label}, "
                       "arrêté annuel de revalorisation)")
        explanation = (f"{category_text} Le plafond de ressources n'a pas pu être "
                       f"vérifié : {missing}.")
        return CheckResult("ceiling", Status.UNKNOWN, explanation, reference, figures)
    ceiling = row.amount(category, extra)
    figures["ceiling"] = ceiling
    figures["table_effective_from"] = row.effective_from
    arithmetic = f"{_euros(row.categories[category - 1])} (catégorie {category})"
    if extra:
        arithmetic += (
            f" + {extra} × {_euros(row.per_extra_person)} (par personne supplémentaire)"
            f" = {_euros(ceiling)}"
        )
    derived = ""
    if financing is Financing.PLS and row.source.startswith("PLUS × 1,3"):
        derived = " (plafonds PLUS × 1,3 arrondis à l'euro)"
    ceiling_text = (
        f" Plafond {financing.value} {year}{derived}, zone {zone.label} : {arithmetic}."
    )
    which = "n-1, à la demande du ménage" if n1_requested else "n-2"
    if reference_tax_income is None:
        explanation = (
            f"{category_text}{ceiling_text} Revenu fiscal de référence de "
            f"l'{notice_text(expected_year)}, année {which}, non renseigné : le plafond ne "
            "peut pas être vérifié."
        )
        return CheckResult("ceiling", Status.UNKNOWN, explanation, reference, figures)
    problem = income_year_problem(income_year, year, n1_requested)
    if problem is not None:
        explanation = (
            f"{category_text}{ceiling_text} Revenu fiscal de référence déclaré : "
            f"{_euros(reference_tax_income)}. {problem}"
        )
        return CheckResult("ceiling", Status.UNKNOWN, explanation,
                           f"{reference} ; {TAX_NOTICE_REFERENCE}", figures)
    income_text = (
        f" Revenu fiscal de référence de l'{notice_text(expected_year)}, année {which}, "
        f"de l'ensemble du ménage : {_euros(reference_tax_income)}"
    )
    if reference_tax_income <= ceiling:
        status = Status.PASS
        verdict = f" ≤ {_euros(ceiling)} : plafond respecté."
    else:
        status = Status.FAIL
        over = reference_tax_income - ceiling
        verdict = (
            f" > {_euros(ceiling)} : plafond dépassé de {_euros(over)} "
            f"({format_percent(Decimal(over) / ceiling)})."
        )
    explanation = f"{category_text}{ceiling_text}{income_text}{verdict}"
    return CheckResult("ceiling", status, explanation, reference, figures)
