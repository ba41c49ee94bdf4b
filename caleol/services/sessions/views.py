"""Loaded rows → the frozen records of `records.py` (no query here but lazy loads).

The rows are the stored ones or the plain rows of `agenda_rows` (`shapes`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caleol.db.models import CommissionMember, Decision, Reservataire
from caleol.db.models.enums import (
    AttendanceStatus,
    CandidacyEventKind,
    MemberCapacity,
)
from caleol.rules.decisions import CitedReason, DecisionKind, justification_grounds
from caleol.rules.result import Status
from caleol.rules.votes import Vote, vote_sentence
from caleol.services.sessions.agenda import (
    candidate_rule,
    current_holder,
    lease_holder,
    ordered,
    possible_events,
)
from caleol.services.sessions.records import (
    AgendaItemView,
    AttendanceView,
    CandidacyView,
    DecisionView,
    EventView,
    JustifiedCheck,
)
from caleol.services.sessions.shapes import CandidacyLike, DecisionLike, EventLike, ItemLike


def justified_checks(decision: DecisionLike, snapshot: Mapping[str, Any] | None
                     ) -> tuple[JustifiedCheck, ...]:
    """The checks the decision's justification answers, from the candidacy's snapshot."""
    statuses = {name: str((check or {}).get("status") or "")
                for name, check in (snapshot or {}).items()}
    cited = tuple(CitedReason(r.label, r.unlawful_alone, r.contradicts_check)
                  for r in (decision.reason, decision.second_reason) if r is not None)
    return tuple(
        JustifiedCheck(g.check, g.label, g.status, Status(g.status).label, g.reason, g.sentence)
        for g in justification_grounds(DecisionKind(decision.kind), statuses, cited)
    )


def decision_vote(decision: DecisionLike) -> Vote | None:
    """The rules' vote of a stored decision (None: no vote recorded)."""
    if decision.unanimous:
        return Vote(unanimous=True, casting_vote_used=decision.casting_vote_used)
    counts = (decision.votes_for, decision.votes_against, decision.votes_abstain)
    if any(c is None for c in counts):
        return None
    return Vote(decision.votes_for or 0, decision.votes_against or 0,
                decision.votes_abstain or 0, casting_vote_used=decision.casting_vote_used)


def decision_view(decision: Decision, snapshot: Mapping[str, Any] | None = None
                  ) -> DecisionView:
    """A stored decision; `snapshot`: its candidacy's checks (default: loaded from it)."""
    if snapshot is None and decision.candidacy is not None:
        snapshot = decision.candidacy.checks_snapshot
    return decision_record(decision, snapshot)


def decision_record(decision: DecisionLike, snapshot: Mapping[str, Any] | None
                    ) -> DecisionView:
    """A decision, stored or read as a plain row, with its candidacy's checks."""
    holder = decision.casting_vote_member
    holder_name = holder.display_name if holder is not None else ""
    return DecisionView(
        id=decision.id or 0,
        candidacy_id=decision.candidacy_id,
        kind=decision.kind,
        kind_label=DecisionKind(decision.kind).label,
        rank=decision.rank,
        condition=decision.condition,
        deadline=decision.deadline,
        reason_id=decision.reason_id,
        reason_label=decision.reason.label if decision.reason else "",
        reason_text=decision.reason_text,
        justification=decision.justification,
        votes_for=decision.votes_for,
        votes_against=decision.votes_against,
        votes_abstain=decision.votes_abstain,
        casting_vote_used=decision.casting_vote_used,
        version=decision.version or 0,
        second_reason_id=decision.second_reason_id,
        second_reason_label=decision.second_reason.label if decision.second_reason else "",
        unanimous=decision.unanimous,
        casting_vote_member_id=decision.casting_vote_member_id,
        casting_vote_holder=holder_name,
        vote_sentence=vote_sentence(decision_vote(decision), decision.votes_for or 0,
                                    holder_name),
        justified_checks=justified_checks(decision, snapshot),
        decided_at=decision.decided_at,
    )


def event_view(event: EventLike, nurs: Mapping[int, str], message: str = "") -> EventView:
    target = event.passes_to_candidacy_id
    return EventView(
        id=event.id or 0,
        candidacy_id=event.candidacy_id,
        kind=event.kind,
        kind_label=CandidacyEventKind(event.kind).label,
        date=event.date,
        reason=event.reason,
        passes_to_candidacy_id=target,
        passes_to_nur=nurs.get(target, "") if target is not None else "",
        message=message,
    )


def candidacy_nur(candidacy: CandidacyLike) -> str:
    summary = candidacy.household_summary or {}
    return str(summary.get("nur") or (candidacy.demande.nur if candidacy.demande else ""))


def candidacy_view(
    candidacy: CandidacyLike, reservataires: Mapping[int, Reservataire],
    nurs: Mapping[int, str],
    possible: tuple[str, ...] = (),
) -> CandidacyView:
    summary = dict(candidacy.household_summary or {})
    name = summary.get("name")
    if not name:  # no household snapshot (never checked): the demande as stored
        demande = candidacy.demande
        name = (f"{demande.applicant_surname.upper()} {demande.applicant_first_names}".strip()
                if demande else "")
    proposer = reservataires.get(candidacy.proposed_by_reservataire_id or 0)
    return CandidacyView(
        id=candidacy.id or 0,
        agenda_item_id=candidacy.agenda_item_id,
        demande_id=candidacy.demande_id,
        nur=candidacy_nur(candidacy),
        name=str(name),
        proposed_rank=candidacy.proposed_rank,
        proposed_by_reservataire_id=candidacy.proposed_by_reservataire_id,
        proposed_by=proposer.name if proposer else "",
        origin=candidacy.added_by,
        suggestion_reasons=candidacy.suggestion_reasons,
        typology_adaptation=candidacy.typology_adaptation,
        checks=dict(candidacy.checks_snapshot or {}),
        checks_date=candidacy.checks_date,
        household=summary,
        decision=(decision_record(candidacy.decision, candidacy.checks_snapshot or {})
                  if candidacy.decision else None),
        events=tuple(event_view(e, nurs) for e in candidacy.events),
        possible_events=possible,
    )


def agenda_item_view(item: ItemLike, reservataires: Mapping[int, Reservataire]) -> AgendaItemView:
    snap = dict(item.dwelling_snapshot or {})
    dwelling = item.dwelling
    nurs = {c.id: candidacy_nur(c) for c in item.candidacies if c.id is not None}
    reservataire = reservataires.get(item.reservataire_id or 0)
    return AgendaItemView(
        id=item.id or 0,
        dwelling_id=item.dwelling_id,
        reference=snap.get("reference") or (dwelling.reference if dwelling else ""),
        address=snap.get("address") or (dwelling.address if dwelling else ""),
        commune=snap.get("commune") or "",
        typology=snap.get("typology") or (dwelling.typology if dwelling else ""),
        financing=snap.get("financing") or (dwelling.financing if dwelling else ""),
        position=item.position,
        reservataire_id=item.reservataire_id,
        reservataire=reservataire.name if reservataire else snap.get("reservataire", ""),
        orientation_date=item.orientation_date,
        exception=item.candidate_count_exception,
        exception_justification=item.exception_justification,
        candidate_rule=candidate_rule(item).to_json(),
        dwelling=snap,
        candidacies=tuple(candidacy_view(c, reservataires, nurs, possible_events(item, c))
                          for c in ordered(item)),
        offer_holder_id=holder.id if (holder := current_holder(item)) else None,
        lease_holder_id=leased.id if (leased := lease_holder(item)) else None,
    )


def attendance_view(
    member: CommissionMember, status: str, proxy: CommissionMember | None
) -> AttendanceView:
    try:
        capacity_label = MemberCapacity(member.capacity).label
    except ValueError:
        capacity_label = member.capacity
    return AttendanceView(
        member_id=member.id or 0,
        name=member.display_name,
        capacity=member.capacity,
        capacity_label=capacity_label,
        deliberative=member.deliberative,
        casting_vote=member.casting_vote,
        status=status,
        status_label=AttendanceStatus(status).label,
        proxy_member_id=proxy.id if proxy else None,
        proxy_name=proxy.display_name if proxy else "",
    )
