"""What the séance workspace tests share (fixtures in `conftest.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from sqlalchemy import Engine

from caleol.services.demo import DemoSummary
from caleol.settings import Settings
from caleol.ui.pages.session.workspace import SessionWorkspace

TODAY = date(2026, 11, 23)
LONG_MS = 120_000


@dataclass
class Workbench:
    workspace: SessionWorkspace
    engine: Engine
    summary: DemoSummary
    settings: Settings
    errors: list


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
