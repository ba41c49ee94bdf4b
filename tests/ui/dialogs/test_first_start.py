"""First start: demo, empty or existing database, never demo data unasked."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from caleol.ui.dialogs.first_start import FirstStartDialog, StartKind, check_existing_database


@pytest.fixture
def dialog(qtbot) -> FirstStartDialog:
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize(("button", "kind"), [
    ("demo_button", StartKind.DEMO), ("empty_button", StartKind.EMPTY)])
def test_one_click_choices(qtbot, dialog: FirstStartDialog, button: str, kind: StartKind) -> None:
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, getattr(dialog, button))
    assert dialog.choice is not None
    assert dialog.choice.kind == kind
    assert dialog.choice.database_url == ""


def test_existing_database_must_exist(qtbot, dialog: FirstStartDialog, tmp_path: Path) -> None:
    assert not dialog.existing_box.isVisible()
    click(qtbot, dialog.existing_button)
    assert dialog.existing_box.isVisible()
    qtbot.keyClicks(dialog.location_edit, str(tmp_path / "absent.sqlite3"))
    click(qtbot, dialog.open_button)
    assert dialog.error_label.isVisible()
    assert "Base vide" in dialog.error_label.text()
    assert dialog.choice is None
    existing = tmp_path / "agence.sqlite3"
    existing.write_bytes(b"")
    dialog.location_edit.clear()
    qtbot.keyClicks(dialog.location_edit, str(existing))
    assert not dialog.error_label.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.location_edit, Qt.Key.Key_Return)
    assert dialog.choice.kind == StartKind.EXISTING
    assert dialog.choice.database_url == str(existing)


def test_server_url_is_accepted(qtbot, dialog: FirstStartDialog) -> None:
    click(qtbot, dialog.existing_button)
    qtbot.keyClicks(dialog.location_edit, "postgresql://secretaire@serveur/caleol")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.open_button)
    assert dialog.choice.database_url == "postgresql://secretaire@serveur/caleol"


def test_quit_chooses_nothing(qtbot, dialog: FirstStartDialog) -> None:
    with qtbot.waitSignal(dialog.rejected):
        click(qtbot, dialog.quit_button)
    assert dialog.choice is None


def test_check_existing_database_empty() -> None:
    assert "Indiquez" in check_existing_database("")


def test_existing_database_is_never_offered_on_a_share(dialog: FirstStartDialog) -> None:
    """SQLite on a network share is unsafe (see desktop.network_database_warning): the
    choice must not offer one; the shared setup is the PostgreSQL server."""
    text = dialog.existing_button.description()
    assert "ou un partage" not in text
    assert "jamais sur un partage réseau" in text
    assert "PostgreSQL partagé" in text
