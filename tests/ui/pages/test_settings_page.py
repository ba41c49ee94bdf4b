"""Paramètres: values shown, validation next to the field, saved to the JSON file."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QSpinBox

from caleol import settings as settings_module
from caleol.settings import Settings
from caleol.ui.pages import settings_form
from caleol.ui.pages.settings_page import SettingsPage


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "settings.json"


@pytest.fixture
def page(qtbot, settings_file: Path) -> SettingsPage:
    settings = Settings(agency="Metz", database_url="", backups_kept=7)
    page = SettingsPage(settings, settings_file)
    qtbot.addWidget(page)
    page.resize(900, 700)
    with qtbot.waitExposed(page):
        page.show()
    return page


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_fields_show_the_settings_in_force(page: SettingsPage) -> None:
    assert page.agency_combo.currentText() == "Metz"
    assert page.backups_kept_spin.value() == 7
    effort = page.findChild(QSpinBox, "max_effort_rate_percentSpin")
    assert effort.value() == 35
    assert effort.suffix() == " %"
    rounding = page.findChild(QComboBox, "flux_roundingCombo")
    assert rounding.currentText() == "troncature"


def test_invalid_database_path_is_reported_next_to_the_field(
    qtbot, page: SettingsPage, settings_file: Path
) -> None:
    qtbot.keyClicks(page.database_edit, "relative/caleol.sqlite3")
    click(qtbot, page.save_button)
    assert page.database_row.error_text().startswith("Indiquez un chemin complet")
    assert page.database_edit.hasFocus()
    assert "Corrigez" in page.notice.text()
    assert not settings_file.exists()
    qtbot.keyClicks(page.database_edit, "x")  # typing again clears the message
    assert page.database_row.error_text() == ""


def test_certificate_must_be_pkcs12(qtbot, page: SettingsPage, tmp_path: Path) -> None:
    pem = tmp_path / "cert.pem"
    pem.write_text("x")
    qtbot.keyClicks(page.certificate_edit, str(pem))
    qtbot.keyClick(page.certificate_edit, Qt.Key.Key_Return)  # editingFinished checks
    assert "PKCS#12" in page.certificate_row.error_text()


def test_valid_settings_are_saved(qtbot, page: SettingsPage, settings_file: Path,
                                  tmp_path: Path) -> None:
    db = tmp_path / "agence.sqlite3"
    cert = tmp_path / "secretaire.p12"
    cert.write_bytes(b"\x30")
    qtbot.keyClicks(page.database_edit, str(db))
    qtbot.keyClicks(page.certificate_edit, str(cert))
    page.agency_combo.setCurrentText("Thionville")
    page.backups_kept_spin.setValue(12)
    with qtbot.waitSignal(page.settings_saved) as blocker:
        click(qtbot, page.save_button)
    saved: Settings = blocker.args[0]
    assert saved.database_url == str(db)
    assert saved.agency == "Thionville"
    assert saved.backups_kept == 12
    assert settings_module.load(settings_file) == saved
    raw = json.loads(settings_file.read_text(encoding="utf-8"))
    assert raw["signing_certificate"] == str(cert)
    assert "prochain démarrage" in page.notice.text()
    assert page.settings() == saved


def test_revert_discards_typing(qtbot, page: SettingsPage) -> None:
    before = page.backup_edit.text()
    qtbot.keyClicks(page.backup_edit, "/ailleurs")
    click(qtbot, page.revert_button)
    assert page.backup_edit.text() == before


def test_quorum_fraction_is_checked(qtbot, page: SettingsPage, settings_file: Path) -> None:
    from PySide6.QtWidgets import QLineEdit

    quorum = page.findChild(QLineEdit, "quorum_fractionEdit")
    quorum.clear()
    qtbot.keyClicks(quorum, "3/2")
    click(qtbot, page.save_button)
    assert not settings_file.exists()
    assert quorum.hasFocus()


def test_write_failure_is_a_french_message(qtbot, page, monkeypatch, fail_on_log) -> None:
    fail_on_log.expect("caleol.ui.messages", logging.WARNING, "user-facing error")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)

    def refuse(settings: Settings, path: Path) -> None:
        raise PermissionError(13, "Permission non accordée")

    monkeypatch.setattr(settings_module, "save", refuse)
    assert page.save() is False
    assert shown and shown[0].startswith("Impossible d'enregistrer les paramètres")


@pytest.mark.parametrize(("text", "fragment"), [
    ("", None),
    ("mysql://srv/base", "non pris en charge"),
    ("postgresql://alice@srv/caleol", None),
    ("postgresql+psycopg://alice@srv/", "nom de la base"),
    ("postgresql:///caleol", "serveur"),
    ("sqlite:///", "chemin"),
    ("base.sqlite3", "chemin complet"),
])
def test_check_database(text: str, fragment: str | None) -> None:
    message = settings_form.check_database(text)
    assert (message is None) if fragment is None else (fragment in message)


def test_check_database_files(tmp_path: Path) -> None:
    assert settings_form.check_database(str(tmp_path / "new.sqlite3")) is None
    assert "dossier" in settings_form.check_database(str(tmp_path))
    assert "n'existe pas" in settings_form.check_database(str(tmp_path / "no" / "x.db"))
    assert settings_form.check_database(f"sqlite:///{tmp_path / 'x.db'}") is None


def test_check_folder_and_certificate(tmp_path: Path) -> None:
    assert settings_form.check_folder(str(tmp_path / "sauvegardes")) is None
    afile = tmp_path / "f.txt"
    afile.write_text("x")
    assert "fichier" in settings_form.check_folder(str(afile))
    assert "n'existe pas" in settings_form.check_folder(str(tmp_path / "a" / "b"))
    assert "n'existe pas" in settings_form.check_certificate(str(tmp_path / "absent.p12"))
    assert settings_form.check_certificate_list([str(afile)]) is None
    assert "introuvable" in settings_form.check_certificate_list([str(tmp_path / "no.pem")])


@pytest.mark.parametrize(("text", "ok"), [
    ("1/2", True), ("2/3", True), (" 1 / 3 ", True), ("3/2", False), ("0/2", False),
    ("1/0", False), ("moitié", False), ("0.5", False),
])
def test_check_fraction(text: str, ok: bool) -> None:
    assert (settings_form.check_fraction(text) is None) is ok


def test_timestamp_server_is_checked_then_saved(qtbot, page: SettingsPage,
                                                settings_file: Path) -> None:
    assert page.timestamp_edit.text() == ""  # none by default: the computer's clock
    qtbot.keyClicks(page.timestamp_edit, "horodatage.exemple.fr")
    click(qtbot, page.save_button)
    assert "adresse complète du serveur d'horodatage" in page.timestamp_row.error_text()
    assert not settings_file.exists()
    page.timestamp_edit.clear()
    qtbot.keyClicks(page.timestamp_edit, "https://horodatage.exemple.fr/tsa")
    click(qtbot, page.save_button)
    saved = json.loads(settings_file.read_text(encoding="utf-8"))
    assert saved["timestamp_server"] == "https://horodatage.exemple.fr/tsa"
    assert settings_module.load(settings_file).timestamp_server == saved["timestamp_server"]


@pytest.mark.parametrize(("text", "ok"), [
    ("", True), ("https://tsa.exemple.fr/tsr", True), ("http://127.0.0.1:8080/", True),
    ("tsa.exemple.fr", False), ("ftp://tsa.exemple.fr", False), ("https://", False),
])
def test_check_timestamp_url(text: str, ok: bool) -> None:
    assert (settings_form.check_timestamp_url(text) is None) is ok


def test_database_hint_never_offers_a_share(page: SettingsPage) -> None:
    """Same wording as the first start and the network warning: SQLite stays on this
    computer, PostgreSQL is what is shared."""
    hint = page.database_row.hint.text()
    assert "ou un partage" not in hint
    assert "jamais sur un partage réseau" in hint
    assert "PostgreSQL partagé" in hint


def test_the_certificate_has_a_passphrase_as_everywhere_else(page: SettingsPage) -> None:
    # Paramètres said « Son mot de passe », the setup assistant and the signing dialog
    # « phrase secrète »: one word for one thing.
    from PySide6.QtWidgets import QLabel

    texts = [label.text() for label in page.findChildren(QLabel)]
    assert any("Sa phrase secrète est demandée à chaque signature" in t for t in texts)
    assert not any("mot de passe" in t for t in texts)
