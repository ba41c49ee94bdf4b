"""The reasons catalogue, the priority criteria and the indicator targets: the charter's
defaults at the start, edited here (never deleted: decisions and demandes cite them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from caleol import fr
from caleol.errors import CaleolError
from caleol.rules.decisions import CHECK_LABELS
from caleol.services import organisation, reference
from caleol.ui import messages
from caleol.ui.dialogs.record_dialog import RecordDialog
from caleol.ui.dialogs.reference_dialogs import (
    CriterionDialog,
    DepartmentDialog,
    ReasonDialog,
    TargetDialog,
    delay_text,
)
from caleol.ui.models.table import CENTER, RIGHT, Column, number_column
from caleol.ui.pages.reference.table_tab import TabContext, TableTab, yes

CRITERION_COLUMNS: tuple[Column[reference.CriterionInfo], ...] = (
    Column("source", "Origine"),
    Column("code", "Code"),
    Column("label", "Critère"),
    Column("legal_reference", "Référence"),
    Column("active", "Actif", formatter=yes, alignment=CENTER),
)
REASON_COLUMNS: tuple[Column[reference.ReasonInfo], ...] = (
    Column("kind", "Type", value=lambda r: r.kind_label),
    Column("code", "Code"),
    Column("label", "Libellé", tooltip=lambda r: "\n".join(
        part for part in (r.label, r.legal_reference) if part)),
    Column("unlawful_alone", "Illégal seul", formatter=yes, alignment=CENTER,
           header_tooltip="Motif qui ne peut justifier seul un refus (ex. ressources "
                          "insuffisantes) : la décision doit en citer un autre"),
    Column("contradicts_check", "Contredit par", value=lambda r: CHECK_LABELS.get(
        r.contradicts_check or "", ""), header_tooltip="Le contrôle dont la conformité "
           "contredit le motif : une justification est alors demandée"),
    Column("active", "Actif", formatter=yes, alignment=CENTER),
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
DEPARTMENT_COLUMNS: tuple[Column[organisation.DepartmentRecord], ...] = (
    Column("code", "Code"),
    Column("name", "Département"),
    Column("abnormal_delay_months", "Délai anormalement long", alignment=RIGHT,
           value=lambda r: delay_text(r.code, r.abnormal_delay_months),
           header_tooltip="Fixé par arrêté du préfet (art. L441-1-4 CCH) : une demande "
                          "qui l'atteint est prioritaire"),
)


class CatalogueTab(TableTab):
    """A list edited through a `RecordDialog` (new, edit) and an active flag."""

    def __init__(self, context: TabContext, columns: tuple[Column[Any], ...], intro: str,
                 parent: QWidget | None, *, name: str, new_text: str, saved_text: str,
                 stretch: str = "") -> None:
        super().__init__(columns, intro, parent, stretch=stretch)
        self.context = context
        self._saved_text = saved_text
        self.add_button(new_text, f"new{name}Button", lambda: self.edit(None))
        self.add_button(self.tr("Modifier…"), f"edit{name}Button",
                        lambda: self.edit(self.selected()))
        self.table.doubleClicked.connect(lambda: self.edit(self.selected()))

    def dialog(self, current: Any) -> RecordDialog:
        raise NotImplementedError

    def edit(self, current: Any) -> None:
        dialog = self.dialog(current)
        if self.context.run_dialog(dialog):
            self.show_error(None)
            self.reload()
            if dialog.saved is not None and hasattr(dialog.saved, "id"):
                self.select_where(lambda r: r.id == dialog.saved.id)
            messages.show_status(self, self._saved_text)


class CriteriaTab(CatalogueTab):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, CRITERION_COLUMNS, (
            "Critères de priorité (CCH L441-1, PDALHPD, CIA, charte) enregistrés sur les "
            "demandes ; ceux de la charte sont installés avec la base. Un critère retiré "
            "n'est plus proposé, les demandes qui le portent le gardent."), parent,
            name="Criterion", new_text="Nouveau critère…", saved_text="Critère enregistré.",
            stretch="label")
        self.add_button(self.tr("Activer / désactiver"), "toggleCriterionButton", self.toggle)
        self.finish_buttons()

    def reload(self) -> None:
        self.set_rows(reference.list_criteria(self.context.engine))

    def dialog(self, current: Any) -> RecordDialog:
        return CriterionDialog(self.context.engine, current, self)

    def toggle(self) -> None:
        criterion = self.selected()
        if criterion is None:
            messages.show_status(self, self.tr("Choisissez d'abord un critère."))
            return
        try:
            reference.set_criterion_active(self.context.engine, criterion.id,
                                           not criterion.active)
        except CaleolError as exc:
            self.show_error(exc)
            return
        self.reload()
        self.select_where(lambda r: r.id == criterion.id)


class ReasonsTab(CatalogueTab):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, REASON_COLUMNS, (
            "Motifs de non-attribution et d'irrecevabilité proposés dans les décisions ; "
            "ceux de la charte sont installés avec la base. « Illégal seul » : motif qui ne "
            "peut fonder seul un refus. Un motif retiré (« Actif » décoché) reste dans les "
            "décisions qui le citent."), parent, name="Reason", new_text="Nouveau motif…",
            saved_text="Motif enregistré.", stretch="label")
        self.finish_buttons()

    def reload(self) -> None:
        self.set_rows(reference.list_reasons(self.context.engine))

    def dialog(self, current: Any) -> RecordDialog:
        return ReasonDialog(self.context.engine, current, self)


class TargetsTab(CatalogueTab):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, TARGET_COLUMNS, (
            "Objectifs des indicateurs (CUS, CIA, conventions) par année et territoire ; "
            "le plus précis s'applique, la valeur légale à défaut."), parent,
            name="Target", new_text="Nouvel objectif…", saved_text="Objectif enregistré.")
        self.add_button(self.tr("Supprimer"), "deleteTargetButton", self.delete)
        self.finish_buttons()

    def reload(self) -> None:
        self.set_rows(reference.list_targets(self.context.engine))

    def dialog(self, current: Any) -> RecordDialog:
        choices = reference.territory_choices(self.context.engine)
        return TargetDialog(self.context.engine, choices, self.context.year, current, self)

    def delete(self) -> None:
        target = self.selected()
        if target is None:
            messages.show_status(self, self.tr("Choisissez d'abord un objectif."))
            return
        if not messages.ask_confirmation(
                self, self.tr("Supprimer l'objectif {code} {year} ({where}) ? La valeur "
                              "légale s'appliquera à défaut.").format(
                    code=target.indicator_code, year=target.year,
                    where=target.territory_label), confirm=self.tr("Supprimer")):
            return
        reference.delete_target(self.context.engine, target.id)
        self.reload()


class DepartmentsTab(TableTab):
    """The départements of the stock and demandes, with the délai anormalement long only
    the préfet's order gives: a new base knows none (a département is created by the
    imports, never here)."""

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(DEPARTMENT_COLUMNS, (
            "Départements des agences, des logements et des demandes. Le délai anormalement "
            "long fixé "
            "par le préfet rend prioritaire une demande qui l'atteint ; non fixé, "
            "l'ancienneté reste « indéterminée » sur les fiches et le procès-verbal."),
            parent, stretch="name")
        self.context = context
        self.add_button(self.tr("Modifier…"), "editDepartmentButton",
                        lambda: self.edit(self.selected()))
        self.table.doubleClicked.connect(lambda: self.edit(self.selected()))
        self.finish_buttons()

    def reload(self) -> None:
        self.set_rows(list(organisation.list_departments(self.context.engine)))

    def edit(self, current: organisation.DepartmentRecord | None) -> None:
        if current is None:
            messages.show_status(self, self.tr("Choisissez d'abord un département."))
            return
        if self.context.run_dialog(DepartmentDialog(self.context.engine, current, self)):
            self.show_error(None)
            self.reload()
            self.select_where(lambda r: r.code == current.code)
            messages.show_status(self, self.tr("Délai du département enregistré."))
