"""First start: no database yet, so ask which one to open.

Demonstration data lives in its own file and is never written into a real database
unless the user picks it here (or runs `caleol --demo`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol import paths
from caleol.ui import file_dialogs
from caleol.ui.pages.settings_form import check_database

ERROR_STYLE = "color: #c62828;"


class StartKind(StrEnum):
    DEMO = "demo"
    EMPTY = "empty"
    EXISTING = "existing"


@dataclass(frozen=True)
class FirstStartChoice:
    kind: StartKind
    database_url: str = ""  # only for EXISTING


def check_existing_database(text: str) -> str | None:
    """Like the settings check, and an SQLite file must already exist."""
    message = check_database(text)
    if message:
        return message
    text = text.strip()
    if not text:
        return "Indiquez le fichier de la base ou l'adresse du serveur."
    if "://" not in text or text.startswith("sqlite"):
        path = Path(text.split(":///", 1)[1] if ":///" in text else text).expanduser()
        if not path.is_file():
            return "Ce fichier n'existe pas. Pour créer une base, choisissez « Base vide »."
    return None


class FirstStartDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStartDialog")
        self.setWindowTitle(self.tr("Bienvenue dans caleol"))
        self.choice: FirstStartChoice | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        heading = QLabel(self.tr("<h2>Bienvenue dans caleol</h2>"), self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(heading)
        intro = QLabel(self.tr(
            "Aucune base de données n'est encore ouverte sur cet ordinateur. "
            "Que voulez-vous faire ?"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.demo_button = QCommandLinkButton(
            self.tr("Base de démonstration"),
            self.tr("Découvrir l'application sur des données fictives. Elles sont "
                    "enregistrées à part ({path}) et ne se mélangent jamais à vos "
                    "données.").format(path=paths.demo_database_path()), self)
        self.demo_button.setObjectName("demoButton")
        self.empty_button = QCommandLinkButton(
            self.tr("Base vide"),
            self.tr("Créer une nouvelle base locale, vide, dans {path}.").format(
                path=paths.default_database_path()), self)
        self.empty_button.setObjectName("emptyButton")
        self.existing_button = QCommandLinkButton(
            self.tr("Ouvrir / se connecter à une base existante"),
            self.tr("Un fichier SQLite de cet ordinateur (jamais sur un partage réseau) "
                    "ou le serveur PostgreSQL partagé de l'organisme."), self)
        self.existing_button.setObjectName("existingButton")
        for button in (self.demo_button, self.empty_button, self.existing_button):
            layout.addWidget(button)

        self.existing_box = QWidget(self)
        box = QVBoxLayout(self.existing_box)
        box.setContentsMargins(40, 0, 0, 0)
        line = QHBoxLayout()
        self.location_edit = QLineEdit(self.existing_box)
        self.location_edit.setObjectName("locationEdit")
        self.location_edit.setPlaceholderText(
            self.tr("Fichier .sqlite3 ou postgresql://utilisateur@serveur/base"))
        self.browse_button = QPushButton(self.tr("Parcourir…"), self.existing_box)
        self.open_button = QPushButton(self.tr("Ouvrir"), self.existing_box)
        self.open_button.setObjectName("openButton")
        line.addWidget(self.location_edit, 1)
        line.addWidget(self.browse_button)
        line.addWidget(self.open_button)
        box.addLayout(line)
        self.error_label = QLabel(self.existing_box)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setVisible(False)
        box.addWidget(self.error_label)
        self.existing_box.setVisible(False)
        layout.addWidget(self.existing_box)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.quit_button = QPushButton(self.tr("Quitter"), self)
        bottom.addWidget(self.quit_button)
        layout.addLayout(bottom)

        self.demo_button.clicked.connect(lambda: self._choose(FirstStartChoice(StartKind.DEMO)))
        self.empty_button.clicked.connect(
            lambda: self._choose(FirstStartChoice(StartKind.EMPTY)))
        self.existing_button.clicked.connect(self._show_existing)
        self.browse_button.clicked.connect(self._browse)
        self.open_button.clicked.connect(self._open_existing)
        self.location_edit.returnPressed.connect(self._open_existing)
        self.location_edit.textEdited.connect(lambda _t: self.error_label.setVisible(False))
        self.quit_button.clicked.connect(self.reject)
        self.setMinimumWidth(620)

    def _choose(self, choice: FirstStartChoice) -> None:
        self.choice = choice
        self.accept()

    def _show_existing(self) -> None:
        self.existing_box.setVisible(True)
        self.location_edit.setFocus()

    def _browse(self) -> None:
        path = file_dialogs.open_file(
            self, "database", self.tr("Base de données existante"),
            self.tr("Bases SQLite (*.sqlite3 *.sqlite *.db);;Tous les fichiers (*)"))
        if path is not None:
            self.location_edit.setText(str(path))

    def _open_existing(self) -> None:
        text = self.location_edit.text().strip()
        message = check_existing_database(text)
        if message:
            self.error_label.setText(message)
            self.error_label.setVisible(True)
            return
        self._choose(FirstStartChoice(StartKind.EXISTING, text))
