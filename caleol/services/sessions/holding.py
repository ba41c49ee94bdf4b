"""Holding a séance: attendance, president, quorum, decisions, EOL reviews.

Decisions are recorded one at a time while the séance is held and only when the
quorum is reached. Each is validated by `rules.decisions.check_decision_set` at
once for what concerns that decision alone (reason, condition and deadline, rank,
justification of an attribution against a failed check); what concerns the whole
dwelling (ranks 1..n, a single attribution) is returned as a warning and blocks the
closing until it is consistent. Votes: the outcome recorded must be the one the
votes adopted; on a tie the casting-vote holder (present) decides, recorded with
`casting_vote_used`.
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
    Candidacy,
    Commission,
    CommissionMember,
    CommissionSession,
    Decision,
    Dwelling,
    OccupationReview,
    Reason,
)
from caleol.db.models.base import utcnow
from caleol.db.models.enums import AttendanceStatus, ReasonKind, ReviewMotive, SessionStatus
from caleol.errors import CaleolError, ConcurrentModificationError, ValidationError
from caleol.rules.decisions import Decision as RuleDecision
from caleol.rules.decisions import DecisionKind, check_decision_set, unlawful_reason_warnings
from caleol.services.sessions.access import (
    HOLDING,
    OPEN,
    PREPARING,
    load_agenda_item,
    load_candidacy,
    load_session,
    session_label,
    writable_session,
)
from caleol.services.sessions.checks import failed_checks, refresh_session_checks
from caleol.services.sessions.preparation import ready_problems_in
from caleol.services.sessions.quorum import AttendanceRecord, compute_quorum, effective_fraction
from caleol.services.sessions.records import DecisionOutcome, QuorumView
from caleol.services.sessions.views import decision_view
from caleol.settings import Settings

REASON_KIND = {
    DecisionKind.NON_ATTRIBUTION: ReasonKind.NON_ATTRIBUTION,
    DecisionKind.IRRECEVABILITE: ReasonKind.IRRECEVABILITE,
}


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
                    f"{member.name} n'a qu'une voix consultative : il ne peut pas présider."
                )
            if attendance is None or attendance.status != AttendanceStatus.PRESENT.value:
                raise ValidationError(
                    f"{member.name} doit être enregistré(e) présent(e) pour présider la séance."
                )
        row.president_member_id = member_id
        db.add(row)


def start_session(engine: Engine, session_id: int, settings: Settings | None = None) -> None:
    """Open the séance (ready → held): the checks are taken one last time.

    Raises:
        ValidationError: the séance is not ready or no longer passes the
            three-candidate rule.
    """
    with session_scope(engine) as db:
        row = writable_session(db, session_id, (SessionStatus.READY,), "ouvrir la séance")
        problems = ready_problems_in(db, row)
        if problems:
            raise ValidationError(
                f"{session_label(row).capitalize()} ne peut pas être ouverte :", details=problems
            )
        refresh_session_checks(db, session_id, settings or Settings())
        row.status = SessionStatus.HELD.value
        if row.start_time is None:
            row.start_time = dt.datetime.now().time().replace(second=0, microsecond=0)
        db.add(row)


def _check_votes(
    db: Session, row: CommissionSession, quorum: QuorumView,
    votes: tuple[int, int, int] | None, casting_vote_used: bool,
) -> list[str]:
    if votes is None:
        return ["La voix prépondérante ne s'utilise qu'en cas de partage des voix."] if (
            casting_vote_used) else []
    problems: list[str] = []
    if len(votes) != 3 or any(isinstance(v, bool) or not isinstance(v, int) or v < 0
                              for v in votes):
        return ["Les votes sont trois nombres entiers positifs : pour, contre, abstention."]
    for_, against, abstain = votes
    if for_ + against + abstain > quorum.counted:
        problems.append(
            f"{for_ + against + abstain} votes exprimés pour {quorum.counted} membres à voix "
            "délibérative présents ou représentés."
        )
    if for_ < against:
        problems.append(
            f"La décision n'est pas adoptée (pour {for_} < contre {against}) : enregistrez la "
            "décision votée."
        )
    elif for_ == against and for_ > 0:
        if not casting_vote_used:
            problems.append(
                f"Partage des voix ({for_} pour, {against} contre) : la voix prépondérante "
                "décide ; cochez-la pour enregistrer la décision qu'elle a emportée."
            )
        elif not _casting_holder_present(db, row):
            problems.append(
                "Partage des voix : aucun membre détenant la voix prépondérante n'est présent."
            )
    elif casting_vote_used:
        problems.append("La voix prépondérante ne s'utilise qu'en cas de partage des voix.")
    return problems


def _casting_holder_present(db: Session, row: CommissionSession) -> bool:
    members = _members(db, row.commission_id)
    return any(
        a.status == AttendanceStatus.PRESENT.value and members[a.member_id].casting_vote
        for a in _attendances(db, row.id or 0) if a.member_id in members
    )


def _of(word: str) -> str:
    """French « de » with elision: d'irrecevabilité, de non-attribution."""
    return f"d'{word}" if word[:1].lower() in "aeiouyhéè" else f"de {word}"


def _reason(db: Session, kind: DecisionKind, reason_id: int | None) -> Reason | None:
    if reason_id is None:
        return None
    reason = db.get(Reason, reason_id)
    if reason is None:
        raise ValidationError(f"Motif n° {reason_id} introuvable dans le catalogue.")
    expected = REASON_KIND.get(kind)
    if expected is None:
        raise ValidationError(f"Une décision « {kind.label} » ne porte pas de motif de refus.")
    if reason.kind != expected.value:
        raise ValidationError(
            f"Le motif « {reason.label} » est un motif {_of(ReasonKind(reason.kind).label)}, "
            f"pas {_of(expected.label)}."
        )
    return reason


def rule_decision(candidacy: Candidacy, decision: Decision) -> RuleDecision:
    """The rules' view of a stored decision (reason = catalogue label + free text)."""
    label = decision.reason.label if decision.reason else ""
    return RuleDecision(
        candidate_id=candidate_key(candidacy),
        kind=DecisionKind(decision.kind),
        rank=decision.rank,
        condition=decision.condition,
        deadline=decision.deadline,
        reason=" ; ".join(p for p in (label, decision.reason_text) if p.strip()),
        justification=decision.justification,
    )


def candidate_key(candidacy: Candidacy) -> str:
    summary = candidacy.household_summary or {}
    nur = summary.get("nur") or (candidacy.demande.nur if candidacy.demande else "")
    return str(nur or candidacy.id)


def record_decision(
    engine: Engine,
    candidacy_id: int,
    kind: str | DecisionKind,
    *,
    rank: int | None = None,
    condition: str = "",
    deadline: dt.date | None = None,
    reason_id: int | None = None,
    reason_text: str = "",
    justification: str = "",
    votes: tuple[int, int, int] | None = None,
    casting_vote_used: bool = False,
    settings: Settings | None = None,
    expected_version: int | None = None,
) -> DecisionOutcome:
    """Record (or replace) the commission's decision on one candidate.

    Args:
        expected_version: the `DecisionView.version` the caller edited (None: no
            check); another workstation's newer decision is then never overwritten.

    Raises:
        ConcurrentModificationError: the decision changed since `expected_version`.
        ValidationError: séance not held, quorum not reached, or every problem of this
            decision (missing reason, condition, deadline, rank, justification, votes).
    """
    settings = settings or Settings()
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        row = writable_session(db, item.session_id, HOLDING, "enregistrer une décision")
        quorum = quorum_in(db, row, settings)
        if not quorum.reached:
            raise ValidationError(
                "Décision refusée : le quorum n'est pas atteint.", details=[quorum.explanation]
            )
        try:
            decision_kind = DecisionKind(kind)
        except ValueError:
            known = ", ".join(k.value for k in DecisionKind)
            raise ValidationError(f"Décision inconnue « {kind} » (attendu : {known}).") from None
        reason = _reason(db, decision_kind, reason_id)
        if expected_version is not None and (
            candidacy.decision is None or candidacy.decision.version != expected_version
        ):
            raise ConcurrentModificationError("La décision")
        decision = candidacy.decision or Decision(candidacy_id=candidacy_id, kind="")
        decision.kind = decision_kind.value
        decision.rank = rank
        decision.condition = condition.strip()
        decision.deadline = deadline
        decision.reason_id = reason.id if reason else None
        decision.reason = reason
        decision.reason_text = reason_text.strip()
        decision.justification = justification.strip()
        decision.votes_for, decision.votes_against, decision.votes_abstain = (
            votes if votes is not None else (None, None, None)
        )
        decision.casting_vote_used = casting_vote_used
        decision.decided_at = utcnow()
        mine = rule_decision(candidacy, decision)
        own_prefix = f"{decision_kind.label} ({mine.candidate_id})"
        failed = {mine.candidate_id: failed_checks(candidacy.checks_snapshot)}
        problems = [p for p in check_decision_set([mine], failed) if p.startswith(own_prefix)]
        problems += _check_votes(db, row, quorum, votes, casting_vote_used)
        if problems:
            raise ValidationError("Décision refusée :", details=problems)
        db.add(decision)
        db.flush()
        others = [
            rule_decision(c, c.decision) for c in item.candidacies
            if c.decision is not None and c.id != candidacy_id
        ]
        warnings = [
            f"À régulariser avant la clôture : {p}"
            for p in check_decision_set([*others, mine], failed)
            if not p.startswith(own_prefix)
        ]
        if decision_kind.needs_reason:
            warnings += unlawful_reason_warnings([mine.reason])
            if reason is not None and reason.unlawful_alone and not decision.reason_text:
                warnings.append(
                    f"Le motif « {reason.label} » ne peut pas fonder seul un refus : "
                    "ajoutez le motif légal qui l'accompagne."
                )
        return DecisionOutcome(decision_view(decision), tuple(dict.fromkeys(warnings)))


def clear_decision(engine: Engine, candidacy_id: int) -> None:
    """Remove a decision recorded by mistake while the séance is still held."""
    with session_scope(engine) as db:
        candidacy = load_candidacy(db, candidacy_id)
        item = load_agenda_item(db, candidacy.agenda_item_id)
        writable_session(db, item.session_id, HOLDING, "supprimer une décision")
        if candidacy.decision is not None:
            db.delete(candidacy.decision)


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
