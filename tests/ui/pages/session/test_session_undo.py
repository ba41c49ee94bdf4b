"""Undo and redo in the séance workspace (issue 17): every change is undone by the same
services in reverse, written and audited like any other; the stack empties when the
séance changes status."""

from __future__ import annotations

from sqlmodel import select
from ui.pages.session.test_session_refusals import open_held
from ui.pages.session.workbench import click

from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry
from caleol.rules.decisions import DecisionKind
from caleol.services import sessions


def audit_count(engine) -> int:
    with session_scope(engine) as db:
        return len(db.exec(select(AuditEntry)).all())


def decide(qtbot, workspace, row: int, kind: DecisionKind, rank: int = 0) -> int:
    workspace.candidates.view.selectRow(row)
    candidate = workspace.candidates.current()
    panel = workspace.decision
    panel.kind.setCurrentIndex(panel.kind.findData(kind.value))
    panel.rank.setValue(rank)
    panel.justification.setText("Dossier complet examiné en séance.")
    click(qtbot, panel.record_button)
    return candidate.id


def stored_decision(engine, session_id: int, candidacy_id: int):
    detail = sessions.session_detail(engine, session_id)
    return next(c.decision for i in detail.agenda for c in i.candidacies
                if c.id == candidacy_id)


def test_a_decision_is_undone_and_redone_through_the_services(qtbot, bench) -> None:
    workspace, engine = open_held(bench), bench.engine
    session_id = workspace.detail.id
    first = decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_RANG, rank=1)
    assert bench.errors == []
    stack = workspace.undo_stack
    assert stack.canUndo() and stack.undoText().startswith("décision pour ")
    written = audit_count(engine)
    stack.undo()
    assert stored_decision(engine, session_id, first) is None  # cleared by the service
    assert audit_count(engine) > written  # an undo is a write like any other, audited
    shown = next(c for c in workspace.candidates.model.rows() if c.id == first)
    assert shown.decision is None
    assert workspace.candidates.current().id == first  # what changed is selected
    stack.redo()
    again = stored_decision(engine, session_id, first)
    assert again is not None and again.kind == DecisionKind.ATTRIBUTION_RANG.value
    assert again.rank == 1


def test_a_replaced_decision_comes_back_on_undo(qtbot, bench) -> None:
    workspace, engine = open_held(bench), bench.engine
    session_id = workspace.detail.id
    first = decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_RANG, rank=1)
    decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION)  # the same candidate, changed
    assert stored_decision(engine, session_id, first).kind == "attribution"
    workspace.undo_stack.undo()
    restored = stored_decision(engine, session_id, first)
    assert (restored.kind, restored.rank) == ("attribution_rang", 1)
    assert bench.errors == []


def test_after_a_decision_the_next_candidate_is_selected_with_its_rank(qtbot, bench) -> None:
    workspace = open_held(bench)
    rows = workspace.candidates.model.rows()
    first = decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_RANG, rank=1)
    following = sorted((c for c in rows if c.id != first),
                       key=lambda c: c.proposed_rank or 0)[0]
    assert workspace.candidates.current().id == following.id
    panel = workspace.decision
    assert panel.kind.currentData() == DecisionKind.ATTRIBUTION_RANG.value
    assert panel.rank.value() == 2  # proposed from the order, not recorded
    assert following.decision is None


def test_attendance_is_undone_with_its_president(qtbot, bench) -> None:
    workspace, engine = open_held(bench), bench.engine
    session_id = workspace.detail.id
    attendance = workspace.attendance
    workspace.tabs.setCurrentWidget(attendance)
    president = workspace.detail.president_member_id
    row = attendance.row_for(president)
    row.status.setCurrentIndex(row.status.findData("absent"))  # the president leaves
    click(qtbot, attendance.save_button)
    after = sessions.session_detail(engine, session_id)
    assert after.president_member_id is None  # no longer present: no longer president
    workspace.undo_stack.undo()
    before = sessions.session_detail(engine, session_id)
    assert before.president_member_id == president
    assert {a.member_id: a.status for a in before.attendance}[president] == "present"
    assert attendance.row_for(president).status.currentData() == "present"


def test_preparation_changes_are_undone(qtbot, bench) -> None:
    workspace, engine = bench.workspace, bench.engine
    session_id = bench.summary.preparing_session_id
    assert workspace.open_session(session_id)
    item = workspace.agenda.current()
    order = [c.id for c in workspace.candidates.model.rows()]
    stack = workspace.undo_stack
    # moved down, then undone
    workspace.candidates.view.selectRow(0)
    click(qtbot, workspace.candidates.down_button)
    assert [c.id for c in workspace.candidates.model.rows()] != order
    stack.undo()
    assert [c.id for c in workspace.candidates.model.rows()] == order
    # withdrawn (confirmed), then presented again at the same rank
    removed = workspace.candidates.model.rows()[1]
    workspace.candidates.view.selectRow(1)
    click(qtbot, workspace.candidates.remove_button)
    box = workspace.current_dialog
    confirm = next(b for b in box.buttons() if b.text() == "Retirer")
    click(qtbot, confirm)
    assert len(workspace.candidates.model.rows()) == len(order) - 1
    stack.undo()
    back = workspace.candidates.model.rows()
    assert [c.nur for c in back] == [c.nur for c in sessions.session_detail(
        engine, session_id).agenda[[i.id for i in workspace.detail.agenda].index(item.id)]
        .candidacies]
    assert back[1].nur == removed.nur and back[1].proposed_rank == removed.proposed_rank
    assert back[1].origin == removed.origin
    assert back[1].typology_adaptation == removed.typology_adaptation
    # an exception recorded, then undone
    workspace.edit_exception()
    dialog = workspace.current_dialog
    dialog.ground.setCurrentIndex(dialog.ground.findData("insufficient_demand"))
    dialog.justification.setPlainText("Aucune autre demande T2 dans le SNE.")
    click(qtbot, dialog.save_button)
    assert workspace.agenda.current().exception == "insufficient_demand"
    stack.undo()
    assert workspace.agenda.current().exception == item.exception
    assert bench.errors == []


def test_a_status_change_empties_the_stack(qtbot, bench) -> None:
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.preparing_session_id)
    assert workspace.agenda.select_reference(bench.summary.blocked_dwelling)
    workspace.edit_exception()
    dialog = workspace.current_dialog
    dialog.ground.setCurrentIndex(dialog.ground.findData("insufficient_demand"))
    dialog.justification.setPlainText("Aucune autre demande T2 à Metz dans le SNE.")
    click(qtbot, dialog.save_button)
    assert workspace.undo_stack.canUndo()
    click(qtbot, workspace.header.ready_button)  # ready: what preparation did is settled
    qtbot.waitUntil(lambda: workspace.detail.status == "ready")
    assert bench.errors == []
    assert not workspace.undo_stack.canUndo()


def test_a_refused_undo_says_why_and_leaves_the_stack(qtbot, bench) -> None:
    workspace, engine = open_held(bench), bench.engine
    decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_RANG, rank=1)
    # another workstation opens… and the séance is closed behind the workspace's back
    session_id = workspace.detail.id
    sessions.update_session_info(engine, session_id, notes="modifiée ailleurs")
    from caleol.db.models import CommissionSession

    with session_scope(engine) as db:  # frozen as if closed elsewhere
        row = db.get(CommissionSession, session_id)
        row.status = "closed"
        db.add(row)
    workspace.undo_stack.undo()
    assert len(bench.errors) == 1  # the service's French refusal, shown
    assert workspace.undo_stack.count() == 0  # the command could not be undone: dropped


def test_a_candidate_added_is_withdrawn_on_undo_and_presented_again_on_redo(
        qtbot, bench) -> None:
    workspace, engine = bench.workspace, bench.engine
    session_id = bench.summary.preparing_session_id
    assert workspace.open_session(session_id)
    item = workspace.agenda.current()

    def presented() -> list[str]:
        detail = sessions.session_detail(engine, session_id)
        return [c.nur for i in detail.agenda if i.id == item.id for c in i.candidacies]

    before = presented()
    click(qtbot, workspace.candidates.add_button)
    dialog = workspace.current_dialog
    nur = next(row.nur for row in dialog.model.rows() if row.nur not in before)
    dialog.field.setText(nur)
    dialog.refresh()  # what the search timer does after typing
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: len(workspace.candidates.model.rows()) == len(before) + 1)
    stack = workspace.undo_stack
    assert stack.undoText().startswith("ajout de ")
    assert presented() == [*before, nur]
    stack.undo()
    assert presented() == before  # withdrawn through the service
    assert [c.nur for c in workspace.candidates.model.rows()] == before
    stack.redo()
    assert presented() == [*before, nur]
    assert bench.errors == []


def test_a_decision_undone_proposes_its_rank_again(qtbot, bench) -> None:
    """Ctrl+Z on the rank-2 decision left « Attribution / sans rang »: the form now
    proposes rank 2 again, as right after the rank-1 decision."""
    workspace = open_held(bench)
    decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_RANG, rank=1)
    panel = workspace.decision
    second = workspace.candidates.current()
    assert panel.rank.value() == 2  # proposed
    panel.justification.setText("Dossier complet examiné en séance.")
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.rows()[1].decision is not None)
    workspace.undo_stack.undo()
    assert workspace.candidates.current().id == second.id
    assert workspace.candidates.current().decision is None
    assert panel.kind.currentData() == DecisionKind.ATTRIBUTION_RANG.value
    assert panel.rank.value() == 2  # proposed again, nothing recorded
