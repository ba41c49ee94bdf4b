"""Indicateurs: the attribution indicators of a period and territory, and the reports.

Computing a year of indicators reads every séance of the period, so it runs on the
task runner; the screen stays usable and shows « Calcul en cours… ». Every figure
comes with its numerator, denominator and the attributions behind it (drill-down);
attributions left out for unknown data are counted in their own column, never hidden
inside a rate. The chart is `indicator_chart`; the reports (`report_exports`) are
written to a file chosen in a save dialog, also off the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from caleol.fr import counted, paris_today
from caleol.rules.indicators import (
    AttributionRecord,
    IndicatorResult,
    Period,
    Territory,
    bases_from_setting,
)
from caleol.services import reference
from caleol.services.reports import queries
from caleol.services.reports.contents import CsvContent
from caleol.services.reports.queries import IndicatorSnapshot
from caleol.services.territory.missing import missing_for_year
from caleol.settings import Settings
from caleol.ui import file_dialogs, messages
from caleol.ui.models.indicator_models import (
    DrillDownModel,
    IndicatorTableModel,
    records_by_id,
)
from caleol.ui.models.table import ROW_ROLE
from caleol.ui.pages.base import Page, page_heading
from caleol.ui.pages.flux_form import FluxCalculator
from caleol.ui.pages.indicator_chart import RateChart
from caleol.ui.pages.report_exports import ReportButtons, ReportRequest
from caleol.ui.tasks import Task, TaskContext, TaskRunner, run_with_progress
from caleol.ui.widgets.missing_tables import MissingTablesBanner
from caleol.ui.widgets.table_view import make_table_view

log = logging.getLogger(__name__)

TERRITORY_LEVELS = (
    ("", "Ensemble du patrimoine"),
    ("department", "Département"),
    ("epci", "EPCI"),
    ("agency", "Agence"),
    ("commission", "Commission"),
)
HALVES = (("", "Année entière"), ("1", "1er semestre"), ("2", "2e semestre"))


class IndicatorsPage(Page):
    """The Indicateurs screen.

    Args:
        engine: the open database.
        runner: the application's task runner.
        settings: returns the settings in force (they may change on the Paramètres page).
        today: the day that picks the default year (tests pass a fixed one).
    """

    computed = Signal()
    export_finished = Signal(str)  # path written

    def __init__(self, engine: Any, runner: TaskRunner, settings: Callable[[], Settings],
                 today: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__("indicators", "Indicateurs", parent)
        self._engine = engine
        self._runner = runner
        self._settings = settings
        self._today = today or paris_today()
        self._snapshot: IndicatorSnapshot | None = None
        self._records: dict[int, AttributionRecord] = {}  # the snapshot's, by id
        self._task: Task | None = None
        self._pending = False
        self._choices: reference.TerritoryChoices | None = None
        self.export_task: Task | None = None
        self._sized = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        heading = QHBoxLayout()
        heading.addWidget(page_heading(self.tr("Indicateurs d'attribution"), self))
        heading.addStretch(1)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("indicatorStatus")
        heading.addWidget(self.status_label)
        layout.addLayout(heading)
        layout.addLayout(self._build_filters())
        # EPCI of the stock without a first-quartile threshold for the year, with the import.
        self.missing_tables = MissingTablesBanner(engine, self)
        self.missing_tables.imported.connect(self.refresh)
        layout.addWidget(self.missing_tables)
        self.reports = ReportButtons(self)
        self.reports.requested.connect(self.export)
        layout.addWidget(self.reports)

        self.table = make_table_view(self)  # one line per indicator; label in the tooltip
        self.table.setObjectName("indicatorTable")
        self.model = IndicatorTableModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.chart_view = RateChart(self)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.table)
        top.addWidget(self.chart_view)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([700, 420])

        self.tabs = QTabWidget(self)
        self.explanation = QPlainTextEdit(self)
        self.explanation.setObjectName("indicatorExplanation")
        self.explanation.setReadOnly(True)
        self.explanation.setPlaceholderText(
            self.tr("Choisissez un indicateur pour voir le détail du calcul."))
        self.drill_model = DrillDownModel(self)
        self.drill_table = make_table_view(self)
        self.drill_table.setObjectName("drillDownTable")
        self.drill_table.setModel(self.drill_model)
        self.drill_table.setSortingEnabled(True)
        self.drill_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.drill_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.flux = FluxCalculator(self._today.year, self._settings().flux_rounding, self)
        self.tabs.addTab(self.explanation, self.tr("Explication"))
        self.tabs.addTab(self.drill_table, self.tr("Attributions (détail)"))
        flux_scroll = QScrollArea(self)  # the form is taller than the tab: it scrolls
        flux_scroll.setWidgetResizable(True)
        flux_scroll.setFrameShape(QFrame.Shape.NoFrame)
        flux_scroll.setWidget(self.flux)
        self.tabs.addTab(flux_scroll, self.tr("Calcul du flux réservataire"))

        split = self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        layout.addWidget(split, 1)

    # --- layout pieces -------------------------------------------------------------

    def _build_filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.year_spin = QSpinBox(self)
        self.year_spin.setObjectName("yearSpin")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(self._today.year)
        self.half_box = QComboBox(self)
        self.half_box.setObjectName("halfBox")
        for value, text in HALVES:
            self.half_box.addItem(self.tr(text), value)
        self.level_box = QComboBox(self)
        self.level_box.setObjectName("territoryLevelBox")
        for value, text in TERRITORY_LEVELS:
            self.level_box.addItem(self.tr(text), value)
        self.territory_box = QComboBox(self)
        self.territory_box.setObjectName("territoryBox")
        self.territory_box.setMinimumContentsLength(32)
        self.territory_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.territory_box.setEnabled(False)
        row.addWidget(QLabel(self.tr("Année"), self))
        row.addWidget(self.year_spin)
        row.addWidget(self.half_box)
        row.addSpacing(12)
        row.addWidget(QLabel(self.tr("Territoire"), self))
        row.addWidget(self.level_box)
        row.addWidget(self.territory_box)
        row.addStretch(1)
        self.year_spin.valueChanged.connect(self.refresh)
        self.half_box.currentIndexChanged.connect(self.refresh)
        self.level_box.currentIndexChanged.connect(self._fill_territories)
        self.territory_box.currentIndexChanged.connect(self.refresh)
        return row

    # --- filters -----------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._sized and self.splitter.height() > 300:
            self._sized = True  # the grids' size hints would give the chart too little room
            height = self.splitter.height()
            self.splitter.setSizes([height * 11 // 20, height * 9 // 20])

    def activated(self) -> None:
        if self._choices is None:
            self._choices = reference.territory_choices(self._engine)
            self.reports.set_reservataires(queries.load_reservataires(self._engine))
        if self._snapshot is None and self._task is None:
            self.refresh()

    def _fill_territories(self) -> None:
        level = self.level_box.currentData()
        choices = self._choices or reference.territory_choices(self._engine)
        options: tuple[reference.Choice, ...] = {
            "department": choices.departments, "epci": choices.epcis,
            "agency": choices.agencies, "commission": choices.commissions,
        }.get(level, ())
        self.territory_box.blockSignals(True)
        self.territory_box.clear()
        for choice in options:
            self.territory_box.addItem(choice.label, choice.code)
        self.territory_box.setEnabled(bool(options))
        self.territory_box.blockSignals(False)
        self.refresh()

    def period(self) -> Period:
        half = self.half_box.currentData()
        year = self.year_spin.value()
        return Period.half(year, int(half)) if half else Period.year(year)

    def territory(self) -> Territory:
        level = self.level_box.currentData()
        code = self.territory_box.currentData() or ""
        if not level or not code:
            return Territory()
        name = self.territory_box.currentText() if level == "epci" else ""
        return Territory(**{level: code}, name=name)

    # --- computing -----------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute for the current filters; a request during a computation is queued."""
        if self._task is not None:
            self._pending = True
            return
        period, territory = self.period(), self.territory()
        year = period.start.year
        self.missing_tables.watch(lambda: missing_for_year(self._engine, year))
        bases = bases_from_setting(self._settings().indicator_bases)
        self.status_label.setText(self.tr("Calcul en cours…"))
        engine = self._engine

        def work(ctx: TaskContext) -> IndicatorSnapshot:
            # no progress reports: nothing shows them (the status label says « Calcul »)
            ctx.check_cancelled()
            return queries.indicator_snapshot(engine, period, territory, bases)

        task = self._runner.start(work, name="indicateurs")
        self._task = task
        task.succeeded.connect(self._show_snapshot)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)

    def _on_failed(self, error: BaseException) -> None:
        self.status_label.setText(self.tr("Calcul impossible."))
        messages.report_exception(error)

    def _on_finished(self) -> None:
        self._task = None
        if self._pending:
            self._pending = False
            self.refresh()

    def _show_snapshot(self, snapshot: IndicatorSnapshot) -> None:
        if self._pending:
            return  # stale: the filters changed meanwhile
        selected = self.selected_result()
        code = selected.code if selected else None
        self._snapshot = snapshot
        self._records = records_by_id(snapshot.records)
        self.model.set_rows(list(snapshot.results))
        count = len(snapshot.records)
        excluded = sum(r.excluded_total for r in snapshot.results)
        self.status_label.setText(self.tr(
            "{period}, {territory} : {x} pour donnée inconnue"
        ).format(period=snapshot.period.label.capitalize(), territory=snapshot.territory.label,
                 x=counted(excluded, self.tr("exclusion"), self.tr("exclusions"))))
        self.status_label.setToolTip(self.tr("{n} attributions lues (période et année "
                                             "précédente)").format(n=count))
        self.chart_view.show_results(snapshot.results)
        row = next((i for i, r in enumerate(snapshot.results) if r.code == code), 0)
        if snapshot.results:
            self.table.selectRow(row)
        else:
            self._show_detail(None)
        self.computed.emit()

    # --- detail ------------------------------------------------------------------

    def selected_result(self) -> IndicatorResult | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        result = rows[0].data(ROW_ROLE)
        return result if isinstance(result, IndicatorResult) else None

    def select_indicator(self, code: str) -> None:
        for i, result in enumerate(self.model.rows()):
            if result.code == code:
                self.table.selectRow(i)
                return
        raise KeyError(code)

    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._show_detail(self.selected_result())

    def _show_detail(self, result: IndicatorResult | None) -> None:
        if result is None or self._snapshot is None:
            self.explanation.clear()
            self.drill_model.show(None, {})
            return
        head = f"{result.code} — {result.label}\n{result.reference}\n\n"
        self.explanation.setPlainText(head + result.explanation)
        self.drill_model.show(result, self._records)
        self.tabs.setTabText(1, self.tr("Attributions (détail) : {n}").format(
            n=self.drill_model.rowCount()))

    # --- exports -----------------------------------------------------------------

    def ask_save_path(self, suggested: str, pattern: str) -> Path | None:
        """The save dialog (tests replace this method)."""
        return file_dialogs.save_file(self, "report", self.tr("Enregistrer le rapport"),
                                      pattern, Path(suggested).name)

    def export(self, kind: str) -> Task | None:
        """Write a report chosen by `kind` (annual, prefet, reservataire, csv:<content>)."""
        half = self.half_box.currentData()
        request = ReportRequest(kind, self.year_spin.value(), int(half) if half else None,
                                self.territory(), self.reports.reservataire_code())
        if kind == "prefet" and request.half is None:
            messages.show_status(self, self.tr(
                "Choisissez le 1er ou le 2e semestre pour l'état au préfet."))
            self.half_box.setFocus()
            return None
        if kind == "reservataire" and not request.reservataire_code:
            messages.show_status(self, self.tr("Aucun réservataire dans la base."))
            return None
        if (request.csv_content is CsvContent.RESERVATAIRE
                and not request.reservataire_code):
            messages.show_status(self, self.tr("Choisissez d'abord le réservataire."))
            return None
        path = self.ask_save_path(request.file_name(), self.tr("Fichiers CSV (*.csv)")
                                  if request.csv_content is not None
                                  else self.tr("Documents PDF (*.pdf)"))
        if path is None:
            return None

        def done(written: str) -> None:
            messages.show_status(self, self.tr("Rapport enregistré : {path}").format(
                path=written))
            self.export_finished.emit(written)

        self.export_task = run_with_progress(
            self, self._runner, self.tr("Rapport"),
            request.work(self._engine, self._settings(), path), done)
        return self.export_task
