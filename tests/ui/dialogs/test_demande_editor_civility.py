"""The demande editor's « Civilité » (Demandeur tab): « non précisée » by default, never
guessed from the first name; the choice is saved and shown again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import Engine

from caleol.fr import paris_today
from caleol.services.editing import load_demande, save_demande
from caleol.ui.dialogs.demande_editor import TAB_APPLICANT, DemandeEditor
from tests.services.import_fixtures import with_references
from tests.services.test_editing import a_demande


def test_the_civility_is_chosen_saved_and_shown_again(qtbot, sqlite_engine: Engine) -> None:
    refs = with_references(sqlite_engine)
    demande_id = save_demande(refs, a_demande(), today=paris_today())
    editor = DemandeEditor(refs, demande_id)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentIndex(TAB_APPLICANT)
    with qtbot.waitExposed(editor):
        editor.show()
    box = editor.boxes["applicant_civility"]
    assert box.isVisible()
    assert [box.itemText(i) for i in range(box.count())] == [
        "non précisée", "Madame", "Monsieur"]
    assert box.currentText() == "non précisée"
    box.setCurrentIndex(box.findData("Mme"))
    qtbot.mouseClick(editor.buttons.buttons()[0], Qt.MouseButton.LeftButton)  # Enregistrer
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert load_demande(refs, demande_id).applicant_civility == "Mme"
    again = DemandeEditor(refs, demande_id)
    qtbot.addWidget(again)
    assert again.boxes["applicant_civility"].currentText() == "Madame"
