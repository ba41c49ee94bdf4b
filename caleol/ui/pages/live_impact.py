"""Live impact: how attributing the dwelling to a candidate moves its EPCI's mixité figure.

A small panel the séance workspace can embed next to the decision panel:

    panel = LiveImpactPanel(engine, runner, lambda: settings)
    panel.show_candidacy(candidacy_id)      # when the selected candidate changes

The figure is Q1 hors QPV for a dwelling outside QPV, Q2-Q4 en QPV for one inside
(`services.reports.queries.live_impact`); it is computed on the task runner because
it reads the EPCI's séances of the year.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from caleol.errors import CaleolError, NotFoundError
from caleol.fr import counted
from caleol.rules.indicators import IndicatorResult, bases_from_setting
from caleol.services.reports import queries
from caleol.settings import Settings
from caleol.ui import messages
from caleol.ui.models.indicator_models import format_gap, format_value
from caleol.ui.tasks import Task, TaskContext, TaskRunner


def _figure(result: IndicatorResult) -> str:
    return f"{result.numerator}/{result.denominator} = {format_value(result, result.rate)}"


def impact_text(before: IndicatorResult, after: IndicatorResult) -> str:
    """« Q1-HQPV, Metz Métropole, année 2026 : 3/14 = 21,4 % → 4/15 = 26,7 % ... »."""
    lines = [
        f"{after.code} — {after.territory.label or after.territory.epci}, {after.period.label}"
        f" ({after.basis.short_label})",
        f"{_figure(before)} → {_figure(after)}",
    ]
    if after.target is not None:
        lines.append(f"Objectif {format_value(after, after.target)} ; écart "
                     f"{format_gap(before)} → {format_gap(after)}")
    if after.excluded_total:
        excluded = counted(after.excluded_total, "attribution écartée", "attributions écartées")
        lines.append(f"{excluded} pour donnée inconnue.")
    return "\n".join(lines)


class LiveImpactPanel(QWidget):
    """Shows the before → after of the candidate's EPCI indicator, or why it cannot."""

    updated = Signal(str)

    def __init__(self, engine: Any, runner: TaskRunner, settings: Callable[[], Settings],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveImpactPanel")
        self._engine = engine
        self._runner = runner
        self._settings = settings
        self._task: Task | None = None
        self._wanted: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("<b>Effet sur la mixité de l'EPCI</b>"), self)
        self.label = QLabel(self.tr("Choisissez un candidat."), self)
        self.label.setObjectName("liveImpactText")
        self.label.setWordWrap(True)
        layout.addWidget(title)
        layout.addWidget(self.label)

    def show_candidacy(self, candidacy_id: int | None) -> None:
        """Compute for this candidacy; a newer request replaces a running one's result."""
        self._wanted = candidacy_id
        if candidacy_id is None:
            self._set(self.tr("Choisissez un candidat."))
            return
        self.label.setText(self.tr("Calcul…"))
        engine, bases = self._engine, bases_from_setting(self._settings().indicator_bases)

        def work(ctx: TaskContext) -> tuple[int, str | None]:
            ctx.check_cancelled()
            try:
                before, after = queries.live_impact(engine, candidacy_id, bases)
            except NotFoundError:  # removed meanwhile (undo, withdrawal): nothing to show
                return candidacy_id, None
            return candidacy_id, impact_text(before, after)

        task = self._runner.start(work, name="impact")
        self._task = task
        task.succeeded.connect(self._on_result)
        task.failed.connect(self._on_failed)

    def _on_result(self, result: tuple[int, str | None]) -> None:
        candidacy_id, text = result
        if candidacy_id == self._wanted:
            self._set(self.tr("Choisissez un candidat.") if text is None else text)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, CaleolError):
            self._set(error.message)
        else:
            self._set(self.tr("Effet non calculable (voir le journal)."))
            messages.report_exception(error)

    def _set(self, text: str) -> None:
        self.label.setText(text)
        self.updated.emit(text)

