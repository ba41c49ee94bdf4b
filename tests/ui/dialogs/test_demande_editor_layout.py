"""The demande editor at the size the guide shows it (1000×620): the NUR's hint whole."""

from __future__ import annotations

from sqlalchemy import Engine

from caleol.ui.dialogs.demande_editor import TAB_APPLICANT, DemandeEditor
from tests.services.import_fixtures import with_references


def test_the_nur_hint_and_the_names_have_room(qtbot, sqlite_engine: Engine) -> None:
    # Seen on a new base: « 17 caractères, ex. 05724… » — the left column squeezed by
    # the right one's long « Revenus n-1 » box (« le ménage demande que ses revenus n-1
    # soient retenus (baisse de ressources) »).
    editor = DemandeEditor(with_references(sqlite_engine), None)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentIndex(TAB_APPLICANT)
    editor.resize(1000, 620)
    with qtbot.waitExposed(editor):
        editor.show()
    nur = editor.texts["nur"]
    hint = nur.placeholderText()
    assert nur.fontMetrics().horizontalAdvance(hint) < nur.contentsRect().width() - 8
    first_names = editor.texts["applicant_first_names"]
    assert first_names.fontMetrics().horizontalAdvance(
        "Marie-Élodie Christiane") < first_names.contentsRect().width() - 8
