"""What the séance workspace's parts share: its panels, its controller, its undo stack,
and how it opens a dialog or asks for a confirmation.

The workspace (`workspace.SessionWorkspace`) builds the panels and shows the séance;
what the user does is in one module per stage of the séance, each a base of the
workspace: preparing the agenda (`workspace_preparing`), holding the séance
(`workspace_holding`), its documents (`workspace_documents`). They act on the
attributes declared here, which `SessionWorkspace.__init__` sets.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMessageBox, QTabWidget, QWidget

from caleol.services.sessions import CandidacyView, SessionDetail
from caleol.ui.pages.live_impact import LiveImpactPanel
from caleol.ui.pages.session.actions import SessionHeader
from caleol.ui.pages.session.agenda_list import AgendaList
from caleol.ui.pages.session.attendance_panel import AttendancePanel
from caleol.ui.pages.session.candidates_panel import CandidatesPanel
from caleol.ui.pages.session.controller import SessionController
from caleol.ui.pages.session.decision_panel import DecisionPanel
from caleol.ui.pages.session.dwelling_panel import DwellingPanel
from caleol.ui.pages.session.events_panel import EventsPanel
from caleol.ui.pages.session.review_panel import ReviewPanel
from caleol.ui.pdf_viewer import PdfViewer


class WorkspaceBase(QWidget):
    """The séance workspace's state and panels (set by `SessionWorkspace`)."""

    document_ready = Signal(object)  # Path of a PDF just written

    controller: SessionController
    tasks: Any  # the TaskRunner for documents and signing
    undo_stack: QUndoStack  # this séance's changes (main window's « Édition » menu)
    last_document: Path | None  # what Ctrl+P prints
    current_dialog: QWidget | None  # the last dialog opened (tests drive it)
    viewer: PdfViewer | None  # the last document shown
    letters_notice: QMessageBox | None  # who got no letter, and why
    header: SessionHeader
    agenda: AgendaList
    dwelling: DwellingPanel
    candidates: CandidatesPanel
    tabs: QTabWidget
    decision: DecisionPanel
    attendance: AttendancePanel
    reviews: ReviewPanel
    events: EventsPanel
    live_impact: LiveImpactPanel

    @property
    def detail(self) -> SessionDetail | None:
        return self.controller.detail

    def _candidacy(self, candidacy_id: int) -> CandidacyView | None:
        """A candidacy as last read (what an undo restores)."""
        item = self.controller.item_of(candidacy_id)
        return next((c for c in item.candidacies if c.id == candidacy_id), None) \
            if item is not None else None

    def _reselect_candidate(self, candidacy_id: int) -> None:
        for row, candidate in enumerate(self.candidates.model.rows()):
            if candidate.id == candidacy_id:
                self.candidates.view.selectRow(row)

    def _open(self, dialog: QDialog) -> None:
        """Opened with `open()`, not `exec()`: the window keeps running, tests drive it."""
        self.current_dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _confirm(self, text: str, confirm: str, then: Callable[[], object]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Confirmation"), text,
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("sessionConfirmBox")
        yes = box.addButton(confirm, QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.buttonClicked.connect(lambda button: then() if button is yes else None)
        self._open(box)
