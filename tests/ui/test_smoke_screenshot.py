"""The built program's own screenshot (CALEOL_SMOKE_SCREENSHOT, packaging/windows/build.sh)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from caleol.ui import smoke


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    codes: list[int] = []
    monkeypatch.setattr(smoke.QApplication, "exit", codes.append)
    monkeypatch.setattr(smoke, "SETTLE_MS", 0)
    return codes


def test_requested_only_when_the_variable_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(smoke.ENVIRONMENT_VARIABLE, raising=False)
    assert smoke.requested() is None
    monkeypatch.setenv(smoke.ENVIRONMENT_VARIABLE, r"C:\Users\Élodie Test\fenêtre.png")
    assert smoke.requested() == Path(r"C:\Users\Élodie Test\fenêtre.png")


def test_screenshot_waits_for_the_database_then_saves_and_exits(
        qtbot, tmp_path: Path, exits: list[int]) -> None:
    window = QLabel("Séances")
    qtbot.addWidget(window)
    window.resize(320, 200)
    window.show()
    opened = [False]
    path = tmp_path / "fenêtre principale.png"
    smoke.schedule_screenshot(window, lambda: opened[0], path)
    qtbot.wait(3 * smoke.POLL_MS)
    assert exits == [] and not path.exists()  # the database is not open yet
    opened[0] = True
    qtbot.waitUntil(lambda: exits == [0], timeout=5000)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (320, 200)


def test_unwritable_screenshot_exits_with_1(qtbot, tmp_path: Path, exits: list[int]) -> None:
    window = QLabel("Séances")
    qtbot.addWidget(window)
    window.show()
    smoke.schedule_screenshot(window, lambda: True, tmp_path / "absent" / "x.png")
    qtbot.waitUntil(lambda: exits == [1], timeout=5000)


def test_gives_up_when_the_database_never_opens(
        qtbot, tmp_path: Path, exits: list[int], monkeypatch: pytest.MonkeyPatch,
        fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.smoke", logging.ERROR, "never opened")
    monkeypatch.setattr(smoke, "GIVE_UP_MS", 2 * smoke.POLL_MS)
    window = QLabel("Séances")
    qtbot.addWidget(window)
    smoke.schedule_screenshot(window, lambda: False, tmp_path / "x.png")
    qtbot.waitUntil(lambda: exits == [1], timeout=5000)
    assert not (tmp_path / "x.png").exists()
