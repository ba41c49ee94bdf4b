"""`caleol session …`: list, show, ready, hold and close from the command line."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from services.sessions_factory import (
    SESSION_DATE,
    add_demande_row,
    add_dwelling_row,
    build_world,
    held,
)
from sqlalchemy import Engine

from caleol.cli import main
from caleol.fr import format_date, paris_today
from caleol.services import sessions as svc

DEMO_TODAY = date(2026, 11, 20)  # a Friday: the demo's ready séance is that day


def _db(engine: Engine) -> str:
    database = engine.url.database
    assert database
    return database


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def blocked(sqlite_engine: Engine) -> tuple[Engine, int]:
    """A séance in preparation whose only dwelling has two candidates and no exception."""
    world = build_world(sqlite_engine)
    session_id = svc.create_session(sqlite_engine, world.commission_id, SESSION_DATE,
                                    place="Metz")
    item_id = svc.add_dwelling(sqlite_engine, session_id, add_dwelling_row(sqlite_engine, world))
    for _ in range(2):
        svc.add_candidate(sqlite_engine, item_id, add_demande_row(sqlite_engine, world))
    return sqlite_engine, session_id


def test_list_and_show(capsys: pytest.CaptureFixture[str], blocked: tuple[Engine, int]) -> None:
    engine, session_id = blocked
    code, out, _ = run(capsys, "session", "list", "--db", _db(engine))
    assert code == 0
    assert "10 mars 2026" in out and "en préparation" in out
    # one dwelling, two candidacies, no decision: each count agrees, never « (s) »
    assert "1 logement, 2 candidatures, 0 décision" in out and "(s)" not in out
    code, out, _ = run(capsys, "session", "show", str(session_id), "--db", _db(engine))
    assert code == 0
    assert "BLOQUANT" in out and "Ce qui empêche la séance d'être prête" in out
    code, out, _ = run(capsys, "--db", _db(engine), "session", "show", str(session_id), "--json")
    data = json.loads(out)
    assert data["summary"]["status"] == "draft"
    assert data["agenda"][0]["candidate_rule"]["status"] == "fail"
    code, out, _ = run(capsys, "session", "list", "--json", "--statut", "ready", "--db",
                       _db(engine))
    assert (code, json.loads(out)) == (0, [])


def test_ready_refused_with_the_dwelling_named(
    capsys: pytest.CaptureFixture[str], blocked: tuple[Engine, int]
) -> None:
    engine, session_id = blocked
    code, out, err = run(capsys, "session", "ready", str(session_id), "--db", _db(engine))
    assert code == 2 and out == ""
    assert "ne peut pas être déclarée prête" in err
    assert "rue des Mineurs, Metz" in err and "2 candidats" in err


def test_unknown_session_and_missing_database(
    capsys: pytest.CaptureFixture[str], blocked: tuple[Engine, int], tmp_path: Path
) -> None:
    engine, _ = blocked
    code, _, err = run(capsys, "session", "show", "999", "--db", _db(engine))
    assert (code, err.strip()) == (2, "Erreur : Séance n° 999 introuvable.")
    code, _, err = run(capsys, "session", "list", "--db", str(tmp_path / "absent.sqlite3"))
    assert code == 2 and "introuvable" in err


def test_bad_votes_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["session", "decide", "1", "attribution", "--votes", "3,1"])
    assert caught.value.code == 2
    assert "POUR,CONTRE,ABSTENTION" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["25:00", "14h5", "midi"])
def test_bad_times_are_a_usage_error(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["session", "close", "1", "--start", bad])
    assert caught.value.code == 2
    assert f"heure « {bad} » invalide (HH:MM" in capsys.readouterr().err


def test_a_seance_cannot_be_opened_before_its_day(
    capsys: pytest.CaptureFixture[str], sqlite_engine: Engine
) -> None:
    world = build_world(sqlite_engine)
    day = paris_today() + timedelta(days=30)
    session_id = svc.create_session(sqlite_engine, world.commission_id, day, place="Metz")
    item_id = svc.add_dwelling(sqlite_engine, session_id, add_dwelling_row(sqlite_engine, world))
    for _ in range(3):
        svc.add_candidate(sqlite_engine, item_id, add_demande_row(sqlite_engine, world))
    svc.mark_ready(sqlite_engine, session_id)
    code, out, err = run(capsys, "session", "start", str(session_id), "--db",
                         _db(sqlite_engine))
    assert code == 2 and out == ""
    today = format_date(paris_today())
    assert f"ne peut pas être ouverte avant son jour (nous sommes le {today})" in err
    assert svc.session_detail(sqlite_engine, session_id).status == "ready"


def test_decide_with_unanimity_and_a_second_reason(
    capsys: pytest.CaptureFixture[str], sqlite_engine: Engine
) -> None:
    sitting = held(sqlite_engine)
    db = _db(sqlite_engine)
    code, out, err = run(capsys, "session", "decide", str(sitting.candidacies[1]),
                         "non_attribution", "--reason", "ressources", "--second-reason",
                         "mieux_classe", "--unanimous", "--db", db)
    assert code == 0, err
    assert out == ("Décision enregistrée : Non-attribution. À l'unanimité des membres présents "
                   "ou représentés (5 voix).\n")
    assert err == ""  # a lawful second reason: no warning
    code, out, err = run(capsys, "session", "decide", str(sitting.candidacies[2]),
                         "irrecevabilite", "--reason", "plafond", "--unanimous", "--db", db)
    assert code == 2
    assert "contredit par le contrôle « plafond de ressources » (conforme)" in err


# --- on the demo database ---------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    demo = pytest.importorskip("caleol.services.demo")
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    # a past week: the ready séance's day is over, so closing asks for its times
    summary = demo.create_demo_database(path, today=DEMO_TODAY, certificate=False)
    return path, summary


@pytest.fixture
def demo_db(demo_template: tuple[Path, object], tmp_path: Path) -> tuple[str, object]:
    source, summary = demo_template
    target = tmp_path / "demo.sqlite3"
    shutil.copyfile(source, target)
    return str(target), summary


@pytest.mark.slow
def test_demo_session_in_preparation_shows_the_blocked_dwelling(
    capsys: pytest.CaptureFixture[str], demo_db: tuple[str, object]
) -> None:
    db, summary = demo_db
    session_id = str(summary.preparing_session_id)  # type: ignore[attr-defined]
    code, out, _ = run(capsys, "session", "show", session_id, "--db", db)
    assert code == 0 and "en préparation" in out
    blocked = summary.blocked_dwelling  # type: ignore[attr-defined]
    blocking = [line for line in out.splitlines() if "BLOQUANT" in line]
    assert len(blocking) == 1 and blocked in blocking[0]
    code, _, err = run(capsys, "session", "ready", session_id, "--db", db)
    assert code == 2 and blocked in err


@pytest.mark.slow
def test_demo_ready_session_is_held_and_closed_from_the_command_line(
    capsys: pytest.CaptureFixture[str], demo_db: tuple[str, object]
) -> None:
    db, summary = demo_db
    session_id = str(summary.ready_session_id)  # type: ignore[attr-defined]
    code, _, err = run(capsys, "session", "close", session_id, "--db", db)
    assert code == 2
    assert "ne peut pas être close" in err and "aucune décision pour le candidat" in err

    assert run(capsys, "session", "start", session_id, "--db", db)[0] == 0
    code, out, _ = run(capsys, "session", "attend", session_id, "--all-present", "--db", db)
    assert code == 0 and "Quorum atteint." in out
    detail = json.loads(run(capsys, "session", "show", session_id, "--json", "--db", db)[1])
    president = next(a for a in detail["attendance"] if a["deliberative"])
    code, out, _ = run(capsys, "session", "president", session_id,
                       str(president["member_id"]), "--db", db)
    # the name, not « Président(e) de séance enregistré(e) »
    assert code == 0 and out == f"Présidence de séance : {president['name']}.\n"
    for item in detail["agenda"]:
        for rank, candidacy in enumerate(item["candidacies"], start=1):
            code, _, err = run(
                capsys, "session", "decide", str(candidacy["id"]), "attribution_rang",
                "--rank", str(rank), "--justification", "Vu en commission, garanties réunies.",
                "--votes", "7,1,1", "--db", db,
            )
            assert code == 0, err
    code, out, err = run(capsys, "session", "close", session_id, "--db", db)
    assert code == 2 and "indiquez l'heure d'ouverture de la séance" in err
    assert "indiquez l'heure de fin de la séance" in err
    code, out, err = run(capsys, "session", "close", session_id, "--start", "14:00",
                         "--end", "16:10", "--db", db)
    assert code == 0, err
    assert out.startswith(f"Séance n° {session_id} close (tenue le 20 novembre 2026 de 14 h 00 "
                          "à 16 h 10)")
    code, _, err = run(capsys, "session", "attend", session_id, "--all-present", "--db", db)
    assert code == 2 and "close" in err
    detail = json.loads(run(capsys, "session", "show", session_id, "--json", "--db", db)[1])
    assert detail["summary"]["status"] == "closed"
