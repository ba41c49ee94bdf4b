"""A séance's agenda read as plain rows, without the ORM, for its detail.

Why: opening a séance of 60 dwellings × 5 candidates on the 100 000-demande base
spent more time building ORM objects and wiring their relationships (seven
selectinload queries) than reading the rows (issue 19: the agenda and its views
≈ 30 → 18 ms). The rows satisfy `shapes`, so the rules (`agenda`) and the views
(`views`) read them as they read the stored ones. Nothing here can write back: they
are not attached to a session.

The few rows a view only falls back on (a demande when the household snapshot is
missing) or looks up (a decision's reasons, its casting-vote holder) are loaded as
stored rows, for those ids only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from caleol.db.models import (
    AgendaItem,
    Candidacy,
    CandidacyEvent,
    CommissionMember,
    Commune,
    Decision,
    Demande,
    Dwelling,
    Reason,
)


@dataclass(slots=True)
class CommuneRow:
    name: str


@dataclass(slots=True)
class DwellingRow:
    reference: str
    address: str
    typology: str
    financing: str
    commune: CommuneRow | None


@dataclass(slots=True)
class EventRow:
    id: int | None
    candidacy_id: int
    kind: str
    date: dt.date
    reason: str
    passes_to_candidacy_id: int | None


@dataclass(slots=True)
class DecisionRow:
    id: int | None
    candidacy_id: int
    kind: str
    rank: int | None
    condition: str
    deadline: dt.date | None
    reason_id: int | None
    second_reason_id: int | None
    reason_text: str
    justification: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    unanimous: bool
    casting_vote_used: bool
    casting_vote_member_id: int | None
    decided_at: dt.datetime | None
    version: int | None
    reason: Reason | None = None
    second_reason: Reason | None = None
    casting_vote_member: CommissionMember | None = None


@dataclass(slots=True)
class CandidacyRow:
    id: int | None
    agenda_item_id: int
    demande_id: int
    proposed_rank: int | None
    proposed_by_reservataire_id: int | None
    added_by: str
    suggestion_reasons: str
    typology_adaptation: str | None
    checks_snapshot: dict[str, Any] | None
    checks_date: dt.date | None
    household_summary: dict[str, Any] | None
    demande: Demande | None = None
    decision: DecisionRow | None = None
    events: list[EventRow] = field(default_factory=list)


@dataclass(slots=True)
class ItemRow:
    id: int | None
    session_id: int
    dwelling_id: int
    position: int
    reservataire_id: int | None
    orientation_date: dt.date | None
    candidate_count_exception: str | None
    exception_justification: str
    dwelling_snapshot: dict[str, Any] | None
    dwelling: DwellingRow | None = None
    candidacies: list[CandidacyRow] = field(default_factory=list)


# the columns of each row, in the order of its fields (before the loaded relations);
# Any: a row of them unpacks into the dataclass, which types each value
_ITEM: tuple[Any, ...] = (
    AgendaItem.id, AgendaItem.session_id, AgendaItem.dwelling_id, AgendaItem.position,
    AgendaItem.reservataire_id, AgendaItem.orientation_date,
    AgendaItem.candidate_count_exception, AgendaItem.exception_justification,
    AgendaItem.dwelling_snapshot)
_CANDIDACY: tuple[Any, ...] = (
    Candidacy.id, Candidacy.agenda_item_id, Candidacy.demande_id, Candidacy.proposed_rank,
    Candidacy.proposed_by_reservataire_id, Candidacy.added_by, Candidacy.suggestion_reasons,
    Candidacy.typology_adaptation, Candidacy.checks_snapshot, Candidacy.checks_date,
    Candidacy.household_summary)
_DECISION: tuple[Any, ...] = (
    Decision.id, Decision.candidacy_id, Decision.kind, Decision.rank, Decision.condition,
    Decision.deadline, Decision.reason_id, Decision.second_reason_id, Decision.reason_text,
    Decision.justification, Decision.votes_for, Decision.votes_against,
    Decision.votes_abstain, Decision.unanimous, Decision.casting_vote_used,
    Decision.casting_vote_member_id, Decision.decided_at, Decision.version)
_EVENT: tuple[Any, ...] = (
    CandidacyEvent.id, CandidacyEvent.candidacy_id, CandidacyEvent.kind, CandidacyEvent.date,
    CandidacyEvent.reason, CandidacyEvent.passes_to_candidacy_id)


def agenda_rows(db: Session, condition: ColumnElement[bool]) -> list[ItemRow]:
    """The agenda items matching `condition` (on `AgendaItem`), in agenda order, with
    their dwelling, candidacies (by rank), decisions and events."""
    db.flush()  # what the session changed, written first: Core reads do not autoflush
    connection = db.connection()
    items = [ItemRow(*row) for row in connection.execute(
        sa_select(*map(col, _ITEM)).where(condition)
        .order_by(col(AgendaItem.position), col(AgendaItem.id)))]
    if not items:
        return items
    dwellings = {row[0]: DwellingRow(row[1], row[2], row[3], row[4],
                                     CommuneRow(row[5]) if row[5] is not None else None)
                 for row in connection.execute(
        sa_select(col(Dwelling.id), col(Dwelling.reference), col(Dwelling.address),
                  col(Dwelling.typology), col(Dwelling.financing), col(Commune.name))
        .outerjoin(Commune, col(Commune.id) == col(Dwelling.commune_id))
        .where(col(Dwelling.id).in_({i.dwelling_id for i in items})))}
    by_id = {i.id: i for i in items}
    for item in items:
        item.dwelling = dwellings.get(item.dwelling_id)
    candidacies: dict[int | None, CandidacyRow] = {}
    for row in connection.execute(
            sa_select(*map(col, _CANDIDACY)).where(col(Candidacy.agenda_item_id).in_(by_id))
            .order_by(col(Candidacy.proposed_rank), col(Candidacy.id))):
        candidacy = CandidacyRow(*row)
        candidacies[candidacy.id] = candidacy
        by_id[candidacy.agenda_item_id].candidacies.append(candidacy)
    if candidacies:
        _load_decisions(db, candidacies)
        for row in connection.execute(
                sa_select(*map(col, _EVENT)).where(col(CandidacyEvent.candidacy_id)
                                                   .in_(candidacies))
                .order_by(col(CandidacyEvent.id))):
            event = EventRow(*row)
            candidacies[event.candidacy_id].events.append(event)
        _load_demandes(db, candidacies.values())
    return items


def _load_decisions(db: Session, candidacies: dict[int | None, CandidacyRow]) -> None:
    decisions = [DecisionRow(*row) for row in db.connection().execute(
        sa_select(*map(col, _DECISION)).where(col(Decision.candidacy_id).in_(candidacies)))]
    if not decisions:
        return
    reason_ids = {i for d in decisions for i in (d.reason_id, d.second_reason_id) if i}
    reasons = {r.id: r for r in db.exec(
        select(Reason).where(col(Reason.id).in_(reason_ids))).all()} if reason_ids else {}
    holder_ids = {d.casting_vote_member_id for d in decisions if d.casting_vote_member_id}
    holders = {m.id: m for m in db.exec(
        select(CommissionMember).where(col(CommissionMember.id).in_(holder_ids))
    ).all()} if holder_ids else {}
    for decision in decisions:
        decision.reason = reasons.get(decision.reason_id)
        decision.second_reason = reasons.get(decision.second_reason_id)
        decision.casting_vote_member = holders.get(decision.casting_vote_member_id)
        candidacies[decision.candidacy_id].decision = decision


def _lacks_summary(candidacy: CandidacyRow) -> bool:
    """The household snapshot lacks what the views read (`views.candidacy_view`,
    `views.candidacy_nur`, `agenda.is_dalo`): they fall back on the demande."""
    summary = candidacy.household_summary or {}
    return not summary.get("nur") or not summary.get("name") or "dalo" not in summary


def _load_demandes(db: Session, candidacies: Iterable[CandidacyRow]) -> None:
    """The demande of each candidacy never checked (no household snapshot): as
    stored, for those alone."""
    lacking = [c for c in candidacies if _lacks_summary(c)]
    if not lacking:
        return
    demandes = {d.id: d for d in db.exec(
        select(Demande).where(col(Demande.id).in_({c.demande_id for c in lacking}))).all()}
    for candidacy in lacking:
        candidacy.demande = demandes.get(candidacy.demande_id)
