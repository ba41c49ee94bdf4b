"""Pass / fail / unknown marks (green ✓, red ✗, grey ?) shared by every screen.

A mark is never colour alone: the symbol differs, the tooltip and screen-reader text
say « conforme » / « non conforme » / « indéterminé », and the tooltip carries the
check's explanation and reference so the secretary can justify it to the commission.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from caleol.rules.result import CheckResult, Status
from caleol.ui.models.table import CENTER, Column


@dataclass(frozen=True)
class MarkStyle:
    symbol: str
    color: str
    label: str


MARKS: dict[Status, MarkStyle] = {
    Status.PASS: MarkStyle("✓", "#1b7a35", Status.PASS.label),
    Status.FAIL: MarkStyle("✗", "#c62828", Status.FAIL.label),
    Status.UNKNOWN: MarkStyle("?", "#6e6e6e", Status.UNKNOWN.label),
}
NOT_CHECKED = "contrôle non effectué"


def mark_style(status: Status | None) -> MarkStyle:
    return MARKS[status if status is not None else Status.UNKNOWN]


def mark_color(status: Status | None) -> QColor:
    return QColor(mark_style(status).color)


@functools.cache
def mark_icon(status: Status | None, size: int = 16) -> QIcon:
    """A painted icon (no image files to ship): the symbol on a tinted disc."""
    style = mark_style(status)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(style.color))
    painter.drawEllipse(0, 0, size, size)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(size * 0.75))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, style.symbol)
    painter.end()
    return QIcon(pixmap)


def check_tooltip(result: CheckResult | None, title: str = "") -> str:
    """Rich-text tooltip: status, explanation, reference (escaped: data is user text)."""
    if result is None:
        head = f"{title} : {NOT_CHECKED}" if title else NOT_CHECKED
        return f"<b>{html.escape(head)}</b>"
    style = mark_style(result.status)
    head = f"{title} : {style.label}" if title else style.label
    parts = [f"<b style='color:{style.color}'>{style.symbol} {html.escape(head)}</b>"]
    if result.explanation:
        parts.append(html.escape(result.explanation).replace("\n", "<br>"))
    if result.reference:
        parts.append(f"<i>Référence : {html.escape(result.reference)}</i>")
    return "<p>" + "</p><p>".join(parts) + "</p>"


def _status_of(value: Any) -> Status | None:
    if isinstance(value, CheckResult):
        return value.status
    if isinstance(value, Status):
        return value
    return None


def check_column(key: str, title: str, result: Callable[[Any], CheckResult | None], *,
                 header_tooltip: str = "") -> Column[Any]:
    """A centred, coloured mark column whose tooltip explains the check.

    Args:
        key: column key (also the sort key handed to paged queries).
        title: short header (« Plafond », « TE », « RàV »...).
        result: row → the check's result (None when the check was not run).
        header_tooltip: what the check is, shown on the header.
    """

    def symbol(value: Any) -> str:
        return mark_style(_status_of(value)).symbol

    def color(row: Any) -> QColor:
        return mark_color(_status_of(result(row)))

    def label(row: Any) -> str:
        value = result(row)
        return mark_style(_status_of(value)).label if value is not None else NOT_CHECKED

    order = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.PASS: 2}
    return Column(
        key,
        title,
        value=result,
        formatter=symbol,
        alignment=CENTER,
        sort_key=lambda value: order.get(_status_of(value) or Status.UNKNOWN, 1),
        tooltip=lambda row: check_tooltip(result(row), title),
        foreground=color,
        bold=lambda row: True,
        accessible_text=label,
        header_tooltip=header_tooltip,
    )


class CheckMarkLabel(QLabel):
    """A mark with its label and explanation, for side panels and detail views."""

    def __init__(self, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.set_result(None)

    def set_result(self, result: CheckResult | None) -> None:
        self._result = result
        self.setText(check_tooltip(result, self._title))
        status = result.status if result is not None else None
        self.setAccessibleName(f"{self._title} : {mark_style(status).label}".strip(" :"))

    def result(self) -> CheckResult | None:
        return self._result
