"""What every organisation module shares: change-only writes, lookups by code, and
the refusal to delete what something else refers to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from caleol.db.models import Agency, Commission, Department, Epci, Reservataire
from caleol.errors import CaleolError
from caleol.services.territory.resolve import TerritoryResolver

# French names of the tables whose rows refer to another (deletion refusals)
_REFERRERS = {
    "agency": "agence(s)",
    "agenda_item": "logement(s) à l'ordre du jour d'une séance",
    "attendance": "présence(s) en séance",
    "candidacy": "candidature(s)",
    "commission": "commission(s)",
    "commission_agency": "commission(s) qui couvrent cette agence",
    "commission_member": "membre(s) de commission",
    "commission_session": "séance(s)",
    "commune": "commune(s)",
    "decision": "décision(s)",
    "demande": "demande(s)",
    "dwelling": "logement(s)",
    "epci": "EPCI",
    "qpv": "QPV",
    "quartile_threshold": "seuil(s) de premier quartile",
}


def assign(row: SQLModel, **values: Any) -> bool:
    """Set only the attributes whose value differs: an unchanged record writes
    nothing, so it leaves no audit entry (applying a setup file twice is a no-op).

    Returns:
        Whether anything changed.
    """
    changed = False
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed = True
    return changed


def referrers(db: Session, row: SQLModel, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """« 3 logement(s) », one per table whose foreign keys point at `row`."""
    table = row.__table__  # type: ignore[attr-defined]
    found: list[str] = []
    for other in SQLModel.metadata.sorted_tables:
        if other.name in ignore:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            count = db.execute(sa_select(func.count()).select_from(other).where(
                fk.parent == row.id)).scalar_one()  # type: ignore[attr-defined]
            if count:
                found.append(f"{count} {_REFERRERS.get(other.name, other.name)}")
    return found


def refuse_if_referred(db: Session, row: SQLModel, what: str, *,
                       ignore: tuple[str, ...] = ()) -> None:
    """Raises `CaleolError` (French) when anything refers to `row`: deactivate it instead."""
    found = referrers(db, row, ignore=ignore)
    if found:
        raise CaleolError(
            f"{what[:1].upper()}{what[1:]} ne peut pas être supprimé(e) : "
            f"{', '.join(found)} y font référence. Rien de ce qu'une séance ou un dossier "
            "cite n'est supprimé : désactivez-le (« actif » décoché) à la place.")


def gone(what: str) -> CaleolError:
    return CaleolError(f"{what[:1].upper()}{what[1:]} a été supprimé(e) entre-temps ; "
                       "rechargez la liste.")


def agency_by_code(db: Session, code: str) -> Agency | None:
    return db.exec(select(Agency).where(Agency.code == code)).first()


def department_by_code(db: Session, code: str) -> Department | None:
    """The stored département, else the territory reference's (then stored), else None."""
    found = db.exec(select(Department).where(Department.code == code)).first()
    if found is not None or not code:
        return found
    row_id = TerritoryResolver(db).department_id(code)
    return db.get(Department, row_id) if row_id else None


def epci_by_siren(db: Session, siren: str) -> Epci | None:
    """The stored EPCI, else the territory reference's (then stored), else None."""
    found = db.exec(select(Epci).where(Epci.siren == siren)).first()
    if found is not None or not siren:
        return found
    row_id = TerritoryResolver(db).epci_id(siren)
    return db.get(Epci, row_id) if row_id else None


def reservataire_by_code(db: Session, code: str) -> Reservataire | None:
    return db.exec(select(Reservataire).where(Reservataire.code == code)).first()


def commission_by_code(db: Session, code: str) -> Commission | None:
    return db.exec(select(Commission).where(Commission.code == code)).first()
