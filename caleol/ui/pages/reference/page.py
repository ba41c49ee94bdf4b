"""The Référentiels screen: one tab per kind of reference data, one module per tab.

The organisation (landlord, agencies, réservataires, commissions and members) with the
forms of the setup assistant; the reasons catalogue, priority criteria and targets;
the yearly tables (ceilings, first-quartile thresholds); the letters' templates. Each
save is one transaction in the services; a refusal shows beside the field or on the
tab's red line.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QTabWidget, QVBoxLayout, QWidget

from caleol.fr import paris_today
from caleol.ui.pages.base import Page, page_heading
from caleol.ui.pages.reference.agencies_tab import AgenciesTab
from caleol.ui.pages.reference.catalogue_tabs import (
    CriteriaTab,
    DepartmentsTab,
    ReasonsTab,
    TargetsTab,
)
from caleol.ui.pages.reference.commissions_tab import CommissionsTab
from caleol.ui.pages.reference.landlord_tab import LandlordTab
from caleol.ui.pages.reference.reservataires_tab import ReservatairesTab
from caleol.ui.pages.reference.table_tab import TabContext
from caleol.ui.pages.reference.templates_tab import TemplatesTab
from caleol.ui.pages.reference.yearly_tabs import CeilingsTab, QuartilesTab


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
        self._loaded = False
        context = TabContext(engine, (today or paris_today()).year,
                             lambda dialog: self.run_dialog(dialog))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(page_heading(self.tr("Référentiels"), self))
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("referenceTabs")
        layout.addWidget(self.tabs, 1)
        self.landlord = LandlordTab(context, self)
        self.agencies = AgenciesTab(context, self)
        self.reservataires = ReservatairesTab(context, self)
        self.commissions = CommissionsTab(context, self)
        self.reasons = ReasonsTab(context, self)
        self.criteria = CriteriaTab(context, self)
        self.departments = DepartmentsTab(context, self)
        self.targets = TargetsTab(context, self)
        self.ceilings = CeilingsTab(context, self)
        self.quartiles = QuartilesTab(context, self)
        self.templates = TemplatesTab(self)
        for tab, title in ((self.landlord, self.tr("Bailleur")),
                           (self.agencies, self.tr("Agences")),
                           (self.reservataires, self.tr("Réservataires")),
                           (self.commissions, self.tr("Commissions")),
                           (self.reasons, self.tr("Motifs")),
                           (self.criteria, self.tr("Critères de priorité")),
                           (self.departments, self.tr("Départements")),
                           (self.targets, self.tr("Objectifs")),
                           (self.ceilings, self.tr("Plafonds")),
                           (self.quartiles, self.tr("Seuils de quartile")),
                           (self.templates, self.tr("Modèles de courriers"))):
            self.tabs.addTab(tab, title)

    def activated(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        """Read every tab again (small tables: a quick query or two each)."""
        self._loaded = True
        for tab in (self.landlord, self.agencies, self.reservataires, self.commissions,
                    self.reasons, self.criteria, self.departments, self.targets,
                    self.ceilings,
                    self.quartiles, self.templates):
            tab.reload()
        self.reloaded.emit()

    def run_dialog(self, dialog: QDialog) -> bool:
        """Show an edit dialog; True when it saved (tests replace this method)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def show_departments(self) -> None:
        """The délai anormalement long of each département, as the setup assistant's
        last page offers it."""
        self.activated()
        self.tabs.setCurrentWidget(self.departments)

    def start_import(self, table: str) -> None:
        """The import of a yearly table (« ceilings » or « quartiles »), as the setup
        assistant's last page offers it."""
        self.activated()
        tab = self.ceilings if table == "ceilings" else self.quartiles
        self.tabs.setCurrentWidget(tab)
        tab.import_file()
