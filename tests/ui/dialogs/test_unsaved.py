"""The editors ask before discarding what was typed (« Annuler », Échap, closing the
window); an untouched form closes at once (issue 17)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import Engine

from caleol.ui import messages
from caleol.ui.dialogs.demande_editor import DemandeEditor
from caleol.ui.dialogs.dwelling_editor import DwellingEditor
from tests.services.import_fixtures import with_references


@pytest.fixture
def refs(sqlite_engine: Engine) -> Engine:
    return with_references(sqlite_engine)


class Answers(list):
    """The answers the confirmation gives, in turn; the questions asked."""

    asked: list[str]


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """A question with no answer prepared fails the test."""
    given = Answers()
    asked: list[str] = []

    def ask(parent, text, title="", confirm="", keep=""):
        assert (confirm, keep) == ("Abandonner les modifications", "Continuer la saisie")
        asked.append(text)
        assert given, f"unexpected question: {text}"
        return given.pop(0)

    monkeypatch.setattr(messages, "ask_confirmation", ask)
    given.asked = asked
    return given


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    return dialog


@pytest.mark.parametrize("editor", [DwellingEditor, DemandeEditor])
def test_an_untouched_form_closes_without_asking(qtbot, refs, answers, editor) -> None:
    dialog = shown(qtbot, editor(refs, None))
    assert not dialog.is_modified()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_cancel_after_typing_asks_and_keeps_the_form(qtbot, refs, answers) -> None:
    dialog = shown(qtbot, DwellingEditor(refs, None))
    reference = dialog.texts["reference"]
    reference.setText("MET-99001")
    assert dialog.is_modified()
    answers.append(False)  # « non »: keep typing
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert dialog.isVisible() and reference.text() == "MET-99001"
    answers.append(False)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    answers.append(False)
    dialog.close()  # the window's close button
    assert dialog.isVisible()
    answers.append(True)  # « Abandonner les modifications »
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(answers.asked) == 4
    assert "n'ont pas été enregistrées" in answers.asked[0]


def test_a_change_to_the_household_table_counts(qtbot, refs, answers) -> None:
    from PySide6.QtWidgets import QPushButton

    dialog = shown(qtbot, DemandeEditor(refs, None))
    assert not dialog.is_modified()
    dialog.findChild(QPushButton, "add_members").click()  # a member added to the household
    assert dialog.is_modified()
    answers.append(True)
    dialog.reject()
    assert not dialog.isVisible()


def test_a_referentiels_form_asks_too(qtbot, answers) -> None:
    """Référentiels' FormDialog (agency, commission, member…) asks as the editors do;
    « non » keeps the dialog and what was typed, an untouched one closes at once."""
    from caleol.ui.forms.agency import AgencyForm
    from caleol.ui.forms.base import FormDialog

    untouched = shown(qtbot, FormDialog("Nouvelle agence", AgencyForm(), lambda r: r))
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert not untouched.isVisible() and answers.asked == []

    dialog = shown(qtbot, FormDialog("Nouvelle agence", AgencyForm(), lambda r: r))
    qtbot.keyClicks(dialog.form.name_edit, "Agence de Metz")
    assert dialog.is_modified()
    answers.append(False)  # « non »: keep typing
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.form.name_edit.text() == "Agence de Metz"
    answers.append(False)
    dialog.close()  # the window's close button
    assert dialog.isVisible()
    answers.append(True)  # « Abandonner les modifications »
    dialog.reject()  # « Annuler »
    assert not dialog.isVisible()
    assert len(answers.asked) == 3 and "n'ont pas été enregistrées" in answers.asked[0]
