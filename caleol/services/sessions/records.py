"""Plain, frozen results of the session services: never ORM objects.

The GUI models, the CLI and the documents read these; holding one never keeps a
database session open, and nothing here can write back by accident.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from caleol.services.session_list import SessionSummary as SessionSummary  # light module


@dataclass(frozen=True)
class AttendanceView:
    member_id: int
    name: str
    capacity: str
    capacity_label: str
    deliberative: bool
    casting_vote: bool
    status: str
    status_label: str
    proxy_member_id: int | None = None
    proxy_name: str = ""


@dataclass(frozen=True)
class QuorumView:
    """How many deliberative members count, against how many are required.

    `counted` = present + represented (a represented member counts only when the
    member holding the proxy is present).
    """

    deliberative_members: int
    present: int
    represented: int
    counted: int
    required: int
    numerator: int
    denominator: int
    reached: bool
    explanation: str


@dataclass(frozen=True)
class JustifiedCheck:
    """A check a decision's justification answers (`rules.decisions.JustificationGround`).

    The PV prints `sentence` beside the justification: « plafond de ressources :
    indéterminé », or « motif « … » contredit par le contrôle « typologie » (conforme) ».
    """

    check: str  # ceiling, solvency, typology
    label: str  # « plafond de ressources »
    status: str  # rules.result.Status value
    status_label: str  # conforme, non conforme, indéterminé
    reason: str  # the cited reason this passing check contradicts ("" otherwise)
    sentence: str


@dataclass(frozen=True)
class DecisionView:
    """One decision, with what the PV must print of it.

    * `reason`: the catalogue reason(s) and the free text, as notified (L441-2-2 CCH);
    * `justification` with `justified_checks`: why the commission decided against a
      check failed or unknown, or on a reason its passing check contradicts — the PV
      prints both side by side;
    * `vote_sentence`: the vote as stated (« À l'unanimité des membres présents ou
      représentés (7 voix). », « Adoptée par 5 voix pour, 2 contre et 1
      abstention. », « Partage des voix (4 pour, 4 contre, 0 abstention) : adoptée par
      la voix prépondérante de M. … »), "" when no vote is recorded; the counts,
      `unanimous` and `casting_vote_holder` are the same facts, structured.
    """

    id: int
    candidacy_id: int
    kind: str
    kind_label: str
    rank: int | None
    condition: str
    deadline: dt.date | None
    reason_id: int | None
    reason_label: str
    reason_text: str
    justification: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    casting_vote_used: bool
    version: int
    second_reason_id: int | None = None
    second_reason_label: str = ""
    unanimous: bool = False
    casting_vote_member_id: int | None = None
    casting_vote_holder: str = ""  # display name of the member whose casting vote decided
    vote_sentence: str = ""
    justified_checks: tuple[JustifiedCheck, ...] = ()
    # When the decision was recorded (aware UTC); it was taken on the séance's day.
    decided_at: dt.datetime | None = None

    @property
    def reason(self) -> str:
        """The catalogue labels and the free text, as notified to the applicant."""
        return " ; ".join(part for part in (self.reason_label, self.second_reason_label,
                                            self.reason_text) if part.strip())


@dataclass(frozen=True)
class DecisionOutcome:
    """A recorded decision and the warnings that did not block it."""

    decision: DecisionView
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventView:
    id: int
    candidacy_id: int
    kind: str
    kind_label: str
    date: dt.date
    reason: str
    passes_to_candidacy_id: int | None = None
    passes_to_nur: str = ""
    message: str = ""  # French sentence for the status bar / CLI


@dataclass(frozen=True)
class CandidacyView:
    id: int
    agenda_item_id: int
    demande_id: int
    nur: str
    name: str
    proposed_rank: int | None
    proposed_by_reservataire_id: int | None
    proposed_by: str
    origin: str
    suggestion_reasons: str
    typology_adaptation: str | None
    checks: Mapping[str, Mapping[str, Any]]
    checks_date: dt.date | None
    household: Mapping[str, Any]
    decision: DecisionView | None = None
    events: tuple[EventView, ...] = ()
    possible_events: tuple[str, ...] = ()  # `agenda.possible_events`

    @property
    def failed_checks(self) -> tuple[str, ...]:
        return tuple(n for n, c in self.checks.items() if c.get("status") == "fail")


@dataclass(frozen=True)
class AgendaItemView:
    id: int
    dwelling_id: int
    reference: str
    address: str
    commune: str
    typology: str
    financing: str
    position: int
    reservataire_id: int | None
    reservataire: str
    orientation_date: dt.date | None
    exception: str | None
    exception_justification: str
    candidate_rule: Mapping[str, Any]  # CheckResult.to_json() of check_candidate_count
    dwelling: Mapping[str, Any]  # the dwelling snapshot
    candidacies: tuple[CandidacyView, ...] = ()
    # After the séance (events): who the dwelling is offered to now, whose lease is
    # signed. Both None before any attribution, or when nobody is left in the queue.
    offer_holder_id: int | None = None
    lease_holder_id: int | None = None


@dataclass(frozen=True)
class OccupationReviewView:
    id: int
    tenant_reference: str
    tenant_name: str
    dwelling_id: int | None
    dwelling_reference: str
    motive: str
    motive_label: str
    opinion: str
    proposal: str


@dataclass(frozen=True)
class RectificationView:
    id: int
    created_at: dt.datetime
    author: str
    text: str
    candidacy_id: int | None = None  # the candidacy it corrects, if it corrects one


@dataclass(frozen=True)
class SignedDocumentView:
    id: int
    kind: str
    filename: str
    sha256: str
    signer: str
    signed_at: dt.datetime


@dataclass(frozen=True)
class SessionDetail:
    """A séance and everything its documents state.

    Time, as the PV must print it: the séance is held on `summary.date` (the PV is
    dated that day: « Fait à …, le <summary.date> »), from `start_time` to `end_time`,
    local times confirmed by the secretary at the closing when `times_confirmed`
    (otherwise, for a séance closed before the confirmation existed, they may be the
    planned time and the clock of the closing: say so rather than assert them).
    `closed_at` and `signed_at` are the instants of the closing and of the signature,
    aware UTC (print them in Europe/Paris time, apart from the séance's date).
    """

    summary: SessionSummary
    start_time: dt.time | None
    end_time: dt.time | None
    president_member_id: int | None
    president: str
    secretary_name: str
    notes: str
    closed_at: dt.datetime | None
    signed_at: dt.datetime | None
    attendance: tuple[AttendanceView, ...]
    quorum: QuorumView
    agenda: tuple[AgendaItemView, ...]
    occupation_reviews: tuple[OccupationReviewView, ...] = ()
    rectifications: tuple[RectificationView, ...] = ()
    documents: tuple[SignedDocumentView, ...] = ()
    times_confirmed: bool = False
    # the time the members were called for (the agenda prints it, never the start)
    convened_time: dt.time | None = None

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def status(self) -> str:
        return self.summary.status


@dataclass(frozen=True)
class AgendaItemState:
    """One agenda item after a change, with its séance's summary (status, counts)."""

    summary: SessionSummary
    item: AgendaItemView


@dataclass(frozen=True)
class AttendanceState:
    """The part of `SessionDetail` that recording presences changes."""

    attendance: tuple[AttendanceView, ...]
    quorum: QuorumView
    president_member_id: int | None
    president: str


@dataclass(frozen=True)
class Suggestion:
    """A demande that fits a dwelling, with the French reasons it was suggested."""

    demande_id: int
    nur: str
    name: str
    household: str
    priority_tier: int  # 0 DALO, 1 priority criterion, 2 délai anormalement long, 3 other
    dalo: bool
    cotation: int | None
    filing_date: dt.date
    reservataire_own: bool
    reasons: tuple[str, ...]
    checks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class SuggestionList:
    agenda_item_id: int | None
    dwelling_id: int
    dwelling_reference: str
    reservataire_id: int | None
    reservataire: str
    proposal_delay_days: int | None
    orientation_date: dt.date | None
    proposal_deadline: dt.date | None
    days_left: int | None
    prefiltered: int  # demandes read from the database before the rules ran
    suggestions: tuple[Suggestion, ...]
