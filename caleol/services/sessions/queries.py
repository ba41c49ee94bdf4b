"""Reading séances: the list and one séance in full (plain records)."""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlalchemy import exc as sa_exc
from sqlmodel import Session, col, select

from caleol.db.engine import session_scope
from caleol.db.errors import translate_db_error
from caleol.db.models import (
    AgendaItem,
    Attendance,
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    Decision,
    Dwelling,
    OccupationReview,
    Reason,
    Rectification,
    Reservataire,
    SignedDocument,
)
from caleol.db.models.enums import ReviewMotive, SessionStatus
from caleol.errors import ValidationError
from caleol.services.session_list import SESSIONS_SQL, read_sessions
from caleol.services.sessions.access import load_session
from caleol.services.sessions.agenda_rows import agenda_rows
from caleol.services.sessions.holding import quorum_in
from caleol.services.sessions.records import (
    AgendaItemState,
    AttendanceState,
    AttendanceView,
    OccupationReviewView,
    RectificationView,
    SessionDetail,
    SessionSummary,
    SignedDocumentView,
)
from caleol.services.sessions.views import agenda_item_view, attendance_view
from caleol.settings import Settings


def _counts(db: Session, session_id: int) -> tuple[int, int, int]:
    """Dwellings, candidates and decisions of one séance (its workspace's header)."""
    dwellings = db.exec(select(func.count(col(AgendaItem.id)))
                        .where(col(AgendaItem.session_id) == session_id)).one()
    candidacies = db.exec(
        select(func.count(col(Candidacy.id)))
        .join(AgendaItem, col(Candidacy.agenda_item_id) == col(AgendaItem.id))
        .where(col(AgendaItem.session_id) == session_id)).one()
    decisions = db.exec(
        select(func.count(col(Decision.id)))
        .join(Candidacy, col(Decision.candidacy_id) == col(Candidacy.id))
        .join(AgendaItem, col(Candidacy.agenda_item_id) == col(AgendaItem.id))
        .where(col(AgendaItem.session_id) == session_id)).one()
    return dwellings, candidacies, decisions


def _summary(
    row: CommissionSession, commission: str, counts: tuple[int, int, int]
) -> SessionSummary:
    status = SessionStatus(row.status)
    return SessionSummary(
        id=row.id or 0, commission_id=row.commission_id, commission=commission, date=row.date,
        place=row.place, kind=row.kind, status=status.value,
        dwellings=counts[0], candidacies=counts[1], decisions=counts[2],
        version=row.version or 0,
    )


def list_sessions(
    engine: Engine, *, status: str | None = None, commission_id: int | None = None
) -> tuple[SessionSummary, ...]:
    """Séances, most recent first: the Séances list's one reading (`read_sessions`,
    one query), here on a connection of the engine, filtered for the CLI."""
    if status is not None and status not in set(SessionStatus):
        known = ", ".join(s.value for s in SessionStatus)
        raise ValidationError(f"Statut inconnu « {status} » (attendu : {known}).")
    dbapi_error = engine.dialect.loaded_dbapi.Error
    connection = engine.raw_connection()
    try:
        rows = read_sessions(connection)
    except dbapi_error as exc:  # the driver's own: said in French as any other
        wrapped = sa_exc.DBAPIError.instance(SESSIONS_SQL, None, exc, dbapi_error)
        raise (translate_db_error(wrapped) or wrapped) from exc
    finally:
        connection.close()
    return tuple(r for r in rows if (status is None or r.status == status)
                 and (commission_id is None or r.commission_id == commission_id))


def _members(db: Session, commission_id: int) -> dict[int | None, CommissionMember]:
    return {
        m.id: m for m in db.exec(
            select(CommissionMember).where(CommissionMember.commission_id == commission_id)
        ).all()
    }


def _attendance_in(db: Session, row: CommissionSession,
                   members: dict[int | None, CommissionMember]) -> tuple[AttendanceView, ...]:
    return tuple(
        attendance_view(members[a.member_id], a.status, members.get(a.proxy_member_id))
        for a in db.exec(select(Attendance).where(Attendance.session_id == row.id)
                         .order_by(col(Attendance.member_id))).all()
        if a.member_id in members
    )


def _reservataires(db: Session) -> dict[int, Reservataire]:
    return {r.id: r for r in db.exec(select(Reservataire)).all() if r.id is not None}


def detail_in(db: Session, session_id: int, settings: Settings) -> SessionDetail:
    row = load_session(db, session_id)
    commission = db.get(Commission, row.commission_id)
    members = _members(db, row.commission_id)
    reservataires = _reservataires(db)
    attendance = _attendance_in(db, row, members)
    items = agenda_rows(db, col(AgendaItem.session_id) == session_id)
    dwellings = {d.id: d.reference for d in db.exec(
        select(Dwelling)
        .join(OccupationReview, col(OccupationReview.dwelling_id) == col(Dwelling.id))
        .where(OccupationReview.session_id == session_id)
    ).all()}
    reviews = tuple(
        OccupationReviewView(
            id=r.id or 0, tenant_reference=r.tenant_reference, tenant_name=r.tenant_name,
            dwelling_id=r.dwelling_id, dwelling_reference=dwellings.get(r.dwelling_id, ""),
            motive=r.motive, motive_label=ReviewMotive(r.motive).label, opinion=r.opinion,
            proposal=r.proposal,
        )
        for r in db.exec(select(OccupationReview).where(OccupationReview.session_id == session_id)
                         .order_by(col(OccupationReview.id))).all()
    )
    rectifications = tuple(
        RectificationView(r.id or 0, r.created_at, r.author, r.text, r.candidacy_id)
        for r in db.exec(select(Rectification).where(Rectification.session_id == session_id)
                         .order_by(col(Rectification.id))).all()
    )
    documents = tuple(
        SignedDocumentView(d.id or 0, d.kind, d.filename, d.sha256, d.signer, d.signed_at)
        for d in db.exec(select(SignedDocument).where(SignedDocument.session_id == session_id)
                         .order_by(col(SignedDocument.id))).all()
    )
    agenda = tuple(agenda_item_view(i, reservataires) for i in items)
    counts = (
        len(agenda), sum(len(a.candidacies) for a in agenda),
        sum(1 for a in agenda for c in a.candidacies if c.decision is not None),
    )
    president = members.get(row.president_member_id)
    return SessionDetail(
        summary=_summary(row, commission.name if commission else "", counts),
        start_time=row.start_time, end_time=row.end_time, convened_time=row.convened_time,
        president_member_id=row.president_member_id,
        president=president.display_name if president else "",
        secretary_name=row.secretary_name, notes=row.notes,
        closed_at=row.closed_at, signed_at=row.signed_at, times_confirmed=row.times_confirmed,
        attendance=attendance, quorum=quorum_in(db, row, settings), agenda=agenda,
        occupation_reviews=reviews, rectifications=rectifications, documents=documents,
    )


def agenda_item_state(engine: Engine, agenda_item_id: int) -> AgendaItemState:
    """One agenda item as `session_detail` shows it, with its séance's summary.

    What the workspace refreshes after a change to one dwelling's candidates or
    decisions, instead of the whole séance (the summary: an agenda change may send a
    ready séance back to preparation).
    """
    with session_scope(engine) as db:
        item = next(iter(agenda_rows(db, col(AgendaItem.id) == agenda_item_id)), None)
        if item is None:
            raise ValidationError(f"Logement à l'ordre du jour n° {agenda_item_id} introuvable.")
        row = load_session(db, item.session_id)
        commission = db.get(Commission, row.commission_id)
        counts = _counts(db, item.session_id)
        return AgendaItemState(
            summary=_summary(row, commission.name if commission else "", counts),
            item=agenda_item_view(item, _reservataires(db)),
        )


def attendance_state(engine: Engine, session_id: int,
                     settings: Settings | None = None) -> AttendanceState:
    """Attendance, quorum and president: what changes when presences are recorded."""
    with session_scope(engine) as db:
        row = load_session(db, session_id)
        members = _members(db, row.commission_id)
        president = members.get(row.president_member_id)
        return AttendanceState(
            attendance=_attendance_in(db, row, members),
            quorum=quorum_in(db, row, settings or Settings()),
            president_member_id=row.president_member_id,
            president=president.display_name if president else "",
        )


def session_detail(
    engine: Engine, session_id: int, settings: Settings | None = None
) -> SessionDetail:
    """One séance with attendance, quorum, agenda, candidacies, snapshots, decisions."""
    with session_scope(engine) as db:
        return detail_in(db, session_id, settings or Settings())


def reason_id(engine: Engine, code_or_id: str) -> int:
    """The catalogue reason named by its code (or its number), for the CLI and imports."""
    with session_scope(engine) as db:
        reasons = db.exec(select(Reason).order_by(col(Reason.position), col(Reason.code))).all()
        for reason in reasons:
            if code_or_id.strip() in (reason.code, str(reason.id)):
                assert reason.id is not None
                return reason.id
        known = ", ".join(r.code for r in reasons if r.active) or "catalogue vide"
        raise ValidationError(f"Motif inconnu « {code_or_id} » (codes : {known}).")
