"""Référentiels: the reference tables, one tab each.

Ceilings (shipped and imported, CSV import), first-quartile thresholds per EPCI and
year, priority criteria, reasons of non-attribution and irrecevabilité, indicator
targets, commissions and their members, letter templates. Lists are thin
`ColumnTableModel`s over the plain records of `caleol.services.reference`; edits go
through the dialogs of `caleol.ui.dialogs.reference_dialogs` (message next to the
field) and each save is one transaction in the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.errors import CaleolError
from caleol.services import reference
from caleol.services.documents.letter_templates import LetterKind
from caleol.services.territory import yearly
from caleol.ui import file_dialogs, messages
from caleol.ui.dialogs.reference_dialogs import (
    ERROR_STYLE,
    MemberDialog,
    QuartileDialog,
    ReasonDialog,
    RecordDialog,
    TargetDialog,
)
from caleol.ui.models.table import (
    CENTER,
    RIGHT,
    ROW_ROLE,
    Column,
    ColumnTableModel,
    number_column,
)
from caleol.ui.pages.base import Page, page_heading
from caleol.ui.pages.browser_page import make_table_view

log = logging.getLogger(__name__)


ZONE_SHORT = {
    "paris_et_limitrophes": "Paris et limitrophes",
    "ile_de_france_hors_paris": "Île-de-France hors Paris",
    "autres_regions": "autres régions",
}
MAX_COLUMN_WIDTH = 320


def euro_column(key: str, title: str, **kwargs: Any) -> Column[Any]:
    """Whole euros (ceilings and thresholds are published without cents)."""
    return Column(key, title, formatter=lambda v: fr.format_money(v, places=0),
                  alignment=RIGHT, **kwargs)


def _yes(value: bool) -> str:
    return "oui" if value else "—"


CEILING_COLUMNS: tuple[Column[reference.CeilingInfo], ...] = (
    Column("effective_from", "Date d'effet"),
    Column("financing", "Financement"),
    Column("zone", "Zone", value=lambda r: ZONE_SHORT.get(r.zone, r.zone),
           tooltip=lambda r: r.zone_label),
    *(euro_column(f"cat{i}", f"Cat. {i}", value=lambda r, i=i: r.amounts[i - 1])
      for i in range(1, 7)),
    euro_column("extra", "Pers. supp.", value=lambda r: r.amounts[6]),
    Column("imported", "Origine", value=lambda r: "importée" if r.imported else "livrée"),
    Column("source", "Source", tooltip=lambda r: r.source),
)
QUARTILE_COLUMNS: tuple[Column[reference.QuartileInfo], ...] = (
    number_column("year", "Année"),
    Column("epci_name", "EPCI"),
    Column("epci_code", "SIREN"),
    euro_column("threshold", "Seuil (€/UC/an)"),
    Column("source", "Source"),
)
CRITERION_COLUMNS: tuple[Column[reference.CriterionInfo], ...] = (
    Column("source", "Origine"),
    Column("code", "Code"),
    Column("label", "Critère"),
    Column("legal_reference", "Référence"),
    Column("active", "Actif", formatter=_yes, alignment=CENTER),
)
REASON_COLUMNS: tuple[Column[reference.ReasonInfo], ...] = (
    Column("kind", "Type", value=lambda r: r.kind_label),
    Column("code", "Code"),
    Column("label", "Libellé"),
    Column("unlawful_alone", "Illégal seul", formatter=_yes, alignment=CENTER,
           header_tooltip="Motif qui ne peut justifier seul un refus (ex. ressources "
                          "insuffisantes) : la décision doit en citer un autre"),
    Column("active", "Actif", formatter=_yes, alignment=CENTER),
)


def _target_value(target: reference.TargetInfo) -> str:
    if target.is_rate:
        return fr.format_percent(target.value, 1)
    return fr.format_decimal(target.value, 0)


TARGET_COLUMNS: tuple[Column[reference.TargetInfo], ...] = (
    number_column("year", "Année"),
    Column("indicator_code", "Indicateur", tooltip=lambda r: r.indicator_label),
    Column("value", "Objectif", value=_target_value, alignment=RIGHT),
    Column("territory", "Territoire", value=lambda r: r.territory_label),
    Column("source", "Source"),
)
COMMISSION_COLUMNS: tuple[Column[reference.CommissionInfo], ...] = (
    Column("code", "Code"),
    Column("name", "Commission"),
    Column("quorum", "Quorum", alignment=CENTER),
    number_column("members", "Membres", value=lambda r: len(r.members)),
    Column("territory", "Territoire"),
)
MEMBER_COLUMNS: tuple[Column[reference.MemberInfo], ...] = (
    Column("name", "Membre"),
    Column("capacity", "Qualité", value=lambda r: r.capacity_label),
    Column("deliberative", "Voix délibérative", formatter=_yes, alignment=CENTER),
    Column("casting_vote", "Voix prépondérante", formatter=_yes, alignment=CENTER),
    Column("active", "Actif", formatter=_yes, alignment=CENTER),
)
TEMPLATE_COLUMNS: tuple[Column[reference.TemplateInfo], ...] = (
    Column("kind", "Modèle", value=lambda r: r.kind.value),
    Column("customised", "Version", value=lambda r: "personnalisée" if r.customised
           else "livrée"),
)


def fit_columns(table: QTableView) -> None:
    """Columns sized to their content, long texts capped (full text in the cell's width)."""
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for section in range(header.count()):
        if header.sectionSize(section) > MAX_COLUMN_WIDTH:
            header.resizeSection(section, MAX_COLUMN_WIDTH)


class TableTab(QWidget):
    """A grid and a row of buttons: the shape of every tab but the templates."""

    def __init__(self, columns: tuple[Column[Any], ...], intro: str,
                 parent: QWidget | None = None, *, stretch: str = "") -> None:
        super().__init__(parent)
        self._stretch = stretch  # the column that takes the spare width (else the last)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.buttons = QHBoxLayout()
        layout.addLayout(self.buttons)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("tabError")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.model: ColumnTableModel[Any] = ColumnTableModel(columns, parent=self)
        self.table = make_table_view(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)

    def add_button(self, text: str, name: str, slot: Callable[[], Any]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda: slot())
        self.buttons.addWidget(button)
        return button

    def finish_buttons(self) -> None:
        self.buttons.addStretch(1)

    def set_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.table)
        if self._stretch:
            header = self.table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(self.model.column_index(self._stretch),
                                        QHeaderView.ResizeMode.Stretch)

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def show_error(self, error: CaleolError | None) -> None:
        if error is None:
            self.error_label.hide()
            return
        text = error.message
        if error.details:
            text += "\n" + "\n".join(f"• {d}" for d in error.details)
        self.error_label.setText(text)
        self.error_label.show()


class ReferencePage(Page):
    """The Référentiels screen.

    Args:
        engine: the open database.
        today: picks the default year of new targets and thresholds.
    """

    reloaded = Signal()

    def __init__(self, engine: Any, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("reference", "Référentiels", parent)
        self._engine = engine
        self._year = (today or date.today()).year
        self._choices: reference.TerritoryChoices | None = None
        self._loaded = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_heading(self.tr("Référentiels"), self))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("referenceTabs")
        layout.addWidget(self.tabs, 1)

        self.ceilings = TableTab(CEILING_COLUMNS, self.tr(
            "Plafonds de ressources annuels (euros, revenu fiscal de référence) par "
            "financement, zone et catégorie de ménage. Les lignes livrées ne sont jamais "
            "modifiées : une table importée les complète ou les remplace pour sa date "
            "d'effet."), self)
        self.ceilings.add_button(self.tr("Importer une table (CSV)…"), "importCeilingsButton",
                                 self.import_ceilings)
        self.ceilings.finish_buttons()
        self.quartiles = TableTab(QUARTILE_COLUMNS, self.tr(
            "Seuil du 1er quartile des demandeurs par EPCI et par année (ressources annuelles "
            "par unité de consommation) : il classe les attributions hors QPV."), self)
        self.quartiles.add_button(self.tr("Nouveau seuil…"), "newQuartileButton",
                                  lambda: self.edit_quartile(None))
        self.quartiles.add_button(self.tr("Modifier…"), "editQuartileButton",
                                  lambda: self.edit_quartile(self.quartiles.selected()))
        self.quartiles.finish_buttons()
        self.quartiles.table.doubleClicked.connect(
            lambda: self.edit_quartile(self.quartiles.selected()))
        self.criteria = TableTab(CRITERION_COLUMNS, self.tr(
            "Critères de priorité (CCH L441-1, PDALHPD, CIA) enregistrés sur les demandes."),
            self, stretch="label")
        self.criteria.add_button(self.tr("Activer / désactiver"), "toggleCriterionButton",
                                 self.toggle_criterion)
        self.criteria.finish_buttons()
        self.reasons = TableTab(REASON_COLUMNS, self.tr(
            "Motifs de non-attribution et d'irrecevabilité proposés dans les décisions. "
            "« Illégal seul » : motif qui ne peut fonder seul un refus."), self, stretch="label")
        self.reasons.add_button(self.tr("Nouveau motif…"), "newReasonButton",
                                lambda: self.edit_reason(None))
        self.reasons.add_button(self.tr("Modifier…"), "editReasonButton",
                                lambda: self.edit_reason(self.reasons.selected()))
        self.reasons.finish_buttons()
        self.reasons.table.doubleClicked.connect(
            lambda: self.edit_reason(self.reasons.selected()))
        self.targets = TableTab(TARGET_COLUMNS, self.tr(
            "Objectifs des indicateurs (CUS, CIA, conventions) par année et territoire ; "
            "le plus précis s'applique, la valeur légale à défaut."), self)
        self.targets.add_button(self.tr("Nouvel objectif…"), "newTargetButton",
                                lambda: self.edit_target(None))
        self.targets.add_button(self.tr("Modifier…"), "editTargetButton",
                                lambda: self.edit_target(self.targets.selected()))
        self.targets.add_button(self.tr("Supprimer"), "deleteTargetButton", self.delete_target)
        self.targets.finish_buttons()
        self.targets.table.doubleClicked.connect(
            lambda: self.edit_target(self.targets.selected()))

        self.commissions = TableTab(COMMISSION_COLUMNS, self.tr(
            "Commissions d'attribution et leurs membres (voix délibérative ou consultative)."),
            self)
        self.commissions.add_button(self.tr("Nouveau membre…"), "newMemberButton",
                                    self.add_member)
        self.commissions.add_button(self.tr("Membre actif / inactif"), "toggleMemberButton",
                                    self.toggle_member)
        self.commissions.finish_buttons()
        self.members_model: ColumnTableModel[reference.MemberInfo] = ColumnTableModel(
            MEMBER_COLUMNS, parent=self)
        self.members_table = make_table_view(self)
        self.members_table.setObjectName("membersTable")
        self.members_table.setModel(self.members_model)
        commission_layout = self.commissions.layout()
        assert isinstance(commission_layout, QVBoxLayout)
        commission_layout.addWidget(self.members_table, 1)
        self.commissions.table.selectionModel().selectionChanged.connect(self._show_members)

        self.templates_tab = self._build_templates_tab()

        for tab, title in ((self.ceilings, self.tr("Plafonds")),
                           (self.quartiles, self.tr("Seuils de quartile")),
                           (self.criteria, self.tr("Critères de priorité")),
                           (self.reasons, self.tr("Motifs")),
                           (self.targets, self.tr("Objectifs")),
                           (self.commissions, self.tr("Commissions")),
                           (self.templates_tab, self.tr("Modèles de courriers"))):
            self.tabs.addTab(tab, title)

    # --- loading ---------------------------------------------------------------------

    def activated(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        """Read every table again (small tables: one quick query each)."""
        self._loaded = True
        self._choices = reference.territory_choices(self._engine)
        self.ceilings.set_rows(reference.list_ceilings(self._engine))
        self.quartiles.set_rows(reference.list_quartiles(self._engine))
        self.criteria.set_rows(reference.list_criteria(self._engine))
        self.reasons.set_rows(reference.list_reasons(self._engine))
        self.targets.set_rows(reference.list_targets(self._engine))
        self.commissions.set_rows(reference.list_commissions(self._engine))
        if self.commissions.model.rowCount():
            self.commissions.table.selectRow(0)
        self._reload_templates()
        self.reloaded.emit()

    # --- dialogs (tests replace `run_dialog`) ----------------------------------------

    def run_dialog(self, dialog: RecordDialog) -> bool:
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_open_path(self) -> Path | None:
        return file_dialogs.open_file(self, "import-csv",
                                      self.tr("Importer une table de plafonds"),
                                      self.tr("Fichiers CSV (*.csv)"))

    def _after_edit(self, dialog: RecordDialog, tab: TableTab, message: str) -> None:
        if self.run_dialog(dialog):
            tab.show_error(None)
            self.reload()
            messages.show_status(self, message)

    def edit_quartile(self, current: reference.QuartileInfo | None) -> None:
        choices = self._choices or reference.territory_choices(self._engine)
        dialog = QuartileDialog(self._engine, choices.epcis, self._year, current, self)
        self._after_edit(dialog, self.quartiles, self.tr("Seuil enregistré."))

    def edit_reason(self, current: reference.ReasonInfo | None) -> None:
        self._after_edit(ReasonDialog(self._engine, current, self), self.reasons,
                         self.tr("Motif enregistré."))

    def edit_target(self, current: reference.TargetInfo | None) -> None:
        choices = self._choices or reference.territory_choices(self._engine)
        dialog = TargetDialog(self._engine, choices, self._year, current, self)
        self._after_edit(dialog, self.targets, self.tr("Objectif enregistré."))

    def delete_target(self) -> None:
        target = self.targets.selected()
        if target is None:
            messages.show_status(self, self.tr("Choisissez d'abord un objectif."))
            return
        if not messages.ask_confirmation(
                self, self.tr("Supprimer l'objectif {code} {year} ({where}) ? La valeur "
                              "légale s'appliquera à défaut.").format(
                    code=target.indicator_code, year=target.year,
                    where=target.territory_label), confirm=self.tr("Supprimer")):
            return
        reference.delete_target(self._engine, target.id)
        self.reload()

    def toggle_criterion(self) -> None:
        criterion = self.criteria.selected()
        if criterion is None:
            messages.show_status(self, self.tr("Choisissez d'abord un critère."))
            return
        try:
            reference.set_criterion_active(self._engine, criterion.id, not criterion.active)
        except CaleolError as exc:
            self.criteria.show_error(exc)
            return
        row = self.criteria.table.currentIndex().row()
        self.reload()
        self.criteria.table.selectRow(row)

    def import_ceilings(self) -> None:
        path = self.ask_open_path()
        if path is None:
            return
        try:
            data = path.read_bytes()
            count = yearly.import_ceiling_file(self._engine, data)  # a source per row
        except OSError as exc:
            self.ceilings.show_error(CaleolError(f"Lecture impossible de {path} ({exc})."))
            return
        except CaleolError as exc:
            self.ceilings.show_error(exc)
            return
        self.ceilings.show_error(None)
        self.reload()
        messages.show_status(self, self.tr("{n} ligne(s) de plafonds importée(s).").format(
            n=count))

    # --- commissions -----------------------------------------------------------------

    def selected_member(self) -> reference.MemberInfo | None:
        rows = self.members_table.selectionModel().selectedRows()
        member = rows[0].data(ROW_ROLE) if rows else None
        return member if isinstance(member, reference.MemberInfo) else None

    def _reselect_commission(self, code: str) -> None:
        for row, info in enumerate(self.commissions.model.rows()):
            if info.code == code:
                self.commissions.table.selectRow(row)

    def add_member(self) -> None:
        commission = self.commissions.selected()
        if commission is None:
            messages.show_status(self, self.tr("Choisissez d'abord une commission."))
            return
        if self.run_dialog(MemberDialog(self._engine, commission, self)):
            self.reload()
            self._reselect_commission(commission.code)

    def toggle_member(self) -> None:
        commission, member = self.commissions.selected(), self.selected_member()
        if commission is None or member is None:
            messages.show_status(self, self.tr("Choisissez d'abord un membre."))
            return
        try:
            reference.set_member_active(self._engine, member.id, not member.active)
        except CaleolError as exc:
            self.commissions.show_error(exc)
            return
        row = self.members_table.currentIndex().row()
        self.reload()
        self._reselect_commission(commission.code)
        self.members_table.selectRow(row)

    def _show_members(self) -> None:
        commission = self.commissions.selected()
        self.members_model.set_rows(list(commission.members) if commission else [])
        fit_columns(self.members_table)

    # --- letter templates ------------------------------------------------------------

    def _build_templates_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(8, 8, 8, 8)
        intro = QLabel(self.tr(
            "Textes des courriers. Un modèle modifié est enregistré dans votre dossier "
            "personnel ({folder}) et remplace le modèle livré ; « Rétablir » revient au "
            "modèle livré. Champs : $nom, ${{nom}} ; $$ pour un dollar.").format(
            folder=reference.user_template_dir()), tab)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal, tab)
        self.templates_model: ColumnTableModel[reference.TemplateInfo] = ColumnTableModel(
            TEMPLATE_COLUMNS, parent=self)
        self.templates_table: QTableView = make_table_view(tab)
        self.templates_table.setModel(self.templates_model)
        self.templates_table.selectionModel().selectionChanged.connect(self._show_template)
        right = QWidget(tab)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.template_error = QLabel(right)
        self.template_error.setObjectName("templateError")
        self.template_error.setStyleSheet(ERROR_STYLE)
        self.template_error.setWordWrap(True)
        self.template_error.hide()
        self.template_edit = QPlainTextEdit(right)
        self.template_edit.setObjectName("templateEdit")
        buttons = QHBoxLayout()
        self.save_template_button = QPushButton(self.tr("Enregistrer le modèle"), right)
        self.save_template_button.setObjectName("saveTemplateButton")
        self.save_template_button.clicked.connect(self.save_template)
        self.reset_template_button = QPushButton(self.tr("Rétablir le modèle livré"), right)
        self.reset_template_button.setObjectName("resetTemplateButton")
        self.reset_template_button.clicked.connect(self.reset_template)
        buttons.addWidget(self.save_template_button)
        buttons.addWidget(self.reset_template_button)
        buttons.addStretch(1)
        right_layout.addWidget(self.template_error)
        right_layout.addWidget(self.template_edit, 1)
        right_layout.addLayout(buttons)
        split.addWidget(self.templates_table)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([320, 760])
        layout.addWidget(split, 1)
        return tab

    def _reload_templates(self, keep: LetterKind | None = None) -> None:
        selected = keep or self._selected_template_kind()
        try:
            infos = reference.list_templates()
        except CaleolError as exc:
            self.template_error.setText(exc.message)
            self.template_error.show()
            return
        self.templates_model.set_rows(infos)
        row = next((i for i, t in enumerate(infos) if t.kind == selected), 0)
        if infos:
            self.templates_table.selectRow(row)

    def _selected_template_kind(self) -> LetterKind | None:
        rows = self.templates_table.selectionModel().selectedRows()
        info = rows[0].data(ROW_ROLE) if rows else None
        return info.kind if isinstance(info, reference.TemplateInfo) else None

    def _show_template(self) -> None:
        rows = self.templates_table.selectionModel().selectedRows()
        info = rows[0].data(ROW_ROLE) if rows else None
        self.template_error.hide()
        self.template_edit.setPlainText(info.text if info else "")
        self.reset_template_button.setEnabled(bool(info and info.customised))

    def save_template(self) -> None:
        kind = self._selected_template_kind()
        if kind is None:
            return
        try:
            reference.save_template(kind, self.template_edit.toPlainText())
        except CaleolError as exc:
            self.template_error.setText(exc.message)
            self.template_error.show()
            return
        self._reload_templates(kind)
        messages.show_status(self, self.tr("Modèle « {name} » enregistré.").format(
            name=kind.value))

    def reset_template(self) -> None:
        kind = self._selected_template_kind()
        if kind is None:
            return
        try:
            reference.reset_template(kind)
        except CaleolError as exc:
            self.template_error.setText(exc.message)
            self.template_error.show()
            return
        self._reload_templates(kind)
