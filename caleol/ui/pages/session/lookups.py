"""Small read-only catalogues the séance screens offer in combo boxes.

The session services do not list commissions or the reasons catalogue yet; these
two short reads return plain tuples (no ORM object leaves the transaction).
TODO(lead): move to a `caleol.services` catalogue module when one exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import col, select

from caleol.db.engine import session_scope
from caleol.db.models import Commission, CommissionMember, Reason


@dataclass(frozen=True)
class MemberChoice:
    id: int
    name: str
    deliberative: bool


@dataclass(frozen=True)
class CommissionChoice:
    id: int
    name: str
    remote_allowed: bool
    members: tuple[MemberChoice, ...]


@dataclass(frozen=True)
class ReasonChoice:
    id: int
    code: str
    label: str
    kind: str  # "non_attribution" | "irrecevabilite"


def commissions(engine: Engine) -> tuple[CommissionChoice, ...]:
    with session_scope(engine) as db:
        rows = db.exec(select(Commission).order_by(col(Commission.name))).all()
        members = db.exec(select(CommissionMember).where(col(CommissionMember.active))
                          .order_by(col(CommissionMember.id))).all()
        return tuple(
            CommissionChoice(
                c.id or 0, c.name, c.remote_sessions_allowed,
                tuple(MemberChoice(m.id or 0, m.name, m.deliberative)
                      for m in members if m.commission_id == c.id))
            for c in rows)


def reasons(engine: Engine) -> tuple[ReasonChoice, ...]:
    with session_scope(engine) as db:
        rows = db.exec(select(Reason).where(col(Reason.active))
                       .order_by(col(Reason.position), col(Reason.code))).all()
        return tuple(ReasonChoice(r.id or 0, r.code, r.label, r.kind) for r in rows)
