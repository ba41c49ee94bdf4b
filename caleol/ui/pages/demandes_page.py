"""Demandes: every application (NUR), searchable by NUR or name, with its household."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy import Engine

from caleol.services.browse import (
    DemandeBrowser,
    DemandeDetail,
    DemandeFilters,
    DemandeRow,
    MemberLine,
    ResourceLine,
)
from caleol.services.imports import import_demandes
from caleol.ui.dialogs.demande_editor import DemandeEditor
from caleol.ui.models.table import (
    RIGHT,
    Column,
    ColumnTableModel,
    money_column,
    number_column,
)
from caleol.ui.pages.browser.listing import FilterSpec
from caleol.ui.pages.browser.page import BrowserPage
from caleol.ui.tasks import TaskRunner


def _months(value: int) -> str:
    return f"{value} mois"


DEMANDE_COLUMNS: tuple[Column[DemandeRow], ...] = (
    Column("nur", "NUR"),
    Column("name", "Demandeur"),
    # « Ancienneté » and « Typologies » were cut in 63 px beside the detail panel at
    # 1366×768 (issue 17): shorter headers, named in full in their tooltip
    number_column("waiting_months", "Anc.", formatter=_months,
                  header_tooltip="Ancienneté : mois écoulés depuis le dépôt "
                                 "(date dans la fiche)"),
    number_column("household_size", "Ménage", header_tooltip="Nombre de personnes"),
    money_column("monthly_resources", "Ressources",
                 header_tooltip="Ressources mensuelles du ménage"),
    Column("wished_typologies", "Typol.", header_tooltip="Typologies souhaitées"),
    Column("priority", "Priorité", value=lambda r: r.priority,
           bold=lambda r: r.dalo),
    number_column("cotation_score", "Cotation"),
    Column("status_label", "Statut"),
)

MEMBER_COLUMNS: tuple[Column[MemberLine], ...] = (
    Column("role", "Qualité"),
    Column("name", "Nom"),
    Column("birth_date", "Naissance"),
    Column("notes", "Particularités"),
)

RESOURCE_COLUMNS: tuple[Column[ResourceLine], ...] = (
    Column("who", "Bénéficiaire"),
    Column("kind", "Nature"),
    # « Montant mensuel » was cut at the panel's edge (« Montant mens… »)
    Column("monthly", "Mensuel", alignment=RIGHT, header_tooltip="Montant mensuel"),
    Column("stable", "Stabilité"),
)


class DemandesPage(BrowserPage):
    # the applicant's name takes the room the list has: the NUR, the widest column of a
    # few demandes, took 400 px of blank on a new base
    stretch_column = 1
    whole_columns = ("monthly_resources",)

    def __init__(self, browser: DemandeBrowser, parent: QWidget | None = None, *,
                 engine: Engine | None = None, runner: TaskRunner | None = None) -> None:
        super().__init__(
            "demandes", "Demandes", source=browser, columns=DEMANDE_COLUMNS,
            filters=DemandeFilters(),
            filter_specs=(
                FilterSpec("typology", "Typologie souhaitée", "Toutes typologies"),
                FilterSpec("commune_id", "Commune souhaitée", "Toutes communes", "commune"),
                FilterSpec("status", "Statut", "Tous statuts"),
                FilterSpec("priority", "Priorité", "Toutes priorités"),
            ),
            search_placeholder="Rechercher : NUR ou nom du demandeur…",
            nouns=("demande", "demandes"), feminine=True,
            empty_detail="Sélectionnez une demande pour voir le ménage et ses ressources.",
            parent=parent,
        )
        if engine is not None:
            self.enable_editing(partial(_editor, engine))
        if engine is not None and runner is not None:
            self.enable_import(runner, partial(import_demandes, engine))

    def show_detail(self, row: Any, detail: DemandeDetail) -> None:
        fields = dict(detail.fields)
        self.detail.show_record(
            f"{fields['Demandeur']} – {fields['NUR']}", detail.fields,
            tables=(
                ("Composition du ménage", ColumnTableModel(MEMBER_COLUMNS, detail.members)),
                ("Ressources", ColumnTableModel(RESOURCE_COLUMNS, detail.resources)),
            ),
            whole=("monthly",),
        )


def _editor(engine: Engine, demande_id: int | None, parent: QWidget) -> DemandeEditor:
    return DemandeEditor(engine, demande_id, parent)
