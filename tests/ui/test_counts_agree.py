"""Where the count is known the screen agrees with it: « 1 séance », « 2 séances »,
« 0 abstention », never « séance(s) » (issue 15, typography)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import Engine

from caleol.services import sessions
from caleol.settings import Settings
from caleol.ui.models.session_models import _decision_tooltip
from caleol.ui.pages.sessions_page import SessionsPage
from caleol.ui.tasks import TaskRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))
from sessions_factory import SESSION_DATE, build_world


def test_the_sessions_count_agrees(qtbot, sqlite_engine: Engine) -> None:
    world = build_world(sqlite_engine)
    page = SessionsPage(sqlite_engine, Settings, TaskRunner())
    qtbot.addWidget(page)
    page.refresh()
    assert page.count_label.text() == "0 séance"
    sessions.create_session(sqlite_engine, world.commission_id, SESSION_DATE, place="Metz")
    page.refresh()
    assert page.count_label.text() == "1 séance"
    sessions.create_session(sqlite_engine, world.commission_id, SESSION_DATE.replace(day=17),
                            place="Metz")
    page.refresh()
    assert page.count_label.text() == "2 séances"


def test_the_votes_tooltip_agrees_with_the_abstentions() -> None:
    for abstentions, words in ((0, "0 abstention"), (1, "1 abstention"),
                               (2, "2 abstentions")):
        decision = SimpleNamespace(kind_label="Attribution", rank=None, condition="",
                                   deadline=None, reason="", votes_for=5, votes_against=1,
                                   votes_abstain=abstentions)
        tooltip = _decision_tooltip(SimpleNamespace(decision=decision))  # type: ignore[arg-type]
        assert tooltip == f"Attribution\nVotes : 5 pour, 1 contre, {words}"
