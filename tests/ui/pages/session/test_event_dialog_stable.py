"""The « Refus du candidat » dialog does not grow when a refusal shows (issue 17): its
error lines keep their room while hidden, so a message moves nothing and the window
keeps its size (as the new-séance form, tests/ui/dialogs/test_new_session_stable.py)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QPoint
from PySide6.QtWidgets import QLabel, QWidget

from caleol.ui.pages.session.event_dialog import REFUSAL, EventDialog

SESSION = date(2026, 11, 12)
SERVICE_PROBLEM = ("L'attribution au candidat 057 24 03 00123 G5701 est déjà terminée "
                   "(refus, condition non levée ou bail signé).")


def layout_of(dialog: EventDialog) -> dict[str, tuple[int, int, int]]:
    """Where each input and the button sit (top, left, height), and the window's size."""
    dialog.layout().activate()
    widgets: dict[str, QWidget] = {"date": dialog.date, "reason": dialog.reason,
                                   "record": dialog.record_button}
    where = {name: (w.mapTo(dialog, QPoint(0, 0)).y(), w.mapTo(dialog, QPoint(0, 0)).x(),
                    w.height()) for name, w in widgets.items()}
    where["window"] = (dialog.height(), dialog.width(), 0)
    return where


def test_a_refusal_shows_without_growing_the_dialog(qtbot) -> None:
    submitted: list[tuple[date, str]] = []

    def submit(on: date, reason: str) -> str:
        submitted.append((on, reason))
        return SERVICE_PROBLEM

    dialog = EventDialog(REFUSAL, "057 24 03 00123 G5701 DUPONT Marie", SESSION, submit,
                         today=SESSION + timedelta(days=3))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    before = layout_of(dialog)
    note = dialog.findChild(QLabel, "eventNotModified")  # not squeezed over the reason
    assert note.mapTo(dialog, QPoint(0, 0)).y() >= before["reason"][0] + before["reason"][2]

    dialog.accept()  # no reason: refused under the reason
    assert dialog.reason_error.isVisible()
    assert dialog.reason_error.text() == "Indiquez le motif du refus du candidat."
    assert layout_of(dialog) == before

    dialog.reason.setPlainText("Logement trop éloigné du lieu de travail.")
    dialog.date.setDate(QDate(SESSION - timedelta(days=1)))
    dialog.accept()  # a date before the séance: refused under the date
    assert dialog.date_error.isVisible() and not dialog.reason_error.isVisible()
    assert layout_of(dialog) == before

    dialog.date.setDate(QDate(SESSION))
    dialog.accept()  # the service refuses (two lines under the form)
    assert submitted and dialog.isVisible()
    assert dialog.problem.isVisible() and dialog.problem.text() == SERVICE_PROBLEM
    assert layout_of(dialog) == before

    dialog.errors.show({})  # cleared: still in place
    assert not dialog.problem.isVisible()
    assert layout_of(dialog) == before
