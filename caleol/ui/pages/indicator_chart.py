"""The Indicateurs page's chart: each rate beside its target, in the table's order.

Only the indicators that are rates are drawn (`is_rate`); the bars are horizontal so
that the indicator codes stay readable on the category axis. The figures themselves
(numerator, denominator, the attributions behind them) are in the table and its
detail: the chart converts to float for its coordinates only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QWidget

from caleol.rules.indicators import IndicatorResult
from caleol.ui.models.indicator_models import is_rate

RATE_COLOUR = QColor("#1f5f99")
TARGET_COLOUR = QColor("#c9a227")


class RateChart(QChartView):
    """Rates and targets, in per cent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        super().__init__(chart, parent)
        self.setObjectName("indicatorChart")
        chart.setTitle(self.tr("Taux et objectifs"))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumWidth(360)

    def show_results(self, results: Sequence[IndicatorResult]) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # horizontal bars are drawn bottom-up: reversed, they read in the table's order
        rates = [r for r in reversed(results) if is_rate(r)]
        rate_set = QBarSet(self.tr("Taux"))
        rate_set.setColor(RATE_COLOUR)
        target_set = QBarSet(self.tr("Objectif"))
        target_set.setColor(TARGET_COLOUR)
        for r in rates:
            rate_set.append(float((r.rate or 0) * 100))  # chart coordinates only
            target_set.append(float((r.target or 0) * 100))
        series = QHorizontalBarSeries()
        series.append(rate_set)
        series.append(target_set)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append([r.code for r in rates])
        categories.setTruncateLabels(False)
        values = QValueAxis()
        values.setRange(0, 100)
        values.setLabelFormat("%d %%")
        values.setTickCount(6)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)
