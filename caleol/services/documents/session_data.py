"""A séance as the session services return it → the plain records the documents print.

Reads only the frozen snapshots of `SessionDetail` (dwelling snapshot, household
summary, checks snapshot, decisions), so the minutes print what the commission saw,
whatever happened to the demandes and dwellings since.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from caleol.errors import CaleolError
from caleol.fr import PARIS
from caleol.rules.candidates import CandidateException
from caleol.services.documents import rectification_text
from caleol.services.documents.data import (
    Attendance,
    Candidate,
    CandidateRule,
    Correction,
    Decision,
    DecisionKind,
    Dwelling,
    DwellingExamination,
    FollowUp,
    Letterhead,
    Member,
    MinutesData,
    OccupancyReview,
    OriginalReference,
    Quorum,
    RectificatifData,
    SessionInfo,
    SessionKind,
    Votes,
)
from caleol.services.documents.figures import decimal_or_none
from caleol.services.sessions.records import (
    AgendaItemView,
    AttendanceView,
    CandidacyView,
    DecisionView,
    OccupationReviewView,
    RectificationView,
    SessionDetail,
    SignedDocumentView,
)

OWN_STOCK = "Contingent propre du bailleur"
NOT_DESIGNATED = "non désigné"


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def floor_label(snapshot: Mapping[str, Any]) -> str:
    floor = snapshot.get("floor")
    if floor is None:
        text = ""
    elif floor == 0:
        text = "rez-de-chaussée"
    elif floor == 1:
        text = "1er étage"
    else:
        text = f"{floor}e étage"
    if text and floor:
        lift = snapshot.get("lift")
        if lift is not None:
            text += " avec ascenseur" if lift else " sans ascenseur"
    if snapshot.get("pmr"):
        text = f"{text}, adapté PMR" if text else "adapté PMR"
    return text


def member(view: AttendanceView) -> Member:
    capacity = _capitalised(view.capacity_label)
    if view.casting_vote:
        capacity += " (voix prépondérante)"
    try:
        attendance = Attendance(view.status)
    except ValueError:
        attendance = Attendance.ABSENT
    return Member(view.name, capacity, view.deliberative, attendance, view.proxy_name)


def dwelling(item: AgendaItemView) -> Dwelling:
    snap = item.dwelling
    surface = decimal_or_none(snap.get("surface_dm2"))
    qpv = snap.get("qpv")
    return Dwelling(
        reference=item.reference,
        address=item.address,
        commune=item.commune,
        qpv=qpv if isinstance(qpv, bool) else None,
        typology=item.typology,
        surface_m2=surface / 100 if surface else None,  # 0 m² is no surface: unknown
        financing=item.financing,
        rent=decimal_or_none(snap.get("rent")) or Decimal(0),
        annex_rent=decimal_or_none(snap.get("annex_rent")) or Decimal(0),
        charges=decimal_or_none(snap.get("charges")) or Decimal(0),
        # 0 € is the stored default of a dwelling imported without « Énergie (€) »: not an
        # estimate (the PV read « 0,00 € (estimation) », the offer « dépenses d'énergie :
        # 0,00 € »), unknown, as 0 m² is
        energy=decimal_or_none(snap.get("energy")) or None,
        reservataire=item.reservataire or OWN_STOCK,
        floor=floor_label(snap),
        available_on=_date(snap.get("availability_date")),
    )


def candidate_rule(item: AgendaItemView) -> CandidateRule:
    rule = item.candidate_rule
    exception = rule.get("exception") or item.exception
    label = ""
    if exception:
        try:
            label = _capitalised(CandidateException(exception).label)
        except ValueError:
            label = str(exception)
    count = rule.get("candidate_count")
    return CandidateRule(
        candidate_count=count if isinstance(count, int) else len(item.candidacies),
        satisfied=rule.get("status") == "pass",
        exception=label,
        justification=str(rule.get("justification") or item.exception_justification or ""),
    )


def decision(view: DecisionView | None) -> Decision | None:
    if view is None:
        return None
    votes = (Votes(view.votes_for, view.votes_against, view.votes_abstain,
                   casting_vote_used=view.casting_vote_used)
             if view.votes_for is not None and view.votes_against is not None
             and view.votes_abstain is not None else None)
    return Decision(
        kind=DecisionKind(view.kind),
        rank=view.rank,
        condition=view.condition,
        deadline=view.deadline,
        reason=view.reason,
        reason_count=sum(1 for label in (view.reason_label, view.second_reason_label)
                         if label.strip()),
        votes=votes,
        justification=view.justification,
        justified=tuple(check.sentence for check in view.justified_checks),
        vote_sentence=view.vote_sentence,
    )


def candidate(view: CandidacyView) -> Candidate:
    summary = view.household
    persons = summary.get("persons")
    household = str(summary.get("summary") or "composition inconnue")
    if isinstance(persons, int):
        household += f" ({persons} pers.)"
    priorities = summary.get("priorities") or []
    cotation = summary.get("cotation")
    notes = []
    if view.typology_adaptation:
        notes.append(f"Adaptation de typologie retenue : {view.typology_adaptation}.")
    if view.suggestion_reasons:
        notes.append(f"Motifs de la présentation : {view.suggestion_reasons}")
    stable = summary.get("resources_stable")
    return Candidate(
        nur=view.nur,
        name=view.name,
        household=household,
        checks=dict(view.checks),
        priority="; ".join(str(p) for p in priorities),
        dalo=bool(summary.get("dalo")),
        presented_by=view.proposed_by,
        filed_on=_date(summary.get("filing_date")),
        decision=decision(view.decision),
        monthly_resources=decimal_or_none(summary.get("monthly_resources")),
        resources_stable=stable if isinstance(stable, bool) else None,
        housing_aid=decimal_or_none(summary.get("housing_aid")),
        cotation=f"{cotation} points" if cotation is not None else "",
        postal_address=str(summary.get("postal_address") or ""),
        civility=str(summary.get("civility") or ""),
        addressee=str(summary.get("addressee") or ""),
        notes="\n".join(notes),
        events=tuple(FollowUp(e.kind, e.date, e.reason) for e in view.events),
    )


def examination(item: AgendaItemView) -> DwellingExamination:
    nurs = {c.id: c.nur for c in item.candidacies}
    return DwellingExamination(
        dwelling(item), candidate_rule(item), tuple(candidate(c) for c in item.candidacies),
        offer_holder=nurs.get(item.offer_holder_id or 0, ""),
        lease_holder=nurs.get(item.lease_holder_id or 0, ""))


def occupancy_review(view: OccupationReviewView) -> OccupancyReview:
    tenant = view.tenant_name or view.tenant_reference
    if view.tenant_name and view.tenant_reference:
        tenant += f" ({view.tenant_reference})"
    return OccupancyReview(
        tenant=tenant,
        dwelling=view.dwelling_reference or "—",
        situation=_capitalised(view.motive_label),
        opinion=view.opinion or "Avis non renseigné",
        comment=view.proposal,
    )


def minutes_data(detail: SessionDetail, letterhead: Letterhead) -> MinutesData:
    """The documents' view of a séance (usually a closed one)."""
    summary = detail.summary
    try:
        kind = SessionKind(summary.kind)
    except ValueError:
        kind = SessionKind.PHYSICAL
    quorum = detail.quorum
    return MinutesData(
        letterhead=letterhead,
        session=SessionInfo(
            commission=summary.commission,
            date=summary.date,
            place=summary.place,
            kind=kind,
            start=detail.start_time,
            end=detail.end_time,
            reference=str(summary.id),
            times_confirmed=detail.times_confirmed,
            convened=detail.convened_time,
        ),
        members=tuple(member(a) for a in detail.attendance),
        quorum=Quorum(quorum.deliberative_members, quorum.counted, quorum.required,
                      quorum.reached),
        president=detail.president or NOT_DESIGNATED,
        secretary=detail.secretary_name or NOT_DESIGNATED,
        dwellings=tuple(examination(item) for item in detail.agenda),
        occupancy_reviews=tuple(occupancy_review(r) for r in detail.occupation_reviews),
    )


def correction(recorded: RectificationView) -> Correction:
    """A recorded rectification as the documents print it."""
    parts = rectification_text.parse(recorded.text)
    return Correction(location=parts.point, before=parts.before, after=parts.after,
                      reason=parts.reason, author=recorded.author,
                      recorded_on=recorded.created_at.astimezone(PARIS).date())


def rectificatif_data(detail: SessionDetail, pv: SignedDocumentView,
                      letterhead: Letterhead, issued_on: date) -> RectificatifData:
    if not detail.rectifications:
        raise CaleolError(f"Aucune rectification n'est enregistrée pour la séance n° "
                          f"{detail.id}.")
    data = minutes_data(detail, letterhead)
    corrections = [correction(r) for r in detail.rectifications]
    return RectificatifData(
        letterhead=letterhead,
        session=data.session,
        original=OriginalReference(detail.summary.date,
                                   pv.signed_at.astimezone(PARIS).date(), pv.sha256),
        corrections=tuple(corrections),
        president=data.president,
        secretary=data.secretary,
        issued_on=issued_on,
    )
