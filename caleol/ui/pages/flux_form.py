"""The flux calculator: a réservataire's yearly objective, with the worked calculation.

Pure form over `rules.flux.flux_objective`; nothing is stored. The figures of the
Grand Nancy convention are the defaults, so the secretary sees the worked example
(3 737 × 8,40 % → 313 ; 313 + 164 − 30 = 447 ; 447 × 25 % → 111) before typing hers.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caleol.rules.flux import FluxInputs, Rounding, flux_objective

MAX_DWELLINGS = 10_000_000


class FluxCalculator(QWidget):
    """Inputs on the left, the worked calculation on the right."""

    def __init__(self, year: int, rounding: str = Rounding.TRUNCATE.value,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fluxCalculator")
        outer = QHBoxLayout(self)
        form_host = QWidget(self)
        form = QFormLayout(form_host)
        form.setContentsMargins(0, 0, 0, 0)
        self.reservataire_edit = QLineEdit("Action Logement", form_host)
        self.year_spin = self._int(form_host, year, 2000, 2100)
        self.year_spin.setGroupSeparatorShown(False)
        self.rate_spin = self._percent(form_host, Decimal("25"))
        self.owned_spin = self._int(form_host, 4361)
        self.excluded_spin = self._int(form_host, 0)
        self.demolition_spin = self._int(form_host, 22)
        self.sales_spin = self._int(form_host, 602)
        self.turnover_spins = [self._percent(form_host, Decimal("8.4")) for _ in range(3)]
        turnover_row = QHBoxLayout()
        for spin in self.turnover_spins:
            turnover_row.addWidget(spin)
        self.deliveries_spin = self._int(form_host, 164)
        self.mutations_spin = self._int(form_host, 30)
        self.relocations_spin = self._int(form_host, 0)
        self.rounding_box = QComboBox(form_host)
        for mode in Rounding:
            self.rounding_box.addItem(mode.label, mode.value)
        self.rounding_box.setCurrentIndex(max(0, self.rounding_box.findData(rounding)))
        form.addRow(self.tr("Réservataire"), self.reservataire_edit)
        form.addRow(self.tr("Année"), self.year_spin)
        form.addRow(self.tr("Taux du réservataire"), self.rate_spin)
        form.addRow(self.tr("Logements détenus"), self.owned_spin)
        form.addRow(self.tr("Exclus défense / santé"), self.excluded_spin)
        form.addRow(self.tr("Démolitions prévues"), self.demolition_spin)
        form.addRow(self.tr("Ventes autorisées"), self.sales_spin)
        form.addRow(self.tr("Rotation (3 ans)"), turnover_row)
        form.addRow(self.tr("Livraisons neuves"), self.deliveries_spin)
        form.addRow(self.tr("Mutations internes"), self.mutations_spin)
        form.addRow(self.tr("Relogements (ANRU…)"), self.relocations_spin)
        form.addRow(self.tr("Arrondi"), self.rounding_box)
        self.compute_button = QPushButton(self.tr("Calculer l'objectif"), form_host)
        self.compute_button.setObjectName("computeFluxButton")
        self.compute_button.clicked.connect(self.compute)
        form.addRow(self.compute_button)
        right = QVBoxLayout()
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fluxError")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.result_view = QPlainTextEdit(self)
        self.result_view.setObjectName("fluxResult")
        self.result_view.setReadOnly(True)
        right.addWidget(self.error_label)
        right.addWidget(self.result_view, 1)
        outer.addWidget(form_host)
        outer.addLayout(right, 1)

    @staticmethod
    def _int(parent: QWidget, value: int, low: int = 0, high: int = MAX_DWELLINGS) -> QSpinBox:
        spin = QSpinBox(parent)
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setGroupSeparatorShown(True)
        return spin

    @staticmethod
    def _percent(parent: QWidget, value: Decimal) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(parent)
        spin.setRange(0, 100)
        spin.setDecimals(2)
        spin.setSuffix(" %")
        spin.setValue(float(value))  # Qt widget boundary; read back through Decimal(str())
        return spin

    @staticmethod
    def _fraction(spin: QDoubleSpinBox) -> Decimal:
        return (Decimal(str(round(spin.value(), 2))) / 100).normalize()

    def inputs(self) -> FluxInputs:
        """Raises:
        ValueError: with a French message (negative count, rate out of range).
        """
        return FluxInputs(
            year=self.year_spin.value(),
            reservataire=self.reservataire_edit.text().strip() or "réservataire",
            reservataire_rate=self._fraction(self.rate_spin),
            dwellings_owned=self.owned_spin.value(),
            turnover_rates=tuple(self._fraction(s) for s in self.turnover_spins),
            excluded_defense_health=self.excluded_spin.value(),
            planned_demolitions=self.demolition_spin.value(),
            authorised_sales=self.sales_spin.value(),
            new_deliveries=self.deliveries_spin.value(),
            internal_mutations=self.mutations_spin.value(),
            urban_renewal_relocations=self.relocations_spin.value(),
            rounding=Rounding(self.rounding_box.currentData()),
        )

    def compute(self) -> None:
        try:
            objective = flux_objective(self.inputs())
        except ValueError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.result_view.clear()
            return
        self.error_label.hide()
        self.result_view.setPlainText("\n".join(objective.lines))
