"""The séance workspace: the screen used every week.

Layout: header (status, workflow buttons, read-only banner); on the left the agenda's
dwellings with their badge; on the right the selected dwelling, its candidates with
their check marks and explanation, and below, tabs for the decision on the selected
candidate, for attendance / quorum / president, the occupation reviews, and what
happened after the séance (refusals, conditions, leases: « Suites de la séance »).
Panels emit requests; this class turns them into `SessionController` calls and
shows what the controller announces: the whole séance (`changed`), one agenda item
(`item_changed`) or the attendance (`attendance_changed`). A refused call changes
nothing on screen, so forms keep what was typed. Dialogs are opened with `open()`
(not `exec()`), so the window keeps running and tests can drive them.

This module builds the screen and shows the séance; what the user does is in one
module per stage, each a base of the workspace: `workspace_preparing` (the agenda),
`workspace_holding` (the séance held, and what follows it), `workspace_documents`
(PV, letters, agenda, sheets, extract, rectificatif); what they share is in
`workspace_base`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from caleol.errors import CaleolError
from caleol.services import sessions
from caleol.services.sessions import AgendaItemView, CandidacyView, SessionDetail
from caleol.services.territory.missing import missing_for_session
from caleol.settings import Settings
from caleol.ui import messages
from caleol.ui.pages.live_impact import LiveImpactPanel
from caleol.ui.pages.session.actions import SessionHeader
from caleol.ui.pages.session.agenda_list import AgendaList
from caleol.ui.pages.session.attendance_panel import AttendancePanel
from caleol.ui.pages.session.candidates_panel import CandidatesPanel
from caleol.ui.pages.session.controller import (
    FROZEN,
    PREPARING,
    SessionController,
    read_only_reason,
)
from caleol.ui.pages.session.decision_panel import DecisionPanel
from caleol.ui.pages.session.dwelling_panel import DwellingPanel
from caleol.ui.pages.session.events_panel import EventsPanel
from caleol.ui.pages.session.review_panel import ReviewPanel
from caleol.ui.pages.session.workspace_documents import DocumentActions
from caleol.ui.pages.session.workspace_holding import HoldingActions
from caleol.ui.pages.session.workspace_preparing import PreparingActions
from caleol.ui.pdf_viewer import PdfViewer
from caleol.ui.widgets.missing_tables import MissingTablesBanner

log = logging.getLogger(__name__)


class SessionWorkspace(PreparingActions, HoldingActions, DocumentActions):
    """One séance, from preparation to the signed minutes.

    Args:
        engine: database engine.
        settings: returns the current settings.
        tasks: the `TaskRunner` for PV generation and signing.
    """

    back_requested = Signal()
    session_changed = Signal()

    def __init__(self, engine: Any, settings: Callable[[], Settings], tasks: Any,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionWorkspace")
        self.controller = SessionController(engine, settings, self)
        self.tasks = tasks
        self.last_document: Path | None = None
        self.current_dialog: QWidget | None = None  # the last dialog opened (tests drive it)
        self.viewer: PdfViewer | None = None  # the last document shown
        self.letters_notice: QMessageBox | None = None  # who got no letter, and why
        # Undo/redo of this séance's changes (main window's « Édition » menu)
        self.undo_stack = QUndoStack(self)
        self._history_of: tuple[int, str] | None = None  # (séance, status) it belongs to

        self.header = SessionHeader(self)
        self.agenda = AgendaList(self)
        self.agenda.setMinimumWidth(200)
        self.dwelling = DwellingPanel(self)
        self.candidates = CandidatesPanel(self)
        self.decision = DecisionPanel(parent=self)
        self.attendance = AttendancePanel(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("sessionTabs")
        self.tabs.addTab(self.decision, self.tr("Décision"))
        self.tabs.addTab(self.attendance, self.tr("Présences et quorum"))
        self.reviews = ReviewPanel(self)
        self.tabs.addTab(self.reviews, self.tr("Examens d'occupation"))
        self.events = EventsPanel(self)
        self.tabs.addTab(self.events, self.tr("Suites de la séance"))

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.dwelling)
        bottom = QSplitter(Qt.Orientation.Horizontal, right)
        bottom.addWidget(self.tabs)
        self.side = side = QWidget(bottom)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.candidates.explanation, 1)
        self.live_impact = LiveImpactPanel(engine, tasks, settings, side)
        side_layout.addWidget(self.live_impact)
        bottom.addWidget(side)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([560, 360])
        bottom.setChildrenCollapsible(False)
        vertical = QSplitter(Qt.Orientation.Vertical, right)
        vertical.addWidget(self.candidates)
        vertical.addWidget(bottom)
        # five candidates show whole; the decision form below gets the rest
        vertical.setStretchFactor(0, 2)
        vertical.setStretchFactor(1, 3)
        vertical.setSizes([210, 400])
        vertical.setChildrenCollapsible(False)
        right_layout.addWidget(vertical, 1)
        horizontal = QSplitter(Qt.Orientation.Horizontal, self)
        horizontal.addWidget(self.agenda)
        horizontal.addWidget(right)
        horizontal.setStretchFactor(1, 1)
        horizontal.setSizes([205, 955])
        horizontal.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.header)
        # Ceiling tables / quartile thresholds the séance's year lacks, with their import.
        self.missing_tables = MissingTablesBanner(self.controller.engine, self)
        self.missing_tables.imported.connect(self.controller.reload)
        layout.addWidget(self.missing_tables)
        layout.addWidget(horizontal, 1)

        # The candidate's explanation and mixité effect serve the decision and what
        # follows it; presences and reviews get the whole width (a commission of
        # twelve shows in two columns).
        self.tabs.currentChanged.connect(lambda _i: self.side.setVisible(
            self.tabs.currentWidget() in (self.decision, self.events)))
        self.controller.changed.connect(self._show_detail)
        self.controller.item_changed.connect(self._show_item_changed)
        self.controller.attendance_changed.connect(self._show_attendance)
        self.agenda.item_selected.connect(self._show_item)
        self.candidates.candidate_selected.connect(self._show_candidate)
        self.candidates.suggest_requested.connect(self.suggest)
        self.candidates.add_requested.connect(self.add_candidate)
        self.agenda.add_requested.connect(self.add_dwelling)
        self.agenda.remove_requested.connect(self._remove_dwelling)
        self.candidates.move_requested.connect(self._move)
        self.candidates.remove_requested.connect(self._remove)
        self.candidates.exception_requested.connect(self.edit_exception)
        self.decision.decision_requested.connect(self._record_decision)
        self.decision.clear_requested.connect(self._clear_decision)
        self.attendance.attendance_requested.connect(self._record_attendance)
        self.attendance.president_requested.connect(self._set_president)
        self.reviews.review_requested.connect(self._record_review)
        self.events.event_requested.connect(self.record_event)
        self.events.letter_requested.connect(self.offer_letter)
        self.dwelling.adaptation_requested.connect(self._set_adaptation)
        h = self.header
        h.back_requested.connect(self.back_requested)
        h.ready_requested.connect(self.mark_ready)
        h.start_requested.connect(self.start_session)
        h.close_requested.connect(self.close_session)
        h.minutes_requested.connect(self.generate_minutes)
        h.sign_requested.connect(self.sign_minutes)
        h.letters_requested.connect(self.generate_letters)
        h.agenda_requested.connect(self.generate_agenda)
        h.sheets_requested.connect(self.generate_sheets)
        h.edit_requested.connect(self.edit_info)
        h.extract_requested.connect(self.extract)
        h.rectify_requested.connect(self.rectify)

    def open_session(self, session_id: int) -> bool:
        try:
            self.decision.set_reasons(sessions.active_reasons(self.controller.engine))
        except CaleolError as exc:
            messages.show_error(self, exc)
        if self.controller.load(session_id) is None:
            return False
        frozen = self.detail is not None and self.detail.status in FROZEN
        if frozen or self.tabs.currentWidget() is self.events:
            self.tabs.setCurrentWidget(self.events if frozen else self.decision)
        return True

    def _show_detail(self, detail: SessionDetail) -> None:
        if self._history_of != (detail.id, detail.status):
            # another séance, or a new status (opened, closed): nothing before undoes
            self.undo_stack.clear()
            self._history_of = (detail.id, detail.status)
        self.header.set_detail(detail)
        engine, session_id = self.controller.engine, detail.summary.id
        self.missing_tables.watch(None if detail.status in FROZEN else
                                  lambda: missing_for_session(engine, session_id))
        self.candidates.set_preparing(detail.status == "draft")
        self.agenda.set_preparing(detail.status == "draft")
        self._show_attendance(detail)
        self.reviews.set_reviews(detail.occupation_reviews,
                                 writable=detail.status not in FROZEN)
        self.agenda.set_items(detail.agenda)
        self.session_changed.emit()

    def _show_attendance(self, detail: SessionDetail) -> None:
        self.attendance.set_attendance(
            detail.attendance, detail.quorum, detail.president_member_id, detail.president,
            writable=detail.status not in FROZEN)
        self.decision.set_session(detail)  # who votes: the count, the casting vote's holder

    def _show_item_changed(self, item: AgendaItemView) -> None:
        """One dwelling read again after a change: its row, and its candidates if shown."""
        detail = self.detail
        if detail is not None:
            self.header.set_detail(detail)
        self.agenda.update_item(item)
        current = self.agenda.current()
        if current is not None and current.id == item.id:
            self._show_item(item)
        self.session_changed.emit()

    def _show_item(self, item: AgendaItemView | None) -> None:
        self.dwelling.set_item(item)
        detail = self.detail
        self.events.set_item(item, detail is not None and detail.status in FROZEN)
        self.candidates.set_candidates(item.candidacies if item is not None else ())

    def _show_candidate(self, candidate: CandidacyView | None) -> None:
        detail = self.detail
        status = detail.status if detail is not None else ""
        why = ""
        if status in PREPARING:
            why = self.tr("les décisions s'enregistrent une fois la séance ouverte")
        elif status in FROZEN:
            why = read_only_reason(detail)
        self.decision.set_candidate(candidate, writable=status == "held", why_not=why)
        self.dwelling.set_candidate(candidate, writable=status in (*PREPARING, "held"))
        self.events.set_candidate(candidate)
        self.live_impact.show_candidacy(candidate.id if candidate is not None else None)

    def help_topic(self) -> str:
        """The guide's chapter for what is being done (`dialogs.help.CHAPTERS`)."""
        detail = self.detail
        if detail is None:
            return "sessions"
        if detail.status in FROZEN:
            return "sessions/events" if self.tabs.currentWidget() is self.events \
                else "sessions/closed"
        if detail.status in PREPARING:
            return "sessions/preparation"
        tabs = {self.decision: "decision", self.attendance: "attendance",
                self.reviews: "reviews", self.events: "events"}
        return f"sessions/{tabs.get(self.tabs.currentWidget(), 'decision')}"
