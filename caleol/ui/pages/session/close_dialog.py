"""Closing the séance: the secretary confirms or corrects when it started and ended.

The PV states the séance's times as what happened (R441-9 CCH: the president
announces the opening and the closing). Closed on its day, the form proposes the
start recorded at the opening and the current time; closed on a later day (minutes
written up afterwards), both times are asked for with no default from the clock
(`rules.session_times.closing_times` decides, the service applies it). A refusal
keeps the dialog open with what was typed, each message beside its field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QTimeEdit, QVBoxLayout, QWidget

from caleol.errors import CaleolError
from caleol.fr import format_date, paris_wall_time
from caleol.rules.session_times import format_time
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.dialogs.form_errors import FormErrors, error_label, with_error_line

EMPTY = QTime(0, 0)  # shown as « hh:mm »: not given


def _time_edit(parent: QWidget, name: str) -> QTimeEdit:
    edit = QTimeEdit(parent)
    edit.setObjectName(name)
    edit.setDisplayFormat("HH:mm")
    edit.setMinimumTime(EMPTY)
    edit.setSpecialValueText("hh:mm")
    edit.setTime(EMPTY)
    return edit


class CloseDialog(QDialog):
    """Args:
        session_date: the séance's day.
        recorded_start: the start time recorded so far (at the opening, or planned).
        submit: closes with `(start, end)`; returns the refusal, None when closed.
        now: the local clock (tests).
    """

    def __init__(self, session_date: date, recorded_start: time | None,
                 submit: Callable[[time | None, time | None], CaleolError | None],
                 parent: QWidget | None = None, *, now: datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("closeDialog")
        self.setWindowTitle(self.tr("Clore la séance"))
        self._submit = submit
        now = paris_wall_time(now)  # the séance's times are Paris times
        self.same_day = now.date() == session_date
        day = format_date(session_date)
        if self.same_day:
            text = self.tr(
                "Séance du {day}. Confirmez ou corrigez ses heures d'ouverture et de fin : "
                "le procès-verbal les indique telles qu'elles ont eu lieu.").format(day=day)
        else:
            planned = (self.tr(" (heure enregistrée jusqu'ici : {t})").format(
                t=format_time(recorded_start)) if recorded_start is not None else "")
            text = self.tr(
                "Séance du {day}, close le {today} : indiquez l'heure à laquelle elle s'est "
                "ouverte{planned} et celle à laquelle elle s'est terminée, ce jour-là."
            ).format(day=day, today=format_date(now.date()), planned=planned)
        intro = QLabel(text + "\n" + self.tr(
            "Une fois close, la séance est figée : les décisions ne peuvent plus être "
            "modifiées."), self)
        intro.setObjectName("closeIntro")
        intro.setWordWrap(True)
        self.start = _time_edit(self, "closeStart")
        self.end = _time_edit(self, "closeEnd")
        if self.same_day:
            if recorded_start is not None:
                self.start.setTime(QTime(recorded_start.hour, recorded_start.minute))
            self.end.setTime(QTime(now.hour, now.minute))
        self.general_error = error_label(self, "error_general")
        self.errors = FormErrors(self.general_error)
        form = QFormLayout()
        form.addRow(self.tr("Ouverture"),
                    with_error_line(self.errors, "start", self.start, self, (self.start,)))
        form.addRow(self.tr("Fin"),
                    with_error_line(self.errors, "end", self.end, self, (self.end,)))
        buttons, self.close_button = accept_cancel(self, self.tr("Clore la séance"),
                                                   "closeSessionConfirm")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.general_error)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    @staticmethod
    def value(edit: QTimeEdit) -> time | None:
        chosen = edit.time()
        return None if chosen == EMPTY else time(chosen.hour(), chosen.minute())

    def times(self) -> tuple[time | None, time | None]:
        return self.value(self.start), self.value(self.end)

    def show_error(self, error: CaleolError) -> None:
        self.errors.show(error)
        layout = self.layout()
        if layout is not None:  # grow so no field is squeezed under its message
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def visible_errors(self) -> dict[str, str]:
        return self.errors.visible()

    def accept(self) -> None:
        self.errors.clear()
        error = self._submit(*self.times())
        if error is not None:
            self.show_error(error)
            return
        super().accept()
