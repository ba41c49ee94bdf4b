"""Qt's own strings in French: file, print and message dialogs, context menus.

PySide6 ships Qt's French catalogue (`qtbase_fr.qm`), but Qt 6 renamed a few
strings it still translates under their old names (« &Look in: » is in the
catalogue as « Look in: », « Files of &type: » as « Files of type: ») and a few
have no French at all (the file type « Folder »). `MissingStrings` is asked after
the catalogue and answers those; everything else falls through to the source text.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

# (context, source) → French, for what qtbase_fr.qm lacks (found by asking every
# dialog caleol opens with a recording translator installed last).
FRENCH: dict[tuple[str, str], str] = {
    ("QAbstractFileIconProvider", "Folder"): "Dossier",
    ("QAbstractFileIconProvider", "Drive"): "Lecteur",
    ("QAbstractFileIconProvider", "File"): "Fichier",
    ("QAbstractFileIconProvider", "%1 File"): "Fichier %1",
    ("QAbstractFileIconProvider", "Shortcut"): "Raccourci",
    ("QPrintDialog", "Page &Set:"): "Pages à &imprimer :",
    ("QIODevice", "No such file or directory"): "Fichier ou dossier introuvable",
    ("QIODevice", "Permission denied"): "Droits insuffisants",
}


def _with_accelerator(text: str) -> str:
    """« Voir dans : » → « &Voir dans : » (the catalogue's text lost its shortcut)."""
    return "&" + text if text and "&" not in text else text


class MissingStrings(QTranslator):
    """French for the strings Qt's catalogue does not translate (asked last).

    Args:
        catalogue: the loaded `qtbase_fr` translator, asked again for a string
            whose accelerator (« & ») moved since it was translated.
    """

    def __init__(self, catalogue: QTranslator | None, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue

    def isEmpty(self) -> bool:
        return False

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        text = FRENCH.get((context, source))
        if text:
            return text
        if "&" in source and self._catalogue is not None:
            found = self._catalogue.translate(context, source.replace("&", ""),
                                              disambiguation, n)
            if found:
                return _with_accelerator(found)
        return None  # untranslated: Qt shows the source (caleol's own strings are French)


def install_french(app: QCoreApplication) -> list[QTranslator]:
    """Qt's French catalogue, and the missing strings after it; returns the translators
    installed (kept by `app`, removed with `QCoreApplication.removeTranslator`)."""
    QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    catalogue: QTranslator | None = QTranslator(app)
    assert catalogue is not None
    if not catalogue.load(QLocale("fr_FR"), "qtbase", "_", directory):
        log.info("Qt French translations not found in %s", directory)
        catalogue = None
    missing = MissingStrings(catalogue, app)
    # Translators are asked in reverse order of installation: the missing strings
    # first installed, so asked after the catalogue.
    app.installTranslator(missing)
    installed: list[QTranslator] = [missing]
    if catalogue is not None:
        app.installTranslator(catalogue)
        installed.append(catalogue)
    return installed
