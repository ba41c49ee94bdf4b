"""What every organisation module shares: change-only writes, lookups by code, and
the refusal to delete what something else refers to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from caleol.db.models import Agency, Commission, Department, Epci, Reservataire
from caleol.db.typed import Stored, stored_id, table_of
from caleol.errors import CaleolError
from caleol.fr import counted
from caleol.services.territory.resolve import TerritoryResolver

# French names of what refers to a row, singular and plural: by the referring column
# (« table.column ») when a table refers to the same row in two ways, else by table
_REFERRERS = {
    "agency": ("agence", "agences"),
    "agenda_item": ("logement à l'ordre du jour d'une séance",
                    "logements à l'ordre du jour d'une séance"),
    "attendance": ("présence en séance", "présences en séance"),
    "attendance.proxy_member_id": ("pouvoir détenu en séance", "pouvoirs détenus en séance"),
    "candidacy": ("candidature", "candidatures"),
    "commission": ("commission", "commissions"),
    "commission.agency_id": ("commission dont elle est l'agence d'en-tête",
                             "commissions dont elle est l'agence d'en-tête"),
    "commission_agency": ("commission qui couvre cette agence",
                          "commissions qui couvrent cette agence"),
    "commission_member": ("membre de commission", "membres de commission"),
    "commission_member.substitute_for_id": ("suppléant", "suppléants"),
    "commission_session": ("séance", "séances"),
    "commission_session.president_member_id": ("séance présidée", "séances présidées"),
    "commune": ("commune", "communes"),
    "decision": ("décision", "décisions"),
    "decision.casting_vote_member_id": ("voix prépondérante exercée",
                                        "voix prépondérantes exercées"),
    "demande": ("demande", "demandes"),
    "dwelling": ("logement", "logements"),
    "epci": ("EPCI", "EPCI"),
    "qpv": ("QPV", "QPV"),
    "quartile_threshold": ("seuil de premier quartile", "seuils de premier quartile"),
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


def referrers(db: Session, row: Stored, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """« 3 logements », one per table whose foreign keys point at `row`."""
    table = table_of(type(row))
    found: list[str] = []
    for other in SQLModel.metadata.sorted_tables:
        if other.name in ignore:
            continue
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            count = db.execute(sa_select(func.count()).select_from(other).where(
                fk.parent == stored_id(row))).scalar_one()
            if count:
                singular, plural = _REFERRERS.get(
                    f"{other.name}.{fk.parent.name}",
                    _REFERRERS.get(other.name, (other.name, other.name)))
                found.append(counted(count, singular, plural))
    return found


def refuse_if_referred(db: Session, row: Stored, what: str, *,
                       ignore: tuple[str, ...] = ()) -> None:
    """Raises `CaleolError` (French) when anything refers to `row`: deactivate it instead.

    `what` names the record with its article (« l'agence « Agence de Metz » »); the
    sentence has no participle agreeing with it, so it is right whatever its gender.
    """
    found = referrers(db, row, ignore=ignore)
    if found:
        verb = "y fait" if len(found) == 1 and found[0].startswith("1 ") else "y font"
        listed = found[0] if len(found) == 1 else f"{', '.join(found[:-1])} et {found[-1]}"
        raise CaleolError(
            f"Impossible de supprimer {what} : {listed} {verb} référence. Rien de ce "
            "qu'une séance ou un dossier cite n'est supprimé : désactivez plutôt la fiche "
            "(« Activer / désactiver ») ; elle ne sera plus proposée et rien ne sera effacé.")


def gone(what: str) -> CaleolError:
    return CaleolError(f"{what[:1].upper()}{what[1:]} n'existe plus dans la base (suppression "
                       "faite entre-temps) ; rechargez la liste.")


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
