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
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caleol import fr, paths
from caleol.errors import CaleolError
from caleol.services import sessions
from caleol.services.sessions import (
    AgendaItemView,
    CandidacyView,
    CommissionChoice,
    MemberChoice,
    SessionDetail,
)
from caleol.services.territory.missing import missing_for_session
from caleol.settings import Settings
from caleol.ui import messages, printing
from caleol.ui.dialogs.new_session import NewSessionDialog, NewSessionValues
from caleol.ui.dialogs.sign_dialog import SignDialog
from caleol.ui.dialogs.suggestions import SuggestionsDialog
from caleol.ui.pages.live_impact import LiveImpactPanel
from caleol.ui.pages.session import undo
from caleol.ui.pages.session.actions import SessionHeader
from caleol.ui.pages.session.agenda_list import AgendaList
from caleol.ui.pages.session.attendance_panel import AttendancePanel
from caleol.ui.pages.session.candidates_panel import CandidatesPanel
from caleol.ui.pages.session.close_dialog import CloseDialog
from caleol.ui.pages.session.controller import (
    FROZEN,
    PREPARING,
    DecisionRequest,
    SessionController,
    read_only_reason,
)
from caleol.ui.pages.session.decision_panel import DecisionPanel
from caleol.ui.pages.session.document_dialogs import ExtractDialog, RectifyDialog
from caleol.ui.pages.session.dwelling_panel import DwellingPanel
from caleol.ui.pages.session.event_dialog import EventDialog
from caleol.ui.pages.session.events_panel import EventsPanel
from caleol.ui.pages.session.exception_dialog import ExceptionDialog
from caleol.ui.pages.session.orientation_form import OrientationForm
from caleol.ui.pages.session.pick_dialog import (
    DEMANDE_COLUMNS,
    DWELLING_COLUMNS,
    PickDialog,
    demande_search,
    dwelling_search,
)
from caleol.ui.pages.session.review_panel import ReviewPanel
from caleol.ui.pdf_viewer import PdfViewer, show_pdf
from caleol.ui.widgets.missing_tables import MissingTablesBanner

log = logging.getLogger(__name__)


class SessionWorkspace(QWidget):
    """One séance, from preparation to the signed minutes.

    Args:
        engine: database engine.
        settings: returns the current settings.
        tasks: the `TaskRunner` for PV generation and signing.
    """

    back_requested = Signal()
    document_ready = Signal(object)  # Path of a PDF just written
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

    # --- loading ---------------------------------------------------------------------

    @property
    def detail(self) -> SessionDetail | None:
        return self.controller.detail

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

    # --- preparation -----------------------------------------------------------------

    def suggest(self) -> None:
        item = self.agenda.current()
        if item is None:
            return
        found = self.controller.suggestions(item.id)
        if found is None:
            return
        if not found.suggestions:
            messages.show_info(self, self.tr("Aucune demande active ne correspond à ce "
                                             "logement."))
            return
        dialog = SuggestionsDialog(found, self)
        dialog.accepted.connect(lambda: self._add_suggested(item.id, dialog))
        self._open(dialog)

    def _add_suggested(self, agenda_item_id: int, dialog: SuggestionsDialog) -> None:
        chosen = dialog.chosen()
        added = self.controller.add_suggested(agenda_item_id, chosen)
        if added:
            self.undo_stack.beginMacro(self.tr("ajout de {n}").format(
                n=fr.counted(len(added), self.tr("candidat"), self.tr("candidats"))))
            for suggestion, candidacy_id in zip(chosen, added, strict=False):
                self.undo_stack.push(undo.CandidateAdded(
                    self.controller, agenda_item_id, suggestion.demande_id, candidacy_id,
                    self.tr("ajout de {name}").format(name=suggestion.name),
                    " ; ".join(suggestion.reasons)))
            self.undo_stack.endMacro()
            messages.show_status(self, fr.counted(
                len(added), self.tr("candidat ajouté."), self.tr("candidats ajoutés.")))

    def add_dwelling(self) -> None:
        try:
            reservataires = sessions.reservataire_choices(self.controller.engine)
        except CaleolError as exc:
            messages.show_error(self, exc)
            return
        orientation = OrientationForm(reservataires)
        dialog = PickDialog(self.tr("Ajouter un logement à l'ordre du jour"),
                            self.tr("Référence, adresse ou commune (logements vacants)"),
                            DWELLING_COLUMNS, dwelling_search(self.controller.dwelling_browser()),
                            self, extra=orientation)
        dialog.view.selectionModel().selectionChanged.connect(
            lambda *_: orientation.follow(dialog.chosen()))
        orientation.follow(dialog.chosen())
        self.orientation = orientation  # tests fill it

        def add() -> None:
            row = dialog.chosen()
            reservataire_id, on = orientation.values()
            if row is not None and self.controller.add_dwelling(row.id, reservataire_id, on):
                self.agenda.select_reference(row.reference)

        dialog.accepted.connect(add)
        self._open(dialog)

    def _set_adaptation(self, candidacy_id: int, adaptation: str | None) -> None:
        before = self._candidacy(candidacy_id)
        if self.controller.set_typology_adaptation(candidacy_id, adaptation):
            if before is not None:
                self.undo_stack.push(undo.AdaptationChanged(
                    self.controller, candidacy_id, before.typology_adaptation, adaptation,
                    self.tr("adaptation de typologie de {name}").format(name=before.name)))
            self._reselect_candidate(candidacy_id)
            messages.show_status(self, self.tr("Adaptation de typologie enregistrée ; "
                                               "contrôles relancés."))

    def edit_info(self) -> None:
        """The séance's date, time, place, form and members convened (before opening)."""
        detail = self.detail
        if detail is None:
            return
        try:
            commissions = sessions.commission_choices(self.controller.engine)
        except CaleolError as exc:
            messages.show_error(self, exc)
            return
        own = tuple(with_convened(c, detail) for c in commissions
                    if c.id == detail.summary.commission_id)
        version = [detail.summary.version]
        dialog: NewSessionDialog

        def submit(values: NewSessionValues) -> CaleolError | None:
            error = self.controller.update_info(values, version[0])
            stored = self.detail
            if error is not None and stored is not None and (
                    stored.summary.version != version[0]):
                # Saved elsewhere meanwhile: the séance behind shows what is stored now;
                # the form keeps what was typed, and saving again replaces it.
                version[0] = stored.summary.version
                return CaleolError(error.message + " " + self.tr(
                    "La séance affichée derrière ce formulaire a été rechargée ; "
                    "« Enregistrer » la remplacera par ce que vous avez saisi."))
            if error is None:
                messages.show_status(self, self.tr("Séance modifiée."))
            return error

        dialog = NewSessionDialog(own, detail.secretary_name, self, submit=submit,
                                  initial=session_values(detail))
        self._open(dialog)

    def _remove_dwelling(self, agenda_item_id: int) -> None:
        self._confirm(self.tr("Retirer ce logement et ses candidats de l'ordre du jour ?"),
                      self.tr("Retirer"),
                      lambda: self.controller.remove_dwelling(agenda_item_id))

    def add_candidate(self) -> None:
        item = self.agenda.current()
        if item is None:
            return
        dialog = PickDialog(self.tr("Présenter une demande pour {ref}").format(ref=item.reference),
                            self.tr("NUR ou nom du demandeur (demandes actives)"),
                            DEMANDE_COLUMNS, demande_search(self.controller.demande_browser()),
                            self)

        def add() -> None:
            row = dialog.chosen()
            added = self.controller.add_candidate(item.id, row.id) if row is not None else None
            if row is not None and added is not None:
                self.undo_stack.push(undo.CandidateAdded(
                    self.controller, item.id, row.id, added,
                    self.tr("ajout de {name}").format(name=row.name)))
                self.candidates.select_nur(row.nur)

        dialog.accepted.connect(add)
        self._open(dialog)

    def _move(self, candidacy_id: int, rank: int) -> None:
        before = self._candidacy(candidacy_id)
        if self.controller.move_candidate(candidacy_id, rank):
            if before is not None and before.proposed_rank is not None:
                self.undo_stack.push(undo.CandidateMoved(
                    self.controller, candidacy_id, before.proposed_rank, rank,
                    self.tr("rang de {name}").format(name=before.name),
                    lambda: self._reselect_candidate(candidacy_id)))
            self._reselect_candidate(candidacy_id)

    def _candidacy(self, candidacy_id: int) -> CandidacyView | None:
        """A candidacy as last read (what an undo restores)."""
        item = self.controller.item_of(candidacy_id)
        return next((c for c in item.candidacies if c.id == candidacy_id), None) \
            if item is not None else None

    def _reselect_candidate(self, candidacy_id: int) -> None:
        for row, candidate in enumerate(self.candidates.model.rows()):
            if candidate.id == candidacy_id:
                self.candidates.view.selectRow(row)

    def _remove(self, candidacy_id: int) -> None:
        item, before = self.controller.item_of(candidacy_id), self._candidacy(candidacy_id)

        def remove() -> None:
            if self.controller.remove_candidate(candidacy_id) and item and before:
                self.undo_stack.push(undo.CandidateRemoved(
                    self.controller, item.id, before,
                    self.tr("retrait de {name}").format(name=before.name)))

        self._confirm(self.tr("Retirer ce candidat de l'ordre du jour ?"), self.tr("Retirer"),
                      remove)

    def edit_exception(self) -> None:
        item = self.agenda.current()
        if item is None:
            return
        def submit(ground: str | None, text: str, on_error: Any) -> bool:
            if not self.controller.set_exception(item.id, ground, text, on_error):
                return False
            self.undo_stack.push(undo.ExceptionChanged(
                self.controller, item.id, (item.exception, item.exception_justification),
                (ground, text), self.tr("exception pour {ref}").format(ref=item.reference)))
            return True

        dialog = ExceptionDialog(item.reference, item.exception, item.exception_justification,
                                 self, submit=submit)
        self._open(dialog)

    def mark_ready(self) -> None:
        if self.controller.mark_ready():
            messages.show_status(self, self.tr("Séance prête : l'ordre du jour est complet."))

    # --- holding ---------------------------------------------------------------------

    def _record_attendance(self, changes: list[Any]) -> None:
        detail = self.detail
        if self.controller.record_attendance(changes, on_error=self.attendance.show_error):
            if detail is not None:
                self.undo_stack.push(undo.AttendanceChanged(
                    self.controller, detail.attendance, detail.president_member_id, changes,
                    self.tr("présences")))
            messages.show_status(self, self.tr("Présences enregistrées."))

    def _set_president(self, member_id: int | None) -> None:
        detail = self.detail
        if self.controller.set_president(member_id, on_error=self.attendance.show_error):
            if detail is not None:
                self.undo_stack.push(undo.PresidentChanged(
                    self.controller, detail.president_member_id, member_id,
                    self.tr("président de séance")))
            messages.show_status(self, self.tr("Président de séance désigné."))

    def _record_review(self, motive: str, fields: dict[str, Any]) -> None:
        if self.controller.record_occupation_review(motive, **fields):
            self.reviews.clear_form()
            messages.show_status(self, self.tr("Examen d'occupation enregistré."))

    def start_session(self) -> None:
        if self.controller.start_session():
            self.tabs.setCurrentWidget(self.attendance)
            messages.show_status(self, self.tr("Séance ouverte : enregistrez les présences "
                                               "puis les décisions."))

    def _record_decision(self, request: DecisionRequest) -> None:
        before = self._candidacy(request.candidacy_id)
        outcome = self.controller.record_decision(request, on_error=self.decision.show_error)
        if outcome is None:
            return
        if before is not None:
            self.undo_stack.push(undo.DecisionChanged(
                self.controller, request.candidacy_id, before.decision, request,
                self.tr("décision pour {name}").format(name=before.name),
                lambda: self._reselect_candidate(request.candidacy_id)))
        messages.show_status(self, self.tr("Décision enregistrée : {kind}.").format(
            kind=outcome.decision.kind_label))
        # on to the next candidate; the rules' warnings are about the dwelling's whole
        # set of decisions, so they stay under the form
        if not self._select_next_undecided(request.candidacy_id):
            self._reselect_candidate(request.candidacy_id)
        self.decision.show_warnings(outcome.warnings)

    def _select_next_undecided(self, decided: int) -> bool:
        """After a decision, the next candidate without one (in the order presented),
        its rank proposed after the ranks already given; False when none is left."""
        item = self.controller.item_of(decided)
        if item is None:
            return False
        ordered = sorted(item.candidacies, key=lambda c: c.proposed_rank or 0)
        position = next((i for i, c in enumerate(ordered) if c.id == decided), -1)
        waiting = [c for c in ordered[position + 1:] + ordered[:position]
                   if c.decision is None]
        if not waiting:
            return False
        self._reselect_candidate(waiting[0].id)
        ranked = [c.decision for c in item.candidacies
                  if c.decision is not None and c.decision.rank is not None]
        if ranked:
            last = max(ranked, key=lambda d: d.rank or 0)
            self.decision.propose(last.kind, (last.rank or 0) + 1)
        return True

    def _clear_decision(self, candidacy_id: int) -> None:
        before = self._candidacy(candidacy_id)

        def clear() -> None:
            if self.controller.clear_decision(candidacy_id) and before is not None:
                self.undo_stack.push(undo.DecisionChanged(
                    self.controller, candidacy_id, before.decision, None,
                    self.tr("effacement de la décision de {name}").format(name=before.name),
                    lambda: self._reselect_candidate(candidacy_id)))

        self._confirm(self.tr("Effacer la décision de ce candidat ?"), self.tr("Effacer"),
                      clear)

    def close_session(self) -> None:
        problems = self.controller.closing_problems()
        if problems:
            messages.show_error(self, CaleolError(
                self.tr("La séance ne peut pas être close :"), details=problems),
                self.tr("Clôture impossible"))
            return
        detail = self.detail
        if detail is None:
            return

        def submit(start: Any, end: Any) -> CaleolError | None:
            refused: list[CaleolError] = []
            if self.controller.close_session(start, end, on_error=refused.append):
                messages.show_status(self, self.tr("Séance close. Générez et signez le PV."))
                return None
            return refused[0] if refused else CaleolError(self.tr("Clôture impossible."))

        self._open(CloseDialog(detail.summary.date, detail.start_time, submit, self))

    # --- documents ---------------------------------------------------------------------

    def _write(self, pdf: bytes, name: str) -> Path:
        path = paths.documents_dir() / name
        path.write_bytes(pdf)
        self.last_document = path
        self.document_ready.emit(path)
        return path

    def generate_minutes(self) -> None:
        """Draft PV of a closed séance (or the stored signed one), opened in the viewer."""
        from caleol.ui.tasks import run_with_progress

        detail = self.detail
        if detail is None:
            return
        suffix = "signe" if detail.status == "signed" else "projet"

        def done(produced: Any) -> None:
            path = self._write(produced.pdf, f"pv-seance-{detail.id}-{suffix}.pdf")
            self._show_document(path)

        run_with_progress(self, self.tasks, self.tr("Procès-verbal…"),
                          self.controller.minutes_work(None), done)

    def sign_minutes(self) -> None:
        detail = self.detail
        if detail is None:
            return
        settings = self.controller.settings
        dialog = SignDialog(detail.president, detail.secretary_name,
                            settings.signing_certificate, self)
        dialog.accepted.connect(lambda: self._sign(dialog))
        self._open(dialog)

    def _sign(self, dialog: SignDialog) -> None:
        from caleol.services.documents.session_minutes import SigningKey
        from caleol.ui.tasks import run_with_progress

        request = dialog.request
        if request is None:
            return
        key = SigningKey(request.p12_path, request.passphrase)
        fields = None if len(request.fields) == 2 else request.fields

        def done(produced: Any) -> None:
            name = produced.stored.filename if produced.stored else "pv-signe.pdf"
            path = self._write(produced.pdf, name)
            self.controller.reload()
            messages.show_status(self, self.tr("Procès-verbal signé et conservé : {p}")
                                 .format(p=path), 15000)

        run_with_progress(self, self.tasks, self.tr("Signature du procès-verbal…"),
                          self.controller.minutes_work(key, fields), done)

    def generate_letters(self) -> None:
        from caleol.ui.tasks import run_with_progress

        detail = self.detail
        if detail is None:
            return

        def done(produced: Any) -> None:
            path = self._write(produced.pdf, f"courriers-seance-{detail.id}.pdf")
            self._show_document(path)
            if produced.withheld:  # who gets no letter today, and why (as caleol letters)
                self.letters_notice = messages.show_notice(
                    self, self.tr("Courriers enregistrés : {p}\nSans courrier aujourd'hui :")
                    .format(p=path), produced.withheld, self.tr("Courriers de la séance"))

        run_with_progress(self, self.tasks, self.tr("Courriers de la séance…"),
                          self.controller.letters_work(), done)

    def generate_agenda(self) -> None:
        self._produce_plain(self.tr("Ordre du jour…"), self.controller.agenda_work(),
                            "ordre-du-jour-seance-{id}.pdf")

    def generate_sheets(self) -> None:
        self._produce_plain(self.tr("Fiches des candidats…"), self.controller.sheets_work(),
                            "fiches-candidats-seance-{id}.pdf")

    def _produce_plain(self, title: str, work: Callable[[Any], bytes], name: str) -> None:
        """A document nobody signs, off the GUI thread, written and shown."""
        from caleol.ui.tasks import run_with_progress

        detail = self.detail
        if detail is None:
            return
        run_with_progress(self, self.tasks, title, work, lambda pdf: self._show_document(
            self._write(pdf, name.format(id=detail.id))))

    # --- after the séance ------------------------------------------------------------

    def record_event(self, kind: str, candidacy_id: int) -> None:
        detail = self.detail
        candidate = next((c for item in (detail.agenda if detail else ())
                          for c in item.candidacies if c.id == candidacy_id), None)
        if detail is None or candidate is None:
            return

        def submit(on: Any, reason: str) -> str:
            event, problem = self.controller.record_event(kind, candidacy_id, on, reason)
            if event is not None:
                self._reselect_candidate(candidacy_id)
                messages.show_status(self, event.message or event.kind_label, 15000)
            return problem

        dialog = EventDialog(kind, f"{candidate.nur} — {candidate.name}", detail.summary.date,
                             submit, self)
        self._open(dialog)

    def offer_letter(self, candidacy_id: int) -> None:
        from caleol.ui.tasks import run_with_progress

        detail = self.detail
        candidate = next((c for item in (detail.agenda if detail else ())
                          for c in item.candidacies if c.id == candidacy_id), None)
        if detail is None or candidate is None:
            return

        def done(pdf: bytes) -> None:
            self._show_document(self._write(
                pdf, f"proposition-apres-refus-{detail.id}-{candidate.nur}.pdf"))

        run_with_progress(self, self.tasks, self.tr("Courrier de proposition…"),
                          self.controller.offer_letter_work(candidate.nur), done)

    def extract(self) -> None:
        detail = self.detail
        if detail is None:
            return
        dialog = ExtractDialog(detail.agenda, self.controller.settings.signing_certificate,
                               self)
        current = self.agenda.current()
        if current is not None:
            dialog.select_dwelling(current.reference)
        dialog.accepted.connect(lambda: self._produce_extract(dialog))
        self._open(dialog)

    def _produce_extract(self, dialog: ExtractDialog) -> None:
        request = dialog.request
        if request is None:
            return
        detail = self.detail
        assert detail is not None
        self._produce(self.tr("Extrait du procès-verbal…"),
                      self.controller.extract_work(request.nur, _key(request.signing)),
                      f"extrait-seance-{detail.id}-{request.nur}.pdf")

    def rectify(self) -> None:
        dialog = RectifyDialog(self.controller.settings.signing_certificate,
                               self.controller.add_rectification, self)
        dialog.accepted.connect(lambda: self._produce_rectificatif(dialog))
        self._open(dialog)

    def _produce_rectificatif(self, dialog: RectifyDialog) -> None:
        request = dialog.request
        if request is None:
            return
        detail = self.detail
        assert detail is not None
        self._produce(self.tr("Procès-verbal rectificatif…"),
                      self.controller.rectificatif_work(_key(request.signing)),
                      f"rectificatif-seance-{detail.id}.pdf")

    def _produce(self, title: str, work: Callable[[Any], Any], name: str) -> None:
        """A signable document off the GUI thread, written, listed and opened."""
        from caleol.ui.tasks import run_with_progress

        def done(produced: Any) -> None:
            stored = produced.stored
            path = self._write(produced.pdf, stored.filename if stored else name)
            if stored is not None:
                self.controller.reload()
            self._show_document(path)

        run_with_progress(self, self.tasks, title, work, done)

    def _show_document(self, path: Path) -> None:
        """Written: shown inside caleol (« Imprimer… », « Ouvrir avec le lecteur PDF »)."""
        messages.show_status(self, self.tr("Document enregistré : {p}").format(p=path), 15000)
        self.viewer = show_pdf(path, self)

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

    def print_last_document(self) -> bool:
        if self.last_document is None or not self.last_document.exists():
            return False
        return printing.print_document(self, self.last_document)

    # --- dialogs ---------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> None:
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


def with_convened(choice: CommissionChoice, detail: SessionDetail) -> CommissionChoice:
    """The commission's active members plus anyone convened since made inactive, so
    saving the form never drops a member from the convocation unasked."""
    known = {m.id for m in choice.members}
    extra = tuple(MemberChoice(a.member_id, a.name, a.deliberative)
                  for a in detail.attendance if a.member_id not in known)
    return replace(choice, members=choice.members + extra)


def session_values(detail: SessionDetail) -> NewSessionValues:
    """The edit form's values for a séance as stored."""
    s = detail.summary
    return NewSessionValues(
        commission_id=s.commission_id, on=s.date, start_time=detail.start_time,
        place=s.place, kind=s.kind, member_ids=[a.member_id for a in detail.attendance],
        secretary_name=detail.secretary_name)


def _key(signing: Any | None) -> Any | None:
    """A `SignRequest` from a dialog → the documents service's `SigningKey`."""
    if signing is None:
        return None
    from caleol.services.documents.session_minutes import SigningKey

    return SigningKey(signing.p12_path, signing.passphrase)
