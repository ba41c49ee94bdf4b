"""Indicateurs: the attribution indicators of a period and territory, and the reports.

Computing a year of indicators reads every séance of the period, so it runs on the
task runner; the screen stays usable and shows « Calcul en cours… ». Every figure
comes with its numerator, denominator and the attributions behind it (drill-down);
attributions left out for unknown data are counted in their own column, never hidden
inside a rate. The reports are written to a file chosen in a save dialog, also off
the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QItemSelection, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.fr import counted
from caleol.rules.indicators import (
    AttributionRecord,
    Bases,
    IndicatorResult,
    Period,
    Territory,
    bases_from_setting,
    compute_all,
)
from caleol.services import reference
from caleol.services.reports import generate, queries
from caleol.services.reports.contents import CsvContent
from caleol.services.territory.missing import missing_for_year
from caleol.settings import Settings
from caleol.ui import file_dialogs, messages
from caleol.ui.models.indicator_models import (
    DrillDownModel,
    IndicatorTableModel,
    is_rate,
    records_by_id,
)
from caleol.ui.models.table import ROW_ROLE
from caleol.ui.pages.base import Page, page_heading
from caleol.ui.pages.browser_page import make_table_view
from caleol.ui.pages.flux_form import FluxCalculator
from caleol.ui.tasks import Task, TaskContext, TaskRunner, run_with_progress
from caleol.ui.widgets.missing_tables import MissingTablesBanner

log = logging.getLogger(__name__)

TERRITORY_LEVELS = (
    ("", "Ensemble du patrimoine"),
    ("department", "Département"),
    ("epci", "EPCI"),
    ("agency", "Agence"),
    ("commission", "Commission"),
)
HALVES = (("", "Année entière"), ("1", "1er semestre"), ("2", "2e semestre"))
RATE_COLOUR = QColor("#1f5f99")
TARGET_COLOUR = QColor("#c9a227")


@dataclass(frozen=True)
class IndicatorSnapshot:
    """What one computation returns to the GUI: results and the records they count."""

    period: Period
    territory: Territory
    results: tuple[IndicatorResult, ...]
    records: Mapping[int, AttributionRecord]


def compute_indicators(engine: Any, period: Period, territory: Territory,
                       bases: Bases | None = None) -> IndicatorSnapshot:
    """Plain function (worker thread): the records are kept for the drill-down."""
    records = queries.load_attribution_records(engine, period)
    targets = queries.load_targets(engine, period.start.year)
    results = compute_all(records, period, territory, targets, bases)
    return IndicatorSnapshot(period, territory, tuple(results), records_by_id(records))


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
        self._today = today or date.today()
        self._snapshot: IndicatorSnapshot | None = None
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
        layout.addLayout(self._build_exports())

        self.table = make_table_view(self)  # one line per indicator; label in the tooltip
        self.table.setObjectName("indicatorTable")
        self.model = IndicatorTableModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.chart = QChart()
        self.chart.setTitle(self.tr("Taux et objectifs"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart_view = QChartView(self.chart, self)
        self.chart_view.setObjectName("indicatorChart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumWidth(360)

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

    def _build_exports(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Rapports :"), self))
        self.annual_button = QPushButton(self.tr("Rapport annuel (PDF)…"), self)
        self.annual_button.setObjectName("annualReportButton")
        self.annual_button.clicked.connect(lambda: self.export("annual"))
        self.prefet_button = QPushButton(self.tr("État semestriel au préfet (PDF)…"), self)
        self.prefet_button.setObjectName("prefetReportButton")
        self.prefet_button.setToolTip(self.tr(
            "Loi 3DS : dans les 15 jours suivant le 30 juin et le 31 décembre. "
            "Choisissez d'abord le semestre."))
        self.prefet_button.clicked.connect(lambda: self.export("prefet"))
        self.reservataire_box = QComboBox(self)
        self.reservataire_box.setObjectName("reservataireBox")
        self.reservataire_box.setMinimumContentsLength(26)
        self.reservataire_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reservataire_button = QPushButton(self.tr("Rapport réservataire (PDF)…"), self)
        self.reservataire_button.setObjectName("reservataireReportButton")
        self.reservataire_button.clicked.connect(lambda: self.export("reservataire"))
        self.csv_button = QToolButton(self)
        self.csv_button.setObjectName("csvExportButton")
        self.csv_button.setText(self.tr("Export CSV"))
        self.csv_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.csv_button)
        for content in CsvContent:
            action = menu.addAction(content.label[0].upper() + content.label[1:] + "…")
            action.setObjectName(f"csv_{content.value}")
            action.triggered.connect(lambda checked=False, c=content: self.export("csv:" + c))
        self.csv_button.setMenu(menu)
        row.addWidget(self.annual_button)
        row.addWidget(self.prefet_button)
        row.addSpacing(8)
        row.addWidget(self.reservataire_box)
        row.addWidget(self.reservataire_button)
        row.addSpacing(8)
        row.addWidget(self.csv_button)
        row.addStretch(1)
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
            self.reservataire_box.clear()
            for info in queries.load_reservataires(self._engine):
                self.reservataire_box.addItem(f"{info.code} — {info.name}", info.code)
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
            return compute_indicators(engine, period, territory, bases)

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
        self.model.set_rows(list(snapshot.results))
        count = len(snapshot.records)
        excluded = sum(r.excluded_total for r in snapshot.results)
        self.status_label.setText(self.tr(
            "{period}, {territory} : {x} pour donnée inconnue"
        ).format(period=snapshot.period.label.capitalize(), territory=snapshot.territory.label,
                 x=counted(excluded, self.tr("exclusion"), self.tr("exclusions"))))
        self.status_label.setToolTip(self.tr("{n} attributions lues (période et année "
                                             "précédente)").format(n=count))
        self._update_chart(snapshot.results)
        row = next((i for i, r in enumerate(snapshot.results) if r.code == code), 0)
        if snapshot.results:
            self.table.selectRow(row)
        else:
            self._show_detail(None)
        self.computed.emit()

    def _update_chart(self, results: tuple[IndicatorResult, ...]) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        # horizontal bars are drawn bottom-up: reversed, they read in the table's order
        rates = [r for r in reversed(results) if is_rate(r)]
        rate_set = QBarSet(self.tr("Taux"))
        rate_set.setColor(RATE_COLOUR)
        target_set = QBarSet(self.tr("Objectif"))
        target_set.setColor(TARGET_COLOUR)
        for r in rates:
            rate_set.append(float((r.rate or 0) * 100))  # chart coordinates only
            target_set.append(float((r.target or 0) * 100))
        # horizontal bars: the indicator codes stay readable on the category axis
        series = QHorizontalBarSeries()
        series.append(rate_set)
        series.append(target_set)
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([r.code for r in rates])
        categories.setTruncateLabels(False)
        values = QValueAxis()
        values.setRange(0, 100)
        values.setLabelFormat("%d %%")
        values.setTickCount(6)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)

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
        self.drill_model.show(result, self._snapshot.records)
        self.tabs.setTabText(1, self.tr("Attributions (détail) : {n}").format(
            n=self.drill_model.rowCount()))

    # --- exports -----------------------------------------------------------------

    def ask_save_path(self, suggested: str, pattern: str) -> Path | None:
        """The save dialog (tests replace this method)."""
        return file_dialogs.save_file(self, "report", self.tr("Enregistrer le rapport"),
                                      pattern, Path(suggested).name)

    def export(self, kind: str) -> Task | None:
        """Write a report chosen by `kind` (annual, prefet, reservataire, csv:<content>)."""
        year = self.year_spin.value()
        half_data = self.half_box.currentData()
        half = int(half_data) if half_data else None
        territory = self.territory()
        settings = self._settings()
        engine = self._engine
        if kind == "prefet" and half is None:
            messages.show_status(self, self.tr(
                "Choisissez le 1er ou le 2e semestre pour l'état au préfet."))
            self.half_box.setFocus()
            return None
        code = self.reservataire_box.currentData() or ""
        if kind == "reservataire" and not code:
            messages.show_status(self, self.tr("Aucun réservataire dans la base."))
            return None
        csv_content = CsvContent(kind[4:]) if kind.startswith("csv:") else None
        if csv_content is CsvContent.RESERVATAIRE and not code:
            messages.show_status(self, self.tr("Choisissez d'abord le réservataire."))
            return None
        suffix = f"-S{half}" if half else ""
        names = {
            "annual": f"rapport-attributions-{year}.pdf",
            "prefet": f"etat-prefet-{year}{suffix}.pdf",
            "reservataire": f"rapport-{code}-{year}.pdf",
        }
        name = names.get(kind) or f"{csv_content}-{year}{suffix}.csv"
        is_csv = csv_content is not None
        path = self.ask_save_path(name, self.tr("Fichiers CSV (*.csv)") if is_csv
                                  else self.tr("Documents PDF (*.pdf)"))
        if path is None:
            return None

        def work(ctx: TaskContext) -> str:
            ctx.progress(5, "Lecture des attributions…")
            if kind == "annual":
                data = generate.annual_report_pdf(engine, year, settings, territory)
            elif kind == "prefet":
                assert half is not None
                data = generate.prefet_statement_pdf(engine, year, half, settings, territory)
            elif kind == "reservataire":
                data = generate.reservataire_report_pdf(engine, year, code, settings)
            else:
                assert csv_content is not None
                data = generate.csv_report(engine, year, csv_content, settings, half=half,
                                           territory=territory, reservataire_code=code or None)
            ctx.progress(90, "Écriture du fichier…")
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise CaleolError(f"Impossible d'écrire {path} ({exc}).") from None
            return str(path)

        def done(written: str) -> None:
            messages.show_status(self, self.tr("Rapport enregistré : {path}").format(
                path=written))
            self.export_finished.emit(written)

        self.export_task = run_with_progress(self, self._runner, self.tr("Rapport"), work,
                                             done)
        return self.export_task
