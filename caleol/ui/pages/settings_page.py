"""Paramètres: database, signing certificate, agency, backups, rules and delays.

Reads and writes `caleol.settings` (every option is declared there once); options
without a dedicated field below get a generic one from their declared type, so a new
option appears here without touching this screen (`generic_options`). Validation
messages are shown next to the field (`settings_form`, `settings_rows`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from caleol import paths
from caleol import settings as settings_module
from caleol.errors import CaleolError
from caleol.settings import Settings
from caleol.ui import file_dialogs, messages
from caleol.ui.pages import settings_form
from caleol.ui.pages.base import Page, page_heading
from caleol.ui.pages.generic_options import GenericOptions
from caleol.ui.pages.indicator_bases_form import IndicatorBasesForm
from caleol.ui.pages.settings_rows import ERROR_STYLE, FieldRow, SettingsRows

log = logging.getLogger(__name__)


class SettingsPage(Page):
    """Paramètres screen.

    Args:
        settings: the settings in force.
        settings_file: where to save them (`caleol.settings.settings_path()` in the
            application, a temp file in tests).
    """

    settings_saved = Signal(object)

    def __init__(self, settings: Settings, settings_file: Path,
                 parent: QWidget | None = None, *,
                 agencies: Callable[[], list[str]] | None = None) -> None:
        super().__init__("settings", self.tr("Paramètres"), parent)
        self._settings = settings
        self._settings_file = settings_file
        # the agencies recorded in the database (Référentiels), read each time the
        # page is shown: the database opens after the window, and agencies change
        self._agencies = agencies or (lambda: [])

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 20, 24, 12)
        outer.addWidget(page_heading(self.tr("Paramètres"), self))
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 12, 0)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.rows = SettingsRows(self, column)

        self._build_database_group()
        self._build_signing_group()
        self._build_organisation_group()
        self._build_backup_group()
        self.generic = GenericOptions(self.rows, self.tr("Règles et délais"))
        self.bases_form = IndicatorBasesForm(self)
        column.addWidget(self.bases_form)
        column.addStretch(1)

        buttons = QHBoxLayout()
        self.notice = QLabel(self)
        self.notice.setObjectName("settingsNotice")
        self.notice.setWordWrap(True)
        buttons.addWidget(self.notice, 1)
        self.revert_button = QPushButton(self.tr("Annuler les modifications"), self)
        self.revert_button.setObjectName("revertButton")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self.tr("Enregistrer"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.revert()

    # --- construction --------------------------------------------------------------

    def _build_database_group(self) -> None:
        form = self.rows.group(self.tr("Base de données"))
        self.database_edit, self.database_row = self.rows.line_row(
            form, self.tr("Emplacement :"), "databaseEdit",
            hint=self.tr("Fichier SQLite de cet ordinateur (jamais sur un partage "
                         "réseau), ou serveur PostgreSQL partagé entre postes : "
                         "postgresql://utilisateur@serveur/base. "
                         "Vide : base locale par défaut ({path}).").format(
                             path=paths.default_database_path()),
            browse=self._browse_database, check=settings_form.check_database)
        self.database_edit.setPlaceholderText(str(paths.default_database_path()))

    def _build_signing_group(self) -> None:
        form = self.rows.group(self.tr("Signature des procès-verbaux"))
        self.certificate_edit, self.certificate_row = self.rows.line_row(
            form, self.tr("Certificat :"), "certificateEdit",
            hint=self.tr("Fichier PKCS#12 (.p12 ou .pfx) du signataire. Sa phrase secrète "
                         "est demandée à chaque signature et n'est jamais enregistrée."),
            browse=self._browse_certificate, check=settings_form.check_certificate)
        self.trusted_edit = QPlainTextEdit(self)
        self.trusted_edit.setObjectName("trustedEdit")
        self.trusted_edit.setFixedHeight(56)
        self.trusted_row = FieldRow(
            self.trusted_edit,
            self.tr("Un fichier de certificat par ligne (autorités reconnues pour vérifier "
                    "les signatures)."), self._browse_trusted, self)
        form.addRow(self.rows.label(self.tr("Certificats de confiance :")), self.trusted_row)

        def check_trusted() -> str | None:
            message = settings_form.check_certificate_list(self._trusted_lines())
            self.trusted_row.set_error(message)
            return message

        self.rows.checks.append((self.trusted_row, check_trusted))
        self.timestamp_edit, self.timestamp_row = self.rows.line_row(
            form, self.tr("Serveur d'horodatage :"), "timestampEdit",
            hint=self.tr("Adresse d'un serveur d'horodatage RFC 3161 : chaque signature en "
                         "reçoit un jeton daté par ce serveur (seule l'empreinte du document "
                         "lui est envoyée). Vide : l'heure de signature est celle de cet "
                         "ordinateur, et le procès-verbal le dit."),
            check=settings_form.check_timestamp_url)
        self.timestamp_edit.setPlaceholderText("https://…")

    def _build_organisation_group(self) -> None:
        form = self.rows.group(self.tr("Organisation"))
        self.agency_combo = QComboBox(self)
        self.agency_combo.setObjectName("agencyCombo")
        self.agency_combo.setEditable(True)
        self.agency_combo.setToolTip(self.tr(
            "Les agences enregistrées dans la base (Référentiels) ; le nom choisi figure "
            "sur les courriers quand la commission n'en désigne pas"))
        self.refresh_agencies()
        self.agency_combo.setMinimumWidth(240)
        form.addRow(self.rows.label(self.tr("Agence :")), FieldRow(self.agency_combo, parent=self))

    def _build_backup_group(self) -> None:
        form = self.rows.group(self.tr("Sauvegardes"))
        self.backup_edit, self.backup_row = self.rows.line_row(
            form, self.tr("Dossier :"), "backupEdit",
            hint=self.tr("Vide : {path}. Choisissez de préférence un autre disque ou un "
                         "partage sauvegardé.").format(path=paths.backup_dir()),
            browse=self._browse_backup, check=settings_form.check_folder)
        self.backup_edit.setPlaceholderText(str(paths.backup_dir()))
        self.backups_kept_spin = self.rows.spin("backups_kept")
        form.addRow(self.rows.label(self.tr("Sauvegardes conservées :")), self.backups_kept_spin)

    # --- agencies ------------------------------------------------------------------

    def activated(self) -> None:
        self.refresh_agencies()

    def refresh_agencies(self) -> None:
        """The list offers the database's agencies; what is set stays, even if absent."""
        try:
            names = self._agencies()
        except CaleolError as exc:
            log.warning("agencies unavailable for Paramètres: %s", exc)
            names = []
        current = self.agency_combo.currentText()
        self.agency_combo.blockSignals(True)
        self.agency_combo.clear()
        self.agency_combo.addItems(["", *names])
        self.agency_combo.setCurrentText(current)
        self.agency_combo.blockSignals(False)

    # --- browsing ----------------------------------------------------------------

    def _browse_database(self, edit: QLineEdit) -> None:
        start = edit.text() if "://" not in edit.text() else ""
        path = file_dialogs.save_file(
            self, "database", self.tr("Fichier de la base de données"),
            self.tr("Bases SQLite (*.sqlite3 *.sqlite *.db);;Tous les fichiers (*)"),
            Path(start or paths.default_database_path()).name, confirm_overwrite=False)
        if path is not None:
            edit.setText(str(path))
            edit.editingFinished.emit()

    def _browse_certificate(self, edit: QLineEdit) -> None:
        path = file_dialogs.open_file(
            self, "certificate", self.tr("Certificat de signature"),
            self.tr("Certificats PKCS#12 (*.p12 *.pfx)"))
        if path is not None:
            edit.setText(str(path))
            edit.editingFinished.emit()

    def _browse_trusted(self) -> None:
        files = [str(f) for f in file_dialogs.open_files(
            self, "certificate", self.tr("Certificats de confiance"),
            self.tr("Certificats (*.pem *.crt *.cer *.der);;Tous les fichiers (*)"))]
        if files:
            lines = self._trusted_lines() + [f for f in files if f not in self._trusted_lines()]
            self.trusted_edit.setPlainText("\n".join(lines))

    def _browse_backup(self, edit: QLineEdit) -> None:
        path = file_dialogs.existing_folder(self, "backups", self.tr("Dossier des sauvegardes"),
                                            edit.text() or str(paths.backup_dir()))
        if path is not None:
            edit.setText(str(path))
            edit.editingFinished.emit()

    # --- values ------------------------------------------------------------------

    def _trusted_lines(self) -> list[str]:
        return [ln.strip() for ln in self.trusted_edit.toPlainText().splitlines() if ln.strip()]

    def settings(self) -> Settings:
        return self._settings

    def revert(self) -> None:
        """Show the settings in force, discarding what was typed."""
        s = self._settings
        self.database_edit.setText(s.database_url)
        self.certificate_edit.setText(s.signing_certificate)
        self.trusted_edit.setPlainText("\n".join(s.trusted_certificates))
        self.timestamp_edit.setText(s.timestamp_server)
        self.agency_combo.setCurrentText(s.agency)
        self.backup_edit.setText(s.backup_folder)
        self.backups_kept_spin.setValue(s.backups_kept)
        self.bases_form.set_value(s.indicator_bases)
        self.generic.show(s)
        self.rows.clear_errors()
        self.notice.clear()

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "database_url": self.database_edit.text().strip(),
            "signing_certificate": self.certificate_edit.text().strip(),
            "trusted_certificates": tuple(self._trusted_lines()),
            "timestamp_server": self.timestamp_edit.text().strip(),
            "agency": self.agency_combo.currentText().strip(),
            "backup_folder": self.backup_edit.text().strip(),
            "backups_kept": self.backups_kept_spin.value(),
            "indicator_bases": self.bases_form.value(),
            **self.generic.values(),
        }
        known = {f.name for f in fields(Settings)}
        return {k: v for k, v in values.items() if k in known}

    def validate(self) -> bool:
        """Run every field check; show messages next to the fields; focus the first."""
        first = self.rows.first_refused()
        if first is not None:
            first.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            self.notice.setStyleSheet(ERROR_STYLE)
            self.notice.setText(self.tr("Corrigez les champs signalés avant d'enregistrer."))
            return False
        return True

    def save(self) -> bool:
        if not self.validate():
            return False
        new = self._settings.replace(**self._values())
        try:
            settings_module.save(new, self._settings_file)
        except OSError as exc:
            messages.show_error(self, CaleolError(
                f"Impossible d'enregistrer les paramètres dans {self._settings_file} : "
                f"{exc.strerror or exc}."))
            return False
        database_changed = new.database_url != self._settings.database_url
        self._settings = new
        log.info("settings saved to %s", self._settings_file)
        self.notice.setStyleSheet("")
        text = self.tr("Paramètres enregistrés.")
        if database_changed:
            text += " " + self.tr("La nouvelle base sera ouverte au prochain démarrage.")
        self.notice.setText(text)
        messages.show_status(self, self.tr("Paramètres enregistrés."))
        self.settings_saved.emit(new)
        return True
