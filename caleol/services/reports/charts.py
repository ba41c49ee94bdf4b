"""Bar charts of the reports (reportlab.graphics): achieved value against its target.

The reports are printed and photocopied in black and white, so colour never carries
the meaning alone: a met target is a solid bar, a missed one a hatched bar, and each
bar is labelled with its value and « atteint » / « non atteint ». The target is a
light bar with a dark outline above the achieved one. Category names wrap to the
label column. Only the embedded DejaVu fonts are used (`initialFontName`, or reportlab
falls back on a non-embedded Helvetica).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from caleol.fr import NBSP, format_decimal
from caleol.services.reports.layout import (
    ACCENT,
    GRID,
    KO,
    NEUTRAL,
    OK,
    PORTRAIT_WIDTH,
    TARGET,
    register_fonts,
)

MET_TEXT = "atteint"
MISSED_TEXT = "non atteint"
VOID_TEXT = "sans objet"  # a contingent's target with no attribution on that contingent
LABEL_SIZE = 7.5
VALUE_SIZE = 7
HATCH_STEP = 2.2  # points between the white diagonals of a missed bar
INK = colors.HexColor("#1a1a1a")


@dataclass(frozen=True)
class Bar:
    """One category: achieved value, target (None if no target) and whether it is met;
    `void` when the target is « sans objet » (no attribution on its contingent)."""

    label: str
    value: Decimal | None
    target: Decimal | None
    met: bool | None
    void: bool = False


def status_text(bar: Bar) -> str:
    """What the bar's label says of the target: « atteint », « non atteint »,
    « sans objet » or ""."""
    if bar.void and bar.target is not None:
        return VOID_TEXT
    if bar.value is None or bar.met is None:
        return ""
    return MET_TEXT if bar.met else MISSED_TEXT


def value_text(bar: Bar, unit: str) -> str:
    if bar.value is None:
        return "n.c."
    if unit == "%":
        text = format_decimal(bar.value * 100, 1) + NBSP + "%"
    else:
        text = format_decimal(bar.value, 0) + (NBSP + unit if unit else "")
    status = status_text(bar)
    return f"{text} — {status}" if status else text


def hatch(x: float, y: float, width: float, height: float,
          colour: colors.Color = colors.white) -> Group:
    """Diagonal lines (45°) clipped by hand to the rectangle: line x − y = k."""
    group = Group()
    k = x - (y + height)
    while k < x + width - y:
        low, high = max(x, y + k), min(x + width, y + height + k)
        if low < high:
            group.add(Line(low, low - k, high, high - k, strokeColor=colour,
                           strokeWidth=0.6))
        k += HATCH_STEP
    return group


def _rect(x: float, y: float, width: float, height: float, fill: colors.Color,
          stroke: colors.Color | None = None, stroke_width: float | None = None) -> Rect:
    """A filled rectangle. Its colours are set as the attributes Rect's keywords become:
    types-reportlab declares those keywords wrongly (no Unpack)."""
    rect = Rect(x, y, width, height)
    rect.fillColor = fill
    rect.strokeColor = stroke
    if stroke_width is not None:
        rect.strokeWidth = stroke_width
    return rect


def _achieved(bar: Bar, x: float, y: float, width: float, height: float) -> Group:
    group = Group()
    if bar.value is None:
        group.add(_rect(x, y, 0.5, height, NEUTRAL))
        return group
    fill = NEUTRAL if bar.met is None else (OK if bar.met else KO)
    group.add(_rect(x, y, width, height, fill))
    if bar.met is False:
        group.add(hatch(x, y, width, height))
    return group


def _scale(bars: Sequence[Bar], unit: str) -> tuple[Decimal, Decimal]:
    """(maximum, step) of the value axis: 0-100 % for rates unless exceeded."""
    values = [v for b in bars for v in (b.value, b.target) if v is not None]
    top = max([*values, Decimal(0)])
    if unit == "%" and top <= 1:
        return Decimal(1), Decimal("0.1")
    top = max(top * Decimal("1.15"), Decimal(1))
    step = Decimal(1)
    while top / step > 10:
        step *= 5 if str(step)[0] == "1" else 2
    return (top / step).to_integral_value(rounding=ROUND_CEILING) * step, step


def _legend(drawing: Drawing, x: float, y: float, font: str) -> None:
    size = 3 * mm
    entries: list[tuple[str, colors.Color, bool, bool]] = [
        ("Réalisé : objectif atteint", OK, False, False),
        ("Réalisé : objectif non atteint (hachuré)", KO, True, False),
        ("Réalisé : sans objectif", NEUTRAL, False, False),
        ("Objectif", TARGET, False, True),
    ]
    for text, fill, hatched, outlined in entries:
        drawing.add(_rect(x, y, size, size, fill, INK if outlined else None, 0.4))
        if hatched:
            drawing.add(hatch(x, y, size, size))
        drawing.add(String(x + size + 2, y + 0.6, text, fontName=font,
                           fontSize=LABEL_SIZE - 0.5, fillColor=INK))
        x += size + 10 + stringWidth(text, font, LABEL_SIZE - 0.5)


def bar_chart(
    bars: Sequence[Bar],
    *,
    width: float = PORTRAIT_WIDTH,
    unit: str = "%",
    title: str = "",
) -> Drawing:
    """Horizontal bars, one row per category: target above, achieved below.

    Rates are given as fractions and drawn in percent; counts are drawn as is
    (`unit=""`). A missing value is drawn as an empty bar labelled "n.c.".
    """
    font, bold = register_fonts()
    label_width = 52 * mm
    plot_x = label_width + 3 * mm
    plot_width = width - plot_x - 34 * mm  # room for « 100,0 % — non atteint »
    leading = LABEL_SIZE + 1.5
    names = [simpleSplit(b.label, font, LABEL_SIZE, label_width) or [""] for b in bars]
    row = max([10 * mm, *(len(lines) * leading + 4 for lines in names)])
    bottom = 16 * mm  # axis labels and legend
    top_margin = 8 * mm if title else 2 * mm
    height = bottom + max(len(bars), 1) * row + top_margin
    drawing = Drawing(width, height, initialFontName=font, initialFontSize=LABEL_SIZE)
    maximum, step = _scale(bars, unit)

    def x_of(value: Decimal) -> float:
        return float(plot_x + plot_width * float(min(value, maximum) / maximum))

    # value axis: grid lines and labels
    tick = Decimal(0)
    while tick <= maximum:
        x = x_of(tick)
        drawing.add(Line(x, bottom, x, bottom + len(bars) * row, strokeColor=GRID,
                         strokeWidth=0.25))
        text = format_decimal(tick * 100, 0) + NBSP + "%" if unit == "%" else (
            format_decimal(tick, 0))
        drawing.add(String(x, bottom - 3 * mm, text, fontName=font, fontSize=VALUE_SIZE,
                           textAnchor="middle", fillColor=INK))
        tick += step
    drawing.add(Line(plot_x, bottom, plot_x, bottom + len(bars) * row, strokeColor=INK,
                     strokeWidth=0.5))

    for index, bar in enumerate(bars):
        y = bottom + (len(bars) - 1 - index) * row  # first bar on top
        bar_height = row * 0.3
        target_y = y + row * 0.55
        achieved_y = y + row * 0.18
        if bar.target is not None:
            drawing.add(_rect(plot_x, target_y, x_of(bar.target) - plot_x, bar_height,
                              TARGET, INK, 0.3))
        drawing.add(_achieved(bar, plot_x, achieved_y,
                              x_of(bar.value or Decimal(0)) - plot_x, bar_height))
        end = x_of(bar.value or Decimal(0))
        drawing.add(String(end + 2, achieved_y + 1.5, value_text(bar, unit), fontName=bold,
                           fontSize=VALUE_SIZE, fillColor=ACCENT))
        lines = names[index]
        first = y + row / 2 + (len(lines) - 1) * leading / 2 - LABEL_SIZE / 3
        for number, line in enumerate(lines):
            drawing.add(String(label_width, first - number * leading, line, fontName=font,
                               fontSize=LABEL_SIZE, textAnchor="end", fillColor=INK))
    _legend(drawing, 0, 3 * mm, font)
    if title:
        drawing.add(String(0, height - 5 * mm, title, fontName=bold, fontSize=9,
                           fillColor=ACCENT))
    return drawing
