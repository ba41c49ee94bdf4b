"""Wall-clock times are Paris times, whatever zone the computer is set to.

The demo recorded its decisions « at 14:30 » as a naive datetime; the services read a
naive time in the computer's zone, so on a computer set to UTC (a server, CI) it was
stored as 14:30 UTC and the access request, which prints Paris time, said 15 h 30.
Now a naive time given to the services is a Paris time, the clock is read in Paris
time, and the demo passes aware Paris instants: 14:30 is stored as 13:30 UTC in
winter (CET, UTC+1), 12:30 UTC in summer (CEST, UTC+2), and shown as 14 h 30.
"""

from __future__ import annotations

import sys
import time as time_module
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from caleol.db.engine import session_scope
from caleol.db.models import Candidacy, Decision, Demande
from caleol.fr import PARIS, paris_wall_time, utc_instant
from caleol.services import sessions
from caleol.services.documents.session_minutes import produce_minutes
from caleol.services.privacy.access import collect_person_data
from caleol.services.privacy.access_pdf import show
from caleol.services.sessions.clock import local_now

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the session factories
sys.path.insert(0, str(HERE / "documents"))  # pdftotext
from pdf_probe import text_of  # noqa: E402
from sessions_factory import (  # noqa: E402
    SESSION_DATE,
    Sitting,
    add_demande_row,
    add_dwelling_row,
    attend,
    build_world,
    held,
)

pytestmark = pytest.mark.skipif(not hasattr(time_module, "tzset"),
                                reason="changing the process's zone needs time.tzset")


@pytest.fixture(params=["UTC", "America/New_York"])
def computer_zone(request: pytest.FixtureRequest,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The computer set to a zone that is not Paris's."""
    monkeypatch.setenv("TZ", request.param)
    time_module.tzset()
    yield request.param
    monkeypatch.undo()
    time_module.tzset()


def test_a_naive_time_is_a_paris_time(computer_zone: str) -> None:
    # 10 March 2026: CET (UTC+1), 14:30 → 13:30 UTC; 1 July 2026: CEST (UTC+2) → 12:30
    assert utc_instant(datetime(2026, 3, 10, 14, 30)) == datetime(2026, 3, 10, 13, 30,
                                                                  tzinfo=UTC)
    assert utc_instant(datetime(2026, 7, 1, 14, 30)) == datetime(2026, 7, 1, 12, 30,
                                                                 tzinfo=UTC)
    aware = datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
    assert utc_instant(aware) == aware
    assert paris_wall_time(aware) == datetime(2026, 3, 10, 14, 30)
    assert local_now(aware) == datetime(2026, 3, 10, 14, 30)
    # the clock read in Paris time, not in the computer's zone
    before = datetime.now(PARIS).replace(tzinfo=None)
    now = local_now()
    assert before <= now <= datetime.now(PARIS).replace(tzinfo=None)


def test_a_decision_at_14_30_is_shown_at_14_h_30(engine: Engine, computer_zone: str) -> None:
    sitting = held(engine)
    first = sitting.candidacies[0]
    sessions.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True,
                             now=datetime(2026, 3, 10, 14, 30))
    with session_scope(engine) as db:
        decision = db.exec(select(Decision).where(Decision.candidacy_id == first)).one()
        assert decision.decided_at == datetime(2026, 3, 10, 13, 30, tzinfo=UTC)
        candidacy = db.get(Candidacy, first)
        assert candidacy is not None
        demande = db.get(Demande, candidacy.demande_id)
        assert demande is not None
        nur = demande.nur
    data = collect_person_data(engine, nur)
    recorded = data["demandes"][0]["passages en commission"][0]["décision"][
        "enregistrée dans le logiciel le"]
    assert show(recorded) == "10 mars 2026 à 14 h 30"


def test_the_demo_records_its_decisions_at_14_h_30(computer_zone: str) -> None:
    from caleol.services.demo.seances import DECIDED, _paris

    assert time(14, 30) == DECIDED
    # what the demo passes for a decision of its séance of 10 March 2026
    assert utc_instant(_paris(date(2026, 3, 10), DECIDED)) == datetime(
        2026, 3, 10, 13, 30, tzinfo=UTC)


def test_the_pv_prints_the_paris_times_of_the_clock(engine: Engine, computer_zone: str
                                                   ) -> None:
    # opened by the clock at 13:05 UTC and closed at 15:40 UTC on 10 March (CET):
    # 14 h 05 and 16 h 40 in Paris, whatever the computer's zone
    world = build_world(engine)
    session_id = sessions.create_session(engine, world.commission_id, SESSION_DATE,
                                         place="Metz")
    item_id = sessions.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    candidacies = [sessions.add_candidate(engine, item_id, add_demande_row(engine, world))
                   for _ in range(3)]
    sessions.mark_ready(engine, session_id)
    sessions.start_session(engine, session_id, now=datetime(2026, 3, 10, 13, 5, tzinfo=UTC))
    attend(engine, Sitting(world, session_id, item_id, candidacies), 5)
    sessions.set_president(engine, session_id, world.president_id)
    for rank, candidacy in enumerate(candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                                 unanimous=True,
                                 now=datetime(2026, 3, 10, 13, 30, tzinfo=UTC))
    sessions.close_session(engine, session_id, now=datetime(2026, 3, 10, 15, 40, tzinfo=UTC))
    draft = text_of(produce_minutes(engine, session_id).pdf)
    assert "Séance du mardi 10 mars 2026 de 14 h 05 à 16 h 40" in draft


def test_today_is_the_paris_day_even_late_in_the_utc_evening(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """At 23:30 UTC on 3 December it is already 4 December in Metz: a séance of the 4th
    may open, a check is dated the 4th (seen when the suite ran after 23:00 UTC and the
    tests' `date.today()` disagreed with the séance rules' Paris day)."""
    import caleol.fr as fr

    late = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
            return late.astimezone(tz) if tz is not None else late.replace(tzinfo=None)

    monkeypatch.setattr(fr, "datetime", Clock)
    assert fr.paris_today() == date(2026, 12, 4)
    assert fr.paris_wall_time().date() == fr.paris_today()
