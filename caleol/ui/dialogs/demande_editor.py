"""The demande editor (Demandes: « Nouveau… », « Modifier… », double-click).

Four tabs keep it within 1366×768: « Demandeur », « Ménage » (one row per member),
« Ressources » (one row per resource), « Souhaits et priorités ». Every value is
checked by the import's rules (`caleol.services.editing`); the messages appear in red
under their field or table, all at once, and the first tab in error comes forward.
The household's tables are `household_tables`, the wished communes `wished_communes`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from caleol.services.editing import (
    Choice,
    DemandeChoices,
    DemandeForm,
    MemberForm,
    ResourceForm,
    demande_choices,
    load_demande,
    new_demande_form,
    save_demande,
)
from caleol.ui.dialogs.dwelling_editor import combo, line
from caleol.ui.dialogs.household_tables import HouseholdTables
from caleol.ui.dialogs.record_dialog import RecordDialog
from caleol.ui.dialogs.wished_communes import WishedCommunes

# Which tab shows which field (the first tab with an error comes forward).
TAB_APPLICANT, TAB_HOUSEHOLD, TAB_RESOURCES, TAB_WISHES = range(4)
WISH_FIELDS = frozenset({
    "wished_typologies", "wished_communes", "max_rent", "criteria", "dalo",
    "comed_decision_date", "syplo_label", "cotation_score", "action_logement_employee",
    "current_social_tenant", "mutation_motive", "association_bail_glissant",
    "payment_guarantee",
})


def _scrolled(content: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(content)
    return area


class DemandeEditor(RecordDialog):
    """Create (`demande_id` None) or modify a demande; `saved` is its id once saved."""

    def __init__(self, engine: Engine, demande_id: int | None = None,
                 parent: QWidget | None = None, *,
                 choices: DemandeChoices | None = None) -> None:
        form = load_demande(engine, demande_id) if demande_id else new_demande_form()
        title = (self.tr("Demande {nur} – {name}").format(
            nur=form.nur, name=f"{form.applicant_surname.upper()} "
                               f"{form.applicant_first_names}".strip())
            if demande_id else self.tr("Nouvelle demande"))
        super().__init__(title, parent)
        self.setObjectName("demandeEditor")
        self._engine = engine
        self._loaded = form
        self._choices = choices or demande_choices(engine)
        self.setMinimumWidth(860)
        self.resize(1000, 620)  # within 1366×768 with the taskbar and title bar
        self.texts: dict[str, QLineEdit] = {}
        self.boxes: dict[str, QComboBox] = {}
        self.checks: dict[str, QCheckBox] = {}
        self.household = HouseholdTables(self._choices, self)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("demandeTabs")
        self.body.addWidget(self.tabs, 1)
        self.tabs.addTab(_scrolled(self._applicant_tab(form, demande_id is not None)),
                         self.tr("Demandeur"))
        self.tabs.addTab(self._household_tab(form), self.tr("Ménage"))
        self.tabs.addTab(self._resources_tab(form), self.tr("Ressources"))
        self.tabs.addTab(_scrolled(self._wishes_tab(form)), self.tr("Souhaits et priorités"))

    # --- building the tabs ----------------------------------------------------------

    def _text(self, form: DemandeForm, name: str, title: str, target: QFormLayout,
              placeholder: str = "") -> None:
        self.texts[name] = line(self, getattr(form, name), placeholder)
        self.add_field(name, title, self.texts[name], target)

    def _check(self, form: DemandeForm, name: str, title: str, label: str,
               target: QFormLayout) -> None:
        self.checks[name] = QCheckBox(label, self)
        self.checks[name].setChecked(bool(getattr(form, name)))
        self.add_field(name, title, self.checks[name], target)

    def _applicant_tab(self, form: DemandeForm, existing: bool) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        columns = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)
        outer.addLayout(columns)
        outer.addStretch(1)  # rows keep their height; the free space goes below
        self._text(form, "nur", self.tr("NUR"), left,
                   self.tr("17 caractères, ex. 057240300123G5701"))
        self.texts["nur"].setReadOnly(existing)
        if existing:
            self.texts["nur"].setToolTip(self.tr("Le NUR est la clé des imports : il ne "
                                                 "change pas."))
        self._text(form, "filing_date", self.tr("Déposée le"), left, self.tr("JJ/MM/AAAA"))
        self._text(form, "renewal_date", self.tr("Renouvelée le"), left, self.tr("JJ/MM/AAAA"))
        self.boxes["status"] = combo(self, self._choices.statuses, form.status)
        self.add_field("status", self.tr("Statut"), self.boxes["status"], left)
        self.boxes["applicant_civility"] = combo(self, self._choices.civilities,
                                                 form.applicant_civility)
        self.add_field("applicant_civility", self.tr("Civilité"),
                       self.boxes["applicant_civility"], left)
        self._text(form, "applicant_surname", self.tr("Nom"), left)
        self._text(form, "applicant_first_names", self.tr("Prénoms"), left)
        self._text(form, "address", self.tr("Adresse"), left)
        self._text(form, "postal_code", self.tr("Code postal"), right)
        self._text(form, "city", self.tr("Ville"), right)
        self._text(form, "department_code", self.tr("Département"), right,
                   self.tr("déduit du NUR si vide"))
        self._text(form, "reference_tax_income", self.tr("Revenu fiscal (€)"), right,
                   self.tr("revenu fiscal de référence, en euros"))
        self._text(form, "reference_tax_income_year", self.tr("Année des revenus"), right,
                   self.tr("ex. 2024"))
        # short: its length set the right column's, the left one's fields were cut
        # (« 17 caractères, ex. 05724… »)
        self._check(form, "tax_income_n1_requested", self.tr("Revenus n-1"),
                    self.tr("retenus à la demande du ménage (baisse de ressources)"), right)
        self._text(form, "housing_aid", self.tr("Aide au logement (€/mois)"), right,
                   self.tr("APL ou AL estimée"))
        self.notes_edit = QPlainTextEdit(form.notes, self)
        self.notes_edit.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.add_field("notes", self.tr("Observations"), self.notes_edit, right)
        return page

    def _table_tab(self, name: str, table: QTableWidget, add_text: str,
                   remove_text: str) -> tuple[QWidget, QPushButton, QPushButton]:
        page = QWidget()
        layout = QVBoxLayout(page)
        table.setObjectName(f"field_{name}")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().setVisible(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table, 1)
        layout.addWidget(self.error_line(name, page))
        buttons = QHBoxLayout()
        add = QPushButton(add_text, page)
        remove = QPushButton(remove_text, page)
        add.setObjectName(f"add_{name}")
        remove.setObjectName(f"remove_{name}")
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return page, add, remove

    def _household_tab(self, form: DemandeForm) -> QWidget:
        table = self.household.members_table
        page, add, remove = self._table_tab("members", table,
                                            self.tr("Ajouter une personne"),
                                            self.tr("Retirer la personne sélectionnée"))
        hint = QLabel(self.tr("Le demandeur en premier ; dates au format JJ/MM/AAAA. Droit de "
                              "visite : enfant accueilli au titre d'un droit de visite et "
                              "d'hébergement."), page)
        hint.setWordWrap(True)
        _page_layout(page).insertWidget(0, hint)
        for member in form.members:
            self.household.add_member(member)
        add.clicked.connect(lambda: self.household.add_member(MemberForm()))
        remove.clicked.connect(self.household.remove_member)
        for column, width in enumerate((150, 150, 170, 130, 90)):
            table.setColumnWidth(column, width)
        return page

    def _resources_tab(self, form: DemandeForm) -> QWidget:
        table = self.household.resources_table
        page, add, remove = self._table_tab("resources", table,
                                            self.tr("Ajouter une ressource"),
                                            self.tr("Retirer la ressource sélectionnée"))
        hint = QLabel(self.tr("Montants mensuels en euros (ex. 1 234,56). Une ressource non "
                              "stable (CDD, intérim…) est décochée."), page)
        hint.setWordWrap(True)
        _page_layout(page).insertWidget(0, hint)
        for resource in form.resources:
            self.household.add_resource(resource)
        add.clicked.connect(lambda: self.household.add_resource(ResourceForm()))
        remove.clicked.connect(self.household.remove_resource)
        for column, width in enumerate((230, 140, 70, 170)):
            table.setColumnWidth(column, width)
        return page

    def _wishes_tab(self, form: DemandeForm) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        columns = QHBoxLayout()
        left, right = QFormLayout(), QFormLayout()
        columns.addLayout(left, 3)
        columns.addSpacing(16)
        columns.addLayout(right, 2)
        outer.addLayout(columns)

        typologies = QWidget(self)
        row = QHBoxLayout(typologies)
        row.setContentsMargins(0, 0, 0, 0)
        self.typology_checks: dict[str, QCheckBox] = {}
        for choice in self._choices.typologies:
            check = QCheckBox(choice.label, typologies)
            check.setChecked(choice.value in form.wished_typologies)
            self.typology_checks[choice.value] = check
            row.addWidget(check)
        row.addStretch(1)
        self.add_field("wished_typologies", self.tr("Typologies"), typologies, left)

        self.communes = WishedCommunes(self._choices.communes, form.wished_communes, self)
        self.add_field("wished_communes", self.tr("Communes"), self.communes, left)
        self._text(form, "max_rent", self.tr("Loyer maximal (€/mois)"), left)

        self.criteria_list = QListWidget(self)
        self.criteria_list.setObjectName("criteriaList")
        self.criteria_list.setMaximumHeight(self.fontMetrics().height() * 11 + 12)
        self.criteria_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.criteria_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        criteria = list(self._choices.criteria)
        known = {c.value for c in criteria}
        criteria += [Choice(code, code) for code in form.criteria if code not in known]
        for choice in criteria:
            item = QListWidgetItem(choice.label, self.criteria_list)
            item.setData(Qt.ItemDataRole.UserRole, choice.value)
            item.setToolTip(choice.label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.value in form.criteria
                               else Qt.CheckState.Unchecked)
        self.criteria_list.setObjectName("field_criteria")
        outer.addWidget(QLabel(self.tr("Critères de priorité (article L441-1 du CCH, "
                                       "PDALHPD, accord intercommunal) :"), page))
        outer.addWidget(self.criteria_list)
        outer.addWidget(self.error_line("criteria", page))
        outer.addStretch(1)

        self._check(form, "dalo", self.tr("DALO"), self.tr("reconnu DALO"), right)
        self._text(form, "comed_decision_date", self.tr("Décision COMED"), right,
                   self.tr("JJ/MM/AAAA"))
        self._check(form, "syplo_label", self.tr("SYPLO"), self.tr("labellisé SYPLO"), right)
        self._text(form, "cotation_score", self.tr("Cotation"), right)
        self._check(form, "action_logement_employee", self.tr("Action Logement"),
                    self.tr("salarié cotisant"), right)
        self._check(form, "current_social_tenant", self.tr("Locataire HLM"),
                    self.tr("déjà locataire HLM"), right)
        self.boxes["mutation_motive"] = combo(self, self._choices.motives, form.mutation_motive)
        self.add_field("mutation_motive", self.tr("Motif de mutation"),
                       self.boxes["mutation_motive"], right)
        self._check(form, "association_bail_glissant", self.tr("Bail glissant"),
                    self.tr("via une association"), right)
        self._check(form, "payment_guarantee", self.tr("Garantie"),
                    self.tr("Visale, FSL…"), right)
        return page

    # --- record ---------------------------------------------------------------------

    def build(self) -> DemandeForm:
        values: dict[str, Any] = {name: edit.text() for name, edit in self.texts.items()}
        values |= {name: box.currentData() or "" for name, box in self.boxes.items()}
        values |= {name: check.isChecked() for name, check in self.checks.items()}
        criteria = [self.criteria_list.item(row).data(Qt.ItemDataRole.UserRole)
                    for row in range(self.criteria_list.count())
                    if self.criteria_list.item(row).checkState() == Qt.CheckState.Checked]
        return DemandeForm(
            id=self._loaded.id, version=self._loaded.version, notes=self.notes_edit.toPlainText(),
            wished_typologies=[t for t, check in self.typology_checks.items()
                               if check.isChecked()],
            wished_communes=self.communes.values(), criteria=criteria,
            members=self.household.members(), resources=self.household.resources(), **values)

    def save(self, record: DemandeForm) -> int:
        return save_demande(self._engine, record)

    def errors_shown(self, names: list[str]) -> None:
        tabs = sorted({self.tab_of(name) for name in names})
        if tabs and self.tabs.currentIndex() not in tabs:
            self.tabs.setCurrentIndex(tabs[0])
        for index in range(self.tabs.count()):
            title = self.tabs.tabText(index).removesuffix(" ⚠")
            self.tabs.setTabText(index, f"{title} ⚠" if index in tabs else title)

    @staticmethod
    def tab_of(name: str) -> int:
        if name == "members":
            return TAB_HOUSEHOLD
        if name == "resources":
            return TAB_RESOURCES
        return TAB_WISHES if name in WISH_FIELDS else TAB_APPLICANT


def _page_layout(page: QWidget) -> QVBoxLayout:
    """The column layout `_table_tab` gives its page."""
    layout = page.layout()
    assert isinstance(layout, QVBoxLayout)
    return layout
