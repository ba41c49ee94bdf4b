"""« À propos » : caleol's version, the bundled libraries and data with their licences.

The list is `caleol.shipped` (the README's tables follow it). The LGPL (Qt/PySide6,
psycopg) asks that users can tell which library versions they run; the versions are
read from the installed distributions, never typed by hand.
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

from caleol import __version__, shipped
from caleol.ui.models.table import Column, ColumnTableModel


@dataclass(frozen=True)
class LibraryInfo:
    name: str
    version: str
    licence: str


LIBRARY_COLUMNS: tuple[Column[LibraryInfo], ...] = (
    Column("name", "Bibliothèque"),
    Column("version", "Version"),
    Column("licence", "Licence"),
)
DATA_COLUMNS: tuple[Column[LibraryInfo], ...] = (
    Column("name", "Données"),
    Column("version", "Version"),
    Column("licence", "Licence"),
)

NOT_INSTALLED = "non installé"


def _field(meta: importlib.metadata.PackageMetadata, name: str) -> str | None:
    """The field's first value (what Message.get gives; the protocol only has get_all)."""
    values = meta.get_all(name)
    return values[0] if values else None


def _installed_version(library: shipped.Library) -> str | None:
    for dist in library.distributions:
        try:
            meta = importlib.metadata.metadata(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
        return _field(meta, "Version") or "?"
    return None


def bundled_libraries() -> list[LibraryInfo]:
    """Python and every library of `caleol.shipped` with its licence; the version of the
    one installed. A direct dependency missing says so; an indirect one that this
    platform does not need (greenlet where SQLAlchemy does without it) is left out."""
    found = [LibraryInfo("Python", platform.python_version(), shipped.PYTHON_LICENCE)]
    for library in shipped.LIBRARIES:
        version = _installed_version(library)
        if version is None and not library.direct:
            continue
        if version is not None and library.label.startswith("PySide6 /"):
            version = f"{version} (Qt {qVersion()})"
        found.append(LibraryInfo(library.label, version or NOT_INSTALLED, library.licence))
    return found


def shipped_data() -> list[LibraryInfo]:
    """The data files caleol ships (territory, ceilings, sRGB profile, fonts…)."""
    return [LibraryInfo(d.label, d.version, d.licence) for d in shipped.DATA]


def runtime_summary() -> str:
    """One line per component, for error reports."""
    lines = [
        f"caleol {__version__}",
        f"Python {platform.python_version()} ({platform.platform()})",
        f"PySide6 {pyside_version}, Qt {qVersion()}",
    ]
    lines += [f"{lib.name} {lib.version}" for lib in bundled_libraries()[2:]]
    return "\n".join(lines)


def _table(parent: QWidget, name: str, model: ColumnTableModel[LibraryInfo]) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    table.resizeRowsToContents()
    return table


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
        self.table = _table(self, "librariesTable", self.model)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(self.tr("Données incluses :")))
        self.data_model = ColumnTableModel(DATA_COLUMNS, shipped_data(), self)
        self.data_table = _table(self, "dataTable", self.data_model)
        layout.addWidget(self.data_table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(760, 620)
