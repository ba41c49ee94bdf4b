"""What the dwelling and demande editors share.

One way to validate: an editor turns its form into the cells of a CSV row and lets
the CSV importer's parser (`caleol.services.imports`) read it, so a value typed in a
form and the same value in a file are accepted or refused alike, with the same French
message. The messages come back keyed by the form's field names (`FormError`), every
bad field at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from caleol import fr
from caleol.db.models import Commune, Department
from caleol.db.models.demande import name_sort_key
from caleol.errors import ConcurrentModificationError, FormError
from caleol.rules.nir import NIR_FIELD_MESSAGE, contains_nir
from caleol.services.imports.csvfile import CsvRow
from caleol.services.imports.report import ImportReport
from caleol.services.territory.resolve import dataset_in_force


@dataclass(frozen=True)
class Choice:
    """A value offered by an editor's combo box or list, and its French label."""

    value: str
    label: str


def commune_choices(db: Session) -> tuple[Choice, ...]:
    """The communes the editors offer, by name: INSEE code → « Metz (57000) ».

    The stored communes, plus those of the territory reference in the départements
    already stored (the agencies' ones from the setup, those of imported dwellings):
    a commune picked there is created on save (`caleol.services.territory.resolve`).
    Not every commune of France: 35 000 entries take seconds to fill a combo box.
    """
    labels = {c.insee_code: f"{c.name} ({c.postal_code or c.insee_code})"
              for c in db.exec(select(Commune))}
    departments = set(db.exec(select(Department.code)))
    reference = dataset_in_force(db).communes.values() if departments else ()
    for ref in reference:
        if ref.insee not in labels and ref.department in departments:
            labels[ref.insee] = f"{ref.name} ({ref.postal_code or ref.insee})"
    return tuple(Choice(code, label) for code, label in
                 sorted(labels.items(), key=lambda item: (name_sort_key(item[1], ''), item[0])))


class Problems:
    """Field → French message(s), gathered before anything is written."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        message = message[:1].upper() + message[1:]
        if field in self.fields:
            if message not in self.fields[field].split("\n"):
                self.fields[field] += "\n" + message
        else:
            self.fields[field] = message

    def add_report(self, report: ImportReport, column_fields: Mapping[str, str],
                   headers: Mapping[str, str]) -> None:
        """The importer's errors (keyed by CSV header) moved onto the form's fields."""
        column_of = {header: column for column, header in headers.items()}
        for problem in report.errors:
            self.add(column_fields.get(column_of.get(problem.column, ""), ""), problem.message)

    def check_nir(self, field: str, *texts: str) -> None:
        if any(contains_nir(text) for text in texts):
            self.add(field, NIR_FIELD_MESSAGE)

    def raise_if_any(self) -> None:
        """Raises `FormError` with every message gathered (nothing has been written)."""
        if self.fields:
            raise FormError(self.fields)


def csv_row(cells: Mapping[str, str]) -> CsvRow:
    """A form's values as the importer reads a line (stripped, as `CsvReader` gives them)."""
    return CsvRow(line=0, cells={k: v.strip() for k, v in cells.items()}, extra=0, missing=0)


def yes_no(flag: bool | None) -> str:
    """A check box as a cell; None (unknown) as an empty cell."""
    return "" if flag is None else ("oui" if flag else "non")


def money_text(cents: int | None) -> str:
    """Cents as the editor shows them: `1 234,56` (what `cells.money_cents` reads back)."""
    return "" if cents is None else fr.format_decimal(Decimal(cents) / 100)


def date_text(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def check_version(stored: int | None, expected: int | None, what: str) -> None:
    """Raises `ConcurrentModificationError` when the record changed since it was loaded."""
    if stored != expected:
        raise ConcurrentModificationError(what)
