"""The demande editor: the household's request to be assessed on its incomes of n-1."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import Engine

from caleol.fr import paris_today
from caleol.services.editing import load_demande, save_demande
from caleol.ui.dialogs.demande_editor import TAB_APPLICANT, DemandeEditor
from tests.services.import_fixtures import with_references
from tests.services.test_editing import a_demande


def test_ticking_revenus_n_1_is_saved_and_shown_again(qtbot, sqlite_engine: Engine) -> None:
    refs = with_references(sqlite_engine)
    demande_id = save_demande(refs, a_demande(reference_tax_income_year="2025"),
                              today=paris_today())
    editor = DemandeEditor(refs, demande_id)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentIndex(TAB_APPLICANT)
    with qtbot.waitExposed(editor):
        editor.show()
    box = editor.checks["tax_income_n1_requested"]
    assert not box.isChecked()
    assert "à la demande du ménage" in box.text()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Enregistrer
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert load_demande(refs, demande_id).tax_income_n1_requested is True
    again = DemandeEditor(refs, demande_id)
    qtbot.addWidget(again)
    assert again.checks["tax_income_n1_requested"].isChecked()
