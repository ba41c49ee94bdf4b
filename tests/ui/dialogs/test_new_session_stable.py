"""The new-séance form does not jump when a refusal shows (issue 17): each field's
error line keeps its room, so a message of one line moves nothing under it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget
from services.organisation_factory import build_organisation
from sqlalchemy import Engine

from caleol.errors import ValidationError
from caleol.services import sessions
from caleol.ui.dialogs.new_session import NewSessionDialog


def layout_of(dialog: NewSessionDialog) -> dict[str, tuple[int, int, int]]:
    """Where each input and the button sit (top, left, height), and the window's height."""
    dialog.layout().activate()
    widgets: dict[str, QWidget] = {
        "commission": dialog.commission, "date": dialog.date, "start": dialog.start,
        "physical": dialog.physical, "place": dialog.place, "secretary": dialog.secretary,
        "members": dialog.members, "create": dialog.create_button}
    where = {name: (w.mapTo(dialog, QPoint(0, 0)).y(), w.mapTo(dialog, QPoint(0, 0)).x(),
                    w.height()) for name, w in widgets.items()}
    where["window"] = (dialog.height(), dialog.width(), 0)
    return where


def shown_dialog(qtbot, engine: Engine) -> NewSessionDialog:  # type: ignore[no-untyped-def]
    """The new-séance dialog of an organisation's base, shown on screen."""
    build_organisation(engine)
    dialog = NewSessionDialog(sessions.commission_choices(engine, active_only=True))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_refusal_shows_without_moving_the_form(qtbot, engine: Engine) -> None:
    dialog = shown_dialog(qtbot, engine)
    before = layout_of(dialog)
    for i in range(dialog.members.count()):  # nobody convened: refused beside the list
        dialog.members.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.accept()
    line = dialog.findChild(QLabel, "error_member_ids")
    assert line.isVisible() and "Convoquez au moins un membre" in line.text()
    assert layout_of(dialog) == before
    # a refusal of the service beside the place, one on the line under the form
    dialog.show_problem(ValidationError("Lieu refusé.", fields={"place": "Lieu refusé."}))
    assert dialog.findChild(QLabel, "error_place").isVisible()
    assert layout_of(dialog) == before
    dialog.show_problem("La séance a été modifiée sur un autre poste.")
    assert dialog.problem.isVisible()
    assert layout_of(dialog) == before
    dialog.show_problem(None)  # cleared: still in place
    assert not dialog.problem.isVisible()
    assert layout_of(dialog) == before


def test_the_secretary_field_asks_for_the_civility(qtbot, engine: Engine) -> None:
    # Seen on a new base: « Nadia Rahmani » typed alone, the PV and the letters said « Le
    # secrétaire de séance »; the civility is what words the role.
    dialog = shown_dialog(qtbot, engine)
    hint = dialog.secretary.placeholderText()
    assert hint.startswith("civilité, prénom et nom, ex. Mme ")
    assert dialog.secretary.fontMetrics().horizontalAdvance(hint) < (
        dialog.secretary.contentsRect().width())  # read whole at 1366×768


def test_a_seance_without_its_place_is_refused_beside_the_field(qtbot, engine: Engine
                                                               ) -> None:
    # Seen on a new base: a séance created with « Lieu » empty convened its members
    # « à 9 h 30, (séance en présentiel) » and its PV read « Lieu :  — ».
    build_organisation(engine)
    created: list[object] = []
    dialog = NewSessionDialog(sessions.commission_choices(engine, active_only=True),
                              submit=lambda values: created.append(values) or "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.secretary.setText("Mme Nadia Rahmani")
    dialog.accept()
    assert dialog.isVisible() and created == []
    assert dialog.errors.visible() == {
        "place": "Indiquez le lieu, que la convocation et le procès-verbal citent."}
    assert dialog.secretary.text() == "Mme Nadia Rahmani"
    dialog.place.setText("Salle du conseil, 2 place Paul Jamot, 51100 Reims")
    dialog.accept()
    assert len(created) == 1
