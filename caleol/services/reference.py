"""Reading and editing the reference tables (Référentiels screen, one transaction per call).

The GUI never holds a database session: each function opens its own transaction and
returns plain frozen records. Bad input raises `ValidationError` whose message is
French and whose `field` says which form field it belongs to, so a dialog can put the
message next to that field.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlmodel import col, select

from caleol import fr
from caleol.db.engine import session_scope
from caleol.db.models import (
    Agency,
    CeilingRow,
    Commission,
    Department,
    Epci,
    QuartileThreshold,
)
from caleol.errors import ValidationError
from caleol.rules.ceilings import Financing, Zone

# Moved to caleol.services.organisation; the Référentiels screen still imports them here.
from caleol.services.organisation.catalogue import (
    CriterionInfo,
    ReasonInfo,
    list_criteria,
    list_reasons,
    save_criterion,
    save_reason,
    set_criterion_active,
)
from caleol.services.organisation.fields import MAX_YEAR, MIN_YEAR, FieldError, check_year
from caleol.services.organisation.targets import (
    TargetInfo,
    delete_target,
    list_targets,
    save_target,
)
from caleol.services.organisation.templates import (
    TemplateInfo,
    list_templates,
    reset_template,
    save_template,
    user_template_dir,
)
from caleol.services.territory.csv_text import csv_text

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "CriterionInfo",
    "FieldError",
    "ReasonInfo",
    "TargetInfo",
    "TemplateInfo",
    "delete_target",
    "list_criteria",
    "list_reasons",
    "list_targets",
    "list_templates",
    "reset_template",
    "save_criterion",
    "save_reason",
    "save_target",
    "save_template",
    "set_criterion_active",
    "user_template_dir",
]


def parse_decimal(text: str, field: str, what: str) -> Decimal:
    """`fr.parse_decimal` whose failure is a `FieldError` on `field`.

    Raises:
        FieldError: the text is empty or not a finite number.
    """
    if not text.strip():
        raise FieldError(field, f"Indiquez {what}.")
    try:
        return fr.parse_decimal(text)
    except ValueError as exc:
        raise FieldError(field, f"{exc}.") from None


# --- territory ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class TerritoryChoices:
    """What the territory filters offer, codes as `rules.indicators.Territory` uses them."""

    departments: tuple[Choice, ...]
    epcis: tuple[Choice, ...]
    agencies: tuple[Choice, ...]
    commissions: tuple[Choice, ...]


def territory_choices(engine: Engine) -> TerritoryChoices:
    with session_scope(engine) as session:
        return TerritoryChoices(
            departments=tuple(Choice(d.code, f"{d.code} — {d.name}") for d in
                              session.exec(select(Department).order_by(Department.code))),
            epcis=tuple(Choice(e.siren, e.name) for e in
                        session.exec(select(Epci).order_by(Epci.name))),
            agencies=tuple(Choice(a.code, a.name) for a in
                           session.exec(select(Agency).order_by(Agency.name))),
            commissions=tuple(Choice(c.code, c.name) for c in
                              session.exec(select(Commission).order_by(Commission.name))),
        )


# --- ceilings ----------------------------------------------------------------------------

CEILING_COLUMNS = ("financement", "zone", "date_effet", "cat1", "cat2", "cat3", "cat4",
                   "cat5", "cat6", "par_personne_supp", "source")


@dataclass(frozen=True)
class CeilingInfo:
    id: int
    financing: str
    zone: str
    effective_from: date
    amounts: tuple[int, ...]  # cat1..cat6 then per extra person, whole euros per year
    source: str
    imported: bool

    @property
    def zone_label(self) -> str:
        try:
            return Zone(self.zone).label
        except ValueError:
            return self.zone


def list_ceilings(engine: Engine) -> list[CeilingInfo]:
    """Shipped and imported rows, newest year first."""
    with session_scope(engine) as session:
        rows = session.exec(select(CeilingRow).order_by(
            col(CeilingRow.effective_from).desc(), CeilingRow.financing, CeilingRow.zone))
        return [
            CeilingInfo(r.id or 0, r.financing, r.zone, r.effective_from,
                        (r.cat1, r.cat2, r.cat3, r.cat4, r.cat5, r.cat6, r.per_extra),
                        r.source, r.imported)
            for r in rows
        ]


def _ceiling_from_csv(line: int, row: dict[str, str]) -> dict[str, Any]:
    """A CeilingRow's columns from one line of the file."""
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    financing = cell("financement")
    if financing not in {f.value for f in Financing}:
        known = ", ".join(f.value for f in Financing)
        raise ValidationError(f"Ligne {line} : financement « {financing} » inconnu ({known}).")
    zone = cell("zone")
    if zone not in {z.value for z in Zone}:
        known = ", ".join(z.value for z in Zone)
        raise ValidationError(f"Ligne {line} : zone « {zone} » inconnue ({known}).")
    try:
        effective = date.fromisoformat(cell("date_effet"))
    except ValueError:
        raise ValidationError(f"Ligne {line} : date d'effet « {cell('date_effet')} » invalide "
                              "(AAAA-MM-JJ).") from None
    check_year(effective.year)
    amounts: dict[str, int] = {}
    for name, attr in (("cat1", "cat1"), ("cat2", "cat2"), ("cat3", "cat3"), ("cat4", "cat4"),
                       ("cat5", "cat5"), ("cat6", "cat6"), ("par_personne_supp", "per_extra")):
        text = cell(name).replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if not text.isdigit() or len(text) > 9:
            raise ValidationError(f"Ligne {line} : « {name} » doit être un montant entier en "
                                  f"euros (lu : « {cell(name)} »).")
        amounts[attr] = int(text)
    cats = [amounts[f"cat{i}"] for i in range(1, 7)]
    if cats != sorted(cats):
        raise ValidationError(f"Ligne {line} : les plafonds doivent croître de la catégorie 1 "
                              "à la catégorie 6.")
    return {"financing": financing, "zone": zone, "effective_from": effective,
            "source": cell("source")[:300], **amounts}


def import_ceilings_csv(engine: Engine, data: bytes) -> int:
    """Merge a ceiling table (CSV, `;` or `,`) into the user's rows; all or nothing.

    A row with the same financing, zone and effective date as an existing one
    replaces its amounts (and marks it imported); others are added.

    Returns:
        The number of rows written.

    Raises:
        ValidationError: every bad line listed in `details`; nothing is written.
    """
    text = csv_text(data)
    dialect = ";" if text.splitlines()[0].count(";") >= text.splitlines()[0].count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=dialect)
    missing = [c for c in CEILING_COLUMNS[:-1] if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError("Colonnes manquantes : " + ", ".join(missing) + ".",
                              details=["Colonnes attendues : " + "; ".join(CEILING_COLUMNS)])
    parsed: list[dict[str, Any]] = []
    errors: list[str] = []
    for number, row in enumerate(reader, start=2):
        try:
            parsed.append(_ceiling_from_csv(number, row))
        except ValidationError as exc:
            errors.append(exc.message)
    if errors:
        raise ValidationError(f"Table non importée : {fr.counted(len(errors), 'ligne')} en "
                              "erreur.",
                              details=errors[:50])
    if not parsed:
        raise ValidationError("Le fichier ne contient aucune ligne de plafonds.")
    with session_scope(engine) as session:
        for values in parsed:
            existing = session.exec(select(CeilingRow).where(
                col(CeilingRow.financing) == values["financing"],
                col(CeilingRow.zone) == values["zone"],
                col(CeilingRow.effective_from) == values["effective_from"])).first()
            ceiling = existing or CeilingRow(**values)
            for key, value in values.items():
                setattr(ceiling, key, value)
            ceiling.imported = True
            session.add(ceiling)
    return len(parsed)


# --- quartile thresholds --------------------------------------------------------------------


@dataclass(frozen=True)
class QuartileInfo:
    id: int
    epci_code: str
    epci_name: str
    year: int
    threshold: Decimal  # euros per consumption unit per year
    source: str


def list_quartiles(engine: Engine) -> list[QuartileInfo]:
    with session_scope(engine) as session:
        rows = session.exec(
            select(QuartileThreshold, Epci).join(Epci, col(QuartileThreshold.epci_id) == Epci.id)
            .order_by(col(QuartileThreshold.year).desc(), Epci.name))
        return [QuartileInfo(q.id or 0, e.siren, e.name, q.year,
                             Decimal(q.threshold_cents) / 100, q.source) for q, e in rows]


def save_quartile(engine: Engine, epci_code: str, year: int, threshold: Decimal,
                  source: str = "") -> QuartileInfo:
    """Create or replace the EPCI's first-quartile threshold for the year.

    Raises:
        FieldError: unknown EPCI, year out of range, threshold not positive.
    """
    check_year(year)
    if threshold <= 0 or threshold >= Decimal(1_000_000):
        raise FieldError("threshold", "Le seuil doit être un montant positif "
                                      "(euros par unité de consommation et par an).")
    cents = int((threshold * 100).to_integral_value())
    with session_scope(engine) as session:
        epci = session.exec(select(Epci).where(Epci.siren == epci_code)).first()
        if epci is None or epci.id is None:
            raise FieldError("epci_code", f"EPCI « {epci_code} » inconnu.")
        row = session.exec(select(QuartileThreshold).where(
            QuartileThreshold.epci_id == epci.id, QuartileThreshold.year == year)).first()
        row = row or QuartileThreshold(epci_id=epci.id, year=year, threshold_cents=cents)
        row.threshold_cents = cents
        row.source = source.strip()[:300]
        session.add(row)
        session.flush()
        return QuartileInfo(row.id or 0, epci.siren, epci.name, year,
                            Decimal(cents) / 100, row.source)
