"""Choosing files: each dialog opens where the user last went for the same purpose.

A purpose (« import-csv », « certificate », « report »…) remembers its last folder in
`dialogs.ini` next to the settings (the user's profile, or `CALEOL_HOME`); the first
time, the dialog opens in the user's Documents folder, never in the program's own.
On Linux Qt's own dialog is used (`DontUseNativeDialog`; the bundle ships no GTK
theme plugin, and Qt's is translated into French by `caleol.ui.translations`);
Windows keeps its own dialog, in the system's language.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from caleol import paths

log = logging.getLogger(__name__)

OPTIONS = (QFileDialog.Option(0) if sys.platform == "win32"
           else QFileDialog.Option.DontUseNativeDialog)


def _store() -> QSettings:
    return QSettings(str(paths.config_dir() / "dialogs.ini"), QSettings.Format.IniFormat)


def documents_folder() -> Path:
    """The user's Documents folder (home when the system names none)."""
    found = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def start_folder(purpose: str) -> Path:
    """Where a dialog for `purpose` opens: the last folder used, if it still exists."""
    last = _store().value(f"folders/{purpose}", "")
    if isinstance(last, str) and last and Path(last).is_dir():
        return Path(last)
    return documents_folder()


def remember(purpose: str, chosen: Path) -> None:
    """Keep the folder of what was chosen for the next dialog of the same purpose."""
    folder = chosen if chosen.is_dir() else chosen.parent
    store = _store()
    store.setValue(f"folders/{purpose}", str(folder))
    store.sync()


def _start(purpose: str, suggested: str = "") -> str:
    folder = start_folder(purpose)
    return str(folder / suggested) if suggested else str(folder)


def open_file(parent: QWidget | None, purpose: str, title: str, filters: str) -> Path | None:
    """One existing file, or None when the user cancelled."""
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, _start(purpose), filters,
                                                  options=OPTIONS)
    if not chosen:
        return None
    remember(purpose, Path(chosen))
    return Path(chosen)


def open_files(parent: QWidget | None, purpose: str, title: str, filters: str) -> list[Path]:
    chosen, _filter = QFileDialog.getOpenFileNames(parent, title, _start(purpose), filters,
                                                   options=OPTIONS)
    if chosen:
        remember(purpose, Path(chosen[0]))
    return [Path(c) for c in chosen]


def save_file(parent: QWidget | None, purpose: str, title: str, filters: str,
              suggested: str = "", *, confirm_overwrite: bool = True) -> Path | None:
    """Where to write a file (`suggested`: its proposed name), or None."""
    options = OPTIONS if confirm_overwrite else (
        OPTIONS | QFileDialog.Option.DontConfirmOverwrite)
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, _start(purpose, suggested),
                                                  filters, options=options)
    if not chosen:
        return None
    remember(purpose, Path(chosen))
    return Path(chosen)


def existing_folder(parent: QWidget | None, purpose: str, title: str,
                    current: str = "") -> Path | None:
    """A folder; opens on `current` when it exists, else where `purpose` last went."""
    start = current if current and Path(current).is_dir() else _start(purpose)
    chosen = QFileDialog.getExistingDirectory(
        parent, title, start, OPTIONS | QFileDialog.Option.ShowDirsOnly)
    if not chosen:
        return None
    remember(purpose, Path(chosen))
    return Path(chosen)
