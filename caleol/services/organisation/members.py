"""Commission members and their substitutes: create, edit, deactivate.

A member who has sat in a séance keeps the name, civility, capacity and votes the
séance recorded: past minutes are rendered from them. To replace such a member, add
a new one and deactivate the old. A substitute (`substitute_for`) is a member linked
to the titular member they replace; they are convened by name, never by default.
At most one active titular member of a commission holds the casting vote.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.models import Attendance, Commission, CommissionMember, Reservataire
from caleol.db.models.enums import MemberCapacity
from caleol.errors import CaleolError, FormError
from caleol.services.editing.common import Problems
from caleol.services.organisation.common import (
    assign,
    commission_by_code,
    gone,
    refuse_if_referred,
    reservataire_by_code,
)
from caleol.services.organisation.fields import clean_civility, clean_code, clean_text
from caleol.services.organisation.records import MemberRecord

# what a séance recorded about a member (see module doc)
SAT_FIELDS = ("civility", "name", "capacity", "deliberative", "casting_vote")


def member_record(db: Session, row: CommissionMember) -> MemberRecord:
    commission = db.get(Commission, row.commission_id)
    reservataire = db.get(Reservataire, row.reservataire_id) if row.reservataire_id else None
    titular = db.get(CommissionMember, row.substitute_for_id) if row.substitute_for_id else None
    return MemberRecord(
        commission.code if commission else "", row.member_key, row.name, row.capacity,
        row.civility, row.deliberative, row.casting_vote,
        reservataire.code if reservataire else "", titular.member_key if titular else "",
        row.active, row.id or 0)


def commission_members(db: Session, commission_id: int) -> list[CommissionMember]:
    return list(db.exec(select(CommissionMember).where(
        CommissionMember.commission_id == commission_id).order_by(col(CommissionMember.id))))


def member_by_key(db: Session, commission_id: int, key: str) -> CommissionMember | None:
    """The member whose code (or, for one without code, « M<id> ») is `key`."""
    members = commission_members(db, commission_id)
    return next((m for m in members if m.code == key), None) or next(
        (m for m in members if m.member_key == key), None)


def list_members(engine: Engine, commission_code: str) -> tuple[MemberRecord, ...]:
    """The members of a commission, titular and substitutes, in the order entered."""
    with session_scope(engine) as db:
        commission = commission_by_code(db, commission_code)
        if commission is None:
            raise CaleolError(f"Commission « {commission_code} » inconnue.")
        return tuple(member_record(db, m) for m in commission_members(db, commission.id or 0))


def has_sat(db: Session, row: CommissionMember) -> bool:
    return db.exec(select(Attendance.id).where(Attendance.member_id == row.id)).first() \
        is not None


def save_member_in(db: Session, record: MemberRecord, *, link_substitute: bool = True
                   ) -> CommissionMember:
    """Create (`id` 0) or update a member (without the commission-wide checks: see
    `check_commission_members`).

    Args:
        link_substitute: also resolve `substitute_for` now (the setup file links
            substitutes once every member of the file exists).

    Raises:
        FormError: unknown commission, bad or duplicate code, empty name, unknown
            civility, capacity or réservataire, a casting vote without a deliberative
            vote, a réservataire with a deliberative vote, a bad substitute link, a
            change to what a séance recorded about the member.
    """
    problems = Problems()
    commission = commission_by_code(db, record.commission_code.strip())
    if commission is None:
        problems.add("commission_code", f"Commission « {record.commission_code} » inconnue.")
        problems.raise_if_any()
    assert commission is not None
    code = clean_code(problems, "code", record.code, "du membre") if record.code.strip() \
        else ""
    values: dict[str, Any] = {  # the row's columns
        "civility": clean_civility(problems, "civility", record.civility),
        "name": clean_text(problems, "name", record.name, "Le nom du membre", required=True),
        "capacity": record.capacity,
        "deliberative": record.deliberative,
        "casting_vote": record.casting_vote,
        "active": record.active,
    }
    if record.capacity not in {c.value for c in MemberCapacity}:
        known = ", ".join(c.value for c in MemberCapacity)
        problems.add("capacity", f"Qualité « {record.capacity} » inconnue ({known}).")
    if record.casting_vote and not record.deliberative:
        problems.add("casting_vote", "La voix prépondérante suppose une voix délibérative.")
    reservataire_id = None
    if record.reservataire_code.strip():
        reservataire = reservataire_by_code(db, record.reservataire_code.strip())
        if reservataire is None:
            problems.add("reservataire_code",
                         f"Réservataire « {record.reservataire_code.strip()} » inconnu.")
        else:
            reservataire_id = reservataire.id
    if record.capacity == MemberCapacity.RESERVATAIRE.value:
        if not record.reservataire_code.strip():
            problems.add("reservataire_code", "Indiquez le réservataire que ce membre "
                                              "représente.")
        if record.deliberative:
            problems.add("deliberative", "Un réservataire siège avec voix consultative, pour "
                                         "son contingent (R441-9 CCH).")
    values["reservataire_id"] = reservataire_id
    row = db.get(CommissionMember, record.id) if record.id else None
    if record.id and row is None:
        raise gone("ce membre")
    if row is not None and row.commission_id != commission.id:
        problems.add("commission_code", "Un membre ne change pas de commission : ajoutez-le "
                                        "à l'autre commission.")
    if code:
        clash = member_by_key(db, commission.id or 0, code)
        if clash is not None and clash.id != record.id:
            problems.add("code", f"Le code « {code} » est déjà celui de "
                                 f"{clash.display_name} dans cette commission.")
        values["code"] = code
    if row is not None and has_sat(db, row):
        changed = [f for f in SAT_FIELDS if getattr(row, f) != values[f]]
        if changed:
            problems.add(changed[0], f"{row.display_name} a siégé en séance : son nom, sa "
                                     "qualité et ses voix restent ceux que les procès-verbaux "
                                     "citent. Ajoutez un nouveau membre et désactivez celui-ci.")
    if link_substitute:
        values["substitute_for_id"] = _titular_id(db, problems, commission, record, row)
    if record.substitute_for.strip() and record.casting_vote:
        problems.add("casting_vote", "La voix prépondérante est portée par le membre "
                                     "titulaire ; son suppléant l'exerce en son absence.")
    problems.raise_if_any()
    if row is None:
        row = CommissionMember(commission_id=commission.id or 0, **values)
        db.add(row)
        db.flush()
        if not row.code:
            row.code = f"M{row.id}"
            db.add(row)
    elif assign(row, **values):
        db.add(row)
    return row


def _titular_id(db: Session, problems: Problems, commission: Commission,
                record: MemberRecord, row: CommissionMember | None) -> int | None:
    key = record.substitute_for.strip()
    if not key:
        return None
    titular = member_by_key(db, commission.id or 0, key)
    if titular is None:
        problems.add("substitute_for", f"Membre titulaire « {key} » inconnu dans "
                                       f"« {commission.name} ».")
        return None
    if (row is not None and titular.id == row.id) or key == record.code.strip():
        problems.add("substitute_for", "Un membre ne peut pas être son propre suppléant.")
        return None
    if titular.substitute_for_id is not None:
        problems.add("substitute_for", f"{titular.display_name} est lui-même suppléant : "
                                       "rattachez le suppléant au membre titulaire.")
        return None
    return titular.id


def link_substitute_in(db: Session, row: CommissionMember, titular_key: str) -> None:
    """Set (or clear, with "") the titular member `row` replaces.

    Raises:
        FormError: on `substitute_for`, as `save_member_in`.
    """
    problems = Problems()
    commission = db.get(Commission, row.commission_id)
    assert commission is not None
    record = MemberRecord(commission.code, row.code or "", row.name, row.capacity,
                          substitute_for=titular_key, id=row.id or 0)
    titular_id = _titular_id(db, problems, commission, record, row)
    if titular_key.strip() and row.casting_vote:
        problems.add("casting_vote", "La voix prépondérante est portée par le membre "
                                     "titulaire ; son suppléant l'exerce en son absence.")
    problems.raise_if_any()
    if assign(row, substitute_for_id=titular_id):
        db.add(row)


def commission_member_problems(db: Session, commission: Commission) -> list[str]:
    """What is wrong with a commission's members as a whole (empty: nothing)."""
    members = commission_members(db, commission.id or 0)
    casting = [m for m in members if m.active and m.casting_vote]
    problems: list[str] = []
    if len(casting) > 1:
        problems.append(f"« {commission.name} » : un seul membre actif a la voix "
                        "prépondérante (ici : "
                        + ", ".join(m.display_name for m in casting) + ").")
    by_id = {m.id: m for m in members}
    for member in members:
        titular = by_id.get(member.substitute_for_id)
        if titular is not None and titular.substitute_for_id is not None:
            problems.append(f"« {commission.name} » : {member.display_name} supplée "
                            f"{titular.display_name}, lui-même suppléant.")
    return problems


def check_commission_members(db: Session, commission: Commission) -> None:
    """Raises `FormError` (on `casting_vote`) when `commission_member_problems` finds any."""
    db.flush()
    problems = commission_member_problems(db, commission)
    if problems:
        raise FormError({"casting_vote": "\n".join(problems)})


def save_member(engine: Engine, record: MemberRecord) -> MemberRecord:
    """Create or update a member and check its commission (one transaction)."""
    with session_scope(engine) as db:
        row = save_member_in(db, record)
        commission = db.get(Commission, row.commission_id)
        assert commission is not None
        check_commission_members(db, commission)
        return member_record(db, row)


def set_member_active(engine: Engine, member_id: int, active: bool) -> MemberRecord:
    """A member who leaves is deactivated; past séances keep them."""
    with session_scope(engine) as db:
        row = db.get(CommissionMember, member_id)
        if row is None:
            raise gone("ce membre")
        if assign(row, active=active):
            db.add(row)
        commission = db.get(Commission, row.commission_id)
        assert commission is not None
        check_commission_members(db, commission)
        return member_record(db, row)


def delete_member(engine: Engine, member_id: int) -> None:
    """Delete a member entered by mistake.

    Raises:
        CaleolError: the member was convened to a séance, presided one, holds a proxy,
            or has substitutes.
    """
    with session_scope(engine) as db:
        row = db.get(CommissionMember, member_id)
        if row is None:
            return
        refuse_if_referred(db, row, f"le membre « {row.display_name} »")
        db.delete(row)
