"""A refused action changes nothing on screen; a success refreshes only what changed.

Issue 17: a refused decision (« 12 votes pour 9 membres ») reloaded the whole séance
and wiped the form. Now the controller reloads nothing after a refusal, and after a
success reads one agenda item (`agenda_item_state`) or the attendance
(`attendance_state`), never the whole `session_detail`.
"""

from __future__ import annotations

import pytest
from ui.pages.session.workbench import click

from caleol.rules.decisions import DecisionKind
from caleol.services import sessions
from caleol.ui.dialogs.form_errors import is_marked_invalid


@pytest.fixture
def reads(monkeypatch):
    """How often the workspace reads the whole séance, one item, the attendance."""
    counts = {"session_detail": 0, "agenda_item_state": 0, "attendance_state": 0}
    for name in counts:
        original = getattr(sessions, name)

        def counting(*args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(sessions, name, counting)
    return counts


def open_held(bench):
    """The demo's ready séance, opened (everyone present, a president) and shown."""
    engine, session_id = bench.engine, bench.summary.ready_session_id
    sessions.start_session(engine, session_id)
    detail = sessions.session_detail(engine, session_id)
    sessions.record_attendance(engine, session_id, [
        sessions.AttendanceChange(a.member_id, "present") for a in detail.attendance])
    president = next(a for a in detail.attendance if a.deliberative)
    sessions.set_president(engine, session_id, president.member_id)
    workspace = bench.workspace
    assert workspace.open_session(session_id)
    assert workspace.detail.status == "held"
    return workspace


def test_a_refused_decision_keeps_the_form_and_reloads_nothing(qtbot, bench, reads) -> None:
    workspace = open_held(bench)
    workspace.tabs.setCurrentWidget(workspace.decision)
    workspace.candidates.view.selectRow(1)
    panel = workspace.decision
    panel.kind.setCurrentIndex(panel.kind.findData(DecisionKind.ATTRIBUTION_RANG.value))
    panel.rank.setValue(2)
    panel.justification.setText("Dossier complet examiné en séance.")
    panel.votes.setChecked(True)
    members = sum(1 for a in workspace.detail.attendance if a.deliberative)
    panel.votes_for.setValue(members + 3)  # more votes than members: refused
    panel.votes_against.setValue(0)
    before = dict(reads)
    click(qtbot, panel.record_button)
    assert bench.errors == []  # the message is beside the votes, in red, not in a box
    assert "votes exprimés" in panel.visible_errors()["votes"]
    assert is_marked_invalid(panel.votes_for)
    assert reads == before  # nothing read again: the screen is as it was
    assert panel.kind.currentData() == DecisionKind.ATTRIBUTION_RANG.value
    assert panel.rank.value() == 2
    assert panel.justification.text() == "Dossier complet examiné en séance."
    assert panel.votes.isChecked() and panel.votes_for.value() == members + 3
    assert workspace.candidates.current().decision is None


def test_a_recorded_decision_refreshes_one_item_only(qtbot, bench, reads) -> None:
    workspace = open_held(bench)
    item = workspace.agenda.current()
    other_rows = [i for i in workspace.agenda.model.rows() if i.id != item.id]
    workspace.candidates.view.selectRow(0)
    candidate = workspace.candidates.current()
    panel = workspace.decision
    panel.kind.setCurrentIndex(panel.kind.findData(DecisionKind.ATTRIBUTION.value))
    panel.justification.setText("Dossier complet examiné en séance.")
    before = dict(reads)
    click(qtbot, panel.record_button)
    assert bench.errors == []
    assert {k: reads[k] - before[k] for k in reads} == {
        "session_detail": 0, "agenda_item_state": 1, "attendance_state": 0}
    shown = next(c for c in workspace.candidates.model.rows() if c.id == candidate.id)
    assert shown.decision is not None and shown.decision.kind == DecisionKind.ATTRIBUTION.value
    assert workspace.agenda.current().id == item.id  # the selection stays
    # the other dwellings are the very rows read when the séance was opened
    assert [i for i in workspace.agenda.model.rows() if i.id != item.id] == other_rows
    assert workspace.detail.summary.decisions == 1


def test_a_refused_attendance_marks_the_member_and_keeps_the_form(qtbot, bench, reads) -> None:
    workspace = open_held(bench)
    attendance = workspace.attendance
    workspace.tabs.setCurrentWidget(attendance)
    members = workspace.detail.attendance
    absent, represented = members[1], members[2]
    attendance.row_for(absent.member_id).status.setCurrentIndex(
        attendance.row_for(absent.member_id).status.findData("absent"))
    row = attendance.row_for(represented.member_id)
    row.status.setCurrentIndex(row.status.findData("represented"))
    assert row.proxy.currentData() is None  # « choisir… »: no holder given
    before = dict(reads)
    click(qtbot, attendance.save_button)
    assert reads == before
    assert bench.errors == []  # shown in the panel, not in a message box
    message = attendance.errors.visible()[f"member_{represented.member_id}"]
    assert "indiquez qui détient son pouvoir" in message
    assert row.error.isVisible()
    assert is_marked_invalid(row.status)
    # what was set stays set
    assert row.status.currentData() == "represented"
    assert attendance.row_for(absent.member_id).status.currentData() == "absent"
    # set right, saved: the marks go, only the attendance is read again
    row.proxy.setCurrentIndex(row.proxy.findData(members[0].member_id))
    click(qtbot, attendance.save_button)
    assert attendance.errors.visible() == {}
    assert reads["attendance_state"] == before["attendance_state"] + 1
    assert reads["session_detail"] == before["session_detail"]
    stored = {a.member_id: a for a in workspace.detail.attendance}
    assert stored[represented.member_id].proxy_member_id == members[0].member_id


def test_the_proxy_list_offers_deliberative_members_present_only(qtbot, bench) -> None:
    workspace = open_held(bench)
    attendance = workspace.attendance
    members = workspace.detail.attendance
    consultative = [a for a in members if not a.deliberative]
    assert consultative, "the demo commission has a consultative member"
    absent = next(a for a in members if a.deliberative and a.member_id != members[0].member_id)
    attendance.row_for(absent.member_id).status.setCurrentIndex(
        attendance.row_for(absent.member_id).status.findData("absent"))
    row = attendance.row_for(members[0].member_id)
    row.status.setCurrentIndex(row.status.findData("represented"))
    offered = {row.proxy.itemData(i) for i in range(1, row.proxy.count())}
    expected = {a.member_id for a in members
                if a.deliberative and a.member_id not in (absent.member_id, members[0].member_id)}
    assert offered == expected
    assert not offered & {a.member_id for a in consultative}



def _insufficient_demand_dialog(bench):  # type: ignore[no-untyped-def]
    """The preparing séance opened on its blocked dwelling, the exception dialog shown
    with « insufficient demand » chosen: the séance, the exception before, the dialog."""
    workspace = bench.workspace
    session_id = bench.summary.preparing_session_id
    assert workspace.open_session(session_id)
    assert workspace.agenda.select_reference(bench.summary.blocked_dwelling)
    before = workspace.agenda.current().exception
    workspace.edit_exception()
    dialog = workspace.current_dialog
    dialog.ground.setCurrentIndex(dialog.ground.findData("insufficient_demand"))
    return session_id, before, dialog


def test_insufficient_demand_without_justification_is_refused_beside_it(qtbot, bench
                                                                         ) -> None:
    """It was saved with an empty justification: now refused in French beside the
    justification, tinted red, the dialog open with the ground chosen, nothing saved."""
    workspace, engine = bench.workspace, bench.engine
    session_id, before, dialog = _insufficient_demand_dialog(bench)
    dialog.justification.setPlainText("   ")
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert bench.errors == []  # in the dialog, not in a message box over it
    shown = dialog.errors.visible()
    assert list(shown) == ["justification"], shown
    assert shown["justification"].startswith(
        "Justification obligatoire pour l'insuffisance de demandes")
    line = dialog.errors.lines["justification"]
    assert line.isVisible()
    assert is_marked_invalid(dialog.justification)
    assert not is_marked_invalid(dialog.ground)
    assert (dialog.ground.currentData(), dialog.justification.toPlainText()) == (
        "insufficient_demand", "   ")
    stored = sessions.session_detail(engine, session_id)
    item = next(i for i in stored.agenda if i.reference == bench.summary.blocked_dwelling)
    assert item.exception == before  # nothing written
    assert not workspace.undo_stack.canUndo()
    # typed, saved: the mark goes
    dialog.justification.setPlainText("Aucune autre demande T2 à Metz dans le SNE.")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    assert workspace.agenda.current().exception == "insufficient_demand"


def test_a_refused_exception_keeps_the_dialog_and_what_was_typed(qtbot, bench) -> None:
    """The séance opened on another workstation while the dialog is open: the
    refusal shows in the dialog, the ground and the justification stay as typed,
    nothing is written."""
    from caleol.db.engine import session_scope
    from caleol.db.models import CommissionSession

    workspace, engine = bench.workspace, bench.engine
    session_id, before, dialog = _insufficient_demand_dialog(bench)
    text = "Aucune autre demande T2 à Metz dans le SNE."
    dialog.justification.setPlainText(text)
    with session_scope(engine) as db:  # settled elsewhere
        row = db.get(CommissionSession, session_id)
        row.status = "held"
        db.add(row)
    click(qtbot, dialog.save_button)
    assert dialog.isVisible()
    assert bench.errors == []  # in the dialog, not in a message box over it
    shown = dialog.errors.visible()
    assert shown and all(message.strip() for message in shown.values()), shown
    assert (dialog.ground.currentData(), dialog.justification.toPlainText()) == (
        "insufficient_demand", text)
    stored = sessions.session_detail(engine, session_id)
    item = next(i for i in stored.agenda if i.reference == bench.summary.blocked_dwelling)
    assert item.exception == before  # nothing written
    assert not workspace.undo_stack.canUndo()
