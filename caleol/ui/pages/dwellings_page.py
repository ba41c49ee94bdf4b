"""Logements: every dwelling, searchable and filterable, with its detail."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy import Engine

from caleol import fr
from caleol.services.browse import DwellingBrowser, DwellingDetail, DwellingFilters, DwellingRow
from caleol.services.imports import import_dwellings
from caleol.ui.dialogs.dwelling_editor import DwellingEditor
from caleol.ui.models.table import (
    RIGHT,
    Column,
    date_column,
    money_column,
)
from caleol.ui.pages.browser.listing import FilterSpec
from caleol.ui.pages.browser.page import BrowserPage
from caleol.ui.tasks import TaskRunner


def _surface(value: Decimal) -> str:
    return f"{fr.format_decimal(value)}{fr.NBSP}m²"


def _qpv(value: bool | None) -> str:
    return "" if value is None else ("oui" if value else "non")  # under the header « QPV »


DWELLING_COLUMNS: tuple[Column[DwellingRow], ...] = (
    Column("reference", "Référence"),
    Column("typology", "Type"),
    Column("commune", "Commune"),
    Column("address", "Adresse"),
    Column("financing", "Financement"),
    money_column("rent", "Loyer", header_tooltip="Loyer hors charges"),
    Column("surface_m2", "Surface", formatter=_surface, alignment=RIGHT),
    Column("qpv", "QPV", formatter=_qpv,
           header_tooltip="En quartier prioritaire de la politique de la ville"),
    date_column("availability_date", "Disponible le"),
    Column("status_label", "Statut"),
)
"""Charges, réservataire and the rest are in the detail panel: the list fits 1366 px."""


class DwellingsPage(BrowserPage):
    def __init__(self, browser: DwellingBrowser, parent: QWidget | None = None, *,
                 engine: Engine | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(
            "dwellings", "Logements", source=browser, columns=DWELLING_COLUMNS,
            filters=DwellingFilters(),
            filter_specs=(
                FilterSpec("typology", "Typologie", "Toutes typologies"),
                FilterSpec("commune_id", "Commune", "Toutes communes", "commune"),
                FilterSpec("financing", "Financement", "Tous financements"),
                FilterSpec("status", "Statut", "Tous statuts"),
            ),
            search_placeholder="Rechercher : référence, programme, adresse, commune…",
            nouns=("logement", "logements"),
            empty_detail="Sélectionnez un logement pour voir sa fiche.",
            parent=parent,
        )
        if engine is not None:
            self.enable_editing(partial(_editor, engine))
        if engine is not None and runner is not None:
            self.enable_import(runner, partial(import_dwellings, engine))

    def show_detail(self, row: Any, detail: DwellingDetail) -> None:
        fields = dict(detail.fields)
        self.detail.show_record(f"Logement {fields['Référence']} – {fields['Typologie']}",
                                detail.fields)


def _editor(engine: Engine, dwelling_id: int | None, parent: QWidget) -> DwellingEditor:
    return DwellingEditor(engine, dwelling_id, parent)
