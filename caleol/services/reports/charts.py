"""Bar charts of the reports (reportlab.graphics): achieved rate against its target."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from caleol.fr import format_decimal
from caleol.services.reports.layout import (
    ACCENT,
    KO,
    NEUTRAL,
    OK,
    PORTRAIT_WIDTH,
    TARGET,
    register_fonts,
)


@dataclass(frozen=True)
class Bar:
    """One category: achieved value, target (None if no target) and whether it is met."""

    label: str
    value: Decimal | None
    target: Decimal | None
    met: bool | None


def _color(bar: Bar) -> colors.Color:
    if bar.value is None or bar.met is None:
        return NEUTRAL
    return OK if bar.met else KO


def bar_chart(
    bars: Sequence[Bar],
    *,
    width: float = PORTRAIT_WIDTH,
    unit: str = "%",
    title: str = "",
) -> Drawing:
    """Horizontal grouped bars: achieved (green met / red missed / grey n.c.) vs target.

    Rates are given as fractions and drawn in percent; counts are drawn as is
    (`unit=""`). A missing value is drawn as an empty bar labelled "n.c.".
    """
    font, bold = register_fonts()
    scale = Decimal(100) if unit == "%" else Decimal(1)
    row = 9 * mm
    height = max(len(bars), 1) * row + 24 * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 55 * mm
    chart.y = 16 * mm
    chart.width = width - chart.x - 18 * mm
    chart.height = height - 24 * mm
    # reportlab draws categories bottom-up: reverse so the first bar is on top
    ordered = list(reversed(bars))
    achieved = [float((b.value or 0) * scale) for b in ordered]
    targets = [float((b.target or 0) * scale) for b in ordered]
    chart.data = [targets, achieved]
    top = max([*achieved, *targets, 1.0])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100 if unit == "%" and top <= 100 else top * 1.15
    chart.valueAxis.valueStep = 10 if unit == "%" and top <= 100 else None
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d" + (" %%" if unit == "%" else "")
    chart.categoryAxis.categoryNames = [b.label for b in ordered]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.barSpacing = 1
    chart.groupSpacing = 6
    chart.bars[0].fillColor = TARGET
    chart.bars[0].strokeColor = None
    chart.bars[1].strokeColor = None
    for index, bar in enumerate(ordered):
        chart.bars[(1, index)].fillColor = _color(bar)
    chart.barLabelFormat = None
    drawing.add(chart)

    # value labels written by hand: "n.c." for a missing rate, French decimal comma
    bar_width = chart.height / len(ordered) if ordered else 0
    span = chart.valueAxis.valueMax
    for index, bar in enumerate(ordered):
        x = chart.x + chart.width * (achieved[index] / span if span else 0) + 2
        y = chart.y + bar_width * index + bar_width * 0.62
        if bar.value is None:
            text = "n.c."
        elif unit == "%":
            text = format_decimal(bar.value * scale, 1) + " %"
        else:
            text = format_decimal(bar.value, 0) + (f" {unit}" if unit else "")
        drawing.add(String(x, y - 3, text, fontName=bold, fontSize=7, fillColor=ACCENT))
    legend = Legend()
    legend.fontName = font
    legend.fontSize = 7
    legend.x = 10 * mm
    legend.y = 4 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = 6
    legend.dy = 6
    legend.dxTextSpace = 4
    legend.deltax = 125
    legend.colorNamePairs = [
        (OK, "Réalisé : objectif atteint"),
        (KO, "Réalisé : objectif manqué"),
        (NEUTRAL, "Réalisé : sans objectif"),
        (TARGET, "Objectif"),
    ]
    legend.boxAnchor = "sw"
    drawing.add(legend)
    if title:
        drawing.add(String(0, height - 5 * mm, title, fontName=bold, fontSize=9,
                           fillColor=ACCENT))
    return drawing
