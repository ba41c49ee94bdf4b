"""The yearly tables: resource ceilings and first-quartile thresholds, each importable
from the official file (one source per row), the thresholds also typed one by one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy import Engine

from caleol import fr
from caleol.errors import CaleolError
from caleol.services import reference
from caleol.services.territory import yearly
from caleol.services.territory.csv_text import read_limited
from caleol.ui import file_dialogs, messages
from caleol.ui.dialogs.reference_dialogs import QuartileDialog
from caleol.ui.models.table import Column, number_column
from caleol.ui.pages.reference.table_tab import TabContext, TableTab, euro_column

ZONE_SHORT = {
    "paris_et_limitrophes": "Paris et limitrophes",
    "ile_de_france_hors_paris": "Île-de-France hors Paris",
    "autres_regions": "autres régions",
}

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


class YearlyTab(TableTab):
    """A table imported from a CSV file through `caleol reference import`'s service."""

    what = ""  # « plafonds », « seuils »

    def __init__(self, context: TabContext, columns: tuple[Column[Any], ...], intro: str,
                 parent: QWidget | None, importer: Callable[[Engine, bytes], int]) -> None:
        super().__init__(columns, intro, parent)
        self.context = context
        self._importer = importer

    def ask_open_path(self) -> Path | None:
        """The file to import (tests replace this method)."""
        return file_dialogs.open_file(self, "import-csv", self.tr("Importer un fichier CSV"),
                                      self.tr("Fichiers CSV (*.csv)"))

    def import_file(self) -> None:
        path = self.ask_open_path()
        if path is None:
            return
        try:
            count = self._importer(self.context.engine, read_limited(path))  # a source per row
        except OSError as exc:
            self.show_error(CaleolError(f"Lecture impossible de {path} ({exc})."))
            return
        except CaleolError as exc:
            self.show_error(exc)
            return
        self.show_error(None)
        self.reload()
        messages.show_status(self, self.tr("{lines} de {what} {imported}.").format(
            lines=fr.counted(count, "ligne"), what=self.what,
            imported=self.tr("importée") if count < 2 else self.tr("importées")))


class CeilingsTab(YearlyTab):
    what = "plafonds"

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, CEILING_COLUMNS, (
            "Plafonds de ressources annuels (euros, revenu fiscal de référence) par "
            "financement, zone et catégorie de ménage. Les lignes livrées ne sont jamais "
            "modifiées : une table importée les complète ou les remplace pour sa date "
            "d'effet ; chaque ligne cite sa source officielle."), parent,
            yearly.import_ceiling_file)
        self.add_button(self.tr("Importer une table (CSV)…"), "importCeilingsButton",
                        self.import_file)
        self.finish_buttons()

    def reload(self) -> None:
        self.set_rows(reference.list_ceilings(self.context.engine))


class QuartilesTab(YearlyTab):
    what = "seuils"

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, QUARTILE_COLUMNS, (
            "Seuil du 1er quartile des demandeurs par EPCI et par année (ressources "
            "annuelles par unité de consommation), fixé par arrêté : il classe les "
            "attributions hors QPV."), parent, yearly.import_quartile_file)
        self.add_button(self.tr("Importer des seuils (CSV)…"), "importQuartilesButton",
                        self.import_file)
        self.add_button(self.tr("Nouveau seuil…"), "newQuartileButton",
                        lambda: self.edit(None))
        self.add_button(self.tr("Modifier…"), "editQuartileButton",
                        lambda: self.edit(self.selected()))
        self.finish_buttons()
        self.table.doubleClicked.connect(lambda: self.edit(self.selected()))

    def reload(self) -> None:
        self.set_rows(reference.list_quartiles(self.context.engine))

    def edit(self, current: reference.QuartileInfo | None) -> None:
        choices = reference.territory_choices(self.context.engine)
        dialog = QuartileDialog(self.context.engine, choices.epcis, self.context.year,
                                current, self)
        if self.context.run_dialog(dialog):
            self.show_error(None)
            self.reload()
            messages.show_status(self, self.tr("Seuil enregistré."))
