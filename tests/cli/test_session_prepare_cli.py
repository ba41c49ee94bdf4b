"""`caleol session create | add-dwelling | add-candidate | remove-candidate | exception |
event`: a séance prepared from the shell with the services' French refusals, exit 2."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from services.sessions_factory import (
    SESSION_DATE,
    add_demande_row,
    add_dwelling_row,
    build_world,
    prepare,
)
from sqlalchemy import Engine

from caleol.cli import main
from caleol.db.engine import session_scope
from caleol.db.models import Commission, Demande, Dwelling
from caleol.services import sessions as svc


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _db(engine: Engine) -> str:
    assert engine.url.database
    return engine.url.database


def _reference(engine: Engine, dwelling_id: int) -> str:
    with session_scope(engine) as db:
        row = db.get(Dwelling, dwelling_id)
        assert row is not None
        return row.reference


def _nur(engine: Engine, demande_id: int) -> str:
    with session_scope(engine) as db:
        row = db.get(Demande, demande_id)
        assert row is not None
        return row.nur


def test_a_seance_prepared_from_the_shell(capsys: pytest.CaptureFixture[str],
                                          sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    world = build_world(engine)
    db = _db(engine)
    code, out, _ = run(capsys, "session", "create", "--commission", "caleol metz", "--date",
                       SESSION_DATE.isoformat(), "--time", "14:30", "--place", "Agence de Metz",
                       "--json", "--db", db)
    session_id = json.loads(out)["id"]
    assert code == 0 and session_id > 0
    detail = svc.session_detail(engine, session_id)
    assert detail.summary.place == "Agence de Metz" and detail.summary.date == SESSION_DATE
    reference = _reference(engine, add_dwelling_row(engine, world))
    code, out, _ = run(capsys, "session", "add-dwelling", str(session_id), reference,
                       "--reservataire", "als", "--orientation-date", "2026-02-20", "--db", db)
    assert code == 0 and f"Logement {reference} ajouté" in out
    nurs = [_nur(engine, add_demande_row(engine, world)) for _ in range(3)]
    for nur in nurs:
        code, out, _ = run(capsys, "session", "add-candidate", str(session_id), reference, nur,
                           "--db", db)
        assert code == 0 and f"demande {nur} présentée" in out and "contrôles :" in out
    code, out, _ = run(capsys, "session", "add-candidate", str(session_id), reference,
                       _nur(engine, add_demande_row(engine, world)), "--rank", "1", "--db", db)
    assert code == 0
    [item] = svc.session_detail(engine, session_id).agenda
    assert item.reservataire == "Action Logement Services"
    assert [c.nur for c in item.candidacies][1:] == nurs
    code, out, _ = run(capsys, "session", "remove-candidate", str(session_id), reference,
                       nurs[1], "--db", db)
    assert code == 0 and "retirée" in out
    code, _, err = run(capsys, "session", "ready", str(session_id), "--db", db)
    assert code == 0, err


def test_exception_then_ready_with_two_candidates(capsys: pytest.CaptureFixture[str],
                                                  sqlite_engine: Engine) -> None:
    engine = sqlite_engine
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    reference = _reference(engine, add_dwelling_row(engine, world))
    db = _db(engine)
    run(capsys, "session", "add-dwelling", str(session_id), reference, "--db", db)
    for _ in range(2):
        run(capsys, "session", "add-candidate", str(session_id), reference,
            _nur(engine, add_demande_row(engine, world)), "--db", db)
    code, _, err = run(capsys, "session", "exception", str(session_id), reference,
                       "insuffisance", "--db", db)
    assert code == 2 and "Justification obligatoire pour l'insuffisance" in err
    code, _, err = run(capsys, "session", "ready", str(session_id), "--db", db)
    assert code == 2 and "exception" in err  # nothing was recorded
    code, out, _ = run(capsys, "session", "exception", str(session_id), reference,
                       "insuffisance", "--justification",
                       "Deux demandes seulement dans le SNE pour un T3 à Metz", "--db", db)
    assert code == 0 and "insuffisance de demandes dans le SNE" in out
    code, _, err = run(capsys, "session", "ready", str(session_id), "--db", db)
    assert code == 0, err


def test_a_candidate_presented_by_a_reservataire(capsys: pytest.CaptureFixture[str],
                                                sqlite_engine: Engine) -> None:
    """`--reservataire` says who presented the candidate, as the window does: its
    notice lists only the candidates it presented. Named by code or name, any case."""
    engine = sqlite_engine
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE)
    reference = _reference(engine, add_dwelling_row(engine, world))
    db = _db(engine)
    run(capsys, "session", "add-dwelling", str(session_id), reference, "--reservataire", "ALS",
        "--db", db)
    by_state, by_landlord = (_nur(engine, add_demande_row(engine, world)) for _ in range(2))
    code, out, err = run(capsys, "session", "add-candidate", str(session_id), reference,
                         by_state, "--reservataire", "préfecture de la moselle", "--db", db)
    assert code == 0, err
    assert "proposé par Préfecture de la Moselle" in out
    code, out, err = run(capsys, "session", "add-candidate", str(session_id), reference,
                         by_landlord, "--db", db)
    assert code == 0 and "proposé par" not in out, err
    [item] = svc.session_detail(engine, session_id).agenda
    assert [(c.nur, c.proposed_by) for c in item.candidacies] == [
        (by_state, "Préfecture de la Moselle"), (by_landlord, "")]
    # an unknown réservataire: French refusal naming the known ones, nothing added
    code, out, err = run(capsys, "session", "add-candidate", str(session_id), reference,
                         _nur(engine, add_demande_row(engine, world)), "--reservataire", "CAF",
                         "--db", db)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith("Erreur : Réservataire « CAF » introuvable ; réservataires : "
                          "ALS (Action Logement Services), ETAT (Préfecture de la Moselle).")
    assert len(svc.session_detail(engine, session_id).agenda[0].candidacies) == 2


@pytest.mark.parametrize(("argv", "message"), [
    (["create", "--commission", "Inconnue", "--date", "2026-03-10", "--time", "14:00"],
     "Commission « Inconnue » introuvable. Commissions : MET (CALEOL Metz)."),
    (["create", "--commission", "MET", "--date", "2026-03-10", "--time", "14:00", "--remote"],
     "ne prévoit pas de séance dématérialisée"),
    (["add-dwelling", "{session}", "NULLE-0001"], "Logement « NULLE-0001 » introuvable"),
    (["add-dwelling", "{session}", "{reference}", "--reservataire", "CAF"],
     "Réservataire « CAF » introuvable ; réservataires : ALS (Action Logement Services), "
     "ETAT (Préfecture de la Moselle)."),
    (["add-candidate", "{session}", "{reference}", "0570000000000X0000"],
     "n'est pas à l'ordre du jour"),
    (["add-candidate", "999", "{reference}", "0570000000000X0000"], "Séance n° 999 introuvable."),
    (["event", "1", "refus", "--date", "2026-03-20"], "Indiquez le motif du refus"),
])
def test_refusals_are_french_and_exit_2(capsys: pytest.CaptureFixture[str],
                                        sqlite_engine: Engine, argv: list[str],
                                        message: str) -> None:
    world = build_world(sqlite_engine)
    session_id = svc.create_session(sqlite_engine, world.commission_id, SESSION_DATE)
    reference = _reference(sqlite_engine, add_dwelling_row(sqlite_engine, world))
    filled = [a.format(session=session_id, reference=reference) for a in argv]
    code, out, err = run(capsys, "session", *filled, "--db", _db(sqlite_engine))
    assert code == 2 and out == ""
    assert err.startswith("Erreur : ") and message in err and "Traceback" not in err


def test_an_inactive_commission_holds_no_new_seance(capsys: pytest.CaptureFixture[str],
                                                    sqlite_engine: Engine) -> None:
    world = build_world(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        commission = db.get(Commission, world.commission_id)
        assert commission is not None
        commission.active = False
        db.add(commission)
    code, _, err = run(capsys, "session", "create", "--commission", str(world.commission_id),
                       "--date", "2026-03-10", "--time", "14:00", "--db", _db(sqlite_engine))
    assert code == 2 and "est désactivée" in err
    assert not svc.list_sessions(sqlite_engine)


@pytest.mark.parametrize(("argv", "message"), [
    (["create", "--commission", "MET", "--date", "10/03/2026", "--time", "14:00"],
     "date « 10/03/2026 » invalide (AAAA-MM-JJ)"),
    (["create", "--commission", "MET", "--date", "2026-03-10", "--time", "quatorze"],
     "heure « quatorze » invalide (HH:MM)"),
    (["exception", "1", "LOG", "autre"], "argument EXCEPTION : choix invalide"),
    (["event", "1", "annule", "--date", "2026-03-10"], "argument SUITE : choix invalide"),
])
def test_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["session", *argv])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_events_after_the_seance_use_the_catalogue_label(
    capsys: pytest.CaptureFixture[str], sqlite_engine: Engine,
) -> None:
    sitting = prepare(sqlite_engine)  # ready and opened
    engine = sqlite_engine
    svc.record_attendance(engine, sitting.session_id, [
        svc.AttendanceChange(m, "present") for m in sitting.world.member_ids])
    svc.set_president(engine, sitting.session_id, sitting.world.president_id)
    first, second, third = sitting.candidacies
    for rank, candidacy in enumerate((first, second, third), start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", rank=rank, unanimous=True)
    svc.close_session(engine, sitting.session_id, start_time=_at(SESSION_DATE, 14).time(),
                      end_time=_at(SESSION_DATE, 15).time(), now=_at(SESSION_DATE, 16))
    db = _db(engine)
    code, out, err = run(capsys, "session", "event", str(first), "refus", "--date",
                         "2026-03-20", "--reason", "mieux_classe", "--db", db)
    assert code == 0 and out.strip(), err
    events = svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0].events
    assert events[0].reason == "Un candidat mieux classé a été retenu"
    code, out, err = run(capsys, "session", "event", str(second), "bail_signe", "--date",
                         "2026-03-25", "--db", db)
    assert code == 0 and out.strip(), err
    code, out, err = run(capsys, "session", "event", str(third), "bail_signe", "--date",
                         "2026-03-26", "--db", db)
    assert code == 2 and out == "" and "est proposé à" in err


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0)
