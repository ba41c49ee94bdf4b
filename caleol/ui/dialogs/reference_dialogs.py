"""Edit dialogs of the Référentiels screen: quartile threshold, reason, criterion, target
(the organisation's records have their forms in `caleol.ui.forms`).

Each dialog only lays out its fields; `accept()` hands a plain record to the
`caleol.services.reference` function that validates and saves it in one transaction.
A `FieldError` is shown in red under the field it concerns, and the dialog stays open
(`caleol.ui.dialogs.record_dialog.RecordDialog`).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from caleol import fr
from caleol.db.models.enums import CriterionSource, ReasonKind
from caleol.rules.decisions import CHECK_LABELS
from caleol.rules.evaluation import CHECK_NAMES
from caleol.rules.indicators import DEFINITIONS, DEFINITIONS_BY_CODE, Measure
from caleol.rules.waiting import ABNORMAL_DELAY_MONTHS, normalize_department
from caleol.services import organisation, reference
from caleol.services.organisation.places import MAX_DELAY_MONTHS
from caleol.ui.dialogs.record_dialog import ERROR_STYLE, RecordDialog


class QuartileDialog(RecordDialog):
    def __init__(self, engine: Any, epcis: tuple[reference.Choice, ...], year: int,
                 current: reference.QuartileInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Seuil du 1er quartile"), parent)
        self._engine = engine
        self.epci_box = QComboBox(self)
        for choice in epcis:
            self.epci_box.addItem(choice.label, choice.code)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(reference.MIN_YEAR, reference.MAX_YEAR)
        self.year_spin.setValue(current.year if current else year)
        self.threshold_edit = QLineEdit(self)
        self.threshold_edit.setPlaceholderText(self.tr("euros par UC et par an, ex. 9 817"))
        self.source_edit = QLineEdit(self)
        self.source_edit.setPlaceholderText(self.tr("arrêté ou publication de référence"))
        if current is not None:
            self.epci_box.setCurrentIndex(max(0, self.epci_box.findData(current.epci_code)))
            self.threshold_edit.setText(fr.format_decimal(current.threshold))
            self.source_edit.setText(current.source)
        self.add_field("epci_code", self.tr("EPCI"), self.epci_box)
        self.add_field("year", self.tr("Année"), self.year_spin)
        self.add_field("threshold", self.tr("Seuil (€/UC/an)"), self.threshold_edit)
        self.add_field("source", self.tr("Source"), self.source_edit)

    def build(self) -> tuple[str, int, Decimal, str]:
        threshold = reference.parse_decimal(self.threshold_edit.text(), "threshold",
                                            "le seuil")
        return (self.epci_box.currentData() or "", self.year_spin.value(), threshold,
                self.source_edit.text())

    def save(self, record: tuple[str, int, Decimal, str]) -> reference.QuartileInfo:
        return reference.save_quartile(self._engine, *record)


class ReasonDialog(RecordDialog):
    """A reason of the catalogue; editing keeps its place in the catalogue."""

    def __init__(self, engine: Any, current: reference.ReasonInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Motif") if current else self.tr("Nouveau motif"), parent)
        self._engine = engine
        self._id = current.id if current else 0
        self.code_edit = QLineEdit(current.code if current else "", self)
        self.label_edit = QLineEdit(current.label if current else "", self)
        self.kind_box = QComboBox(self)
        for kind in ReasonKind:
            self.kind_box.addItem(kind.label, kind.value)
        if current is not None:
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(current.kind)))
        self.reference_edit = QLineEdit(current.legal_reference if current else "", self)
        self.reference_edit.setPlaceholderText(self.tr("ex. R441-3 CCH ; charte §2"))
        self.check_box = QComboBox(self)
        self.check_box.addItem(self.tr("(aucun)"), None)
        for name in CHECK_NAMES:
            self.check_box.addItem(CHECK_LABELS.get(name, name), name)
        if current is not None:
            self.check_box.setCurrentIndex(max(0, self.check_box.findData(
                current.contradicts_check)))
        self.active_check = QCheckBox(self.tr("proposé dans les décisions"), self)
        self.active_check.setChecked(current.active if current else True)
        self.unlawful_check = QCheckBox(self.tr("illégal employé seul (à compléter par un "
                                                "autre motif)"), self)
        self.unlawful_check.setChecked(current.unlawful_alone if current else False)
        self.add_field("code", self.tr("Code"), self.code_edit)
        self.add_field("label", self.tr("Libellé"), self.label_edit)
        self.add_field("kind", self.tr("Type"), self.kind_box)
        self.add_field("legal_reference", self.tr("Référence"), self.reference_edit)
        self.add_field("contradicts_check", self.tr("Contredit par le contrôle"),
                       self.check_box)
        self.add_field("active", self.tr("Actif"), self.active_check)
        self.add_field("unlawful_alone", self.tr("Illégal seul"), self.unlawful_check)

    def build(self) -> reference.ReasonInfo:
        return reference.ReasonInfo(
            self._id, self.code_edit.text(), self.label_edit.text(),
            self.kind_box.currentData(), self.unlawful_check.isChecked(),
            self.active_check.isChecked(), legal_reference=self.reference_edit.text(),
            contradicts_check=self.check_box.currentData())

    def save(self, record: reference.ReasonInfo) -> reference.ReasonInfo:
        return reference.save_reason(self._engine, record)


class CriterionDialog(RecordDialog):
    """A priority criterion recorded on demandes."""

    def __init__(self, engine: Any, current: reference.CriterionInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Critère de priorité") if current
                         else self.tr("Nouveau critère de priorité"), parent)
        self._engine = engine
        self._id = current.id if current else 0
        self.code_edit = QLineEdit(current.code if current else "", self)
        self.label_edit = QLineEdit(current.label if current else "", self)
        self.source_box = QComboBox(self)
        for source in CriterionSource:
            self.source_box.addItem(source.label[:1].upper() + source.label[1:], source.value)
        self.source_box.setCurrentIndex(max(0, self.source_box.findData(
            current.source if current else CriterionSource.CIA.value)))
        self.reference_edit = QLineEdit(current.legal_reference if current else "", self)
        self.reference_edit.setPlaceholderText(self.tr("ex. CIA de Metz Métropole, art. 4"))
        self.active_check = QCheckBox(self.tr("proposé sur les demandes"), self)
        self.active_check.setChecked(current.active if current else True)
        self.add_field("code", self.tr("Code"), self.code_edit)
        self.add_field("label", self.tr("Libellé"), self.label_edit)
        self.add_field("source", self.tr("Origine"), self.source_box)
        self.add_field("legal_reference", self.tr("Référence"), self.reference_edit)
        self.add_field("active", self.tr("Actif"), self.active_check)

    def build(self) -> reference.CriterionInfo:
        return reference.CriterionInfo(self._id, self.code_edit.text(), self.label_edit.text(),
                                       self.source_box.currentData(),
                                       self.reference_edit.text(),
                                       self.active_check.isChecked())

    def save(self, record: reference.CriterionInfo) -> reference.CriterionInfo:
        return reference.save_criterion(self._engine, record)


class TargetDialog(RecordDialog):
    """A target per year and territory; rates typed in percent (25 for 25 %)."""

    def __init__(self, engine: Any, choices: reference.TerritoryChoices, year: int,
                 current: reference.TargetInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Objectif") if current else self.tr("Nouvel objectif"), parent)
        self._engine = engine
        self._id = current.id if current else 0
        self.indicator_box = QComboBox(self)
        for definition in DEFINITIONS:
            self.indicator_box.addItem(f"{definition.code} — {definition.label}", definition.code)
        self.year_spin = QSpinBox(self)
        self.year_spin.setRange(reference.MIN_YEAR, reference.MAX_YEAR)
        self.year_spin.setValue(current.year if current else year)
        self.value_edit = QLineEdit(self)
        self.boxes: dict[str, QComboBox] = {}
        for key, options in (("department_code", choices.departments),
                             ("epci_code", choices.epcis), ("agency_code", choices.agencies),
                             ("commission_code", choices.commissions)):
            box = QComboBox(self)
            box.addItem(self.tr("(tous)"), "")
            for choice in options:
                box.addItem(choice.label, choice.code)
            self.boxes[key] = box
        self.source_edit = QLineEdit(current.source if current else "", self)
        if current is not None:
            self.indicator_box.setCurrentIndex(
                max(0, self.indicator_box.findData(current.indicator_code)))
            for key, box in self.boxes.items():
                box.setCurrentIndex(max(0, box.findData(getattr(current, key))))
        self.indicator_box.currentIndexChanged.connect(self._update_unit)
        self._update_unit()
        if current is not None:
            value = current.value * 100 if current.is_rate else current.value
            self.value_edit.setText(fr.format_decimal(value, 1 if current.is_rate else 0))
        self.add_field("indicator_code", self.tr("Indicateur"), self.indicator_box)
        self.add_field("year", self.tr("Année"), self.year_spin)
        self.add_field("value", self._unit_text(), self.value_edit)
        titles = {"department_code": self.tr("Département"), "epci_code": self.tr("EPCI"),
                  "agency_code": self.tr("Agence"), "commission_code": self.tr("Commission")}
        for key, box in self.boxes.items():
            self.add_field(key, titles[key], box)
        self.add_field("source", self.tr("Source"), self.source_edit)

    def _is_rate(self) -> bool:
        definition = DEFINITIONS_BY_CODE[self.indicator_box.currentData()]
        return definition.measure is Measure.RATE

    def _unit_text(self) -> str:
        return self.tr("Valeur (%)") if self._is_rate() else self.tr("Valeur (nombre)")

    def _update_unit(self) -> None:
        rate = self._is_rate()
        self.value_edit.setPlaceholderText(self.tr("ex. 25 pour 25 %") if rate
                                           else self.tr("nombre d'attributions"))
        host = self.value_edit.parentWidget()
        label = self.form.labelForField(host) if host is not None else None
        if isinstance(label, QLabel):
            label.setText(self._unit_text())

    def build(self) -> reference.TargetInfo:
        value = reference.parse_decimal(self.value_edit.text(), "value", "la valeur")
        if self._is_rate():
            value = value / 100
        codes = {key: box.currentData() or "" for key, box in self.boxes.items()}
        return reference.TargetInfo(self._id, self.indicator_box.currentData(),
                                    self.year_spin.value(), value,
                                    source=self.source_edit.text(), **codes)

    def save(self, record: reference.TargetInfo) -> reference.TargetInfo:
        return reference.save_target(self._engine, record)


DialogFactory = Callable[[], RecordDialog]

__all__ = ["ERROR_STYLE", "CriterionDialog", "DialogFactory", "QuartileDialog",
           "ReasonDialog", "RecordDialog", "TargetDialog"]


def delay_text(code: str, months: int | None) -> str:
    """« 24 mois », « 18 mois (par défaut) » (the charter's, which the check applies when
    none is recorded), « non fixé »."""
    if months:
        return f"{months} mois"
    default = ABNORMAL_DELAY_MONTHS.get(normalize_department(code))
    return f"{default} mois (par défaut)" if default else "non fixé"


class DepartmentDialog(RecordDialog):
    """The préfet's délai anormalement long of a département (0: not fixed)."""

    def __init__(self, engine: Any, current: organisation.DepartmentRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Département"), parent)
        self._engine = engine
        self._current = current
        self.delay_spin = QSpinBox(self)
        self.delay_spin.setObjectName("abnormalDelay")
        self.delay_spin.setRange(0, MAX_DELAY_MONTHS)
        self.delay_spin.setSpecialValueText(delay_text(current.code, None))
        self.delay_spin.setSuffix(self.tr(" mois"))
        self.delay_spin.setValue(current.abnormal_delay_months or 0)
        hint = QLabel(self.tr(
            "Fixé par arrêté du préfet (art. L441-1-4 CCH). Non fixé, l'ancienneté des "
            "demandes de ce département reste « indéterminée » sur les fiches et le PV."),
            self)
        hint.setWordWrap(True)
        self.add_field("name", self.tr("Département"),
                       QLabel(f"{current.code} — {current.name}", self))
        self.add_field("abnormal_delay_months", self.tr("Délai anormalement long"),
                       self.delay_spin)
        self.form.addRow("", hint)

    def build(self) -> organisation.DepartmentRecord:
        delay = self.delay_spin.value()
        return organisation.DepartmentRecord(self._current.code, self._current.name,
                                             delay or None, self._current.id)

    def save(self, record: organisation.DepartmentRecord) -> organisation.DepartmentRecord:
        return organisation.save_department(self._engine, record)
