"""Errors reach the user: known errors as French messages, bugs as a copyable report."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton

from caleol import __version__, logs
from caleol.errors import CaleolError, ValidationError
from caleol.ui import messages
from caleol.ui.messages import ErrorReportDialog, install_excepthook


@pytest.fixture
def captured_reports(monkeypatch: pytest.MonkeyPatch) -> list[ErrorReportDialog]:
    shown: list[ErrorReportDialog] = []

    def fake_exec(self: ErrorReportDialog) -> int:
        shown.append(self)
        return 0

    monkeypatch.setattr(ErrorReportDialog, "exec", fake_exec)
    return shown


@pytest.fixture
def captured_boxes(monkeypatch: pytest.MonkeyPatch) -> list[QMessageBox]:
    shown: list[QMessageBox] = []

    def fake_exec(self: QMessageBox) -> int:
        shown.append(self)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_the_report_and_writes_the_log(
    qtbot, log_file: Path, captured_reports, fail_on_log
) -> None:
    fail_on_log.expect("caleol.ui.messages", logging.CRITICAL, "unexpected error")
    button = QPushButton("Lancer")
    qtbot.addWidget(button)

    def broken_slot() -> None:
        raise RuntimeError("calcul impossible 4217")

    button.clicked.connect(broken_slot)
    hook = install_excepthook(log_file)
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        hook.uninstall()

    assert len(captured_reports) == 1
    dialog = captured_reports[0]
    assert dialog.windowTitle() == "Erreur inattendue"
    report = dialog.report_view.toPlainText()
    assert "RuntimeError: calcul impossible 4217" in report
    assert "broken_slot" in report  # the traceback, not just the message
    assert f"caleol {__version__}" in report
    assert str(log_file) in report
    logs.flush_logging()
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: calcul impossible 4217" in text


def test_report_can_be_copied(qtbot, tmp_path: Path) -> None:
    dialog = ErrorReportDialog("rapport 123", tmp_path / "caleol.log")
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "rapport 123"
    assert dialog.copy_button.text() == "Rapport copié"


@pytest.mark.qt_no_exception_capture
def test_known_error_escaping_a_slot_is_a_french_message_not_a_report(
    qtbot, captured_reports, captured_boxes, fail_on_log
) -> None:
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    button = QPushButton("Enregistrer")
    qtbot.addWidget(button)

    def save() -> None:
        raise ValidationError("Le loyer doit être positif.", details=["ligne 3"])

    button.clicked.connect(save)
    hook = install_excepthook(None)
    try:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finally:
        hook.uninstall()
    assert captured_reports == []
    assert len(captured_boxes) == 1
    assert captured_boxes[0].text() == "Le loyer doit être positif."
    assert "ligne 3" in captured_boxes[0].informativeText()


def test_hook_survives_a_broken_dialog(monkeypatch, fail_on_log, capsys) -> None:
    """If even the dialog fails, the report still reaches stderr and the log."""
    fail_on_log.expect("caleol.ui.messages", logging.CRITICAL, "unexpected error")
    fail_on_log.expect("caleol.ui.messages", logging.ERROR, "could not show")

    def explode(*args: object, **kwargs: object) -> None:
        raise OSError("no display")

    monkeypatch.setattr(messages, "ErrorReportDialog", explode)
    hook = messages.ExceptionHook(None)
    try:
        raise KeyError("x")
    except KeyError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert "KeyError" in capsys.readouterr().err


def test_show_error_and_info_use_french_titles(qtbot, captured_boxes, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    messages.show_error(None, CaleolError("La base est occupée."))
    messages.show_info(None, "Sauvegarde terminée.")
    assert [b.windowTitle() for b in captured_boxes] == ["Opération impossible", "Information"]
    assert captured_boxes[0].icon() == QMessageBox.Icon.Warning


def test_ask_confirmation_defaults_to_no(qtbot, captured_boxes) -> None:
    assert messages.ask_confirmation(None, "Clôturer la séance ?") is False
    assert captured_boxes[0].defaultButton().text() == "Annuler"
    assert messages.ask_confirmation(None, "Les abandonner ?", keep="Continuer la saisie") is False
    assert captured_boxes[1].defaultButton().text() == "Continuer la saisie"


def test_show_status_writes_in_the_main_window_status_bar(qtbot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    child = QPushButton(window)
    window.setCentralWidget(child)
    messages.show_status(child, "Séance enregistrée.")
    assert window.statusBar().currentMessage() == "Séance enregistrée."
