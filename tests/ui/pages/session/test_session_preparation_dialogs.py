"""Preparing a séance from the workspace: edit its details (with a version conflict),
add a dwelling with its orientation, grant a typology adaptation."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from sqlalchemy import func
from sqlmodel import col, select
from ui.pages.session.workbench import click

from caleol.db.engine import session_scope
from caleol.db.models import AgendaItem, Demande, HouseholdMember
from caleol.services import sessions
from caleol.ui.dialogs.new_session import NewSessionDialog
from caleol.ui.pages.session.pick_dialog import PickDialog


def open_preparing(bench) -> int:
    session_id = bench.summary.preparing_session_id
    assert bench.workspace.open_session(session_id)
    assert bench.workspace.detail.status == "draft"
    return session_id


def convened(dialog: NewSessionDialog) -> list[int]:
    return [int(dialog.members.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(dialog.members.count())
            if dialog.members.item(i).checkState() == Qt.CheckState.Checked]


def test_edit_session_info(qtbot, bench) -> None:
    session_id = open_preparing(bench)
    workspace, engine = bench.workspace, bench.engine
    detail = workspace.detail
    click(qtbot, workspace.header.edit_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, NewSessionDialog) and dialog.windowTitle() == "Modifier la séance"
    assert not dialog.commission.isEnabled()
    assert dialog.date.date().toPython() == detail.summary.date
    assert convened(dialog) == [a.member_id for a in detail.attendance]

    new_date = detail.summary.date + timedelta(days=1)
    dialog.date.setDate(QDate(new_date))
    dialog.place.setText("Salle B, 2 rue du Lac, Metz")
    last = max(i for i in range(dialog.members.count())  # the last member convened
               if dialog.members.item(i).checkState() == Qt.CheckState.Checked)
    dialog.members.item(last).setCheckState(Qt.CheckState.Unchecked)
    kept = convened(dialog)
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = sessions.session_detail(engine, session_id)
    assert (stored.summary.date, stored.summary.place) == (new_date, "Salle B, 2 rue du Lac, Metz")
    assert [a.member_id for a in stored.attendance] == kept
    assert len(kept) == len(detail.attendance) - 1
    assert stored.summary.version > detail.summary.version
    assert "Salle B" in workspace.header.subtitle.text()  # the workspace shows it
    assert [r.member.member_id for r in workspace.attendance._rows] == kept
    assert bench.errors == []


def test_edit_refuses_no_member_and_a_stale_version(qtbot, bench) -> None:
    session_id = open_preparing(bench)
    workspace, engine = bench.workspace, bench.engine
    click(qtbot, workspace.header.edit_button)
    dialog = workspace.current_dialog
    for i in range(dialog.members.count()):
        dialog.members.item(i).setCheckState(Qt.CheckState.Unchecked)
    click(qtbot, dialog.create_button)
    assert dialog.errors.visible() == {
        "member_ids": "Convoquez au moins un membre de la commission."}
    assert dialog.isVisible()
    dialog.members.item(0).setCheckState(Qt.CheckState.Checked)

    # Another workstation saves the séance while the form is open.
    sessions.update_session_info(engine, session_id, place="Salle du conseil")
    dialog.place.setText("Salle des fêtes")
    click(qtbot, dialog.create_button)
    assert dialog.isVisible()
    assert dialog.problem.text().startswith(
        "La séance : enregistrement modifié par ailleurs entre-temps ; rechargez avant "
        "d'enregistrer.")
    stored = sessions.session_detail(engine, session_id)
    assert stored.summary.place == "Salle du conseil"  # nothing overwritten
    assert dialog.place.text() == "Salle des fêtes"  # the form keeps what was typed
    assert "Salle du conseil" in workspace.header.subtitle.text()  # stored, behind it
    assert workspace.detail.summary.version == stored.summary.version  # reloaded
    # Saving again now applies to the current version.
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert sessions.session_detail(engine, session_id).summary.place == "Salle des fêtes"


def test_add_a_dwelling_with_its_orientation(qtbot, bench) -> None:
    session_id = open_preparing(bench)
    workspace, engine = bench.workspace, bench.engine
    count = len(workspace.detail.agenda)
    click(qtbot, workspace.agenda.add_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, PickDialog) and dialog.model.rowCount() > 0
    dialog.view.selectRow(0)
    row = dialog.chosen()
    form = workspace.orientation
    assert form.isVisible()
    target = next(r for r in sessions.reservataire_choices(engine) if r.code == "CD57")
    form.reservataire.setCurrentIndex(form.reservataire.findData(target.id))
    form.date.setDate(QDate(2026, 11, 20))
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: len(workspace.detail.agenda) == count + 1)
    with session_scope(engine) as db:
        item = db.exec(select(AgendaItem).where(AgendaItem.session_id == session_id,
                                                AgendaItem.dwelling_id == row.id)).one()
        assert (item.reservataire_id, item.orientation_date) == (target.id, date(2026, 11, 20))
    assert workspace.agenda.current().reference == row.reference
    assert target.name in workspace.dwelling.details.text()
    assert bench.errors == []


def _large_household(engine, exclude: set[int]) -> int:
    """An active demande of at least five persons (too many for a T2)."""
    with session_scope(engine) as db:
        persons = (select(HouseholdMember.demande_id)
                   .group_by(col(HouseholdMember.demande_id))
                   .having(func.count() >= 5))
        return next(d.id for d in db.exec(
            select(Demande).where(Demande.status == "active",
                                  col(Demande.id).in_(persons)).order_by(col(Demande.id)))
            if d.id not in exclude)


def test_typology_adaptation_reruns_the_checks(qtbot, bench) -> None:
    session_id = open_preparing(bench)
    workspace, engine = bench.workspace, bench.engine
    # a household of 5 or more persons fails the typology of a T1, T2 or T3
    item = next(i for i in workspace.detail.agenda if i.typology in ("T1", "T2", "T3"))
    demande_id = _large_household(engine, {c.demande_id for c in item.candidacies})
    candidacy_id = sessions.add_candidate(engine, item.id, demande_id)
    workspace.controller.reload()
    workspace.agenda.select_reference(item.reference)
    candidate = next(c for c in workspace.candidates.model.rows() if c.id == candidacy_id)
    assert candidate.checks["typology"]["status"] == "fail"
    workspace.candidates.select_nur(candidate.nur)
    panel = workspace.dwelling
    assert candidate.nur in panel.adaptation_label.text()
    assert panel.adaptation.currentData() is None and panel.apply_adaptation.isEnabled()
    assert panel.adaptation.count() == 5  # none + the charter's four adaptations

    panel.adaptation.setCurrentIndex(panel.adaptation.findData("fausse_typologie"))
    click(qtbot, panel.apply_adaptation)
    qtbot.waitUntil(lambda: next(
        c for c in workspace.candidates.model.rows() if c.id == candidacy_id
    ).checks["typology"]["status"] == "pass")
    stored = next(c for i in sessions.session_detail(engine, session_id).agenda
                  for c in i.candidacies if c.id == candidacy_id)
    assert stored.typology_adaptation == "fausse_typologie"
    assert stored.checks["typology"]["status"] == "pass"
    assert workspace.candidates.current().id == candidacy_id  # still selected
    assert panel.adaptation.currentData() == "fausse_typologie"
    assert bench.errors == []


def test_adaptation_is_read_only_once_closed(qtbot, bench) -> None:
    workspace = bench.workspace
    assert workspace.open_session(bench.summary.signed_session_id)
    workspace.candidates.view.selectRow(0)
    assert workspace.candidates.current() is not None
    assert not workspace.dwelling.adaptation.isEnabled()
    assert not workspace.dwelling.apply_adaptation.isEnabled()


def test_a_convened_member_made_inactive_is_kept_when_saving(qtbot, bench) -> None:
    from caleol.db.models import CommissionMember

    session_id = open_preparing(bench)
    workspace, engine = bench.workspace, bench.engine
    before = [a.member_id for a in workspace.detail.attendance]
    retired = before[0]
    with session_scope(engine) as db:  # left the commission since the convocation
        member = db.get(CommissionMember, retired)
        member.active = False
        db.add(member)
    click(qtbot, workspace.header.edit_button)
    dialog = workspace.current_dialog
    assert retired in convened(dialog)  # still listed, still ticked
    dialog.place.setText("Salle C")
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    stored = sessions.session_detail(engine, session_id)
    assert stored.summary.place == "Salle C"
    assert sorted(a.member_id for a in stored.attendance) == sorted(before)


def test_the_search_says_when_more_rows_match_than_shown(qtbot) -> None:
    """« 50 résultats (les 50 premiers) » did not say others may match."""
    from types import SimpleNamespace

    from caleol.ui.models.table import Column
    from caleol.ui.pages.session.pick_dialog import LIMIT

    rows = [SimpleNamespace(nur=f"0572012003{i:02d}V5701") for i in range(LIMIT)]
    dialog = PickDialog("Ajouter un candidat", "NUR ou nom", (Column("nur", "NUR"),),
                        lambda text: [r for r in rows if text in r.nur])
    qtbot.addWidget(dialog)
    assert dialog.count.text() == ("Les 50 premiers résultats : précisez le NUR ou le nom "
                                   "pour trouver les autres.")
    dialog.field.setText("349V")  # then refreshed as typed (the timer, or at once here)
    dialog.refresh()
    assert dialog.count.text() == "1 résultat"
