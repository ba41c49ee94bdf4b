"""Who issues a document, from the organisation records: the landlord's name,
address and logo, the agency's name, address and contact (phone, e-mail).

The records are what a landlord enters (Paramètres › Organisation, `caleol setup`);
a contact left empty is simply not printed. An old database without a landlord row
falls back on the « Nom du bailleur » setting while it exists.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Commission, CommissionSession, Landlord
from caleol.errors import CaleolError
from caleol.services.documents.data import Letterhead
from caleol.settings import Settings

POSTCODE_CITY = re.compile(r"\b\d{5}\s+(.+?)\s*$")


def city_of(address: str) -> str:
    """`4 rue de la Mayenne, 57000 Metz` → `Metz` (empty when there is no postcode)."""
    match = POSTCODE_CITY.search(address.replace("\n", ", "))
    return match[1] if match else ""


def address_lines(address: str) -> str:
    """One line per part: the postcode and city go on their own line."""
    return re.sub(r",\s*(?=\d{5}\b)", "\n", address)


def _letterhead(landlord: Landlord | None, agency: Agency | None, settings: Settings,
                fallback_agency: str = "", fallback_city: str = "") -> Letterhead:
    address = agency.address if agency else ""
    return Letterhead(
        landlord=landlord.name if landlord else getattr(settings, "landlord_name", ""),
        agency=(agency.name if agency else settings.agency) or fallback_agency,
        address=address_lines(address),
        city=city_of(address) or fallback_city,
        landlord_address=address_lines(landlord.address) if landlord else "",
        logo=landlord.logo if landlord and landlord.logo else None,
        phone=(agency.phone if agency and agency.phone else
               landlord.phone if landlord else ""),
        email=(agency.email if agency and agency.email else
               landlord.email if landlord else ""),
    )


def _landlord_of(db: Session, agency: Agency | None) -> Landlord | None:
    if agency is not None and agency.landlord_id:
        return db.get(Landlord, agency.landlord_id)
    return db.exec(select(Landlord).order_by(col(Landlord.id))).first()


def letterhead_for(engine: Engine, session_id: int, settings: Settings | None = None
                   ) -> Letterhead:
    """Landlord and agency of the séance's commission.

    Raises:
        CaleolError: no such séance.
    """
    settings = settings or Settings()
    with session_scope(engine) as db:
        row = db.get(CommissionSession, session_id)
        if row is None:
            raise CaleolError(f"Séance n° {session_id} introuvable.")
        commission = db.get(Commission, row.commission_id)
        agency = db.get(Agency, commission.agency_id) if commission and commission.agency_id \
            else None
        return _letterhead(_landlord_of(db, agency), agency, settings,
                           fallback_agency=commission.name if commission else "",
                           fallback_city=city_of(row.place))


def organisation_letterhead(engine: Engine, settings: Settings | None = None) -> Letterhead:
    """The landlord, and the agency of this workstation (setting « Agence », by name or
    code) when there is one: for documents that belong to no séance."""
    settings = settings or Settings()
    with session_scope(engine) as db:
        agency = None
        if settings.agency:
            wanted = settings.agency.strip().casefold()
            agency = next((a for a in db.exec(select(Agency)).all()
                           if wanted in (a.name.casefold(), a.code.casefold())
                           or a.name.casefold().endswith(f" {wanted}")), None)
        return _letterhead(_landlord_of(db, agency), agency, settings)
