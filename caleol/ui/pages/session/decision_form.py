"""The decision form's fields and their layout: the kind and rank, the condition and
its deadline, the catalogue's reasons, the justification (with why it is required),
the vote (unanimity or counts, the casting vote), each with its red error line.

What the form does as it is filled (the rules' review, the request it sends) is
`decision_panel.DecisionPanel`, built on this form.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caleol.rules.decisions import DecisionKind
from caleol.services.reference import ReasonInfo
from caleol.ui.dialogs.form_errors import FormErrors, error_label, with_error_line

WARNING_STYLE = "color:#8a5300;"


def _box(host: QWidget) -> QVBoxLayout:
    """The column of a field and its error line (`with_error_line`)."""
    layout = host.layout()
    assert isinstance(layout, QVBoxLayout)
    return layout


def offer_reasons(combo: QComboBox, none: str, reasons: Iterable[ReasonInfo]) -> None:
    """Offer `reasons` (their whole label as tooltip) after the item `none`; the reason
    chosen stays chosen when it is still offered. No signal while the list changes."""
    previous = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(none, None)
    for reason in reasons:
        combo.addItem(reason.label, reason.id)
        combo.setItemData(combo.count() - 1, reason.label, Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(max(combo.findData(previous), 0))
    combo.blockSignals(False)


def _shrinkable(combo: QComboBox) -> QComboBox:
    """A list as narrow as the form allows: a long item (a reason's label) elides in
    the box, is whole in the open list and in its tooltip."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(16)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    combo.view().setTextElideMode(Qt.TextElideMode.ElideNone)
    return combo


class DecisionForm(QWidget):
    """The inputs of a decision, laid out; empty and enabled as built."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        body = QWidget(self)
        self.candidate_label = QLabel(body)
        self.candidate_label.setObjectName("decisionCandidate")
        self.candidate_label.setWordWrap(True)
        self.kind = _shrinkable(QComboBox(body))
        self.kind.setObjectName("decisionKind")
        for kind in DecisionKind:
            self.kind.addItem(kind.label, kind.value)
        self.rank = QSpinBox(body)
        self.rank.setObjectName("decisionRank")
        self.rank.setRange(0, 99)
        self.rank.setSpecialValueText(self.tr("sans rang"))
        self.condition = QLineEdit(body)
        self.condition.setObjectName("decisionCondition")
        self.condition.setPlaceholderText(self.tr("pièce ou condition attendue"))
        self.deadline = QDateEdit(body)
        self.deadline.setObjectName("decisionDeadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("dd/MM/yyyy")
        self.reason = _shrinkable(QComboBox(body))
        self.reason.setObjectName("decisionReason")
        self.second_reason = _shrinkable(QComboBox(body))
        self.second_reason.setObjectName("decisionSecondReason")
        self.second_reason.setToolTip(self.tr(
            "Un motif légal à côté d'un motif qui ne peut pas fonder seul un refus "
            "(« ressources insuffisantes », « absence de lien avec la commune »)."))
        self.reason_text = QLineEdit(body)
        self.reason_text.setObjectName("decisionReasonText")
        self.reason_text.setPlaceholderText(self.tr("précision du motif (texte libre)"))
        self.justification_reason = QLabel(body)
        self.justification_reason.setObjectName("decisionJustificationReason")
        self.justification_reason.setWordWrap(True)
        self.justification_reason.setStyleSheet(WARNING_STYLE)
        self.justification = QLineEdit(body)
        self.justification.setObjectName("decisionJustification")
        self.justification.setPlaceholderText(self.tr(
            "pourquoi la commission décide malgré ce que disent les contrôles"))
        self.unanimous = QCheckBox(self.tr("À l'unanimité"), body)
        self.unanimous.setObjectName("decisionUnanimous")
        self.unanimous.setToolTip(self.tr("à l'unanimité des membres présents ou représentés"))
        self.votes = QCheckBox(self.tr("Décompte"), body)
        self.votes.setObjectName("decisionVotes")
        self.votes_for = QSpinBox(body)
        self.votes_against = QSpinBox(body)
        self.votes_abstain = QSpinBox(body)
        self.casting_vote = QCheckBox(self.tr("voix prépondérante"), body)
        self.casting_vote.setObjectName("decisionCastingVote")
        # who holds it, beside the box and wrapped: a long name never widens the form
        self.casting_holder = QLabel(body)
        self.casting_holder.setObjectName("decisionCastingHolder")
        self.casting_holder.setWordWrap(True)
        self.casting_holder.setSizePolicy(QSizePolicy.Policy.Ignored,
                                          QSizePolicy.Policy.Preferred)
        votes_row = QHBoxLayout()
        votes_row.addWidget(self.unanimous)
        votes_row.addWidget(self.votes)
        for label, box, name in ((self.tr("pour"), self.votes_for, "votesFor"),
                                 (self.tr("contre"), self.votes_against, "votesAgainst"),
                                 (self.tr("abst."), self.votes_abstain, "votesAbstain")):
            box.setObjectName(name)
            box.setRange(0, 99)
            votes_row.addWidget(QLabel(label, body))
            votes_row.addWidget(box)
        votes_row.addStretch(1)
        casting_row = QHBoxLayout()
        casting_row.addWidget(self.casting_vote)
        casting_row.addWidget(self.casting_holder, 1)

        self.record_button = QPushButton(self.tr("Enregistrer la décision"), self)
        self.record_button.setObjectName("recordDecisionButton")
        self.record_button.setDefault(True)
        self.clear_button = QPushButton(self.tr("Effacer"), self)
        self.clear_button.setObjectName("clearDecisionButton")
        self.warnings = QLabel(body)
        self.warnings.setObjectName("decisionWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(WARNING_STYLE)
        self.warnings.hide()
        self.general_error = error_label(body, "error_general")
        self.errors = FormErrors(self.general_error)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 1)
        kind_row.addWidget(QLabel(self.tr("Rang"), body))
        kind_row.addWidget(self.rank)
        kind_host = with_error_line(self.errors, "kind", kind_row, body, (self.kind,))
        _box(kind_host).addWidget(self.errors.line("rank", kind_host, (self.rank,)))
        form.addRow(self.tr("Décision"), kind_host)
        condition_row = QHBoxLayout()
        condition_row.addWidget(self.condition, 1)
        condition_row.addWidget(QLabel(self.tr("avant le"), body))
        condition_row.addWidget(self.deadline)
        condition_host = with_error_line(self.errors, "condition", condition_row, body,
                                         (self.condition,))
        _box(condition_host).addWidget(
            self.errors.line("deadline", condition_host, (self.deadline,)))
        form.addRow(self.tr("Condition"), condition_host)
        form.addRow(self.tr("Motif"),
                    with_error_line(self.errors, "reason", self.reason, body, (self.reason,)))
        form.addRow(self.tr("Second motif"),
                    with_error_line(self.errors, "second_reason", self.second_reason, body,
                                    (self.second_reason,)))
        form.addRow("", self.reason_text)
        justification_host = with_error_line(self.errors, "justification", self.justification,
                                             body, (self.justification,))
        _box(justification_host).insertWidget(0, self.justification_reason)
        self.justification_row = justification_host
        form.addRow(self.tr("Justification"), justification_host)
        self.justification_title = form.labelForField(justification_host)
        votes_host = with_error_line(self.errors, "votes", votes_row, body,
                                     (self.votes_for, self.votes_against, self.votes_abstain))
        _box(votes_host).addLayout(casting_row)
        _box(votes_host).addWidget(self.errors.line("casting_vote", votes_host,
                                                    (self.casting_vote,)))
        form.addRow(self.tr("Vote"), votes_host)
        layout = QVBoxLayout(body)
        layout.addWidget(self.candidate_label)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(self.warnings)
        layout.addStretch(1)
        # The fields scroll up and down only (every one shrinks to the tab's width);
        # the buttons stay below, in reach without scrolling at 1366×768.
        self.scroll_area = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(9, 4, 9, 4)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.record_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(scroll, 1)
        outer.addLayout(buttons)
