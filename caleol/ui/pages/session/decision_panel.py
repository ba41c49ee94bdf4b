"""The commission's decision on the selected candidate: the five kinds and their fields.

Only the fields that apply to the chosen kind are enabled (rank for a ranked
attribution, condition and deadline for a conditional one, reasons for a refusal).
As the form changes, it asks the rules (`rules.decision_review.review_decision`, the
function the service validates the save with) what the draft still needs: the
warnings show under the form, and the justification field appears, required, with
the status of the checks it must answer. A refused save changes nothing that was
typed: each French problem shows in red beside its field (`form_errors`), and the
fields are checked again as they are corrected. The fields and their layout are
`decision_form.DecisionForm`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from caleol.errors import CaleolError
from caleol.fr import paris_today
from caleol.rules.decision_review import DecisionReview, review_decision
from caleol.rules.decisions import CitedReason, DecisionKind
from caleol.rules.decisions import Decision as RuleDecision
from caleol.rules.votes import Vote
from caleol.services.reference import ReasonInfo
from caleol.services.sessions import CandidacyView, SessionDetail
from caleol.ui.pages.session.controller import DecisionRequest
from caleol.ui.pages.session.decision_form import DecisionForm, offer_reasons
from caleol.ui.qdates import from_qdate, to_qdate

REASON_KIND = {DecisionKind.NON_ATTRIBUTION: "non_attribution",
               DecisionKind.IRRECEVABILITE: "irrecevabilite"}
RANKED = (DecisionKind.ATTRIBUTION_RANG, DecisionKind.ATTRIBUTION_SOUS_CONDITION)


def cited(reason: ReasonInfo) -> CitedReason:
    """What the rules weigh of a catalogue reason."""
    return CitedReason(reason.label, reason.unlawful_alone, reason.contradicts_check)


class DecisionPanel(DecisionForm):
    """The decision form at work: loaded with a candidate's decision, reviewed by the
    rules as it changes, sent as a `DecisionRequest`."""

    decision_requested = Signal(object)  # DecisionRequest
    clear_requested = Signal(int)

    def __init__(self, reasons: tuple[ReasonInfo, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionPanel")
        self._reasons = reasons
        self._candidate: CandidacyView | None = None
        self._counted = 0
        self._casting_holders: tuple[str, ...] = ()
        self._attempted = False  # a save was refused: the fields are checked as they change
        self._loading = False
        self.review: DecisionReview | None = None
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.reason.currentIndexChanged.connect(self._reason_changed)
        self.unanimous.toggled.connect(self._unanimous_toggled)
        self.votes.toggled.connect(self._votes_toggled)
        for combo in (self.second_reason,):
            combo.currentIndexChanged.connect(self._changed)
        for edit in (self.condition, self.reason_text, self.justification):
            edit.textChanged.connect(self._changed)
        for spin in (self.rank, self.votes_for, self.votes_against, self.votes_abstain):
            spin.valueChanged.connect(self._changed)
        self.deadline.dateChanged.connect(self._changed)
        self.casting_vote.toggled.connect(self._changed)
        self.record_button.clicked.connect(self._record)
        self.clear_button.clicked.connect(self._clear)
        self._writable = False
        self._kind_changed()
        self._votes_toggled(False)
        self.set_candidate(None, writable=False)

    # --- state -----------------------------------------------------------------------

    def set_reasons(self, reasons: tuple[ReasonInfo, ...]) -> None:
        self._reasons = reasons
        self._kind_changed()

    def set_session(self, detail: SessionDetail) -> None:
        """Who votes: the members counted and the casting vote's holder present."""
        self._counted = detail.quorum.counted
        self._casting_holders = tuple(a.name for a in detail.attendance
                                      if a.casting_vote and a.status == "present")
        holder = " ; ".join(self._casting_holders)
        self.casting_holder.setText(f"({holder})" if holder else "")
        self.casting_holder.setToolTip(holder)
        self._changed()

    def set_candidate(self, candidate: CandidacyView | None, *, writable: bool,
                      why_not: str = "") -> None:
        self._candidate = candidate
        self._writable = writable and candidate is not None
        self._attempted = False
        self.errors.clear()
        if candidate is None:
            self.candidate_label.setText(self.tr("Sélectionnez un candidat."))
        else:
            self.candidate_label.setText(f"<b>{candidate.name}</b> ({candidate.nur})"
                                         + (f" — <i>{why_not}</i>" if why_not else ""))
        self._loading = True
        try:
            self._load(candidate)
            for widget in (self.kind, self.condition, self.deadline, self.reason,
                           self.second_reason, self.reason_text, self.justification,
                           self.unanimous, self.votes, self.record_button, self.clear_button,
                           self.casting_vote):
                widget.setEnabled(self._writable)
            self._kind_changed()
            self._votes_toggled(self.votes.isChecked())
        finally:
            self._loading = False
        self.clear_button.setEnabled(self._writable and candidate is not None
                                     and candidate.decision is not None)
        self._changed()

    def propose(self, kind: str, rank: int) -> None:
        """Preset an undecided candidate's form with the kind and rank that follow
        the order (the workspace, after a ranked decision on the previous candidate);
        nothing is recorded, the secretary may change both (task gui, issue 17)."""
        if self._candidate is None or self._candidate.decision is not None:
            return
        index = self.kind.findData(kind)
        if index >= 0 and DecisionKind(kind) in RANKED:
            self.kind.setCurrentIndex(index)
            self.rank.setValue(rank)

    def show_warnings(self, warnings: Sequence[str]) -> None:
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def show_error(self, error: CaleolError) -> None:
        """A refused save: every message beside its field, nothing typed is touched."""
        self._attempted = True
        self.errors.show(error)

    def visible_errors(self) -> dict[str, str]:
        return self.errors.visible()

    def _load(self, candidate: CandidacyView | None) -> None:
        decision = candidate.decision if candidate is not None else None
        if decision is None:
            self.kind.setCurrentIndex(0)
            self.rank.setValue(0)
            self.condition.clear()
            self.deadline.setDate(to_qdate(paris_today() + timedelta(days=15)))
            self.reason_text.clear()
            self.justification.clear()
            self.unanimous.setChecked(False)
            self.votes.setChecked(False)
            for box in (self.votes_for, self.votes_against, self.votes_abstain):
                box.setValue(0)
            self.casting_vote.setChecked(False)
            return
        self.kind.setCurrentIndex(self.kind.findData(decision.kind))
        self._kind_changed()
        self.rank.setValue(decision.rank or 0)
        self.condition.setText(decision.condition)
        if decision.deadline is not None:
            self.deadline.setDate(to_qdate(decision.deadline))
        self.reason.setCurrentIndex(max(self.reason.findData(decision.reason_id), 0))
        self._fill_second_reason()
        self.second_reason.setCurrentIndex(
            max(self.second_reason.findData(decision.second_reason_id), 0))
        self.reason_text.setText(decision.reason_text)
        self.justification.setText(decision.justification)
        self.unanimous.setChecked(decision.unanimous)
        self.votes.setChecked(decision.votes_for is not None and not decision.unanimous)
        self.votes_for.setValue(decision.votes_for or 0)
        self.votes_against.setValue(decision.votes_against or 0)
        self.votes_abstain.setValue(decision.votes_abstain or 0)
        self.casting_vote.setChecked(decision.casting_vote_used)

    def kind_value(self) -> DecisionKind:
        return DecisionKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.kind_value()
        conditional = kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION
        self.rank.setEnabled(self._writable and kind in RANKED)
        self.condition.setEnabled(self._writable and conditional)
        self.deadline.setEnabled(self._writable and conditional)
        wanted = REASON_KIND.get(kind)
        offer_reasons(self.reason, self.tr("(pas de motif pour une attribution)")
                      if wanted is None else self.tr("— choisir un motif du catalogue —"),
                      (r for r in self._reasons if wanted is not None and r.kind == wanted))
        self.reason.setEnabled(self._writable and wanted is not None)
        self.reason_text.setEnabled(self._writable and wanted is not None)
        self._fill_second_reason()
        self._changed()

    def _fill_second_reason(self) -> None:
        """The second reason: another reason of the same kind as the first one."""
        wanted = REASON_KIND.get(self.kind_value())
        first = self.reason.currentData()
        offer_reasons(self.second_reason, self.tr("(aucun)"),
                      (r for r in self._reasons if wanted is not None and first is not None
                       and r.kind == wanted and r.id != first))
        self.second_reason.setEnabled(self._writable and wanted is not None
                                      and first is not None)

    def _reason_changed(self) -> None:
        self._fill_second_reason()
        self._changed()

    def _unanimous_toggled(self, on: bool) -> None:
        if on:
            self.votes.setChecked(False)
        self._changed()

    def _votes_toggled(self, on: bool) -> None:
        if on:
            self.unanimous.setChecked(False)
        for box in (self.votes_for, self.votes_against, self.votes_abstain):
            box.setEnabled(self._writable and on)
        self.casting_vote.setEnabled(self._writable and on)
        self.casting_holder.setEnabled(self.casting_vote.isEnabled())
        if not on:
            self.casting_vote.setChecked(False)
        self._changed()

    # --- the rules, as the form changes ----------------------------------------------

    def _by_id(self) -> Mapping[Any, ReasonInfo]:
        return {r.id: r for r in self._reasons}

    def draft(self) -> tuple[RuleDecision, Vote | None] | None:
        """The rules' view of what the form holds (None: no candidate)."""
        request = self.request()
        candidate = self._candidate
        if request is None or candidate is None:
            return None
        reasons = self._by_id()
        chosen = [reasons[i] for i in (request.reason_id, request.second_reason_id)
                  if i is not None and i in reasons]
        decision = RuleDecision(
            candidate_id=candidate.nur, kind=DecisionKind(request.kind), rank=request.rank,
            condition=request.condition.strip(), deadline=request.deadline,
            reason=request.reason_text.strip(), justification=request.justification.strip(),
            cited=tuple(cited(r) for r in chosen))
        vote: Vote | None = None
        if request.unanimous:
            vote = Vote(unanimous=True, casting_vote_used=request.casting_vote_used)
        elif request.votes is not None:
            vote = Vote(*request.votes, casting_vote_used=request.casting_vote_used)
        return decision, vote

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        draft = self.draft()
        candidate = self._candidate
        if draft is None or candidate is None or not self._writable:
            self.review = None
            self.show_warnings(())
            self._show_justification(None)
            return
        decision, vote = draft
        statuses = {name: str(check.get("status") or "")
                    for name, check in candidate.checks.items()}
        self.review = review_decision(decision, statuses, vote, self._counted,
                                      self._casting_holders)
        self.show_warnings(self.review.warnings)
        self._show_justification(self.review)
        if self._attempted:
            self.errors.show(dict(self.review.problems))

    def _show_justification(self, review: DecisionReview | None) -> None:
        """The justification row: shown when required (with why) or already filled."""
        required = review is not None and review.justification_required
        if required and review is not None and self._candidate is not None:
            # The check's sentence here; its explanation (the figures, the table that
            # lacks) is the candidate's panel beside the form and this line's tooltip:
            # repeated in the form it pushed the vote below the fold at 1366×768.
            lines, details = [], []
            for ground in review.grounds:
                explanation = str(self._candidate.checks.get(ground.check, {})
                                  .get("explanation") or "")
                sentence = f"• {ground.sentence[:1].upper()}{ground.sentence[1:]}"
                lines.append(sentence)
                details.append(sentence + (f" — {explanation}" if explanation else ""))
            self.justification_reason.setText(
                self.tr("Justification requise :") + "\n" + "\n".join(lines))
            self.justification_reason.setToolTip("\n".join(details))
        else:
            self.justification_reason.clear()
            self.justification_reason.setToolTip("")
        self.justification_reason.setVisible(required)
        shown = required or bool(self.justification.text().strip())
        self.justification_row.setVisible(shown)
        if self.justification_title is not None:
            self.justification_title.setVisible(shown)

    # --- requests --------------------------------------------------------------------

    def request(self) -> DecisionRequest | None:
        candidate = self._candidate
        if candidate is None:
            return None
        kind = self.kind_value()
        conditional = kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION
        votes = ((self.votes_for.value(), self.votes_against.value(), self.votes_abstain.value())
                 if self.votes.isChecked() else None)
        return DecisionRequest(
            candidacy_id=candidate.id,
            kind=kind.value,
            rank=(self.rank.value() or None) if kind in RANKED else None,
            condition=self.condition.text() if conditional else "",
            deadline=from_qdate(self.deadline.date()) if conditional else None,
            reason_id=self.reason.currentData() if kind.needs_reason else None,
            second_reason_id=self.second_reason.currentData() if kind.needs_reason else None,
            reason_text=self.reason_text.text() if kind.needs_reason else "",
            justification=self.justification.text(),
            votes=votes,
            unanimous=self.unanimous.isChecked(),
            casting_vote_used=self.casting_vote.isChecked() and votes is not None,
            expected_version=candidate.decision.version if candidate.decision else None,
        )

    def _record(self) -> None:
        request = self.request()
        if request is not None:
            self.decision_requested.emit(request)

    def _clear(self) -> None:
        if self._candidate is not None:
            self.clear_requested.emit(self._candidate.id)
