"""A screenshot of the main window taken by the running program itself, then exit.

The built program (PyInstaller) cannot run a test script, and under Wine no outside
tool sees Qt's offscreen windows; `packaging/windows/build.sh` sets
`CALEOL_SMOKE_SCREENSHOT=C:\\…\\fenetre.png` and gets the window as the user would see
it, once the database is open and the first screen built, from the program's own
`QWidget.grab()`. Exit code 0 when the image is written, 1 otherwise.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

ENVIRONMENT_VARIABLE = "CALEOL_SMOKE_SCREENSHOT"
POLL_MS = 250
SETTLE_MS = 1500  # the first page is built lazily after the database opens
GIVE_UP_MS = 120_000


def requested() -> Path | None:
    value = os.environ.get(ENVIRONMENT_VARIABLE, "").strip()
    return Path(value) if value else None


def schedule_screenshot(window: Any, ready: Callable[[], bool], path: Path) -> None:
    """Once `ready()` (database opened), wait for the page, save `window.grab()`, quit."""
    waited = [0]

    def save() -> None:
        saved = window.grab().save(str(path))
        log.info("smoke screenshot %s: %s", "saved" if saved else "NOT saved", path)
        QApplication.exit(0 if saved else 1)

    def poll() -> None:
        waited[0] += POLL_MS
        if ready():
            QTimer.singleShot(SETTLE_MS, window, save)
        elif waited[0] >= GIVE_UP_MS:
            log.error("smoke screenshot: the database never opened")
            QApplication.exit(1)
        else:
            QTimer.singleShot(POLL_MS, window, poll)

    QTimer.singleShot(POLL_MS, window, poll)
