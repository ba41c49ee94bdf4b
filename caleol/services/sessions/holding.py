"""Holding a séance: attendance, president, quorum, opening, EOL reviews.

The séance is opened on or after its day (`rules.session_times.opening_problem`).
Decisions are recorded by `deciding.py`, only when the quorum computed here is
reached; the casting vote counts only from a member recorded present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import (
    Attendance,
    Commission,
    CommissionMember,
    CommissionSession,
    Dwelling,
    OccupationReview,
)
from caleol.db.models.enums import AttendanceStatus, ReviewMotive, SessionStatus
from caleol.errors import CaleolError, ValidationError
from caleol.rules.session_times import opening_problem
from caleol.services.sessions.access import (
    HOLDING,
    OPEN,
    PREPARING,
    load_session,
    session_label,
    writable_session,
)
from caleol.services.sessions.checks import refresh_session_checks
from caleol.services.sessions.clock import local_now
from caleol.services.sessions.preparation import ready_problems_in
from caleol.services.sessions.quorum import AttendanceRecord, compute_quorum, effective_fraction
from caleol.services.sessions.records import QuorumView
from caleol.settings import Settings


@dataclass(frozen=True)
class AttendanceChange:
    member_id: int
    status: str  # enums.AttendanceStatus value
    proxy_member_id: int | None = None


def _members(db: Session, commission_id: int) -> dict[int, CommissionMember]:
    rows = db.exec(
        select(CommissionMember).where(CommissionMember.commission_id == commission_id)
    ).all()
    return {m.id: m for m in rows if m.id is not None}


def _attendances(db: Session, session_id: int) -> list[Attendance]:
    return list(db.exec(select(Attendance).where(Attendance.session_id == session_id)).all())


def quorum_in(db: Session, row: CommissionSession, settings: Settings) -> QuorumView:
    commission = db.get(Commission, row.commission_id)
    assert commission is not None
    members = _members(db, row.commission_id)
    records = [
        AttendanceRecord(a.member_id, members[a.member_id].deliberative, a.status,
                         a.proxy_member_id)
        for a in _attendances(db, row.id or 0) if a.member_id in members
    ]
    fraction = effective_fraction(
        commission.quorum_numerator, commission.quorum_denominator, settings.quorum_fraction
    )
    return compute_quorum(records, fraction)


def session_quorum(engine: Engine, session_id: int, settings: Settings | None = None) -> QuorumView:
    with session_scope(engine) as db:
        return quorum_in(db, load_session(db, session_id), settings or Settings())


def _attendance_problems(
    rows: dict[int, Attendance], members: dict[int, CommissionMember]
) -> list[tuple[int, str]]:
    """(member id, French problem) of every inconsistency of the attendance."""
    problems: list[tuple[int, str]] = []
    holders: dict[int, int] = {}
    for member_id, row in rows.items():
        name = members[member_id].name
        if row.status == AttendanceStatus.REPRESENTED.value:
            proxy = row.proxy_member_id
            if proxy is None:
                problems.append((member_id, f"{name} est représenté(e) : indiquez qui "
                                            "détient son pouvoir."))
                continue
            if proxy == member_id:
                problems.append((member_id, f"{name} ne peut pas détenir son propre pouvoir."))
                continue
            holder = rows.get(proxy)
            if holder is None or holder.status != AttendanceStatus.PRESENT.value:
                who = members[proxy].name if proxy in members else f"n° {proxy}"
                problems.append((member_id,
                    f"Le pouvoir de {name} est confié à {who}, qui doit être présent(e)."
                ))
            elif members[member_id].deliberative and not members[proxy].deliberative:
                problems.append((member_id,
                    f"Le pouvoir de {name} (voix délibérative) doit être confié à un membre à "
                    f"voix délibérative, pas à {members[proxy].name}."
                ))
            if proxy in holders:
                problems.append((member_id,
                    f"{members[proxy].name} détient déjà un pouvoir : un seul pouvoir par membre."
                ))
            holders[proxy] = member_id
        elif row.proxy_member_id is not None:
            problems.append((member_id,
                             f"{name} n'est pas représenté(e) : pas de pouvoir à indiquer."))
    return problems


def _attendance_error(problems: list[tuple[int, str]]) -> ValidationError:
    """Every problem listed, and keyed by member (`member_<id>`) for the form."""
    fields: dict[str, str] = {}
    for member_id, text in problems:
        key = f"member_{member_id}"
        fields[key] = f"{fields[key]} {text}" if key in fields else text
    return ValidationError("Présences incohérentes :", details=[t for _, t in problems],
                           fields=fields)


def record_attendance(
    engine: Engine, session_id: int, changes: Iterable[AttendanceChange],
    settings: Settings | None = None,
) -> QuorumView:
    """Record presences, representations (with the proxy holder) and absences.

    A member of the commission who was not convened gets an attendance row. The
    whole resulting attendance is validated (proxy holders present, one proxy each).

    Returns:
        The quorum after the change.
    """
    with session_scope(engine) as db:
        row = writable_session(db, session_id, OPEN, "enregistrer les présences")
        members = _members(db, row.commission_id)
        rows = {a.member_id: a for a in _attendances(db, session_id)}
        for change in changes:
            if change.member_id not in members:
                raise ValidationError(
                    f"Le membre n° {change.member_id} n'appartient pas à cette commission."
                )
            try:
                status = AttendanceStatus(change.status)
            except ValueError:
                raise ValidationError(
                    f"Présence inconnue « {change.status} » (present, represented, absent)."
                ) from None
            attendance = rows.get(change.member_id) or Attendance(
                session_id=session_id, member_id=change.member_id
            )
            attendance.status = status.value
            attendance.proxy_member_id = change.proxy_member_id
            rows[change.member_id] = attendance
        problems = _attendance_problems(rows, members)
        if problems:
            raise _attendance_error(problems)
        for attendance in rows.values():
            db.add(attendance)
        president = row.president_member_id
        if president is not None and rows.get(president) is not None and (
            rows[president].status != AttendanceStatus.PRESENT.value
        ):
            row.president_member_id = None
            db.add(row)
        db.flush()
        return quorum_in(db, row, settings or Settings())


def set_president(engine: Engine, session_id: int, member_id: int | None) -> None:
    """The president of the séance: a deliberative member recorded present."""
    with session_scope(engine) as db:
        row = writable_session(db, session_id, OPEN, "désigner le président de séance")
        if member_id is not None:
            member = db.get(CommissionMember, member_id)
            attendance = db.exec(
                select(Attendance).where(Attendance.session_id == session_id,
                                         Attendance.member_id == member_id)
            ).first()
            if member is None or member.commission_id != row.commission_id:
                raise ValidationError(
                    f"Le membre n° {member_id} n'appartient pas à cette commission."
                )
            if not member.deliberative:
                raise ValidationError(
                    f"{member.name} n'a qu'une voix consultative : seul un membre à voix "
                    "délibérative peut présider la séance."
                )
            if attendance is None or attendance.status != AttendanceStatus.PRESENT.value:
                raise ValidationError(
                    f"{member.name} : présence non enregistrée ; seul un membre présent "
                    "peut présider la séance."
                )
        row.president_member_id = member_id
        db.add(row)


def start_session(
    engine: Engine, session_id: int, settings: Settings | None = None, *,
    now: dt.datetime | None = None,
) -> None:
    """Open the séance (ready → held), on or after its day: the checks are taken one
    last time. Opened on its day, the clock is its start time (what happened, not the
    time planned); opened later (a séance held on paper), the planned time stays a
    suggestion. The times are confirmed at the closing either way (`close_session`).

    Args:
        now: the clock (tests, the demo); default: the computer's.

    Raises:
        ValidationError: before the séance's day, the séance is not ready or no
            longer passes the three-candidate rule.
    """
    local = local_now(now)
    with session_scope(engine) as db:
        row = writable_session(db, session_id, (SessionStatus.READY,), "ouvrir la séance")
        too_early = opening_problem(row.date, local.date())
        if too_early:
            raise ValidationError(too_early, fields={"date": too_early})
        problems = ready_problems_in(db, row)
        if problems:
            raise ValidationError(
                f"{session_label(row).capitalize()} ne peut pas être ouverte :", details=problems
            )
        refresh_session_checks(db, session_id, settings or Settings())
        row.status = SessionStatus.HELD.value
        if local.date() == row.date:
            row.start_time = local.time().replace(second=0, microsecond=0)
        db.add(row)


def casting_holders_in(db: Session, row: CommissionSession) -> list[CommissionMember]:
    """The members present who hold the casting vote (L441-2 CCH: one, normally)."""
    members = _members(db, row.commission_id)
    return [
        members[a.member_id] for a in _attendances(db, row.id or 0)
        if a.member_id in members and a.status == AttendanceStatus.PRESENT.value
        and members[a.member_id].casting_vote
    ]


def record_occupation_review(
    engine: Engine,
    session_id: int,
    motive: str,
    *,
    opinion: str = "",
    proposal: str = "",
    tenant_reference: str = "",
    tenant_name: str = "",
    dwelling_id: int | None = None,
    review_id: int | None = None,
) -> int:
    """Add (or, with `review_id`, update) an EOL occupation review and its opinion."""
    try:
        review_motive = ReviewMotive(motive)
    except ValueError:
        known = ", ".join(m.value for m in ReviewMotive)
        raise ValidationError(f"Motif d'examen inconnu « {motive} » (attendu : {known}).") from None
    with session_scope(engine) as db:
        writable_session(db, session_id, (*PREPARING, *HOLDING),
                         "enregistrer un examen d'occupation")
        if dwelling_id is not None and db.get(Dwelling, dwelling_id) is None:
            raise ValidationError(f"Logement n° {dwelling_id} introuvable.")
        if review_id is not None:
            review = db.get(OccupationReview, review_id)
            if review is None or review.session_id != session_id:
                raise CaleolError(f"Examen d'occupation n° {review_id} introuvable.")
        else:
            review = OccupationReview(session_id=session_id, motive=review_motive.value)
        review.motive = review_motive.value
        review.opinion = opinion.strip()
        review.proposal = proposal.strip()
        review.tenant_reference = tenant_reference.strip()
        review.tenant_name = tenant_name.strip()
        review.dwelling_id = dwelling_id
        db.add(review)
        db.flush()
        assert review.id is not None
        return review.id
