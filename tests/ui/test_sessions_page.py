"""Séances page and workspace details, on copies of one demo database (no certificate)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence

from caleol.db.engine import database_url, open_database
from caleol.errors import ValidationError
from caleol.services import sessions
from caleol.services.demo import create_demo_database
from caleol.settings import Settings
from caleol.ui import messages
from caleol.ui.dialogs.new_session import NewSessionDialog
from caleol.ui.main_window import MainWindow
from caleol.ui.models.session_models import BADGE_BLOCKED, BADGE_EXCEPTION
from caleol.ui.pages.session.exception_dialog import ExceptionDialog
from caleol.ui.pages.sessions_page import SessionsPage
from caleol.ui.tasks import TaskRunner

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    summary = create_demo_database(path, today=TODAY, certificate=False)
    return path, summary


@pytest.fixture
def page(qtbot, demo_file, tmp_path: Path):
    source, summary = demo_file
    copy = tmp_path / "demo.sqlite3"
    shutil.copy(source, copy)
    engine = open_database(database_url(str(copy)))
    widget = SessionsPage(engine, Settings, TaskRunner())
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget, summary
    engine.dispose()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list:
    shown: list = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": shown.append(error))
    return shown


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def badge(workspace, reference: str) -> str:
    model = workspace.agenda.model
    row = next(i for i, item in enumerate(model.rows()) if item.reference == reference)
    return model.data(model.index(row, 0))


def test_ctrl_n_creates_a_session_and_opens_it(qtbot, page) -> None:
    widget, _summary = page
    window = MainWindow("test")
    qtbot.addWidget(window)
    window.add_page(widget)
    window.show()
    before = widget.model.rowCount()
    assert window.new_session_action.shortcut() == QKeySequence("Ctrl+N")
    window.new_session_action.trigger()  # what Ctrl+N does
    dialog = widget.new_dialog
    assert isinstance(dialog, NewSessionDialog) and dialog.isVisible()
    assert dialog.members.count() > 0
    dialog.date.setDate(QDate(2026, 12, 17))
    dialog.place.setText("Salle du conseil")
    click(qtbot, dialog.create_button)
    qtbot.waitUntil(lambda: widget.stack.currentWidget() is widget.workspace)
    detail = widget.workspace.detail
    assert (detail.summary.date, detail.summary.place, detail.status) == (
        date(2026, 12, 17), "Salle du conseil", "draft")
    convened = dialog.values().member_ids
    assert len(detail.attendance) == len(convened) == dialog.members.count() - 1  # substitute
    assert widget.workspace.header.ready_button.isVisible()
    click(qtbot, widget.workspace.header.back_button)
    assert widget.model.rowCount() == before + 1


def test_new_session_problem_shown_next_to_the_form(qtbot, page) -> None:
    widget, _summary = page
    widget.start_new()
    dialog = widget.new_dialog
    for i in range(dialog.members.count()):
        dialog.members.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.place.setText("Salle du conseil")
    before = widget.model.rowCount()
    click(qtbot, dialog.create_button)
    assert dialog.isVisible()  # refused: the French reason is beside the members
    assert dialog.errors.visible() == {
        "member_ids": "Convoquez au moins un membre de la commission."}
    assert dialog.errors.lines["member_ids"].isVisible()
    assert widget.model.rowCount() == before


def test_new_session_refused_by_the_service_keeps_what_was_typed(
        qtbot, page, monkeypatch) -> None:
    """A remote séance the commission's rules do not allow: the service names the
    field (« kind »); every field keeps what was typed."""
    widget, _summary = page
    widget.start_new()
    dialog = widget.new_dialog
    dialog.place.setText("Visioconférence Teams")
    dialog.secretary.setText("Claire Martin")
    dialog.date.setDate(QDate(2026, 12, 18))
    typed = dialog.values()
    refusal = ValidationError("Pas de séance à distance.",
                              fields={"kind": "Pas de séance à distance."})

    def refuse(*args, **kwargs):
        raise refusal

    monkeypatch.setattr(sessions, "create_session", refuse)
    click(qtbot, dialog.create_button)
    assert dialog.isVisible()
    assert dialog.errors.visible() == {"kind": "Pas de séance à distance."}
    assert dialog.values() == typed


def test_closed_session_is_read_only_with_the_reason(qtbot, page) -> None:
    widget, summary = page
    # Without a certificate the demo's past séance stays closed, its PV unsigned.
    assert widget.open_session(summary.signed_session_id)
    workspace = widget.workspace
    assert workspace.detail.status == "closed"
    header = workspace.header
    assert header.banner.isVisible() and "Séance close" in header.banner.text()
    assert header.minutes_button.isVisible() and header.sign_button.isVisible()
    assert header.minutes_button.text() == "Générer le PV"
    assert not header.close_button.isVisible() and not header.ready_button.isVisible()
    assert not workspace.candidates.suggest_button.isEnabled()
    assert not workspace.candidates.up_button.isEnabled()
    assert not workspace.decision.record_button.isEnabled()
    assert not workspace.attendance.save_button.isEnabled()
    assert "Séance close" in workspace.decision.candidate_label.text()


def test_blocked_session_cannot_be_marked_ready(qtbot, page, errors) -> None:
    widget, summary = page
    widget.open_session(summary.preparing_session_id)
    click(qtbot, widget.workspace.header.ready_button)
    assert len(errors) == 1
    assert any(summary.blocked_dwelling in d for d in errors[0].details)
    assert widget.workspace.detail.status == "draft"


def test_reorder_with_the_buttons(qtbot, page) -> None:
    widget, summary = page
    widget.open_session(summary.preparing_session_id)
    workspace = widget.workspace
    panel = workspace.candidates
    workspace.agenda.select_reference(summary.blocked_dwelling)
    first, second = panel.model.rows()
    panel.view.selectRow(1)
    assert not panel.down_button.isEnabled()
    click(qtbot, panel.up_button)
    qtbot.waitUntil(lambda: panel.model.row_at(0).id == second.id)
    assert [c.proposed_rank for c in panel.model.rows()] == [1, 2]
    assert panel.current().id == second.id  # the moved candidate stays selected
    assert panel.model.row_at(1).id == first.id
    # Dragging the second row back onto the first does the same through the service.
    data = panel.model.mimeData([panel.model.index(1, 0)])
    panel.model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, panel.model.index(0, 0))
    qtbot.waitUntil(lambda: panel.model.row_at(0).id == first.id)


def test_exception_turns_the_badge(qtbot, page) -> None:
    widget, summary = page
    widget.open_session(summary.preparing_session_id)
    workspace = widget.workspace
    workspace.agenda.select_reference(summary.blocked_dwelling)
    assert badge(workspace, summary.blocked_dwelling) == BADGE_BLOCKED
    click(qtbot, workspace.candidates.exception_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, ExceptionDialog)
    dialog.ground.setCurrentIndex(dialog.ground.findData("insufficient_demand"))
    dialog.justification.setPlainText("Aucune autre demande T2 à Metz dans le SNE ce mois-ci.")
    dialog.accept()
    qtbot.waitUntil(lambda: badge(workspace, summary.blocked_dwelling) == BADGE_EXCEPTION)
    assert "Justification" in workspace.dwelling.rule.text()


def test_closing_lists_what_blocks_it(qtbot, page, errors) -> None:
    widget, summary = page
    engine = widget.engine
    session_id = summary.ready_session_id
    sessions.start_session(engine, session_id)
    widget.open_session(session_id)
    click(qtbot, widget.workspace.header.close_button)
    assert len(errors) == 1
    details = "\n".join(errors[0].details)
    assert "quorum" in details.lower() or "Quorum" in details
    assert "Aucun président" in details
    assert "aucune décision pour le candidat" in details
    assert widget.workspace.detail.status == "held"


def test_quorum_label_follows_the_form_before_saving(qtbot, page) -> None:
    widget, summary = page
    widget.open_session(summary.ready_session_id)
    attendance = widget.workspace.attendance
    assert "✗" in attendance.quorum_label.text()
    attendance.set_all_present()
    quorum = attendance.live_quorum()
    # every convened deliberative member present: counted = deliberative members
    assert quorum.counted == quorum.deliberative_members and quorum.reached
    assert "✓" in attendance.quorum_label.text()
    assert not sessions.session_detail(widget.engine, summary.ready_session_id).quorum.reached


def test_add_a_dwelling_and_a_candidate_by_nur(qtbot, page) -> None:
    from caleol.ui.pages.session.pick_dialog import PickDialog

    widget, summary = page
    widget.open_session(summary.preparing_session_id)
    workspace = widget.workspace
    before = len(workspace.detail.agenda)
    click(qtbot, workspace.agenda.add_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, PickDialog) and dialog.model.rowCount() > 0
    assert all(row.status == "vacant" for row in dialog.model.rows())
    dwelling = dialog.chosen()
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: len(workspace.detail.agenda) == before + 1)
    assert workspace.agenda.current().reference == dwelling.reference
    assert badge(workspace, dwelling.reference) == BADGE_BLOCKED  # no candidate yet

    click(qtbot, workspace.candidates.add_button)
    dialog = workspace.current_dialog
    nur = dialog.model.row_at(0).nur
    dialog.field.setText(nur)
    dialog.refresh()  # what the search timer does after typing
    assert [row.nur for row in dialog.model.rows()] == [nur]
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.rowCount() == 1)
    assert workspace.candidates.current().nur == nur


def test_occupation_review_recorded_from_its_tab(qtbot, page) -> None:
    widget, summary = page
    widget.open_session(summary.preparing_session_id)
    workspace = widget.workspace
    panel = workspace.reviews
    workspace.tabs.setCurrentWidget(panel)
    before = panel.model.rowCount()
    panel.motive.setCurrentIndex(panel.motive.findData("sous_occupation"))
    panel.tenant_name.setText("M. DUPONT")
    panel.opinion.setText("Logement T5 occupé par une personne seule.")
    panel.proposal.setText("Proposer un T2 dans le même quartier.")
    click(qtbot, panel.add_button)
    qtbot.waitUntil(lambda: panel.model.rowCount() == before + 1)
    review = workspace.detail.occupation_reviews[-1]
    assert (review.motive, review.tenant_name) == ("sous_occupation", "M. DUPONT")
    assert panel.tenant_name.text() == ""  # the form is ready for the next one


def test_president_signature_alone(qtbot, page, tmp_path: Path) -> None:
    """« Signer » with only the president ticked signs one field and stores the PV."""
    from caleol.services import signing
    from caleol.services.documents.session_minutes import SigningKey
    from caleol.ui.dialogs.sign_dialog import PRESIDENT
    from caleol.ui.tasks import CancelToken, TaskContext

    widget, summary = page
    widget.open_session(summary.signed_session_id)  # closed: the demo had no certificate
    p12 = tmp_path / "organisme.p12"
    pem = signing.create_demo_certificate(p12, b"phrase secrete")
    work = widget.workspace.controller.documents().minutes(SigningKey(p12, b"phrase secrete"),
                                                           (PRESIDENT,))
    produced = work(TaskContext(CancelToken(), lambda percent, text: None))
    report = signing.verify_pdf(produced.pdf, [pem], expected_sha256=produced.sha256)
    assert report.ok, report
    assert [s.field_name for s in report.signatures] == [PRESIDENT]
    widget.workspace.controller.reload()
    assert widget.workspace.detail.status == "signed"
    assert widget.workspace.detail.documents[0].sha256 == produced.sha256


@pytest.mark.parametrize("button", ["minutes_button", "letters_button"])
def test_documents_of_a_closed_session(qtbot, page, button: str) -> None:
    """Draft PV and letters are produced off the GUI thread, written, then shown in
    caleol itself (no PDF reader needed)."""
    widget, summary = page
    widget.open_session(summary.signed_session_id)  # closed (no demo certificate)
    workspace = widget.workspace
    with qtbot.waitSignal(workspace.document_ready, timeout=120_000) as written:
        click(qtbot, getattr(workspace.header, button))
    path = written.args[0]
    assert path.read_bytes().startswith(b"%PDF")
    qtbot.waitUntil(lambda: workspace.viewer is not None and workspace.viewer.path == path)
    assert workspace.viewer.isVisible() and workspace.viewer.document.pageCount() > 0
    workspace.viewer.close()
    assert workspace.detail.status == "closed"  # a draft never signs the séance
    assert workspace.last_document == path  # what Ctrl+P prints


def test_decision_warnings_shown_under_the_form(qtbot, page, errors) -> None:
    from caleol.rules.decisions import DecisionKind
    from caleol.services.sessions import active_reasons

    widget, summary = page
    engine, session_id = widget.engine, summary.ready_session_id
    sessions.start_session(engine, session_id)
    detail = sessions.session_detail(engine, session_id)
    sessions.record_attendance(engine, session_id, [
        sessions.AttendanceChange(a.member_id, "present") for a in detail.attendance])
    widget.open_session(session_id)
    workspace = widget.workspace
    panel = workspace.decision
    assert panel.record_button.isEnabled()
    reasons = {r.code: r.id for r in active_reasons(engine)}
    workspace.candidates.view.selectRow(1)
    panel.kind.setCurrentIndex(panel.kind.findData(DecisionKind.NON_ATTRIBUTION.value))
    assert not panel.rank.isEnabled() and not panel.condition.isEnabled()
    assert panel.reason.isEnabled()
    panel.reason.setCurrentIndex(panel.reason.findData(reasons["RESSOURCES_FAIBLES"]))
    click(qtbot, panel.record_button)
    assert errors == []
    assert panel.warnings.isVisible()
    assert "ne peut pas motiver seul" in panel.warnings.text()

    # A refusal without a reason: the French problem beside the reason, nothing recorded.
    workspace.candidates.view.selectRow(2)
    panel.kind.setCurrentIndex(panel.kind.findData(DecisionKind.IRRECEVABILITE.value))
    click(qtbot, panel.record_button)
    assert errors == [] and "motif est obligatoire" in panel.visible_errors()["reason"]
    assert workspace.candidates.model.row_at(2).decision is None


def test_a_wrong_passphrase_is_said_in_the_sign_dialog_which_keeps_its_choices(
        qtbot, page, errors, monkeypatch, tmp_path: Path, fail_on_log) -> None:
    """Issue 17: « Mise en page du procès-verbal… 10 % » stayed over the error, every
    time. Then (new base, issue 21) the error came after the dialog had closed: the
    boxes unticked and the file chosen were lost. The certificate is opened in the
    dialog: the error is said there, no progress dialog starts, nothing is signed."""
    import logging

    from PySide6.QtWidgets import QApplication

    from caleol.services import signing
    from caleol.ui.dialogs import sign_dialog

    fail_on_log.expect("pyhanko", logging.ERROR, "Could not load key material")
    widget, summary = page
    widget.open_session(summary.signed_session_id)  # closed: the demo had no certificate
    workspace = widget.workspace
    p12 = tmp_path / "organisme.p12"
    signing.create_demo_certificate(p12, b"phrase secrete")
    monkeypatch.setattr(sign_dialog, "ask_certificate_path", lambda parent, start="": str(p12))
    monkeypatch.setattr(sign_dialog, "ask_passphrase", lambda parent, path: "mauvaise")
    progress_when_shown: list[bool] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": (
        errors.append(error), progress_when_shown.append(any(
            w.objectName() == "taskProgressDialog" and w.isVisible()
            for w in QApplication.topLevelWidgets()))))
    click(qtbot, workspace.header.sign_button)
    dialog = workspace.current_dialog
    dialog.certificate.clear()  # chosen through the (patched) file dialog
    dialog.secretary.setChecked(False)
    click(qtbot, dialog.sign_button)
    assert "phrase secrète incorrecte" in dialog.error.text()
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.certificate.text() == str(p12) and not dialog.secretary.isChecked()
    assert not any(w.objectName() == "taskProgressDialog" and w.isVisible()
                   for w in QApplication.topLevelWidgets())
    assert errors == [] and progress_when_shown == []
    assert workspace.detail.status == "closed"  # nothing signed
