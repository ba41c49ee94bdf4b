"""The new-séance dialog over an organisation entered by the landlord (no demo): the
substitute is listed but not convened by default, as `create_session` does; an
inactive commission is not offered."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
