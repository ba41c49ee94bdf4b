"""The life of a CALEOL séance, as services with no Qt: prepare, check, hold, close.

Plain functions taking the engine (one transaction each) and returning plain frozen
records (`records.py`); expected failures raise `ValidationError`, `FrozenError` or
`CaleolError` with French messages listing every problem. Status flow:
draft (en préparation) → ready (prête) → held (en cours) → closed (close, frozen)
→ signed (signée). The GUI and the CLI import from here only.
"""

from caleol.services.sessions.catalogue import (
    CommissionChoice,
    MemberChoice,
    ReservataireChoice,
    active_reasons,
    commission_choices,
    reservataire_choices,
)
from caleol.services.sessions.checks import (
    CandidateInput,
    candidate_input,
    evaluate_input,
    evaluate_inputs,
    refresh_checks,
)
from caleol.services.sessions.closing import (
    ClosingOutcome,
    add_rectification,
    close_session,
    closing_problems,
    record_signed_minutes,
    signed_minutes,
)
from caleol.services.sessions.convening import create_session, update_session_info
from caleol.services.sessions.deciding import clear_decision, record_decision
from caleol.services.sessions.events import (
    record_condition_lapsed,
    record_condition_met,
    record_lease_signed,
    record_refusal,
)
from caleol.services.sessions.holding import (
    AttendanceChange,
    record_attendance,
    record_occupation_review,
    session_quorum,
    set_president,
    start_session,
)
from caleol.services.sessions.preparation import (
    add_candidate,
    add_dwelling,
    mark_ready,
    move_candidate,
    ready_problems,
    remove_candidate,
    remove_dwelling,
    reorder_candidates,
    set_candidate_exception,
    set_typology_adaptation,
)
from caleol.services.sessions.queries import (
    agenda_item_state,
    attendance_state,
    list_sessions,
    reason_id,
    session_detail,
)
from caleol.services.sessions.quorum import AttendanceRecord, compute_quorum
from caleol.services.sessions.records import (
    AgendaItemState,
    AgendaItemView,
    AttendanceState,
    AttendanceView,
    CandidacyView,
    DecisionOutcome,
    DecisionView,
    EventView,
    JustifiedCheck,
    OccupationReviewView,
    QuorumView,
    RectificationView,
    SessionDetail,
    SessionSummary,
    SignedDocumentView,
    Suggestion,
    SuggestionList,
)
from caleol.services.sessions.suggestions import suggest_candidates

__all__ = [
    "AgendaItemState",
    "AgendaItemView",
    "AttendanceChange",
    "AttendanceRecord",
    "AttendanceState",
    "AttendanceView",
    "CandidacyView",
    "CandidateInput",
    "ClosingOutcome",
    "CommissionChoice",
    "DecisionOutcome",
    "DecisionView",
    "EventView",
    "JustifiedCheck",
    "MemberChoice",
    "OccupationReviewView",
    "QuorumView",
    "RectificationView",
    "ReservataireChoice",
    "SessionDetail",
    "SessionSummary",
    "SignedDocumentView",
    "Suggestion",
    "SuggestionList",
    "active_reasons",
    "add_candidate",
    "add_dwelling",
    "add_rectification",
    "agenda_item_state",
    "attendance_state",
    "candidate_input",
    "clear_decision",
    "close_session",
    "closing_problems",
    "commission_choices",
    "compute_quorum",
    "create_session",
    "evaluate_input",
    "evaluate_inputs",
    "list_sessions",
    "mark_ready",
    "move_candidate",
    "ready_problems",
    "reason_id",
    "record_attendance",
    "record_condition_lapsed",
    "record_condition_met",
    "record_decision",
    "record_lease_signed",
    "record_occupation_review",
    "record_refusal",
    "record_signed_minutes",
    "refresh_checks",
    "remove_candidate",
    "remove_dwelling",
    "reorder_candidates",
    "reservataire_choices",
    "session_detail",
    "session_quorum",
    "set_candidate_exception",
    "set_president",
    "set_typology_adaptation",
    "signed_minutes",
    "start_session",
    "suggest_candidates",
    "update_session_info",
]
