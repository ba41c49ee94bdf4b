"""The commission's decision on the selected candidate: the five kinds and their fields.

Only the fields that apply to the chosen kind are enabled (rank for a ranked
attribution, condition and deadline for a conditional one, reason for a refusal);
the service validates everything and its French problems are shown as errors,
its warnings under the form.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caleol.rules.decisions import DecisionKind
from caleol.services.reference import ReasonInfo
from caleol.services.sessions import CandidacyView
from caleol.ui.pages.session.controller import DecisionRequest

REASON_KIND = {DecisionKind.NON_ATTRIBUTION: "non_attribution",
               DecisionKind.IRRECEVABILITE: "irrecevabilite"}


class DecisionPanel(QWidget):
    decision_requested = Signal(object)  # DecisionRequest
    clear_requested = Signal(int)

    def __init__(self, reasons: tuple[ReasonInfo, ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionPanel")
        self._reasons = reasons
        self._candidate: CandidacyView | None = None

        self.candidate_label = QLabel(self)
        self.candidate_label.setObjectName("decisionCandidate")
        self.candidate_label.setWordWrap(True)
        self.kind = QComboBox(self)
        self.kind.setObjectName("decisionKind")
        for kind in DecisionKind:
            self.kind.addItem(kind.label, kind.value)
        self.rank = QSpinBox(self)
        self.rank.setObjectName("decisionRank")
        self.rank.setRange(0, 99)
        self.rank.setSpecialValueText(self.tr("sans rang"))
        self.condition = QLineEdit(self)
        self.condition.setObjectName("decisionCondition")
        self.condition.setPlaceholderText(self.tr("pièce ou condition attendue"))
        self.deadline = QDateEdit(self)
        self.deadline.setObjectName("decisionDeadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("dd/MM/yyyy")
        self.reason = QComboBox(self)
        self.reason.setObjectName("decisionReason")
        self.reason_text = QLineEdit(self)
        self.reason_text.setObjectName("decisionReasonText")
        self.reason_text.setPlaceholderText(self.tr("précision du motif (texte libre)"))
        self.justification = QLineEdit(self)
        self.justification.setObjectName("decisionJustification")
        self.justification.setPlaceholderText(
            self.tr("obligatoire pour attribuer malgré un contrôle non conforme"))
        self.votes = QCheckBox(self.tr("Vote"), self)
        self.votes.setObjectName("decisionVotes")
        self.votes_for = QSpinBox(self)
        self.votes_against = QSpinBox(self)
        self.votes_abstain = QSpinBox(self)
        votes_row = QHBoxLayout()
        votes_row.addWidget(self.votes)
        for label, box, name in ((self.tr("pour"), self.votes_for, "votesFor"),
                                 (self.tr("contre"), self.votes_against, "votesAgainst"),
                                 (self.tr("abst."), self.votes_abstain, "votesAbstain")):
            box.setObjectName(name)
            box.setRange(0, 99)
            votes_row.addWidget(QLabel(label, self))
            votes_row.addWidget(box)
        self.casting_vote = QCheckBox(self.tr("voix prépondérante"), self)
        self.casting_vote.setObjectName("decisionCastingVote")
        votes_row.addWidget(self.casting_vote)
        votes_row.addStretch(1)

        self.record_button = QPushButton(self.tr("Enregistrer la décision"), self)
        self.record_button.setObjectName("recordDecisionButton")
        self.record_button.setDefault(True)
        self.clear_button = QPushButton(self.tr("Effacer"), self)
        self.clear_button.setObjectName("clearDecisionButton")
        self.warnings = QLabel(self)
        self.warnings.setObjectName("decisionWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color:#8a5300;")
        self.warnings.hide()

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 1)
        kind_row.addWidget(QLabel(self.tr("Rang"), self))
        kind_row.addWidget(self.rank)
        form.addRow(self.tr("Décision"), kind_row)
        condition_row = QHBoxLayout()
        condition_row.addWidget(self.condition, 1)
        condition_row.addWidget(QLabel(self.tr("avant le"), self))
        condition_row.addWidget(self.deadline)
        form.addRow(self.tr("Condition"), condition_row)
        form.addRow(self.tr("Motif"), self.reason)
        form.addRow("", self.reason_text)
        form.addRow(self.tr("Justification"), self.justification)
        form.addRow(self.tr("Votes"), votes_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.candidate_label)
        layout.addLayout(form)
        layout.addWidget(self.warnings)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.votes.toggled.connect(self._votes_toggled)
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

    def set_candidate(self, candidate: CandidacyView | None, *, writable: bool,
                      why_not: str = "") -> None:
        self._candidate = candidate
        self._writable = writable and candidate is not None
        if candidate is None:
            self.candidate_label.setText(self.tr("Sélectionnez un candidat."))
        else:
            self.candidate_label.setText(f"<b>{candidate.name}</b> ({candidate.nur})"
                                         + (f" — <i>{why_not}</i>" if why_not else ""))
        self._load(candidate)
        for widget in (self.kind, self.condition, self.deadline, self.reason,
                       self.reason_text, self.justification, self.votes,
                       self.record_button, self.clear_button, self.casting_vote):
            widget.setEnabled(self._writable)
        self._kind_changed()
        self._votes_toggled(self.votes.isChecked())
        self.clear_button.setEnabled(self._writable and candidate is not None
                                     and candidate.decision is not None)

    def show_warnings(self, warnings: tuple[str, ...]) -> None:
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def _load(self, candidate: CandidacyView | None) -> None:
        decision = candidate.decision if candidate is not None else None
        self.show_warnings(())
        if decision is None:
            self.kind.setCurrentIndex(0)
            self.rank.setValue(0)
            self.condition.clear()
            self.deadline.setDate(QDate(date.today() + timedelta(days=15)))
            self.reason_text.clear()
            self.justification.clear()
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
            self.deadline.setDate(QDate(decision.deadline))
        index = self.reason.findData(decision.reason_id)
        self.reason.setCurrentIndex(max(index, 0))
        self.reason_text.setText(decision.reason_text)
        self.justification.setText(decision.justification)
        has_votes = decision.votes_for is not None
        self.votes.setChecked(has_votes)
        self.votes_for.setValue(decision.votes_for or 0)
        self.votes_against.setValue(decision.votes_against or 0)
        self.votes_abstain.setValue(decision.votes_abstain or 0)
        self.casting_vote.setChecked(decision.casting_vote_used)

    def kind_value(self) -> DecisionKind:
        return DecisionKind(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.kind_value()
        ranked = kind in (DecisionKind.ATTRIBUTION_RANG, DecisionKind.ATTRIBUTION_SOUS_CONDITION)
        conditional = kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION
        self.rank.setEnabled(self._writable and ranked)
        self.condition.setEnabled(self._writable and conditional)
        self.deadline.setEnabled(self._writable and conditional)
        wanted = REASON_KIND.get(kind)
        previous = self.reason.currentData()
        self.reason.blockSignals(True)
        self.reason.clear()
        if wanted is None:
            self.reason.addItem(self.tr("(pas de motif pour une attribution)"), None)
        else:
            self.reason.addItem(self.tr("— choisir un motif du catalogue —"), None)
            for reason in self._reasons:
                if reason.kind == wanted:
                    self.reason.addItem(reason.label, reason.id)
                    self.reason.setItemData(self.reason.count() - 1, reason.label,
                                            Qt.ItemDataRole.ToolTipRole)
        index = self.reason.findData(previous)
        self.reason.setCurrentIndex(max(index, 0))
        self.reason.blockSignals(False)
        self.reason.setEnabled(self._writable and wanted is not None)
        self.reason_text.setEnabled(self._writable and wanted is not None)

    def _votes_toggled(self, on: bool) -> None:
        for box in (self.votes_for, self.votes_against, self.votes_abstain):
            box.setEnabled(self._writable and on)

    def request(self) -> DecisionRequest | None:
        candidate = self._candidate
        if candidate is None:
            return None
        kind = self.kind_value()
        conditional = kind is DecisionKind.ATTRIBUTION_SOUS_CONDITION
        ranked = kind in (DecisionKind.ATTRIBUTION_RANG, DecisionKind.ATTRIBUTION_SOUS_CONDITION)
        votes = ((self.votes_for.value(), self.votes_against.value(), self.votes_abstain.value())
                 if self.votes.isChecked() else None)
        return DecisionRequest(
            candidacy_id=candidate.id,
            kind=kind.value,
            rank=(self.rank.value() or None) if ranked else None,
            condition=self.condition.text() if conditional else "",
            deadline=self.deadline.date().toPython() if conditional else None,
            reason_id=self.reason.currentData() if kind.needs_reason else None,
            reason_text=self.reason_text.text() if kind.needs_reason else "",
            justification=self.justification.text(),
            votes=votes,
            casting_vote_used=self.casting_vote.isChecked(),
            expected_version=candidate.decision.version if candidate.decision else None,
        )

    def _record(self) -> None:
        request = self.request()
        if request is not None:
            self.decision_requested.emit(request)

    def _clear(self) -> None:
        if self._candidate is not None:
            self.clear_requested.emit(self._candidate.id)
