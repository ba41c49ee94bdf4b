"""Holding the séance in the workspace: opening it, presences and the president,
occupation reviews, the decisions (then on to the next candidate), closing; and what
happens after it (refusals, conditions met or lapsed, leases signed).

Each change the user can take back goes on the undo stack (`undo`).
"""

from __future__ import annotations

from typing import Any

from caleol.errors import CaleolError
from caleol.ui import messages
from caleol.ui.pages.session import undo
from caleol.ui.pages.session.close_dialog import CloseDialog
from caleol.ui.pages.session.controller import DecisionRequest
from caleol.ui.pages.session.event_dialog import EventDialog
from caleol.ui.pages.session.workspace_base import WorkspaceBase


class HoldingActions(WorkspaceBase):
    """What the secretary records from the séance's opening on."""

    def start_session(self) -> None:
        if self.controller.start_session():
            self.tabs.setCurrentWidget(self.attendance)
            messages.show_status(self, self.tr("Séance ouverte : enregistrez les présences "
                                               "puis les décisions."))

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

    def _record_decision(self, request: DecisionRequest) -> None:
        before = self._candidacy(request.candidacy_id)
        outcome = self.controller.record_decision(request, on_error=self.decision.show_error)
        if outcome is None:
            return
        if before is not None:
            self.undo_stack.push(undo.DecisionChanged(
                self.controller, request.candidacy_id, before.decision, request,
                self.tr("décision pour {name}").format(name=before.name),
                lambda: self._show_decision_of(request.candidacy_id)))
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
        self._propose_rank(decided)
        return True

    def _propose_rank(self, candidacy_id: int) -> None:
        """The selected, undecided candidate's form preset with the rank after those
        already given on its dwelling (the form ignores it once a decision exists)."""
        item = self.controller.item_of(candidacy_id)
        ranked = [c.decision for c in item.candidacies
                  if c.decision is not None and c.decision.rank is not None] if item else []
        if ranked:
            last = max(ranked, key=lambda d: d.rank or 0)
            self.decision.propose(last.kind, (last.rank or 0) + 1)

    def _show_decision_of(self, candidacy_id: int) -> None:
        """After an undo or redo: the candidate selected; a decision undone leaves the
        rank proposed from the order, as after recording the previous one."""
        self._reselect_candidate(candidacy_id)
        self._propose_rank(candidacy_id)

    def _clear_decision(self, candidacy_id: int) -> None:
        before = self._candidacy(candidacy_id)

        def clear() -> None:
            if self.controller.clear_decision(candidacy_id) and before is not None:
                self.undo_stack.push(undo.DecisionChanged(
                    self.controller, candidacy_id, before.decision, None,
                    self.tr("effacement de la décision de {name}").format(name=before.name),
                    lambda: self._show_decision_of(candidacy_id)))

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
