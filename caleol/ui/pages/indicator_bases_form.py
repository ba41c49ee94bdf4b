"""Paramètres: the counting basis of each indicator, one choice per row of the table.

Built from `rules.indicators.DEFINITIONS`, so a new indicator gets its choice here
without touching this screen. The value is the setting `indicator_bases`: only the
indicators counted otherwise than their sources say are stored.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QWidget

from caleol.rules.indicators import DEFINITIONS, CountingBasis


def choice_text(basis: CountingBasis, source: CountingBasis) -> str:
    text = basis.label[0].upper() + basis.label[1:]
    return text + (" — charte et CUS" if basis is source else "")


class IndicatorBasesForm(QGroupBox):
    """One combo box per indicator: « baux signés » or « attributions prononcées »."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Indicateurs : base de comptage"), parent)
        self.setObjectName("indicatorBasesForm")
        form = QFormLayout(self)
        hint = QLabel(self.tr(
            "Par défaut, chaque indicateur est compté comme le fixent ses sources : PS-1 "
            "(1er quartile hors QPV) sur les attributions suivies d'un bail signé, "
            "l'objectif en QPV sur les propositions (charte des attributions), les autres "
            "sur les attributions prononcées. Les rapports indiquent la base retenue."), self)
        hint.setWordWrap(True)
        form.addRow(hint)
        self.boxes: dict[str, QComboBox] = {}
        for definition in DEFINITIONS:
            box = QComboBox(self)
            box.setObjectName(f"basis_{definition.code}")
            for basis in CountingBasis:
                box.addItem(choice_text(basis, definition.basis), basis.value)
            box.setToolTip(f"{definition.label}\nSource : {definition.basis_reference}")
            self.boxes[definition.code] = box
            form.addRow(f"{definition.code} — {definition.label} :", box)

    def set_value(self, bases: Mapping[str, str]) -> None:
        for definition in DEFINITIONS:
            wanted = bases.get(definition.code, definition.basis.value)
            box = self.boxes[definition.code]
            box.setCurrentIndex(max(0, box.findData(wanted)))

    def value(self) -> dict[str, str]:
        """The indicators whose basis differs from their sources'."""
        return {
            d.code: self.boxes[d.code].currentData()
            for d in DEFINITIONS if self.boxes[d.code].currentData() != d.basis.value
        }
