"""The secretary's week, driven through the real widgets on a fresh demo database.

Open the séance in preparation, see the blocked dwelling, add a suggested candidate
and see the dwelling become valid, mark the séance ready, open it, record attendance
and the president, record one decision of each of the five kinds with its vote,
close with the séance's times, then generate and sign the PV. Only the certificate
file dialog and the passphrase prompt are replaced (by the demo certificate's path and
passphrase); an unexpected error message fails the test instead of waiting on a modal
box.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTime

from caleol.db.engine import open_database
from caleol.rules.decisions import DecisionKind
from caleol.services import signing
from caleol.services.demo import create_demo_database, demo_passphrase
from caleol.services.sessions import active_reasons
from caleol.settings import load
from caleol.ui import messages
from caleol.ui.dialogs import sign_dialog
from caleol.ui.dialogs.sign_dialog import SignDialog
from caleol.ui.dialogs.suggestions import SuggestionsDialog
from caleol.ui.models.session_models import BADGE_BLOCKED, BADGE_SATISFIED
from caleol.ui.pages.session.close_dialog import CloseDialog
from caleol.ui.pages.sessions_page import SessionsPage
from caleol.ui.tasks import TaskRunner

TODAY = date(2026, 11, 20)  # the séance in preparation falls on Monday 30 November, past
LONG_MS = 120_000


@pytest.fixture
def demo(tmp_path: Path):
    summary = create_demo_database(tmp_path / "demo.sqlite3", today=TODAY)
    engine = open_database(summary.url)
    yield summary, engine
    engine.dispose()


@pytest.fixture
def no_error_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_parent, error, title=""):
        pytest.fail(f"unexpected error shown to the user: {error}")

    monkeypatch.setattr(messages, "show_error", fail)
    monkeypatch.setattr(messages, "show_info", lambda *a, **k: pytest.fail(f"info {a}"))


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def badge_of(workspace, reference: str) -> str:
    model = workspace.agenda.model
    row = next(i for i, item in enumerate(model.rows()) if item.reference == reference)
    return model.data(model.index(row, 0))


def decide(qtbot, workspace, index: int, kind: DecisionKind, *, rank: int = 0,
           condition: str = "", reason: int | None = None, reason_text: str = "") -> None:
    """Select the candidate at `index` of the current dwelling and record a decision."""
    workspace.candidates.view.selectRow(index)
    candidate = workspace.candidates.current()
    panel = workspace.decision
    panel.kind.setCurrentIndex(panel.kind.findData(kind.value))
    panel.rank.setValue(rank)
    panel.condition.setText(condition)
    if reason is not None:
        panel.reason.setCurrentIndex(panel.reason.findData(reason))
    panel.reason_text.setText(reason_text)
    if kind.is_attribution:
        panel.justification.setText("Dossier complet examiné en séance.")
    panel.unanimous.setChecked(True)  # the vote is stated (required to close)
    click(qtbot, panel.record_button)
    qtbot.waitUntil(lambda: any(
        c.id == candidate.id and c.decision is not None and c.decision.kind == kind.value
        for c in workspace.candidates.model.rows()))


def test_weekly_flow(qtbot, demo, monkeypatch, no_error_boxes) -> None:
    summary, engine = demo
    page = SessionsPage(engine, load, TaskRunner())
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()

    # 1. The séance in preparation, its blocked dwelling.
    assert page.select_session(summary.preparing_session_id)
    assert page.model.data(page.model.index(0, page.model.column_index("status"))) in (
        "brouillon", "prête", "tenue", "close", "signée")
    click(qtbot, page.open_button)
    workspace = page.workspace
    assert page.stack.currentWidget() is workspace
    assert workspace.detail.status == "draft"
    blocked = summary.blocked_dwelling
    assert badge_of(workspace, blocked) == BADGE_BLOCKED
    assert workspace.agenda.select_reference(blocked)
    assert "moins des 3" in workspace.dwelling.rule.text()
    assert workspace.candidates.model.rowCount() == 2

    # 2. A suggested candidate makes the dwelling valid.
    click(qtbot, workspace.candidates.suggest_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, SuggestionsDialog)
    qtbot.waitUntil(lambda: not dialog.searching)  # searched off the GUI thread
    assert dialog.model.rowCount() > 0
    first = dialog.model.row_at(0)
    assert first.reasons  # every suggestion says why
    dialog.select_rows([0])
    click(qtbot, dialog.add_button)
    qtbot.waitUntil(lambda: workspace.candidates.model.rowCount() == 3)
    assert first.nur in [c.nur for c in workspace.candidates.model.rows()]
    assert badge_of(workspace, blocked) == BADGE_SATISFIED

    # 3. Ready, then opened.
    click(qtbot, workspace.header.ready_button)
    qtbot.waitUntil(lambda: workspace.detail.status == "ready")
    click(qtbot, workspace.header.start_button)
    qtbot.waitUntil(lambda: workspace.detail.status == "held")

    # 4. Attendance: everyone present but one, represented; the quorum shows live.
    attendance = workspace.attendance
    workspace.tabs.setCurrentWidget(attendance)
    assert "✗" in attendance.quorum_label.text()
    click(qtbot, attendance.all_present_button)
    assert "✓" in attendance.quorum_label.text()  # before saving
    members = workspace.detail.attendance
    holder, represented = members[0], members[-1]
    row = attendance.row_for(represented.member_id)
    row.status.setCurrentIndex(row.status.findData("represented"))
    row.proxy.setCurrentIndex(row.proxy.findData(holder.member_id))
    click(qtbot, attendance.save_button)
    qtbot.waitUntil(lambda: workspace.detail.quorum.reached)
    assert workspace.detail.quorum.represented == (1 if represented.deliberative else 0)
    attendance.president.setCurrentIndex(attendance.president.findData(holder.member_id))
    click(qtbot, attendance.president_button)
    qtbot.waitUntil(lambda: workspace.detail.president_member_id == holder.member_id)

    # 5. One decision of each of the five kinds (and refusals for the others).
    reasons = {r.code: r.id for r in active_reasons(engine)}
    workspace.tabs.setCurrentWidget(workspace.decision)
    agenda = [item.reference for item in workspace.detail.agenda]
    workspace.agenda.select_reference(agenda[0])
    decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION)
    decide(qtbot, workspace, 1, DecisionKind.NON_ATTRIBUTION, reason=reasons["MIEUX_CLASSE"])
    decide(qtbot, workspace, 2, DecisionKind.IRRECEVABILITE, reason=reasons["SANS_NUR"],
           reason_text="Numéro unique radié lors du renouvellement.")
    workspace.agenda.select_reference(agenda[1])
    decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_RANG, rank=1)
    decide(qtbot, workspace, 1, DecisionKind.ATTRIBUTION_RANG, rank=2)
    decide(qtbot, workspace, 2, DecisionKind.NON_ATTRIBUTION, reason=reasons["MIEUX_CLASSE"])
    workspace.agenda.select_reference(agenda[2])
    decide(qtbot, workspace, 0, DecisionKind.ATTRIBUTION_SOUS_CONDITION,
           condition="Avis d'imposition 2025")
    decide(qtbot, workspace, 1, DecisionKind.NON_ATTRIBUTION, reason=reasons["MIEUX_CLASSE"])
    decide(qtbot, workspace, 2, DecisionKind.NON_ATTRIBUTION, reason=reasons["MIEUX_CLASSE"])
    kinds = {c.decision.kind for item in workspace.detail.agenda for c in item.candidacies}
    assert kinds == {k.value for k in DecisionKind}

    # 6. Closing: nothing blocks it; the séance was held on its day, closed later: its
    #    times are asked for (no clock default), then it is frozen.
    click(qtbot, workspace.header.close_button)
    dialog = workspace.current_dialog
    assert isinstance(dialog, CloseDialog) and dialog.times() == (None, None)
    dialog.start.setTime(QTime(14, 0))
    dialog.end.setTime(QTime(15, 45))
    click(qtbot, dialog.close_button)
    qtbot.waitUntil(lambda: workspace.detail.status == "closed")
    assert (workspace.detail.start_time, workspace.detail.end_time) == (time(14, 0),
                                                                        time(15, 45))
    assert workspace.header.banner.isVisible()
    assert "Séance close" in workspace.header.banner.text()
    assert not workspace.decision.record_button.isEnabled()
    assert not workspace.candidates.suggest_button.isEnabled()

    # 7. Sign the PV with the demo certificate (file and passphrase dialogs patched).
    certificate = summary.certificate
    asked: list[str] = []
    monkeypatch.setattr(sign_dialog, "ask_certificate_path",
                        lambda parent, start="": asked.append("file") or str(certificate))
    monkeypatch.setattr(sign_dialog, "ask_passphrase",
                        lambda parent, path: asked.append("phrase")
                        or demo_passphrase(certificate).decode())
    click(qtbot, workspace.header.sign_button)
    signer = workspace.current_dialog
    assert isinstance(signer, SignDialog)
    signer.certificate.clear()  # chosen through the (patched) file dialog
    with qtbot.waitSignal(workspace.document_ready, timeout=LONG_MS) as written:
        click(qtbot, signer.sign_button)
    assert asked == ["file", "phrase"]
    path = written.args[0]
    assert path.exists()
    qtbot.waitUntil(lambda: workspace.detail.status == "signed", timeout=LONG_MS)
    assert "signée" in workspace.header.banner.text()
    report = signing.verify_pdf(path.read_bytes(), [certificate.with_suffix(".pem")],
                                expected_sha256=workspace.detail.documents[0].sha256)
    assert report.ok, report
    assert len(report.signatures) == 2
