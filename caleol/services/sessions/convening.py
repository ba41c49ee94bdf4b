"""A séance created and its practical details: date, time, place, form (in person or
remote, as the commission's internal rules allow), secretary, and the members
convened.

Convened members start `absent`: the secretary records who is present when the
séance is held, so the quorum is never reached by default. The convocation changes
only before the séance is opened; its details until it is closed, each save checked
against the version the form was filled from.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import Attendance, Commission, CommissionMember, CommissionSession
from caleol.db.models.enums import AttendanceStatus, SessionKind, SessionStatus
from caleol.errors import ConcurrentModificationError, ValidationError
from caleol.fr import format_date
from caleol.rules.session_times import opening_problem
from caleol.services.sessions.access import PREPARING, session_label, writable_session
from caleol.services.sessions.clock import local_now


def _field_error(field: str, message: str) -> ValidationError:
    """A refusal about one field of the séance form (`NewSessionValues`' names)."""
    return ValidationError(message, fields={field: message})


def _parse_kind(kind: str) -> SessionKind:
    try:
        return SessionKind(kind)
    except ValueError:
        raise ValidationError(
            f"Type de séance inconnu « {kind} » (attendu : physical ou remote)."
        ) from None


def _session_kind(kind: str, commission: Commission) -> SessionKind:
    """The séance's form, as the commission's internal rules allow it."""
    session_kind = _parse_kind(kind)
    if session_kind is SessionKind.REMOTE and not commission.remote_sessions_allowed:
        raise _field_error("kind",
            f"Le règlement intérieur de « {commission.name} » ne prévoit pas de séance "
            "dématérialisée (loi 3DS) : choisissez une séance en présentiel.")
    return session_kind


def _members(db: Session, commission: Commission, wanted: list[int]
             ) -> dict[int | None, CommissionMember]:
    """The commission's members by id; a member id not among them is refused."""
    members = {m.id: m for m in db.exec(select(CommissionMember).where(
        CommissionMember.commission_id == commission.id)).all()}
    unknown = [str(i) for i in wanted if i not in members]
    if unknown:
        raise _field_error("member_ids",
                           f"Membres inconnus de « {commission.name} » : {', '.join(unknown)}.")
    return members


def create_session(
    engine: Engine,
    commission_id: int,
    on: dt.date,
    *,
    place: str = "",
    kind: str = SessionKind.PHYSICAL.value,
    member_ids: list[int] | None = None,
    start_time: dt.time | None = None,
    secretary_name: str = "",
) -> int:
    """A séance in preparation; the convened members get an attendance row each.

    Args:
        member_ids: members convened (default: every active titular member of the
            commission; a substitute is convened by name, when they sit for a titular).

    Returns:
        The new séance id.

    Raises:
        ValidationError: unknown commission or member, remote séance not allowed by
            the commission's internal rules.
    """
    with session_scope(engine) as db:
        commission = db.get(Commission, commission_id)
        if commission is None:
            raise ValidationError(f"Commission n° {commission_id} introuvable.")
        if not commission.active:
            raise ValidationError(
                f"La commission « {commission.name} » est désactivée : elle ne tient plus de "
                "séance (réactivez-la dans les référentiels si elle siège de nouveau).")
        session_kind = _session_kind(kind, commission)
        members = _members(db, commission, member_ids or [])
        if member_ids is None:
            convened = [m for m in members.values()
                        if m.active and m.substitute_for_id is None]
        else:
            convened = [members[i] for i in dict.fromkeys(member_ids)]
        row = CommissionSession(
            commission_id=commission_id, date=on, place=place.strip(),
            kind=session_kind.value, status=SessionStatus.DRAFT.value,
            start_time=start_time, convened_time=start_time,
            secretary_name=secretary_name.strip(),
        )
        db.add(row)
        db.flush()
        assert row.id is not None  # flushed
        for member in convened:
            assert member.id is not None  # read from the database
            db.add(Attendance(session_id=row.id, member_id=member.id,
                              status=AttendanceStatus.ABSENT.value))
        return row.id


def update_session_info(
    engine: Engine,
    session_id: int,
    *,
    on: dt.date | None = None,
    place: str | None = None,
    kind: str | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    secretary_name: str | None = None,
    notes: str | None = None,
    member_ids: list[int] | None = None,
    expected_version: int | None = None,
) -> None:
    """Change the séance's practical details (any status before closing).

    Args:
        member_ids: the members convened (only before the séance is opened: once
            held, attendance is recorded against the convocation). Newly convened
            members start absent; a member no longer convened loses the presidency.
        expected_version: the `version` of the séance the form was filled from; a
            form left open while another workstation saved the séance is refused
            instead of silently overwriting that save.

    Raises:
        ConcurrentModificationError: the séance changed since `expected_version`.
    """
    with session_scope(engine) as db:
        row = writable_session(db, session_id, (*PREPARING, SessionStatus.HELD),
                               "modifier la séance")
        if expected_version is not None and row.version != expected_version:
            raise ConcurrentModificationError("La séance")
        commission = db.get(Commission, row.commission_id)
        if commission is None:
            raise ValidationError(f"Commission n° {row.commission_id} introuvable.")
        if kind is not None:
            row.kind = _session_kind(kind, commission).value
        if on is not None:
            today = local_now().date()
            if row.status == SessionStatus.HELD.value and opening_problem(on, today):
                raise _field_error("on", (
                    f"{session_label(row).capitalize()} est ouverte : elle ne peut pas être "
                    f"datée du {format_date(on)}, jour à venir (nous sommes le "
                    f"{format_date(today)})."))
            row.date = on
        if place is not None:
            row.place = place.strip()
        if start_time is not None:
            row.start_time = start_time
            if row.status != SessionStatus.HELD.value:  # before the opening: the convocation's
                row.convened_time = start_time
        if end_time is not None:
            row.end_time = end_time
        if secretary_name is not None:
            row.secretary_name = secretary_name.strip()
        if notes is not None:
            row.notes = notes
        if member_ids is not None:
            _convene(db, row, commission, member_ids)
        db.add(row)


def _convene(db: Session, row: CommissionSession, commission: Commission,
             member_ids: list[int]) -> None:
    if row.status not in {s.value for s in PREPARING}:
        raise ValidationError(
            f"{session_label(row).capitalize()} est ouverte : les membres convoqués ne "
            "changent plus (enregistrez les présences)."
        )
    wanted = list(dict.fromkeys(member_ids))
    if not wanted:
        raise _field_error("member_ids", "Convoquez au moins un membre de la commission.")
    _members(db, commission, wanted)
    current = {a.member_id: a for a in db.exec(
        select(Attendance).where(Attendance.session_id == row.id)).all()}
    if set(current) == set(wanted):
        return
    for member_id, attendance in current.items():
        if member_id not in wanted:
            db.delete(attendance)
    assert row.id is not None  # read from the database
    for member_id in wanted:
        if member_id not in current:
            db.add(Attendance(session_id=row.id, member_id=member_id,
                              status=AttendanceStatus.ABSENT.value))
    if row.president_member_id not in wanted:
        row.president_member_id = None
    # The convocation is part of the séance: a change bumps its version even when no
    # column of the séance row itself changed (another form open on it must reload).
    flag_modified(row, "notes")
