"""Driving a message box shown inside its own exec() (the test cannot reach it after)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

_pollers: list[QTimer] = []  # each kept alive until it has seen its box


def when_box_shows(name: str, check: Callable[[QMessageBox], object]) -> list[str]:
    """Run `check(box)` once the message box `name` is on screen (inside its exec()),
    then press its button; returns the texts seen (empty: never shown)."""
    seen: list[str] = []
    poll = QTimer()
    poll.setInterval(10)

    def look() -> None:
        box = next((w for w in QApplication.topLevelWidgets()
                    if w.objectName() == name and w.isVisible()), None)
        if not isinstance(box, QMessageBox) or seen:
            return
        poll.stop()
        seen.append(box.text())
        check(box)
        box.button(QMessageBox.StandardButton.Ok).click()

    poll.timeout.connect(look)
    poll.start()
    _pollers.append(poll)
    return seen
