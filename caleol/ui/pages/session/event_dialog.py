"""One event after the séance: refusal, condition met or lapsed, lease signed.

The form checks what it can see (the date is not before the séance, a refusal has a
reason) and shows the French problem beside the field (`form_errors`); `submit` then
records the event through the services and returns the service's French problem, if
any (the dialog stays open with what was typed, and nothing is written).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.fr import paris_today
from caleol.ui.dialogs.buttons import accept_cancel
from caleol.ui.dialogs.form_errors import (
    FormErrors,
    error_label,
    make_room,
    reserve_line,
)
from caleol.ui.qdates import from_qdate, to_qdate

REFUSAL = "refusal"
CONDITION_MET = "condition_met"
CONDITION_LAPSED = "condition_lapsed"
LEASE_SIGNED = "lease_signed"

TITLES = {
    REFUSAL: "Refus du candidat",
    CONDITION_MET: "Condition suspensive levée",
    CONDITION_LAPSED: "Condition suspensive non levée",
    LEASE_SIGNED: "Bail signé",
}
INTROS = {
    REFUSAL: "Le candidat refuse la proposition : le logement passe au candidat classé "
             "suivant, s'il en reste un.",
    CONDITION_MET: "La pièce manquante est fournie : l'attribution devient définitive.",
    CONDITION_LAPSED: "La pièce n'a pas été fournie dans le délai : le logement passe au "
                      "candidat classé suivant, s'il en reste un.",
    LEASE_SIGNED: "Le bail est signé : le logement est loué et la demande satisfaite.",
}
REASON_LABELS = {
    REFUSAL: "Motif du refus",
    CONDITION_MET: "Pièce reçue",
    CONDITION_LAPSED: "Commentaire",
}
NOT_MODIFIED = ("Le procès-verbal signé n'est pas modifié : cet événement est un "
                "enregistrement distinct, daté, qui suit la décision de la commission.")


def grow_to_fit(window: QWidget) -> None:
    """The dialog grows so no field is squeezed under a message just shown, only when
    it needs to at its width (`make_room`): the size hint of its wrapped texts is taller
    than the dialog and grew it by 90 px on any message (issue 17)."""
    make_room(window)


def with_line_under(field: QWidget, line: QLabel, parent: QWidget) -> QWidget:
    """`field` with its error line under it, one form row: a form row of its own
    would not keep the hidden line's room (`QFormLayout` drops hidden rows)."""
    host = QWidget(parent)
    box = QVBoxLayout(host)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(2)
    box.addWidget(field)
    box.addWidget(line)
    return host


def show_error(label: QLabel, text: str) -> None:
    """Show (or hide) one message line; the dialog grows to keep every field whole."""
    label.setText(text)
    label.setVisible(bool(text))
    grow_to_fit(label.window())


class EventDialog(QDialog):
    """Args:
        kind: one of `REFUSAL`, `CONDITION_MET`, `CONDITION_LAPSED`, `LEASE_SIGNED`.
        candidate: how the candidate is named (NUR and name).
        session_date: the séance's date (no event can precede it).
        submit: records `(date, reason)`; returns the French problem, "" when done.
    """

    def __init__(self, kind: str, candidate: str, session_date: date,
                 submit: Callable[[date, str], str], parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eventDialog")
        self.kind = kind
        self._session_date = session_date
        self._submit = submit
        self.setWindowTitle(self.tr(TITLES[kind]))
        intro = QLabel(self.tr("{what} — candidat {who}.\n{intro}").format(
            what=self.tr(TITLES[kind]), who=candidate, intro=self.tr(INTROS[kind])), self)
        intro.setObjectName("eventIntro")
        intro.setWordWrap(True)
        self.date = QDateEdit(to_qdate(today or paris_today()), self)
        self.date.setObjectName("eventDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        # every error line keeps its room while hidden (issue 17): a refusal shows
        # without moving a field or growing the window; two lines under the form, for
        # the service's refusals that name the candidate (« … est déjà terminée … »)
        self.problem = reserve_line(error_label(self, "eventProblem"), lines=2)
        self.errors = FormErrors(self.problem)
        self.date_error = self.errors.add(
            "on", reserve_line(error_label(self, "eventDateError")), (self.date,))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("eventReason")
        self.reason.setFixedHeight(72)
        self.reason_error = self.errors.add(
            "reason", reserve_line(error_label(self, "eventReasonError")), (self.reason,))
        form = QFormLayout()
        form.setVerticalSpacing(2)  # the reserved error lines space the rows
        form.addRow(self.tr("Date"), with_line_under(self.date, self.date_error, self))
        if kind in REASON_LABELS:
            required = kind == REFUSAL
            self.reason.setPlaceholderText(self.tr("obligatoire") if required
                                           else self.tr("facultatif"))
            form.addRow(self.tr(REASON_LABELS[kind]),
                        with_line_under(self.reason, self.reason_error, self))
        else:
            self.reason.hide()
        note = QLabel("ℹ " + self.tr(NOT_MODIFIED), self)
        note.setObjectName("eventNotModified")
        note.setWordWrap(True)
        note.setStyleSheet("color:#1f3557;")
        buttons, self.record_button = accept_cancel(
            self, self.tr("Enregistrer"), "recordEventButton")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(520, 0)
        make_room(self)  # its wrapped texts whole at 520 px (the minimum squeezed them)

    def values(self) -> tuple[date, str]:
        return from_qdate(self.date.date()), self.reason.toPlainText().strip()

    def accept(self) -> None:
        on, reason = self.values()
        date_problem = ""
        if on < self._session_date:
            date_problem = self.tr("La date précède la séance du {d}.").format(
                d=fr.format_short_date(self._session_date))
        reason_problem = ""
        if self.kind == REFUSAL and not reason:
            reason_problem = self.tr("Indiquez le motif du refus du candidat.")
        self.errors.show({"on": date_problem, "reason": reason_problem})
        if date_problem or reason_problem:
            grow_to_fit(self)
            return
        problem = self._submit(on, reason)
        self.errors.show({"": problem})
        grow_to_fit(self)
        if not problem:
            super().accept()
