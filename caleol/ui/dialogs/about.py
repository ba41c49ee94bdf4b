"""« À propos » : caleol's version and the bundled libraries with their licences.

The LGPL (Qt/PySide6, psycopg) asks that users can tell which library versions they
run; the versions are read from the installed distributions, never typed by hand.
"""

from __future__ import annotations

import importlib.metadata
import platform
from dataclasses import dataclass

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol import __version__
from caleol.ui.models.table import Column, ColumnTableModel


@dataclass(frozen=True)
class LibraryInfo:
    name: str
    version: str
    licence: str


# (label, distribution names to try, licence when the metadata has none usable)
_LIBRARIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("PySide6 / Qt", ("PySide6-Essentials", "PySide6"), "LGPLv3"),
    ("SQLAlchemy", ("SQLAlchemy",), "MIT"),
    ("SQLModel", ("sqlmodel",), "MIT"),
    ("Alembic", ("alembic",), "MIT"),
    ("reportlab", ("reportlab",), "BSD"),
    ("pyHanko", ("pyHanko",), "MIT"),
    ("platformdirs", ("platformdirs",), "MIT"),
    ("psycopg", ("psycopg",), "LGPLv3"),
)

LIBRARY_COLUMNS: tuple[Column[LibraryInfo], ...] = (
    Column("name", "Bibliothèque"),
    Column("version", "Version"),
    Column("licence", "Licence"),
)

FONTS_LICENCE = "Licence des polices DejaVu (libre, dérivée de Bitstream Vera)"
NOT_INSTALLED = "non installé"


def _field(meta: importlib.metadata.PackageMetadata, name: str) -> str | None:
    """The field's first value (what Message.get gives; the protocol only has get_all)."""
    values = meta.get_all(name)
    return values[0] if values else None


def _licence_from_metadata(meta: importlib.metadata.PackageMetadata, fallback: str) -> str:
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    text = (_field(meta, "License") or "").strip()
    if text and len(text) <= 40 and "\n" not in text:
        return text
    for classifier in meta.get_all("Classifier") or []:
        if classifier.startswith("License :: OSI Approved :: "):
            return classifier.rsplit(" :: ", 1)[1].replace(" License", "")
    return fallback


def bundled_libraries() -> list[LibraryInfo]:
    """Versions and licences of the libraries caleol ships with, plus the fonts."""
    found: list[LibraryInfo] = []
    for label, dists, fallback in _LIBRARIES:
        for dist in dists:
            try:
                meta = importlib.metadata.metadata(dist)
            except importlib.metadata.PackageNotFoundError:
                continue
            version = _field(meta, "Version") or "?"
            if label.startswith("PySide6"):
                version = f"{version} (Qt {qVersion()})"
            found.append(LibraryInfo(label, version, _licence_from_metadata(meta, fallback)))
            break
        else:
            found.append(LibraryInfo(label, NOT_INSTALLED, fallback))
    found.append(LibraryInfo("Polices DejaVu", "—", FONTS_LICENCE))
    return found


def runtime_summary() -> str:
    """One line per component, for error reports."""
    lines = [
        f"caleol {__version__}",
        f"Python {platform.python_version()} ({platform.platform()})",
        f"PySide6 {pyside_version}, Qt {qVersion()}",
    ]
    lines += [f"{lib.name} {lib.version}" for lib in bundled_libraries()[1:-1]]
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("À propos de caleol"))
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("<h2>caleol {version}</h2>").format(version=__version__))
        title.setTextFormat(Qt.TextFormat.RichText)
        self.title_label = title
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "Préparation, décisions et procès-verbaux signés des commissions "
            "d'attribution des logements et d'examen de l'occupation des logements "
            "(CALEOL).\nLogiciel libre sous licence MIT. Vos données restent sur cet "
            "ordinateur : l'application n'ouvre aucune connexion réseau."
        ))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("Bibliothèques incluses :")))
        self.model = ColumnTableModel(LIBRARY_COLUMNS, bundled_libraries(), self)
        table = QTableView(self)
        table.setObjectName("librariesTable")
        table.setModel(self.model)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        self.table = table
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 480)
