"""The séance workspace shows the selected candidate's effect on the EPCI mixité figure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from caleol.db.engine import session_scope
from caleol.db.models import AgendaItem, Candidacy, CommissionSession, Dwelling
from caleol.services.reports import queries
from caleol.settings import Settings
from caleol.ui.pages.live_impact import impact_text
from caleol.ui.pages.session.workspace import SessionWorkspace
from caleol.ui.tasks import TaskRunner


@pytest.fixture
def workspace(qtbot, demo_db: Engine) -> Iterator[SessionWorkspace]:
    runner = TaskRunner()
    widget = SessionWorkspace(demo_db, Settings, runner)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    yield widget
    runner.wait_for_done()
    qtbot.waitUntil(lambda: not runner.running())


def test_selecting_a_candidate_fills_the_impact_panel(
        qtbot, workspace: SessionWorkspace, demo_db: Engine) -> None:
    with session_scope(demo_db) as s:
        row = s.execute(
            select(Candidacy.id, CommissionSession.id, Dwelling.reference)
            .join(AgendaItem, Candidacy.agenda_item_id == AgendaItem.id)
            .join(CommissionSession, AgendaItem.session_id == CommissionSession.id)
            .join(Dwelling, AgendaItem.dwelling_id == Dwelling.id)
            .where(CommissionSession.status.not_in(["closed", "signed"]))
            .order_by(Candidacy.id)).first()
    assert row is not None
    candidacy_id, session_id, reference = row
    before, after = queries.live_impact(demo_db, candidacy_id)
    assert workspace.live_impact.label.text() == "Choisissez un candidat."
    assert workspace.open_session(session_id)
    workspace.agenda.select_reference(reference)
    panel = workspace.candidates
    position = next(i for i, c in enumerate(panel.model.rows()) if c.id == candidacy_id)
    with qtbot.waitSignal(workspace.live_impact.updated, timeout=30_000) as blocker:
        panel.view.selectRow(position)
    assert blocker.args == [impact_text(before, after)]
    assert workspace.live_impact.label.text().startswith(after.code)
