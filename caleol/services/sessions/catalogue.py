"""What the séance screens offer in their choice lists: commissions with their members,
the reasons of the catalogue, the réservataires.

Plain frozen records, read in one transaction each. The reasons come from
`services.reference.list_reasons` (the Référentiels screen's own read), keeping the
active ones in the catalogue's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import col, select

from caleol.db.engine import session_scope
from caleol.db.models import Commission, CommissionMember, Reservataire
from caleol.services.reference import ReasonInfo, list_reasons


@dataclass(frozen=True)
class MemberChoice:
    id: int
    name: str
    deliberative: bool
    substitute_for: str = ""  # the titular member a substitute replaces (display name)


@dataclass(frozen=True)
class CommissionChoice:
    id: int
    name: str
    remote_allowed: bool
    # the active members, who can be convened: titular members first, then substitutes
    # (convened by name, in place of an absent titular)
    members: tuple[MemberChoice, ...]


@dataclass(frozen=True)
class ReservataireChoice:
    id: int
    code: str
    name: str
    proposal_delay_days: int


def commission_choices(engine: Engine, *, active_only: bool = False
                       ) -> tuple[CommissionChoice, ...]:
    """Every commission (`active_only`: those that may hold a new séance)."""
    with session_scope(engine) as db:
        query = select(Commission).order_by(col(Commission.name))
        if active_only:
            query = query.where(col(Commission.active))
        rows = db.exec(query).all()
        members = db.exec(select(CommissionMember).where(col(CommissionMember.active))
                          .order_by(col(CommissionMember.id))).all()
        names = {m.id: m.display_name for m in db.exec(select(CommissionMember))}
        return tuple(
            CommissionChoice(
                c.id or 0, c.name, c.remote_sessions_allowed,
                tuple(MemberChoice(m.id or 0, m.display_name, m.deliberative,
                                   names.get(m.substitute_for_id, "") if m.substitute_for_id
                                   else "")
                      for m in sorted(members, key=lambda m: m.substitute_for_id is not None)
                      if m.commission_id == c.id))
            for c in rows)


def active_reasons(engine: Engine) -> tuple[ReasonInfo, ...]:
    """The reasons a decision can cite now (withdrawn ones stay only in past decisions)."""
    return tuple(sorted((r for r in list_reasons(engine) if r.active),
                        key=lambda r: (r.position, r.code)))


def reservataire_choices(engine: Engine) -> tuple[ReservataireChoice, ...]:
    with session_scope(engine) as db:
        rows = db.exec(select(Reservataire).order_by(col(Reservataire.name))).all()
        return tuple(ReservataireChoice(r.id or 0, r.code, r.name, r.proposal_delay_days)
                     for r in rows)
