"""Indicator targets (CUS, CIA…) per year and territory: list, create, edit, delete.

Moved from `services.reference` (which re-exports these names).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Target as TargetRow
from caleol.errors import CaleolError
from caleol.rules.indicators import DEFINITIONS_BY_CODE, Measure
from caleol.services.organisation.common import assign
from caleol.services.organisation.fields import FieldError, check_year


@dataclass(frozen=True)
class TargetInfo:
    """A stored target; rates as fractions (0.25), counts as numbers. `id` 0: new."""

    id: int
    indicator_code: str
    year: int
    value: Decimal
    department_code: str = ""
    epci_code: str = ""
    agency_code: str = ""
    commission_code: str = ""
    source: str = ""

    @property
    def indicator_label(self) -> str:
        definition = DEFINITIONS_BY_CODE.get(self.indicator_code)
        return definition.label if definition else self.indicator_code

    @property
    def is_rate(self) -> bool:
        definition = DEFINITIONS_BY_CODE.get(self.indicator_code)
        return definition is None or definition.measure is Measure.RATE

    @property
    def territory_label(self) -> str:
        parts = [f"dép. {self.department_code}" if self.department_code else "",
                 f"EPCI {self.epci_code}" if self.epci_code else "",
                 f"agence {self.agency_code}" if self.agency_code else "",
                 f"commission {self.commission_code}" if self.commission_code else ""]
        return ", ".join(p for p in parts if p) or "ensemble du patrimoine"


def target_info(row: TargetRow) -> TargetInfo:
    return TargetInfo(row.id or 0, row.indicator_code, row.year, Decimal(row.value),
                      row.department_code, row.epci_code, row.agency_code,
                      row.commission_code, row.source)


def list_targets(engine: Engine, year: int | None = None) -> list[TargetInfo]:
    with session_scope(engine) as session:
        query = select(TargetRow).order_by(col(TargetRow.year).desc(), TargetRow.indicator_code)
        if year is not None:
            query = query.where(TargetRow.year == year)
        return [target_info(r) for r in session.exec(query)]


def find_target(db: Session, indicator_code: str, year: int, department_code: str = "",
                epci_code: str = "", agency_code: str = "",
                commission_code: str = "") -> TargetRow | None:
    """The target of an indicator, year and territory (the setup file's key)."""
    return db.exec(select(TargetRow).where(
        TargetRow.indicator_code == indicator_code, TargetRow.year == year,
        TargetRow.department_code == department_code, TargetRow.epci_code == epci_code,
        TargetRow.agency_code == agency_code,
        TargetRow.commission_code == commission_code)).first()


def save_target_in(db: Session, target: TargetInfo) -> TargetRow:
    """Create (`id` 0) or update a target.

    Raises:
        FieldError: unknown indicator, year out of range, a rate outside 0-100 %, a
            negative count, or the same indicator/year/territory already set.
    """
    definition = DEFINITIONS_BY_CODE.get(target.indicator_code)
    if definition is None:
        raise FieldError("indicator_code", f"Indicateur « {target.indicator_code} » inconnu.")
    check_year(target.year)
    if definition.measure is Measure.RATE and not 0 <= target.value <= 1:
        raise FieldError("value", "Un objectif de taux est compris entre 0 % et 100 %.")
    if definition.measure is Measure.COUNT and target.value < 0:
        raise FieldError("value", "Un objectif en nombre d'attributions ne peut être négatif.")
    territory = dict(department_code=target.department_code.strip(),
                     epci_code=target.epci_code.strip(), agency_code=target.agency_code.strip(),
                     commission_code=target.commission_code.strip())
    clash = find_target(db, target.indicator_code, target.year, **territory)
    if clash is not None and clash.id != target.id:
        raise FieldError("value", "Un objectif existe déjà pour cet indicateur, cette année "
                                  "et ce territoire : modifiez-le plutôt.")
    values: dict[str, Any] = {"indicator_code": target.indicator_code, "year": target.year,
              "value": target.value, **territory, "source": target.source.strip()[:300]}
    if target.id:
        row = db.get(TargetRow, target.id)
        if row is None:
            raise CaleolError("Cet objectif a été supprimé entre-temps ; rechargez la liste.")
        if assign(row, **values):
            db.add(row)
        return row
    row = TargetRow(**values)
    db.add(row)
    db.flush()
    return row


def save_target(engine: Engine, target: TargetInfo) -> TargetInfo:
    """See `save_target_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_target_in(db, target)
        db.flush()
        return target_info(row)


def delete_target(engine: Engine, target_id: int) -> None:
    with session_scope(engine) as session:
        row = session.get(TargetRow, target_id)
        if row is not None:
            session.delete(row)
