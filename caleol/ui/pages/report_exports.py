"""The reports of the Indicateurs page: the yearly report, the half-year statement to
the préfet and a réservataire's report (PDF), the CSV exports.

`ReportButtons` is the row that asks for one; `ReportRequest` says under which name it
is offered and writes it, off the GUI thread, to the file the user chose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.rules.indicators import Territory
from caleol.services.reports import generate
from caleol.services.reports.contents import CsvContent
from caleol.services.reports.queries import ReservataireInfo
from caleol.settings import Settings
from caleol.ui.tasks import TaskContext
from caleol.ui.widgets.menu_button import NO_MENU_ARROW


@dataclass(frozen=True)
class ReportRequest:
    """One report asked for: `kind` is annual, prefet, reservataire or csv:<content>."""

    kind: str
    year: int
    half: int | None
    territory: Territory
    reservataire_code: str

    @property
    def csv_content(self) -> CsvContent | None:
        return CsvContent(self.kind[4:]) if self.kind.startswith("csv:") else None

    def file_name(self) -> str:
        """The name the save dialog offers."""
        year, suffix = self.year, f"-S{self.half}" if self.half else ""
        names = {
            "annual": f"rapport-attributions-{year}.pdf",
            "prefet": f"etat-prefet-{year}{suffix}.pdf",
            "reservataire": f"rapport-{self.reservataire_code}-{year}.pdf",
        }
        return names.get(self.kind) or f"{self.csv_content}-{year}{suffix}.csv"

    def work(self, engine: Any, settings: Settings, path: Path
             ) -> Callable[[TaskContext], str]:
        """The report written to `path` (its path as text), for the task runner."""
        kind, year, half, territory = self.kind, self.year, self.half, self.territory
        code, csv_content = self.reservataire_code, self.csv_content

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

        return work


class ReportButtons(QWidget):
    """The row of reports; `requested` carries the kind asked for."""

    requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Rapports :"), self))
        self.annual_button = QPushButton(self.tr("Rapport annuel (PDF)…"), self)
        self.annual_button.setObjectName("annualReportButton")
        self.annual_button.clicked.connect(lambda: self.requested.emit("annual"))
        self.prefet_button = QPushButton(self.tr("État semestriel au préfet (PDF)…"), self)
        self.prefet_button.setObjectName("prefetReportButton")
        self.prefet_button.setToolTip(self.tr(
            "Loi 3DS : dans les 15 jours suivant le 30 juin et le 31 décembre. "
            "Choisissez d'abord le semestre."))
        self.prefet_button.clicked.connect(lambda: self.requested.emit("prefet"))
        self.reservataire_box = QComboBox(self)
        self.reservataire_box.setObjectName("reservataireBox")
        self.reservataire_box.setMinimumContentsLength(26)
        self.reservataire_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reservataire_button = QPushButton(self.tr("Rapport réservataire (PDF)…"), self)
        self.reservataire_button.setObjectName("reservataireReportButton")
        self.reservataire_button.clicked.connect(lambda: self.requested.emit("reservataire"))
        self.csv_button = QToolButton(self)
        self.csv_button.setObjectName("csvExportButton")
        # « ▾ » as « Documents ▾ » has it: Qt's arrow was squeezed into the last letter
        self.csv_button.setText(self.tr("Export CSV ▾"))
        self.csv_button.setStyleSheet(NO_MENU_ARROW)
        self.csv_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.csv_button)
        for content in CsvContent:
            action = menu.addAction(content.label[0].upper() + content.label[1:] + "…")
            action.setObjectName(f"csv_{content.value}")
            action.triggered.connect(
                lambda checked=False, c=content: self.requested.emit("csv:" + c))
        self.csv_button.setMenu(menu)
        row.addWidget(self.annual_button)
        row.addWidget(self.prefet_button)
        row.addSpacing(8)
        row.addWidget(self.reservataire_box)
        row.addWidget(self.reservataire_button)
        row.addSpacing(8)
        row.addWidget(self.csv_button)
        row.addStretch(1)

    def set_reservataires(self, infos: Iterable[ReservataireInfo]) -> None:
        self.reservataire_box.clear()
        for info in infos:
            self.reservataire_box.addItem(f"{info.code} — {info.name}", info.code)

    def reservataire_code(self) -> str:
        return str(self.reservataire_box.currentData() or "")
