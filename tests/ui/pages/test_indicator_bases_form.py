"""Paramètres: the counting basis of each indicator, chosen, saved and read back."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from caleol import settings as settings_module
from caleol.rules.indicators import DEFINITIONS
from caleol.settings import Settings
from caleol.ui.pages.settings_page import SettingsPage


def make_page(qtbot, settings: Settings, path: Path) -> SettingsPage:
    page = SettingsPage(settings, path)
    qtbot.addWidget(page)
    page.resize(900, 700)
    with qtbot.waitExposed(page):
        page.show()
    return page


def test_one_choice_per_indicator_the_sources_basis_by_default(qtbot, tmp_path: Path) -> None:
    page = make_page(qtbot, Settings(), tmp_path / "settings.json")
    form = page.bases_form
    assert list(form.boxes) == [d.code for d in DEFINITIONS]
    assert form.boxes["Q1-HQPV"].currentData() == "baux"
    assert form.boxes["QPV-Q2Q4"].currentData() == "propositions"
    assert "charte et CUS" in form.boxes["QPV-Q2Q4"].currentText()
    assert "une proposition par logement attribué" in form.boxes["QPV-Q2Q4"].toolTip()
    assert form.value() == {}


def test_a_changed_basis_is_saved_and_reverted(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    page = make_page(qtbot, Settings(), path)
    box = page.bases_form.boxes["Q1-HQPV"]
    box.setCurrentIndex(box.findData("propositions"))
    page.revert()  # typing discarded
    assert box.currentData() == "baux"
    box.setCurrentIndex(box.findData("propositions"))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["indicator_bases"] == {"Q1-HQPV": "propositions"}
    assert "indicators_on_leases" not in stored
    assert settings_module.load(path).indicator_bases == {"Q1-HQPV": "propositions"}
    reopened = make_page(qtbot, settings_module.load(path), path)
    assert reopened.bases_form.boxes["Q1-HQPV"].currentData() == "propositions"
