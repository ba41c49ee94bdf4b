"""Every service call of the séance workspace, in one place.

The panels never touch the database: they ask the controller, which calls the
session services. A refused call (`CaleolError`) changes nothing on screen: its
French message goes to the form that asked (`on_error`, shown beside the fields) or
to a message box, and nothing is reloaded, so what the user typed stays. After a
success only what changed is read again and announced: one agenda item
(`item_changed`), the attendance (`attendance_changed`), or the whole séance
(`changed`) when its status or its agenda's list changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from caleol.errors import CaleolError, ConcurrentModificationError
from caleol.services import sessions
from caleol.services.sessions import (
    AgendaItemView,
    AttendanceChange,
    CandidacyView,
    DecisionOutcome,
    EventView,
    SessionDetail,
    Suggestion,
    SuggestionList,
)
from caleol.settings import Settings
from caleol.ui import messages

if TYPE_CHECKING:
    from caleol.ui.pages.session.document_work import SessionDocuments

log = logging.getLogger(__name__)
T = TypeVar("T")
ErrorSink = Callable[[CaleolError], None]

FROZEN = ("closed", "signed")
PREPARING = ("draft", "ready")


@dataclass(frozen=True)
class DecisionRequest:
    """What the decision panel asks to record (plain values)."""

    candidacy_id: int
    kind: str
    rank: int | None = None
    condition: str = ""
    deadline: date | None = None
    reason_id: int | None = None
    reason_text: str = ""
    justification: str = ""
    votes: tuple[int, int, int] | None = None
    casting_vote_used: bool = False
    expected_version: int | None = None
    second_reason_id: int | None = None
    unanimous: bool = False


def read_only_reason(detail: SessionDetail | None) -> str:
    """Why the séance can no longer be edited (empty when it can)."""
    if detail is None:
        return ""
    if detail.status == "signed":
        return ("Séance signée : le procès-verbal est signé et conservé, rien ne peut plus "
                "être modifié (une correction passe par un rectificatif).")
    if detail.status == "closed":
        return ("Séance close : les décisions sont figées. Générez et signez le "
                "procès-verbal.")
    return ""


class SessionController(QObject):
    """One séance's use cases for the workspace.

    Args:
        engine: the database engine.
        settings: returns the current settings (they may change in Paramètres).
        widget: where error messages are centred.
    """

    changed = Signal(object)  # SessionDetail: the whole séance (re)loaded
    item_changed = Signal(object)  # AgendaItemView: one dwelling read again (detail updated)
    attendance_changed = Signal(object)  # SessionDetail: attendance, quorum, president

    def __init__(self, engine: Any, settings: Callable[[], Settings], widget: QWidget) -> None:
        super().__init__(widget)
        self.engine = engine
        self._settings = settings
        self._widget = widget
        self.detail: SessionDetail | None = None

    @property
    def settings(self) -> Settings:
        return self._settings()

    @property
    def session_id(self) -> int:
        return self.detail.id if self.detail is not None else 0

    def show_error(self, error: CaleolError) -> None:
        messages.show_error(self._widget, error)

    def _call(self, work: Callable[[], T], then: Callable[[], None] | None = None,
              on_error: ErrorSink | None = None) -> T | None:
        """Run a service call, then `then` (refresh what changed).

        A `CaleolError` goes to `on_error` (default: a message box), changes nothing
        on screen and gives None.
        """
        try:
            result = work()
        except CaleolError as exc:
            (on_error or self.show_error)(exc)
            return None
        if then is not None:
            then()
        return result

    def _do(self, work: Callable[[], object], then: Callable[[], None] | None = None,
            on_error: ErrorSink | None = None) -> bool:
        """A service call whose result does not matter: True when it succeeded."""
        return self._call(lambda: (work(), True)[1], then, on_error) is not None

    # --- loading ---------------------------------------------------------------------

    def load(self, session_id: int) -> SessionDetail | None:
        try:
            self.detail = sessions.session_detail(self.engine, session_id, self.settings)
        except CaleolError as exc:
            self.show_error(exc)
            return None
        self.changed.emit(self.detail)
        return self.detail

    def reload(self) -> None:
        if self.detail is not None:
            self.load(self.detail.id)

    def item_of(self, candidacy_id: int) -> AgendaItemView | None:
        """The agenda item a candidacy belongs to (as last read)."""
        if self.detail is None:
            return None
        return next((item for item in self.detail.agenda
                     if any(c.id == candidacy_id for c in item.candidacies)), None)

    def refresh_item(self, agenda_item_id: int) -> None:
        """Read one agenda item (and the séance's summary) again after a change."""
        detail = self.detail
        if detail is None:
            return
        try:
            state = sessions.agenda_item_state(self.engine, agenda_item_id)
        except CaleolError:
            self.reload()  # the item is gone (removed elsewhere): show the séance as stored
            return
        status_changed = state.summary.status != detail.status
        self.detail = replace(
            detail, summary=state.summary,
            agenda=tuple(state.item if i.id == state.item.id else i for i in detail.agenda))
        if status_changed:
            self.changed.emit(self.detail)
        else:
            self.item_changed.emit(state.item)

    def _refresh_candidacy(self, candidacy_id: int) -> Callable[[], None]:
        item = self.item_of(candidacy_id)
        if item is None:
            return self.reload
        return lambda: self.refresh_item(item.id)

    def refresh_attendance(self) -> None:
        detail = self.detail
        if detail is None:
            return
        try:
            state = sessions.attendance_state(self.engine, detail.id, self.settings)
        except CaleolError as exc:
            self.show_error(exc)
            return
        self.detail = replace(detail, attendance=state.attendance, quorum=state.quorum,
                              president_member_id=state.president_member_id,
                              president=state.president)
        self.attendance_changed.emit(self.detail)

    # --- preparation -----------------------------------------------------------------

    def suggestion_search(self, agenda_item_id: int) -> Callable[[], SuggestionList]:
        """The search for suggestions, to run off the GUI thread (it takes longer than
        an interaction on 100 000 demandes): the settings are read here, on the GUI
        thread; it raises `CaleolError` as the service does."""
        engine, settings = self.engine, self.settings
        return lambda: sessions.suggest_candidates(engine, agenda_item_id=agenda_item_id,
                                                   settings=settings)

    def add_suggested(self, agenda_item_id: int, chosen: Sequence[Suggestion]) -> list[int]:
        """Present the chosen suggestions, in order; returns the candidacies added."""
        added: list[int] = []
        try:
            for suggestion in chosen:
                added.append(sessions.add_candidate(
                    self.engine, agenda_item_id, suggestion.demande_id,
                    suggestion_reasons=" ; ".join(suggestion.reasons),
                    settings=self.settings))
        except CaleolError as exc:
            self.show_error(exc)
        if added:
            self.refresh_item(agenda_item_id)
        return added

    def add_dwelling(self, dwelling_id: int, reservataire_id: int | None = None,
                     orientation_date: date | None = None) -> int | None:
        """Add a dwelling to the agenda; returns the new agenda item's id."""
        return self._call(lambda: sessions.add_dwelling(
            self.engine, self.session_id, dwelling_id, reservataire_id=reservataire_id,
            orientation_date=orientation_date), self.reload)

    def set_typology_adaptation(self, candidacy_id: int, adaptation: str | None) -> bool:
        return self._do(lambda: sessions.set_typology_adaptation(
            self.engine, candidacy_id, adaptation, self.settings),
            self._refresh_candidacy(candidacy_id))

    def update_info(self, values: Any, expected_version: int) -> CaleolError | None:
        """Save the séance's details from the edit form (`NewSessionValues`).

        Returns:
            The refusal (None when saved). Nothing is reloaded after a refusal,
            except after a version conflict: the séance behind the form then shows
            what is stored, and the form keeps what was typed.
        """
        try:
            sessions.update_session_info(
                self.engine, self.session_id, on=values.on, place=values.place,
                kind=values.kind, start_time=values.start_time,
                secretary_name=values.secretary_name, member_ids=values.member_ids,
                expected_version=expected_version)
        except ConcurrentModificationError as exc:
            self.reload()
            return exc
        except CaleolError as exc:
            return exc
        self.reload()
        return None

    def remove_dwelling(self, agenda_item_id: int) -> bool:
        return self._do(lambda: sessions.remove_dwelling(self.engine, agenda_item_id),
                        self.reload)

    def add_candidate(self, agenda_item_id: int, demande_id: int,
                      suggestion_reasons: str = "") -> int | None:
        """Present a demande for the dwelling; returns the new candidacy's id."""
        return self._call(lambda: sessions.add_candidate(
            self.engine, agenda_item_id, demande_id, suggestion_reasons=suggestion_reasons,
            settings=self.settings), lambda: self.refresh_item(agenda_item_id))

    def restore_candidate(self, agenda_item_id: int, candidacy: CandidacyView) -> int | None:
        """Present again a candidate withdrawn (undo): same rank, origin, réservataire,
        suggestion reasons and typology adaptation; returns the new candidacy's id."""
        return self._call(lambda: sessions.add_candidate(
            self.engine, agenda_item_id, candidacy.demande_id,
            reservataire_id=candidacy.proposed_by_reservataire_id,
            rank=candidacy.proposed_rank, origin=candidacy.origin or None,
            suggestion_reasons=candidacy.suggestion_reasons,
            typology_adaptation=candidacy.typology_adaptation, settings=self.settings),
            lambda: self.refresh_item(agenda_item_id))

    def dwelling_browser(self) -> Any:
        from caleol.services.browse import DwellingBrowser

        return DwellingBrowser(self.engine)

    def demande_browser(self) -> Any:
        from caleol.services.browse import DemandeBrowser

        return DemandeBrowser(self.engine)

    def move_candidate(self, candidacy_id: int, rank: int) -> bool:
        return self._do(lambda: sessions.move_candidate(self.engine, candidacy_id, rank),
                        self._refresh_candidacy(candidacy_id))

    def remove_candidate(self, candidacy_id: int) -> bool:
        return self._do(lambda: sessions.remove_candidate(self.engine, candidacy_id),
                        self._refresh_candidacy(candidacy_id))

    def set_exception(self, agenda_item_id: int, ground: str | None, justification: str,
                      on_error: ErrorSink | None = None) -> bool:
        return self._do(lambda: sessions.set_candidate_exception(
            self.engine, agenda_item_id, ground, justification),
            lambda: self.refresh_item(agenda_item_id), on_error)

    def ready_problems(self) -> list[str]:
        return self._call(lambda: sessions.ready_problems(self.engine, self.session_id)) or []

    def mark_ready(self) -> bool:
        return self._do(lambda: sessions.mark_ready(
            self.engine, self.session_id, self.settings), self.reload)

    # --- holding ---------------------------------------------------------------------

    def record_attendance(self, changes: Sequence[AttendanceChange],
                          on_error: ErrorSink | None = None) -> bool:
        return self._call(lambda: sessions.record_attendance(
            self.engine, self.session_id, changes, self.settings),
            self.refresh_attendance, on_error) is not None

    def set_president(self, member_id: int | None, on_error: ErrorSink | None = None) -> bool:
        return self._do(lambda: sessions.set_president(
            self.engine, self.session_id, member_id), self.refresh_attendance, on_error)

    def start_session(self) -> bool:
        return self._do(lambda: sessions.start_session(
            self.engine, self.session_id, self.settings), self.reload)

    def record_decision(self, request: DecisionRequest,
                        on_error: ErrorSink | None = None) -> DecisionOutcome | None:
        return self._call(lambda: sessions.record_decision(
            self.engine, request.candidacy_id, request.kind, rank=request.rank,
            condition=request.condition, deadline=request.deadline,
            reason_id=request.reason_id, second_reason_id=request.second_reason_id,
            reason_text=request.reason_text, justification=request.justification,
            votes=request.votes, unanimous=request.unanimous,
            casting_vote_used=request.casting_vote_used, settings=self.settings,
            expected_version=request.expected_version),
            self._refresh_candidacy(request.candidacy_id), on_error)

    def clear_decision(self, candidacy_id: int) -> bool:
        return self._do(lambda: sessions.clear_decision(self.engine, candidacy_id),
                        self._refresh_candidacy(candidacy_id))

    def record_event(self, kind: str, candidacy_id: int, on: date, reason: str
                     ) -> tuple[EventView | None, str]:
        """Record what happened after the séance; returns (event, French problem)."""
        record: dict[str, Callable[[], EventView]] = {
            "refusal": lambda: sessions.record_refusal(self.engine, candidacy_id, on, reason),
            "condition_met": lambda: sessions.record_condition_met(
                self.engine, candidacy_id, on, reason),
            "condition_lapsed": lambda: sessions.record_condition_lapsed(
                self.engine, candidacy_id, on, reason),
            "lease_signed": lambda: sessions.record_lease_signed(self.engine, candidacy_id, on),
        }
        try:
            event = record[kind]()
        except CaleolError as exc:
            return None, str(exc)
        self._refresh_candidacy(candidacy_id)()
        return event, ""

    def add_rectification(self, text: str, candidacy_id: int | None = None) -> str:
        """A correction of the signed séance, as a new linked record; the French problem."""
        try:
            sessions.add_rectification(self.engine, self.session_id, text,
                                       author=self.detail.secretary_name if self.detail else "",
                                       candidacy_id=candidacy_id)
        except CaleolError as exc:
            return str(exc)
        self.reload()
        return ""

    def record_occupation_review(self, motive: str, **fields: Any) -> bool:
        return self._call(lambda: sessions.record_occupation_review(
            self.engine, self.session_id, motive, **fields), self.reload) is not None

    # --- closing and documents ---------------------------------------------------------

    def closing_problems(self) -> list[str]:
        return self._call(lambda: sessions.closing_problems(
            self.engine, self.session_id, self.settings)) or []

    def close_session(self, start: time | None = None, end: time | None = None,
                      on_error: ErrorSink | None = None) -> bool:
        """Close and freeze with the times confirmed; a backup that failed after the
        close is shown, not hidden."""
        outcome = self._call(lambda: sessions.close_session(
            self.engine, self.session_id, self.settings, start_time=start, end_time=end),
            self.reload, on_error)
        if outcome is None:
            return False
        if outcome.warnings:
            messages.show_info(self._widget, "\n".join(outcome.warnings))
        return True

    def documents(self) -> SessionDocuments:
        """The séance's documents as work for the task runner, with today's settings."""
        from caleol.ui.pages.session.document_work import SessionDocuments

        return SessionDocuments(self.engine, self.session_id, self.settings)
