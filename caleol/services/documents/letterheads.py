"""Who issues a document, from the organisation records: the landlord's name,
address and logo, the agency's name, address and contact (phone, e-mail).

The records are what a landlord enters (the setup assistant, Référentiels, `caleol
setup apply`); a contact left empty is simply not printed. A database with no landlord
recorded produces no document at all: a PV, a letter or an access answer issued by
nobody named is worthless, and a real landlord always has a name to enter (the demo
has one).
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


NO_LANDLORD = ("Aucun bailleur n'est enregistré : les documents portent son nom. "
               "Saisissez le bailleur dans Référentiels (ou par « caleol setup apply »), "
               "puis recommencez.")


def _letterhead(landlord: Landlord | None, agency: Agency | None, settings: Settings,
                fallback_agency: str = "", fallback_city: str = "") -> Letterhead:
    """What a document prints of its issuer; no landlord stops it (`NO_LANDLORD`)."""
    if landlord is None or not landlord.name.strip():
        raise CaleolError(NO_LANDLORD)
    address = agency.address if agency else ""
    return Letterhead(
        landlord=landlord.name,
        agency=(agency.name if agency else settings.agency) or fallback_agency,
        address=address_lines(address),
        city=city_of(address) or fallback_city,
        landlord_address=address_lines(landlord.address),
        logo=landlord.logo or None,
        phone=agency.phone if agency and agency.phone else landlord.phone,
        email=agency.email if agency and agency.email else landlord.email,
    )


def issuing_landlord(engine: Engine) -> str:
    """The landlord's name for a document that has no letterhead of its own (the
    annual, préfet and réservataire reports).

    Raises:
        CaleolError: no landlord recorded (`NO_LANDLORD`).
    """
    with session_scope(engine) as db:
        landlord = _landlord_of(db, None)
        if landlord is None or not landlord.name.strip():
            raise CaleolError(NO_LANDLORD)
        return landlord.name


def _landlord_of(db: Session, agency: Agency | None) -> Landlord | None:
    if agency is not None and agency.landlord_id:
        return db.get(Landlord, agency.landlord_id)
    return db.exec(select(Landlord).order_by(col(Landlord.id))).first()


def letterhead_for(engine: Engine, session_id: int, settings: Settings | None = None
                   ) -> Letterhead:
    """Landlord and agency of the séance's commission.

    Raises:
        CaleolError: no such séance, or no landlord recorded.
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
    code) when there is one: for documents that belong to no séance.

    Raises:
        CaleolError: no landlord recorded.
    """
    settings = settings or Settings()
    with session_scope(engine) as db:
        agency = None
        if settings.agency:
            wanted = settings.agency.strip().casefold()
            agency = next((a for a in db.exec(select(Agency)).all()
                           if wanted in (a.name.casefold(), a.code.casefold())
                           or a.name.casefold().endswith(f" {wanted}")), None)
        return _letterhead(_landlord_of(db, agency), agency, settings)
