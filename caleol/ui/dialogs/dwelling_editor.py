"""The dwelling editor (Logements: « Nouveau… », « Modifier… », double-click).

Two columns of fields so the whole form fits 1366×768 without scrolling. Amounts,
dates and numbers are typed as text and read by the import's parsers
(`caleol.services.editing`), so the editor and a CSV file accept the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)
from sqlalchemy import Engine

from caleol.services.editing import (
    Choice,
    DwellingChoices,
    DwellingForm,
    dwelling_choices,
    load_dwelling,
    save_dwelling,
)
from caleol.ui.dialogs.record_dialog import RecordDialog

QPV_CHOICES = (Choice("", "non renseigné"), Choice("oui", "oui"), Choice("non", "non"))


def combo(parent: QWidget, choices: Sequence[Choice], current: str,
          none_label: str | None = None) -> QComboBox:
    """A combo box of `choices` (data = value) set to `current`; an unknown stored value
    is kept as an extra entry so that opening and saving never changes it silently."""
    box = QComboBox(parent)
    if none_label is not None:
        box.addItem(none_label, "")
    for choice in choices:
        box.addItem(choice.label, choice.value)
    index = box.findData(current)
    if index < 0 and current:
        box.addItem(current, current)
        index = box.count() - 1
    box.setCurrentIndex(max(0, index))
    return box


def line(parent: QWidget, text: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text, parent)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


class DwellingEditor(RecordDialog):
    """Create (`dwelling_id` None) or modify a dwelling; `saved` is its id once saved."""

    def __init__(self, engine: Engine, dwelling_id: int | None = None,
                 parent: QWidget | None = None, *,
                 choices: DwellingChoices | None = None) -> None:
        form = load_dwelling(engine, dwelling_id) if dwelling_id else DwellingForm()
        title = (self.tr("Logement {reference}").format(reference=form.reference)
                 if dwelling_id else self.tr("Nouveau logement"))
        super().__init__(title, parent)
        self.setObjectName("dwellingEditor")
        self._engine = engine
        self._loaded = form
        choices = choices or dwelling_choices(engine)
        self.setMinimumWidth(900)

        columns = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        self.body.addLayout(columns)

        self.texts: dict[str, QLineEdit] = {}
        self.boxes: dict[str, QComboBox] = {}
        self.checks: dict[str, QCheckBox] = {}

        def text(name: str, title: str, target: QFormLayout, placeholder: str = "") -> None:
            self.texts[name] = line(self, getattr(form, name), placeholder)
            self.add_field(name, title, self.texts[name], target)

        def choice(name: str, title: str, target: QFormLayout, options: Sequence[Choice],
                   none_label: str | None = None) -> None:
            self.boxes[name] = combo(self, options, getattr(form, name), none_label)
            self.add_field(name, title, self.boxes[name], target)

        def check(name: str, title: str, label: str, target: QFormLayout) -> None:
            self.checks[name] = QCheckBox(label, self)
            self.checks[name].setChecked(bool(getattr(form, name)))
            self.add_field(name, title, self.checks[name], target)

        text("reference", self.tr("Référence"), left, self.tr("ex. MET-0412"))
        self.texts["reference"].setReadOnly(dwelling_id is not None)
        if dwelling_id is not None:
            self.texts["reference"].setToolTip(self.tr(
                "La référence est la clé des imports : elle ne change pas."))
        text("rpls_id", self.tr("Identifiant RPLS"), left)
        text("programme", self.tr("Programme"), left)
        text("address", self.tr("Adresse"), left)
        choice("commune", self.tr("Commune"), left, choices.communes, self.tr("(choisir)"))
        choice("agency", self.tr("Agence"), left, choices.agencies, self.tr("(aucune)"))
        self.boxes["qpv"] = combo(self, QPV_CHOICES,
                                  "" if form.qpv is None else ("oui" if form.qpv else "non"))
        self.add_field("qpv", self.tr("En QPV"), self.boxes["qpv"], left)
        text("qpv_code", self.tr("Code QPV"), left)
        check("urban_renewal", self.tr("Renouvellement"), self.tr("renouvellement urbain (NPNRU)"),
              left)
        choice("typology", self.tr("Typologie"), left, choices.typologies)
        text("surface", self.tr("Surface (m²)"), left, self.tr("ex. 65,40"))
        text("floor", self.tr("Étage"), left, self.tr("0 = rez-de-chaussée"))
        check("lift", self.tr("Ascenseur"), self.tr("immeuble avec ascenseur"), left)

        check("pmr", self.tr("PMR"), self.tr("adapté aux personnes à mobilité réduite"), right)
        choice("financing", self.tr("Financement"), right, choices.financings)
        text("rent", self.tr("Loyer (€/mois)"), right, self.tr("hors charges, ex. 412,50"))
        text("charges", self.tr("Charges (€/mois)"), right)
        text("annex_rent", self.tr("Annexes (€/mois)"), right, self.tr("garage, parking…"))
        text("energy", self.tr("Énergie (€/mois)"), right, self.tr("estimation"))
        text("availability_date", self.tr("Disponible le"), right, self.tr("JJ/MM/AAAA"))
        choice("reservataire", self.tr("Réservataire"), right, choices.reservataires,
               self.tr("(contingent du bailleur)"))
        check("first_letting", self.tr("Mise en location"), self.tr("première mise en location"),
              right)
        text("construction_year", self.tr("Année de construction"), right)
        choice("status", self.tr("Statut"), right, choices.statuses)

    def build(self) -> DwellingForm:
        qpv = self.boxes["qpv"].currentData()
        values: dict[str, Any] = {name: edit.text() for name, edit in self.texts.items()}
        values |= {name: box.currentData() or "" for name, box in self.boxes.items()
                   if name != "qpv"}
        values |= {name: box.isChecked() for name, box in self.checks.items()}
        return DwellingForm(id=self._loaded.id, version=self._loaded.version,
                            qpv=None if not qpv else qpv == "oui", **values)

    def save(self, record: DwellingForm) -> int:
        return save_dwelling(self._engine, record)
