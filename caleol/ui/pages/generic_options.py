"""The Paramètres page's « Règles et délais »: every option of `caleol.settings` without
a field of its own on the page gets an editor from its declared type (a check box, a
spin box with its unit, a list of choices, a checked line), so a new option appears
on the page without touching it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox, QWidget

from caleol.settings import OPTIONS, Settings
from caleol.ui.pages import settings_form
from caleol.ui.pages.settings_rows import INT_RANGES, SettingsRows

log = logging.getLogger(__name__)

# Options the page gives a field of their own (database, signing, agency, backups,
# indicator bases); the rest are generic.
DEDICATED = {"database_url", "signing_certificate", "trusted_certificates", "agency",
             "timestamp_server",
             "backup_folder", "backups_kept", "indicator_bases"}
STR_CHOICES: dict[str, tuple[str, ...]] = {
    "flux_rounding": ("troncature", "arrondi", "excès"),
}
STR_CHECKS: dict[str, Callable[[str], str | None]] = {
    "quorum_fraction": settings_form.check_fraction,
}
_UNIT = re.compile(r"\s*\((?:%|mois|jours)\)$")


class GenericOptions:
    """The generic editors, in their own group of `rows`."""

    def __init__(self, rows: SettingsRows, title: str) -> None:
        self.editors: dict[str, QWidget] = {}
        form = rows.group(title)
        for option in OPTIONS:
            if option.name in DEDICATED:
                continue
            label = option.description
            if option.name in INT_RANGES and INT_RANGES[option.name][2]:
                label = _UNIT.sub("", label)  # the spin box shows the unit
            editor: QWidget
            if option.type is bool:
                check_box = QCheckBox(label, rows.owner)
                check_box.setObjectName(f"{option.name}Check")
                form.addRow(rows.label(""), check_box)
                self.editors[option.name] = check_box
                continue
            if option.type is int:
                editor = rows.spin(option.name)
                form.addRow(rows.label(label + " :"), editor)
            elif option.type is str and option.name in STR_CHOICES:
                combo = QComboBox(rows.owner)
                combo.setObjectName(f"{option.name}Combo")
                combo.addItems(list(STR_CHOICES[option.name]))
                editor = combo
                form.addRow(rows.label(label + " :"), editor)
            elif option.type is str:
                edit, _row = rows.line_row(form, label + " :", f"{option.name}Edit",
                                           check=STR_CHECKS.get(option.name))
                editor = edit
            else:
                log.debug("option %s of type %s has no editor", option.name, option.type)
                continue
            self.editors[option.name] = editor

    def show(self, settings: Settings) -> None:
        for name, editor in self.editors.items():
            value = getattr(settings, name)
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentText(str(value))
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value))

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                values[name] = editor.isChecked()
            elif isinstance(editor, QSpinBox):
                values[name] = editor.value()
            elif isinstance(editor, QComboBox):
                values[name] = editor.currentText()
            elif isinstance(editor, QLineEdit):
                values[name] = editor.text().strip()
        return values
