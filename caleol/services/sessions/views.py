"""Loaded rows → the frozen records of `records.py` (no query here but lazy loads)."""

from __future__ import annotations

from collections.abc import Mapping

from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CandidacyEvent,
    CommissionMember,
    Decision,
    Reservataire,
)
from caleol.db.models.enums import (
    AttendanceStatus,
    CandidacyEventKind,
    MemberCapacity,
)
from caleol.rules.decisions import DecisionKind
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
)


def decision_view(decision: Decision) -> DecisionView:
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
    )


def event_view(event: CandidacyEvent, nurs: Mapping[int, str], message: str = "") -> EventView:
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


def candidacy_nur(candidacy: Candidacy) -> str:
    summary = candidacy.household_summary or {}
    return str(summary.get("nur") or (candidacy.demande.nur if candidacy.demande else ""))


def candidacy_view(
    candidacy: Candidacy, reservataires: Mapping[int, Reservataire], nurs: Mapping[int, str],
    possible: tuple[str, ...] = (),
) -> CandidacyView:
    summary = dict(candidacy.household_summary or {})
    demande = candidacy.demande
    name = summary.get("name") or (
        f"{demande.applicant_surname.upper()} {demande.applicant_first_names}".strip()
        if demande else ""
    )
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
        decision=decision_view(candidacy.decision) if candidacy.decision else None,
        events=tuple(event_view(e, nurs) for e in candidacy.events),
        possible_events=possible,
    )


def agenda_item_view(item: AgendaItem, reservataires: Mapping[int, Reservataire]) -> AgendaItemView:
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
