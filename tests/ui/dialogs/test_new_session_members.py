"""The new-séance dialog over an organisation entered by the landlord (no demo): the
substitute is listed but not convened by default, as `create_session` does; an
inactive commission is not offered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from services.organisation_factory import build_organisation
from sqlalchemy import Engine

from caleol.services import organisation as org
from caleol.services import sessions
from caleol.ui.dialogs.new_session import NewSessionDialog


def test_substitutes_are_offered_unticked(qtbot, engine: Engine) -> None:
    build_organisation(engine)
    dialog = NewSessionDialog(sessions.commission_choices(engine, active_only=True))
    qtbot.addWidget(dialog)
    rows = {dialog.members.item(i).text(): dialog.members.item(i).checkState()
            for i in range(dialog.members.count())}
    substitute = "Mme Anne Muller, DDETS — supplée M. Hugo Schmitt, DDETS"
    assert rows[substitute] == Qt.CheckState.Unchecked
    assert list(rows)[-1] == substitute  # titular members first
    assert rows["Mme Claire Martin"] == Qt.CheckState.Checked
    assert sum(state == Qt.CheckState.Checked for state in rows.values()) == 7
    values = dialog.values()
    titular = {m.id for c in sessions.commission_choices(engine) for m in c.members
               if not m.substitute_for}
    assert set(values.member_ids) == titular


def test_an_inactive_commission_is_not_offered(qtbot, engine: Engine) -> None:
    build_organisation(engine)
    [commission] = org.list_commissions(engine)
    org.set_commission_active(engine, commission.id, False)
    assert sessions.commission_choices(engine, active_only=True) == ()
    assert len(sessions.commission_choices(engine)) == 1  # its séances still show it
    dialog = NewSessionDialog(sessions.commission_choices(engine, active_only=True))
    qtbot.addWidget(dialog)
    assert dialog.commission.count() == 0


def test_without_an_active_commission_the_form_says_so(qtbot, engine: Engine) -> None:
    """From a base with no commission, or whose only one was deactivated: the form says
    what to do as it opens, instead of an empty list found out at « Créer »."""
    for setup in ("empty", "inactive"):
        if setup == "inactive":
            build_organisation(engine)
            [commission] = org.list_commissions(engine)
            org.set_commission_active(engine, commission.id, False)
        dialog = NewSessionDialog(sessions.commission_choices(engine, active_only=True))
        qtbot.addWidget(dialog)
        dialog.show()
        said = {"commission_id": "Aucune commission active : créez-en une dans Référentiels."}
        assert dialog.errors.visible() == said  # beside the commission field
        assert dialog.findChild(QLabel, "error_commission_id").isVisible()
        assert not dialog.members.isVisible()  # no empty list of members to convene
        assert not dialog.create_button.isEnabled()
        dialog.accept()  # Entrée: refused with the same sentence, the dialog stays
        assert dialog.isVisible() and dialog.errors.visible() == said
        dialog.close()


def test_a_long_member_line_wraps_instead_of_scrolling_sideways(qtbot, engine: Engine) -> None:
    """« Mme Christiane Humbert, DDETS de la Moselle (suppléante) — supplée … » was cut
    with a horizontal scroll bar at 1366×768."""
    build_organisation(engine)
    dialog = NewSessionDialog(sessions.commission_choices(engine, active_only=True))
    qtbot.addWidget(dialog)
    dialog.resize(420, 520)  # narrower than the substitute's line
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.members
    last = view.item(view.count() - 1)
    assert "supplée" in last.text()
    qtbot.waitUntil(lambda: view.visualItemRect(last).height()
                    > view.visualItemRect(view.item(0)).height())  # on two lines
    assert not view.horizontalScrollBar().isVisible()
    assert view.visualItemRect(last).right() <= view.viewport().width()
