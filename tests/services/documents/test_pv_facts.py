"""The PV states what happened: the séance's day and confirmed times, the date it is
made on, each justification with the status of the check it answers, every vote, and
who held the casting vote when it decided. Séances held through the services, read
back with pdftotext."""

from __future__ import annotations

import sys
from datetime import date, datetime, time
from pathlib import Path

import pytest
from pdf_probe import text_of
from sqlalchemy import Engine

from caleol.services import sessions
from caleol.services.documents.session_minutes import (
    SigningKey,
    load_minutes_data,
    produce_minutes,
)
from caleol.services.signing import create_demo_certificate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the session factories
from sessions_factory import (
    SESSION_DATE,
    Sitting,
    add_demande_row,
    add_dwelling_row,
    attend,
    build_world,
)

# SESSION_DATE is Tuesday 10 March 2026.
HELD_ON = "Séance du mardi 10 mars 2026"


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    p12 = tmp_path_factory.mktemp("cert") / "demo.p12"
    create_demo_certificate(p12, b"pw")
    return SigningKey(p12, b"pw")


def opened(engine: Engine, on: datetime, *, financing: str = "PLUS", present: int = 5
           ) -> Sitting:
    """A séance of SESSION_DATE with one dwelling and three candidates, opened at `on`."""
    world = build_world(engine)
    session_id = sessions.create_session(engine, world.commission_id, SESSION_DATE,
                                         place="Metz")
    item_id = sessions.add_dwelling(engine, session_id,
                                    add_dwelling_row(engine, world, financing=financing))
    candidacies = [sessions.add_candidate(engine, item_id, add_demande_row(engine, world))
                   for _ in range(3)]
    sessions.mark_ready(engine, session_id)
    sessions.start_session(engine, session_id, now=on)
    sitting = Sitting(world, session_id, item_id, candidacies)
    attend(engine, sitting, present)
    sessions.set_president(engine, session_id, world.president_id)
    return sitting


def decide_all(engine: Engine, sitting: Sitting) -> None:
    first, second, third = sitting.candidacies
    sessions.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True)
    sessions.record_decision(engine, second, "attribution_rang", rank=2, votes=(4, 1, 0))
    sessions.record_decision(engine, third, "non_attribution", unanimous=True,
                             reason_id=sitting.world.reasons["mieux_classe"])


def test_a_seance_closed_the_same_day(engine: Engine, key: SigningKey) -> None:
    sitting = opened(engine, datetime(2026, 3, 10, 14, 5))
    decide_all(engine, sitting)
    # closed at 16 h 40 that day: the clock is the end time, the opening the start
    sessions.close_session(engine, sitting.session_id, now=datetime(2026, 3, 10, 16, 40))
    draft = text_of(produce_minutes(engine, sitting.session_id).pdf)
    assert f"{HELD_ON} de 14 h 05 à 16 h 40" in draft
    assert "Fait à" not in draft and "PROJET — non signé" in draft
    signed = text_of(produce_minutes(engine, sitting.session_id, key=key).pdf)
    assert f"{HELD_ON} de 14 h 05 à 16 h 40" in signed
    assert "Fait à Metz, le 10 mars 2026." in signed  # the séance's day, not the signing's


def test_a_seance_closed_days_later_with_corrected_times(engine: Engine, key: SigningKey
                                                        ) -> None:
    # held on paper on 10 March, entered and closed on 13 March
    sitting = opened(engine, datetime(2026, 3, 13, 9, 0))
    decide_all(engine, sitting)
    sessions.close_session(engine, sitting.session_id, now=datetime(2026, 3, 13, 9, 30),
                           start_time=time(14, 0), end_time=time(16, 10))
    content = text_of(produce_minutes(engine, sitting.session_id, key=key).pdf)
    assert f"{HELD_ON} de 14 h 00 à 16 h 10" in content
    assert "9 h 30" not in content and "13 mars" not in content
    assert "Fait à Metz, le 10 mars 2026." in content


def test_votes_are_stated(engine: Engine) -> None:
    sitting = opened(engine, datetime(2026, 3, 10, 14, 0))
    decide_all(engine, sitting)
    sessions.close_session(engine, sitting.session_id, now=datetime(2026, 3, 10, 16, 0))
    content = text_of(produce_minutes(engine, sitting.session_id).pdf)
    # 5 deliberative members present
    assert content.count("À l'unanimité des membres présents ou représentés (5 voix).") == 2
    assert "Adoptée par 4 voix pour, 1 contre et 0 abstention." in content
    assert "Vote non enregistré" not in content


def test_the_casting_vote_holder_is_named_when_it_decided(engine: Engine) -> None:
    # nine deliberative members present, the EPCI president among them (casting vote)
    sitting = opened(engine, datetime(2026, 3, 10, 14, 0), present=9)
    first, second, third = sitting.candidacies
    sessions.record_decision(engine, first, "attribution_rang", rank=1, votes=(4, 4, 1),
                             casting_vote_used=True)
    sessions.record_decision(engine, second, "attribution_rang", rank=2, unanimous=True)
    sessions.record_decision(engine, third, "non_attribution", unanimous=True,
                             reason_id=sitting.world.reasons["mieux_classe"])
    sessions.close_session(engine, sitting.session_id, now=datetime(2026, 3, 10, 16, 0))
    content = text_of(produce_minutes(engine, sitting.session_id).pdf)
    assert ("Partage des voix (4 pour, 4 contre, 1 abstention) : adoptée par la voix "
            "prépondérante de Président de l'EPCI.") in content


def test_a_justification_is_printed_with_the_status_of_its_check(engine: Engine) -> None:
    # PLAI ceilings are shipped up to 2022 only: the 2026 ceiling check is unknown
    sitting = opened(engine, datetime(2026, 3, 10, 14, 0), financing="PLAI")
    first, second, third = sitting.candidacies
    detail = sessions.session_detail(engine, sitting.session_id)
    assert detail.agenda[0].candidacies[0].checks["ceiling"]["status"] == "unknown"
    why = "Revenu 2024 vérifié sous le plafond PLAI 2022 : le plafond 2026 n'est pas publié."
    sessions.record_decision(engine, first, "attribution", unanimous=True, justification=why)
    for candidacy in (second, third):
        sessions.record_decision(engine, candidacy, "non_attribution", unanimous=True,
                                 reason_id=sitting.world.reasons["mieux_classe"])
    sessions.close_session(engine, sitting.session_id, now=datetime(2026, 3, 10, 16, 0))
    data = load_minutes_data(engine, sitting.session_id)
    assert data.dwellings[0].candidates[0].decision.justified == (
        "plafond de ressources : indéterminé",)
    content = text_of(produce_minutes(engine, sitting.session_id).pdf)
    assert f"Justification (plafond de ressources : indéterminé) : {why}" in content
    assert "indéterminé" in content.split("Candidat Décision")[0]  # in the checks table too


def test_times_never_confirmed_are_not_asserted() -> None:
    from dataclasses import replace

    from caleol.services.documents.minutes import render_minutes
    from caleol.services.documents.samples import sample_minutes_data

    data = sample_minutes_data(1, 3)
    data = replace(data, session=replace(data.session, times_confirmed=False))
    content = text_of(render_minutes(data))
    assert "Séance du mardi 10 mars 2026 (horaires non confirmés à la clôture)" in content
    assert "16 h 45" not in content
    assert date(2026, 3, 10).isoformat() not in content


def test_the_agenda_reprinted_after_the_opening_keeps_the_convened_time(
        engine: Engine) -> None:
    # Seen in the audit: a séance called at 9 h 30, opened at 13 h 17 the same day, had
    # its agenda reprinted « convoqués à la séance du … à 13 h 17 ».
    from caleol.services.documents.session_minutes import produce_agenda

    world = build_world(engine)
    session_id = sessions.create_session(engine, world.commission_id, SESSION_DATE,
                                         place="Metz", start_time=time(9, 30))
    item_id = sessions.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    for _ in range(3):
        sessions.add_candidate(engine, item_id, add_demande_row(engine, world))
    sessions.mark_ready(engine, session_id)
    sessions.start_session(engine, session_id, now=datetime(2026, 3, 10, 13, 17))
    detail = sessions.session_detail(engine, session_id)
    assert (detail.convened_time, detail.start_time) == (time(9, 30), time(13, 17))
    agenda = " ".join(text_of(produce_agenda(engine, session_id)).split())
    assert "mardi 10 mars 2026 à 9 h 30" in agenda
    assert "13 h 17" not in agenda
    # the time changed after the opening is the actual start, not the convocation's
    sessions.update_session_info(engine, session_id, start_time=time(13, 20))
    assert sessions.session_detail(engine, session_id).convened_time == time(9, 30)
