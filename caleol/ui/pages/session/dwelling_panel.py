"""The selected dwelling's characteristics, its three-candidate rule message, and the
typology adaptation the commission grants the selected candidate (charter §2: the
four adaptations of `rules.typology.Adaptation`); applying one re-runs the checks."""

from __future__ import annotations

import html
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.rules.typology import Adaptation
from caleol.services.sessions import AgendaItemView, CandidacyView
from caleol.ui.models.session_models import BADGE_BLOCKED, BADGE_EXCEPTION, agenda_badge

RULE_STYLES = {
    BADGE_BLOCKED: "background:#fdecea; color:#8a1c1c; border:1px solid #e0a0a0;",
    BADGE_EXCEPTION: "background:#fff4e0; color:#6b4100; border:1px solid #e3c089;",
}
RULE_OK_STYLE = "background:#e8f5ec; color:#14532d; border:1px solid #9fd1ae;"


def _money(value: Any) -> str:
    try:
        return fr.format_money(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return ""


def dwelling_text(item: AgendaItemView) -> str:
    snap = item.dwelling
    surface = snap.get("surface_dm2")
    parts = [f"<b>{html.escape(item.reference)}</b> — {html.escape(item.address)}, "
             f"{html.escape(item.commune)}",
             f"{html.escape(item.typology)} {html.escape(item.financing)}"]
    if surface:
        parts.append(f"{fr.format_decimal(Decimal(surface) / 100, 1)} m²")
    if snap.get("floor") is not None:
        parts.append(f"étage {snap['floor']}" + (" (ascenseur)" if snap.get("lift") else ""))
    if snap.get("qpv"):
        parts.append("QPV")
    if snap.get("pmr"):
        parts.append("PMR")
    line2 = [f"loyer {_money(snap.get('rent'))}", f"charges {_money(snap.get('charges'))}"]
    # the snapshot's « 0.00 » is a dwelling imported without its energy estimate: said
    # as the documents say it, not « énergie 0,00 € »
    try:
        energy = Decimal(str(snap.get("energy") or 0))
    except InvalidOperation:
        energy = Decimal(0)
    line2.append(f"énergie {_money(energy)}" if energy else "énergie non estimée")
    reservataire = item.reservataire or snap.get("reservataire", "")
    if reservataire:
        line2.append(f"réservataire : {html.escape(str(reservataire))}")
    return " · ".join(parts) + "<br>" + " · ".join(line2)


class DwellingPanel(QWidget):
    adaptation_requested = Signal(int, object)  # candidacy id, Adaptation value or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._candidate: CandidacyView | None = None
        self._writable = False
        self.details = QLabel(self)
        self.details.setObjectName("dwellingDetails")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setWordWrap(True)
        self.rule = QLabel(self)
        self.rule.setObjectName("candidateRuleMessage")
        self.rule.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.details)
        layout.addWidget(self.rule)
        self.adaptation_label = QLabel(self)
        self.adaptation = QComboBox(self)
        self.adaptation.setObjectName("typologyAdaptation")
        self.adaptation.addItem(self.tr("aucune (typologie de la charte)"), None)
        for adaptation in Adaptation:
            self.adaptation.addItem(adaptation.label, adaptation.value)
            self.adaptation.setItemData(self.adaptation.count() - 1, adaptation.label,
                                        Qt.ItemDataRole.ToolTipRole)
        self.adaptation.setMinimumContentsLength(30)
        self.adaptation.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.apply_adaptation = QPushButton(self.tr("Appliquer"), self)
        self.apply_adaptation.setObjectName("applyAdaptationButton")
        self.apply_adaptation.setToolTip(self.tr(
            "Enregistre l'adaptation pour ce candidat et relance ses contrôles"))
        self.apply_adaptation.clicked.connect(self._apply)
        row = QHBoxLayout()
        row.addWidget(self.adaptation_label)
        row.addWidget(self.adaptation, 1)
        row.addWidget(self.apply_adaptation)
        layout.addLayout(row)
        self.set_item(None)
        self.set_candidate(None, writable=False)

    def set_candidate(self, candidate: CandidacyView | None, *, writable: bool) -> None:
        """The candidate whose typology adaptation the row shows (and can change)."""
        self._candidate = candidate
        self._writable = writable
        who = candidate.nur if candidate is not None else "—"
        self.adaptation_label.setText(self.tr("Adaptation de typologie ({who}) :").format(
            who=who))
        current = candidate.typology_adaptation if candidate is not None else None
        self.adaptation.setCurrentIndex(max(self.adaptation.findData(current), 0))
        enabled = candidate is not None and writable
        self.adaptation.setEnabled(enabled)
        self.apply_adaptation.setEnabled(enabled)

    def _apply(self) -> None:
        if self._candidate is not None:
            self.adaptation_requested.emit(self._candidate.id, self.adaptation.currentData())

    def set_item(self, item: AgendaItemView | None) -> None:
        if item is None:
            self.details.setText(self.tr("Aucun logement sélectionné."))
            self.rule.hide()
            return
        self.details.setText(dwelling_text(item))
        symbol, _label = agenda_badge(item)
        explanation = str(item.candidate_rule.get("explanation", ""))
        if item.exception_justification:
            explanation += f" Justification : {item.exception_justification}"
        self.rule.setText(f"{symbol} {explanation}")
        self.rule.setStyleSheet(
            "QLabel#candidateRuleMessage { padding:4px 8px; border-radius:3px; "
            + RULE_STYLES.get(symbol, RULE_OK_STYLE) + " }")
        self.rule.show()
