"""Undo and redo of the séance workspace's changes (Ctrl+Z, Ctrl+Maj+Z, menu « Édition »).

Each change is first made through the controller as usual; only once the service has
accepted it is a command pushed, holding what was there before. Undoing calls the
same services in reverse (a decision undone is cleared, or the previous one recorded
again), so an undo is checked, written and audited like any other change; redoing
calls them forward again. A service that refuses (the séance was opened or closed
meanwhile, another workstation changed the record) shows its French message and the
command leaves the stack. The stack is emptied when the séance changes status or
another séance is opened: what a closed séance froze cannot be undone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QUndoCommand

from caleol.services.sessions import AttendanceChange, AttendanceView, CandidacyView, DecisionView
from caleol.ui.pages.session.controller import DecisionRequest, SessionController


def request_for(candidacy_id: int, decision: DecisionView) -> DecisionRequest:
    """The request recording `decision` again (undoing its replacement or removal)."""
    votes = None
    if decision.votes_for is not None and not decision.unanimous:
        votes = (decision.votes_for, decision.votes_against or 0, decision.votes_abstain or 0)
    return DecisionRequest(
        candidacy_id=candidacy_id, kind=decision.kind, rank=decision.rank,
        condition=decision.condition, deadline=decision.deadline,
        reason_id=decision.reason_id, reason_text=decision.reason_text,
        justification=decision.justification, votes=votes,
        casting_vote_used=decision.casting_vote_used,
        second_reason_id=decision.second_reason_id, unanimous=decision.unanimous)


def changes_for(attendance: tuple[AttendanceView, ...]) -> list[AttendanceChange]:
    """The attendance as it was, as changes that record it again."""
    return [AttendanceChange(a.member_id, a.status, a.proxy_member_id) for a in attendance]


class SessionCommand(QUndoCommand):
    """A change already made: the first `redo()` (from `QUndoStack.push`) does nothing.

    Subclasses give `apply()` (do it again) and `revert()` (undo it), each returning
    whether the service accepted; a refusal makes the command obsolete (dropped).
    """

    def __init__(self, text: str, controller: SessionController,
                 after: Callable[[], None] | None = None) -> None:
        super().__init__(text)
        self.controller = controller
        self._after = after  # reselect what changed (the workspace's)
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._finish(self.apply())

    def undo(self) -> None:
        self._finish(self.revert())

    def _finish(self, accepted: bool) -> None:
        if not accepted:
            self.setObsolete(True)
        elif self._after is not None:
            self._after()

    def apply(self) -> bool:
        raise NotImplementedError

    def revert(self) -> bool:
        raise NotImplementedError

    def _version(self, candidacy_id: int) -> int | None:
        """The decision's version as now stored (undo writes over the latest one)."""
        item = self.controller.item_of(candidacy_id)
        candidacy = next((c for c in item.candidacies if c.id == candidacy_id), None) \
            if item is not None else None
        return candidacy.decision.version if candidacy and candidacy.decision else None


class DecisionChanged(SessionCommand):
    """A decision recorded (`after`) or cleared (`after` None), `before` it the previous
    one (None: there was none)."""

    def __init__(self, controller: SessionController, candidacy_id: int,
                 before: DecisionView | None, after: DecisionRequest | None, text: str,
                 reselect: Callable[[], None] | None = None) -> None:
        super().__init__(text, controller, reselect)
        self.candidacy_id = candidacy_id
        self.before = before
        self.after = after

    def _record(self, request: DecisionRequest) -> bool:
        request = replace(request, expected_version=self._version(self.candidacy_id))
        return self.controller.record_decision(request) is not None

    def apply(self) -> bool:
        if self.after is None:
            return self.controller.clear_decision(self.candidacy_id)
        return self._record(self.after)

    def revert(self) -> bool:
        if self.before is None:
            return self.controller.clear_decision(self.candidacy_id)
        return self._record(request_for(self.candidacy_id, self.before))


class CandidateAdded(SessionCommand):
    """A demande presented for a dwelling (by hand or from the suggestions)."""

    def __init__(self, controller: SessionController, agenda_item_id: int, demande_id: int,
                 candidacy_id: int, text: str, suggestion_reasons: str = "") -> None:
        super().__init__(text, controller)
        self.agenda_item_id = agenda_item_id
        self.demande_id = demande_id
        self.candidacy_id = candidacy_id
        self.suggestion_reasons = suggestion_reasons

    def apply(self) -> bool:
        added = self.controller.add_candidate(self.agenda_item_id, self.demande_id,
                                              suggestion_reasons=self.suggestion_reasons)
        if added is None:
            return False
        self.candidacy_id = added
        return True

    def revert(self) -> bool:
        return self.controller.remove_candidate(self.candidacy_id)


class CandidateRemoved(SessionCommand):
    """A candidate withdrawn from the agenda; undone, presented again at the same rank
    with the same origin, réservataire, suggestion reasons and typology adaptation."""

    def __init__(self, controller: SessionController, agenda_item_id: int,
                 candidacy: CandidacyView, text: str) -> None:
        super().__init__(text, controller)
        self.agenda_item_id = agenda_item_id
        self.candidacy = candidacy

    def apply(self) -> bool:
        return self.controller.remove_candidate(self.candidacy.id)

    def revert(self) -> bool:
        restored = self.controller.restore_candidate(self.agenda_item_id, self.candidacy)
        if restored is None:
            return False
        self.candidacy = replace(self.candidacy, id=restored)
        return True


class CandidateMoved(SessionCommand):
    def __init__(self, controller: SessionController, candidacy_id: int, before: int,
                 after: int, text: str, reselect: Callable[[], None] | None = None) -> None:
        super().__init__(text, controller, reselect)
        self.candidacy_id = candidacy_id
        self.before = before
        self.after = after

    def apply(self) -> bool:
        return self.controller.move_candidate(self.candidacy_id, self.after)

    def revert(self) -> bool:
        return self.controller.move_candidate(self.candidacy_id, self.before)


class ExceptionChanged(SessionCommand):
    """The ground for fewer than three candidates, and its justification."""

    def __init__(self, controller: SessionController, agenda_item_id: int,
                 before: tuple[str | None, str], after: tuple[str | None, str],
                 text: str) -> None:
        super().__init__(text, controller)
        self.agenda_item_id = agenda_item_id
        self.before = before
        self.after = after

    def apply(self) -> bool:
        return self.controller.set_exception(self.agenda_item_id, *self.after)

    def revert(self) -> bool:
        return self.controller.set_exception(self.agenda_item_id, *self.before)


class AdaptationChanged(SessionCommand):
    def __init__(self, controller: SessionController, candidacy_id: int, before: str | None,
                 after: str | None, text: str) -> None:
        super().__init__(text, controller)
        self.candidacy_id = candidacy_id
        self.before = before
        self.after = after

    def apply(self) -> bool:
        return self.controller.set_typology_adaptation(self.candidacy_id, self.after)

    def revert(self) -> bool:
        return self.controller.set_typology_adaptation(self.candidacy_id, self.before)


class AttendanceChanged(SessionCommand):
    """Presences recorded; undone, the previous ones and the president with them (a
    president no longer present lost the presidency when they were recorded)."""

    def __init__(self, controller: SessionController, before: tuple[AttendanceView, ...],
                 president: int | None, after: list[AttendanceChange], text: str) -> None:
        super().__init__(text, controller)
        self.before = changes_for(before)
        self.president = president
        self.after = after

    def apply(self) -> bool:
        return self.controller.record_attendance(self.after)

    def revert(self) -> bool:
        if not self.controller.record_attendance(self.before):
            return False
        detail = self.controller.detail
        if detail is not None and detail.president_member_id != self.president:
            return self.controller.set_president(self.president)
        return True


class PresidentChanged(SessionCommand):
    def __init__(self, controller: SessionController, before: int | None, after: int | None,
                 text: str) -> None:
        super().__init__(text, controller)
        self.before = before
        self.after = after

    def apply(self) -> bool:
        return self.controller.set_president(self.after)

    def revert(self) -> bool:
        return self.controller.set_president(self.before)
