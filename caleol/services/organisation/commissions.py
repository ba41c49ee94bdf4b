"""Commissions: create, edit, deactivate; deleted only while no séance refers to them.

A commission covers one or more agencies (`commission_agency`); the first one listed
is `Commission.agency_id`, whose name and address head the commission's documents.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Agency, Commission, CommissionAgency, CommissionMember, Epci
from caleol.errors import CaleolError, ValidationError
from caleol.services.editing.common import Problems
from caleol.services.organisation.common import (
    agency_by_code,
    assign,
    commission_by_code,
    epci_by_siren,
    gone,
    referrers,
    refuse_if_referred,
)
from caleol.services.organisation.fields import clean_code, clean_text
from caleol.services.organisation.records import CommissionRecord


def covered_agency_codes(db: Session, row: Commission) -> tuple[str, ...]:
    """The agencies a commission covers, the letterhead's first."""
    links = db.exec(select(Agency).join(
        CommissionAgency, col(CommissionAgency.agency_id) == col(Agency.id)).where(
        CommissionAgency.commission_id == row.id).order_by(col(Agency.code))).all()
    codes = [a.code for a in links]
    head = db.get(Agency, row.agency_id) if row.agency_id else None
    if head is not None:
        codes = [head.code, *(c for c in codes if c != head.code)]
    return tuple(codes)


def commission_record(db: Session, row: Commission) -> CommissionRecord:
    epci = db.get(Epci, row.epci_id) if row.epci_id else None
    return CommissionRecord(
        row.code, row.name, covered_agency_codes(db, row), epci.siren if epci else "",
        row.territory, f"{row.quorum_numerator}/{row.quorum_denominator}",
        row.remote_sessions_allowed, row.active, row.id or 0)


def list_commissions(engine: Engine, *, active_only: bool = False
                     ) -> tuple[CommissionRecord, ...]:
    with session_scope(engine) as db:
        query = select(Commission).order_by(col(Commission.code))
        if active_only:
            query = query.where(col(Commission.active))
        return tuple(commission_record(db, row) for row in db.exec(query))


def _quorum(problems: Problems, text: str) -> Fraction | None:
    # imported here: the séance services import the reference services, which import
    # this package
    from caleol.services.sessions.quorum import parse_fraction

    try:
        return parse_fraction(text)
    except ValidationError as exc:
        problems.add("quorum", exc.message)
        return None


def save_commission_in(db: Session, record: CommissionRecord) -> Commission:
    """Create (`id` 0) or update a commission and the agencies it covers.

    Raises:
        FormError: bad or duplicate `code`, empty `name`, no or unknown agency,
            unknown EPCI, a quorum that is not a fraction in ]0, 1].
        CaleolError: the commission was deleted meanwhile.
    """
    problems = Problems()
    code = clean_code(problems, "code", record.code, "de la commission")
    name = clean_text(problems, "name", record.name, "Le nom de la commission", required=True)
    territory = clean_text(problems, "territory", record.territory, "Le territoire",
                           limit=300)
    fraction = _quorum(problems, record.quorum)
    agencies: list[Agency] = []
    codes = list(dict.fromkeys(c.strip() for c in record.agency_codes if c.strip()))
    if not codes:
        problems.add("agency_codes", "Choisissez au moins une agence couverte par la "
                                     "commission.")
    for agency_code in codes:
        agency = agency_by_code(db, agency_code)
        if agency is None:
            problems.add("agency_codes", f"Agence « {agency_code} » inconnue.")
        else:
            agencies.append(agency)
    epci_id = None
    if record.epci_siren.strip():
        epci = epci_by_siren(db, record.epci_siren.strip())
        if epci is None:
            problems.add("epci_siren", f"EPCI « {record.epci_siren.strip()} » inconnu du "
                                       "référentiel territorial (SIREN de l'EPCI, 9 chiffres).")
        else:
            epci_id = epci.id
    clash = commission_by_code(db, code) if code else None
    if clash is not None and clash.id != record.id:
        problems.add("code", f"Le code « {code} » est déjà celui de « {clash.name} ».")
    problems.raise_if_any()
    assert fraction is not None
    values: dict[str, Any] = {  # the row's columns
        "code": code, "name": name, "territory": territory, "epci_id": epci_id,
        "agency_id": agencies[0].id, "quorum_numerator": fraction.numerator,
        "quorum_denominator": fraction.denominator,
        "remote_sessions_allowed": record.remote_sessions_allowed, "active": record.active,
    }
    if record.id:
        found = db.get(Commission, record.id)
        if found is None:
            raise gone("cette commission")
        row = found
        if assign(row, **values):
            db.add(row)
    else:
        row = Commission(**values)
        db.add(row)
        db.flush()
    _set_agencies(db, row, [a.id or 0 for a in agencies])
    return row


def _set_agencies(db: Session, row: Commission, agency_ids: list[int]) -> None:
    links = {link.agency_id: link for link in db.exec(
        select(CommissionAgency).where(CommissionAgency.commission_id == row.id))}
    for agency_id, link in links.items():
        if agency_id not in agency_ids:
            db.delete(link)
    for agency_id in agency_ids:
        if agency_id not in links:
            db.add(CommissionAgency(commission_id=row.id or 0, agency_id=agency_id))


def save_commission(engine: Engine, record: CommissionRecord) -> CommissionRecord:
    """See `save_commission_in` (one transaction)."""
    with session_scope(engine) as db:
        row = save_commission_in(db, record)
        db.flush()
        return commission_record(db, row)


def set_commission_active(engine: Engine, commission_id: int,
                          active: bool) -> CommissionRecord:
    """Deactivate (or reactivate): no new séance; past séances keep it."""
    with session_scope(engine) as db:
        row = db.get(Commission, commission_id)
        if row is None:
            raise gone("cette commission")
        if assign(row, active=active):
            db.add(row)
        return commission_record(db, row)


def delete_commission(engine: Engine, commission_id: int) -> None:
    """Delete a commission entered by mistake, with its members and agency links.

    Raises:
        CaleolError: a séance, or a séance's record of a member, refers to it.
    """
    with session_scope(engine) as db:
        row = db.get(Commission, commission_id)
        if row is None:
            return
        what = f"la commission « {row.name} »"
        refuse_if_referred(db, row, what, ignore=("commission_agency", "commission_member"))
        members = db.exec(select(CommissionMember).where(
            CommissionMember.commission_id == commission_id)).all()
        for member in members:
            outside = referrers(db, member, ignore=("commission_member",))
            if outside:
                raise CaleolError(
                    f"Impossible de supprimer {what} : ses membres figurent dans des séances "
                    f"({', '.join(outside)}). Désactivez-la (« Activer / désactiver »).")
        for member in sorted(members, key=lambda m: m.substitute_for_id is None):
            db.delete(member)  # substitutes first: they refer to their titular
            db.flush()
        for link in db.exec(select(CommissionAgency).where(
                CommissionAgency.commission_id == commission_id)):
            db.delete(link)
        db.flush()
        db.delete(row)
