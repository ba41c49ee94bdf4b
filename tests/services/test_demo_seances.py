"""The demo's séances are legal records too: working days, coherent times, votes stated,
nothing unjustified (issue 15)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import Engine

from caleol.db.engine import open_database
from caleol.rules.calendar import is_working_day
from caleol.services import sessions
from caleol.services.demo import DemoSummary, create_demo_database

TODAY = date(2026, 12, 6)  # a Sunday: the demo's séance of the week falls on Friday the 4th


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, DemoSummary]:
    home = tmp_path_factory.mktemp("demo_home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CALEOL_HOME", str(home))
        summary = create_demo_database(home / "demo.sqlite3", today=TODAY, certificate=False)
        engine = open_database(str(home / "demo.sqlite3"))
        yield engine, summary
        engine.dispose()


def test_every_seance_falls_on_a_working_day(demo: tuple[Engine, DemoSummary]) -> None:
    engine, summary = demo
    rows = sessions.list_sessions(engine)
    assert len(rows) > 5
    assert all(is_working_day(r.date, "57") for r in rows), [
        r.date for r in rows if not is_working_day(r.date, "57")]
    ready = sessions.session_detail(engine, summary.ready_session_id or 0)
    assert ready.summary.date == date(2026, 12, 4)  # the week's séance, openable now


def test_closed_seances_have_their_confirmed_times_on_their_day(
    demo: tuple[Engine, DemoSummary],
) -> None:
    engine, _summary = demo
    closed = [r for r in sessions.list_sessions(engine) if r.status in ("closed", "signed")]
    assert closed
    for row in closed:
        detail = sessions.session_detail(engine, row.id)
        assert detail.times_confirmed
        assert detail.start_time == time(14, 0)
        assert detail.end_time is not None and detail.start_time < detail.end_time
        assert detail.closed_at is not None
        assert detail.closed_at.astimezone().date() == row.date  # closed that afternoon


def test_every_decision_states_its_vote_and_one_tie_names_the_casting_vote(
    demo: tuple[Engine, DemoSummary],
) -> None:
    engine, summary = demo
    detail = sessions.session_detail(engine, summary.signed_session_id or 0)
    decisions = [c.decision for item in detail.agenda for c in item.candidacies if c.decision]
    assert len(decisions) >= 8
    assert all(d.vote_sentence for d in decisions)
    ties = [d for d in decisions if d.casting_vote_used]
    assert len(ties) == 1
    holder = next(a for a in detail.attendance if a.casting_vote)
    assert ties[0].casting_vote_holder == holder.name  # « Mme …, vice-présidente de l'EPCI »
    assert ties[0].vote_sentence.startswith("Partage des voix (4 pour, 4 contre")
    assert ties[0].vote_sentence.endswith(f"{ties[0].casting_vote_holder}.")
    assert any(d.unanimous for d in decisions)
    # recorded during the séance, not on the day the demo was built
    assert {d.decided_at.astimezone().date() for d in decisions if d.decided_at} == {
        detail.summary.date}


def test_no_attribution_stands_unjustified(demo: tuple[Engine, DemoSummary]) -> None:
    engine, _summary = demo
    for row in sessions.list_sessions(engine):
        if row.status not in ("closed", "signed"):
            continue
        detail = sessions.session_detail(engine, row.id)
        for item in detail.agenda:
            for candidacy in item.candidacies:
                decision = candidacy.decision
                assert decision is not None
                if decision.justified_checks:
                    assert decision.justification, (row.id, candidacy.nur)
                if item.financing.startswith("PLAI") and decision.kind.startswith("attribution"):
                    assert [c.sentence for c in decision.justified_checks] == [
                        "plafond de ressources : indéterminé"]
