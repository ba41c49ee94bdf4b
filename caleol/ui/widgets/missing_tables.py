"""A banner saying which yearly tables are missing, with the import actions.

The séance workspace and the Indicateurs page show it; what is missing comes from
`caleol.services.territory.missing` (the banner never works it out itself). The
buttons import the official file the user picks (`caleol.services.territory.yearly`,
the same as `caleol reference import ceilings|quartiles`), then the banner asks its
page's question again and emits `imported` so the page can refresh what depends on it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget
from sqlalchemy import Engine

from caleol.errors import CaleolError
from caleol.fr import counted
from caleol.services.territory import yearly
from caleol.services.territory.csv_text import read_limited
from caleol.services.territory.missing import MissingTables
from caleol.ui import messages


class MissingTablesBanner(QFrame):
    imported = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("missingTablesBanner")
        self.setStyleSheet("QFrame#missingTablesBanner { background:#fff4e0; "
                           "border:1px solid #e0b060; }")
        self._engine = engine
        self._compute: Callable[[], MissingTables] | None = None
        self.missing: MissingTables | None = None
        self.label = QLabel(self)
        self.label.setObjectName("missingTablesText")
        self.label.setWordWrap(True)
        self.ceilings_button = QPushButton(self.tr("Importer les plafonds…"), self)
        self.ceilings_button.setObjectName("importCeilingsButton")
        self.quartiles_button = QPushButton(self.tr("Importer les seuils…"), self)
        self.quartiles_button.setObjectName("importQuartilesButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.ceilings_button)
        layout.addWidget(self.quartiles_button)
        self.ceilings_button.clicked.connect(
            lambda: self._import(self.tr("Table de plafonds (CSV)"), yearly.import_ceiling_file))
        self.quartiles_button.clicked.connect(
            lambda: self._import(self.tr("Seuils de premier quartile (CSV)"),
                                 yearly.import_quartile_file))
        self.hide()

    def watch(self, compute: Callable[[], MissingTables] | None) -> None:
        """Ask `compute` now and after each import; None hides the banner."""
        self._compute = compute
        self.refresh()

    def refresh(self) -> None:
        missing: MissingTables | None = None
        if self._compute is not None:
            try:
                missing = self._compute()
            except CaleolError:
                missing = None  # the page shows its own error for what it failed to load
        self.show_missing(missing)

    def show_missing(self, missing: MissingTables | None) -> None:
        self.missing = missing
        if missing is None or missing.empty:
            self.hide()
            return
        self.label.setText(missing.text)
        self.ceilings_button.setVisible(bool(missing.ceilings))
        self.quartiles_button.setVisible(bool(missing.quartiles))
        self.show()

    def ask_open_path(self, title: str) -> Path | None:
        """The file to import (tests replace this method)."""
        chosen, _filter = QFileDialog.getOpenFileName(self, title, "",
                                                      self.tr("Fichiers CSV (*.csv)"))
        return Path(chosen) if chosen else None

    def _import(self, title: str, importer: Callable[[Engine, bytes], int]) -> None:
        path = self.ask_open_path(title)
        if path is None:
            return
        try:
            count = importer(self._engine, read_limited(path))
        except OSError as exc:
            messages.show_error(self, CaleolError(f"Lecture impossible de {path} ({exc})."))
            return
        except CaleolError as exc:
            messages.show_error(self, exc)
            return
        messages.show_status(self, self.tr("{n} depuis {file}.").format(
            n=counted(count, self.tr("ligne importée"), self.tr("lignes importées")),
            file=path.name))
        self.refresh()
        self.imported.emit()
