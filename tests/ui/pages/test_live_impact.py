"""Live impact panel on the demo database: the candidate's EPCI figure before → after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from caleol.db.engine import session_scope
from caleol.db.models import AgendaItem, Candidacy, CommissionSession
from caleol.services.reports import queries
from caleol.settings import Settings
from caleol.ui.pages.live_impact import LiveImpactPanel, impact_text
from caleol.ui.tasks import TaskRunner


@pytest.fixture
def panel(qtbot, demo_db: Engine) -> Iterator[LiveImpactPanel]:
    runner = TaskRunner()
    panel = LiveImpactPanel(demo_db, runner, lambda: Settings())
    qtbot.addWidget(panel)
    yield panel
    runner.wait_for_done()
    qtbot.waitUntil(lambda: not runner.running())


def open_session_candidacy(demo_db: Engine) -> int:
    with session_scope(demo_db) as s:
        row = s.execute(
            select(Candidacy.id).join(AgendaItem, Candidacy.agenda_item_id == AgendaItem.id)
            .join(CommissionSession, AgendaItem.session_id == CommissionSession.id)
            .where(CommissionSession.status.not_in(["closed", "signed"]))
            .order_by(Candidacy.id)).first()
    assert row is not None
    return row[0]


def test_panel_shows_before_and_after(qtbot, panel: LiveImpactPanel, demo_db: Engine) -> None:
    candidacy = open_session_candidacy(demo_db)
    before, after = queries.live_impact(demo_db, candidacy)
    # one more attribution in the EPCI's population: the denominator grows by one
    assert after.denominator == before.denominator + 1
    with qtbot.waitSignal(panel.updated, timeout=30_000) as blocker:
        panel.show_candidacy(candidacy)
    assert blocker.args == [impact_text(before, after)]
    text = panel.label.text()
    assert text.startswith(after.code) and "→" in text
    assert f"{before.numerator}/{before.denominator}" in text


def test_a_candidacy_removed_meanwhile_is_no_failure(qtbot, panel: LiveImpactPanel) -> None:
    """A candidate withdrawn (or an addition undone) while its impact was computed: the
    panel asks for a candidate again, and nothing is logged as a failed task (the CI
    run's teardown failed on « task impact failed: Candidature 118 introuvable »)."""
    with qtbot.waitSignal(panel.updated, timeout=30_000) as blocker:
        panel.show_candidacy(999_999)
    assert blocker.args == ["Choisissez un candidat."]
    assert panel.label.text() == "Choisissez un candidat."


def test_no_candidate(panel: LiveImpactPanel) -> None:
    panel.show_candidacy(None)
    assert panel.label.text() == "Choisissez un candidat."
