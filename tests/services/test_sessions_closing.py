"""Closing freezes the séance; events, rectifications and signed minutes come after."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sessions_factory import (
    CLOSING,
    SESSION_DATE,
    Sitting,
    add_demande_row,
    add_dwelling_row,
    held,
)
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from caleol.db.engine import session_scope
from caleol.db.errors import translate_db_error
from caleol.db.models import Candidacy, Demande, Dwelling
from caleol.errors import FrozenError, ValidationError
from caleol.services import sessions as svc
from caleol.settings import Settings


def decide_ranked(engine: Engine, sitting: Sitting) -> None:
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", unanimous=True, rank=rank)


def closed(engine: Engine) -> Sitting:
    sitting = held(engine)
    decide_ranked(engine, sitting)
    svc.close_session(engine, sitting.session_id, **CLOSING)
    return sitting


def test_close_lists_everything_that_blocks_it(engine: Engine) -> None:
    sitting = held(engine)
    svc.set_president(engine, sitting.session_id, None)
    svc.record_decision(engine, sitting.candidacies[0], "attribution_rang", unanimous=True, rank=2)
    with pytest.raises(ValidationError) as caught:
        svc.close_session(engine, sitting.session_id, **CLOSING)
    details = caught.value.details
    assert "Aucun président de séance n'est désigné." in details
    assert sum("aucune décision pour le candidat" in d for d in details) == 2
    assert any("Rangs manquants : 1" in d for d in details)
    assert svc.closing_problems(engine, sitting.session_id) == details
    assert svc.session_detail(engine, sitting.session_id).status == "held"


def test_close_on_the_seance_day_confirms_the_clock_and_the_recorded_start(
    engine: Engine,
) -> None:
    sitting = held(engine)
    decide_ranked(engine, sitting)
    now = datetime.combine(SESSION_DATE, time(16, 12, 30))  # the 10th, at 16 h 12
    svc.close_session(engine, sitting.session_id, start_time=time(14, 0), now=now)
    detail = svc.session_detail(engine, sitting.session_id)
    assert (detail.start_time, detail.end_time, detail.times_confirmed) == (
        time(14, 0), time(16, 12), True)
    # the instant of the closing, kept apart: 16 h 12 in Paris (CET) is 15:12 UTC
    assert detail.closed_at == datetime(2026, 3, 10, 15, 12, 30, tzinfo=UTC)


def test_close_days_later_requires_the_times_and_keeps_them(engine: Engine) -> None:
    sitting = held(engine)
    decide_ranked(engine, sitting)
    three_days_later = datetime(2026, 3, 13, 9, 30)
    with pytest.raises(ValidationError) as caught:
        svc.close_session(engine, sitting.session_id, now=three_days_later)
    assert caught.value.fields == {
        "start": "La séance du 10 mars 2026 est close le 13 mars 2026 : indiquez l'heure "
                 "d'ouverture de la séance.",
        "end": "La séance du 10 mars 2026 est close le 13 mars 2026 : indiquez l'heure de fin "
               "de la séance.",
    }
    with pytest.raises(ValidationError, match=r"L'heure de fin \(8 h 22\) doit venir après"):
        svc.close_session(engine, sitting.session_id, start_time=time(14, 0),
                          end_time=time(8, 22), now=three_days_later)
    assert svc.session_detail(engine, sitting.session_id).status == "held"  # nothing written
    svc.close_session(engine, sitting.session_id, start_time=time(14, 5),
                      end_time=time(15, 40), now=three_days_later)
    detail = svc.session_detail(engine, sitting.session_id)
    assert (detail.summary.date, detail.start_time, detail.end_time) == (
        SESSION_DATE, time(14, 5), time(15, 40))
    assert detail.closed_at is not None
    assert detail.closed_at.astimezone().date() == date(2026, 3, 13)


def test_close_requires_every_vote(engine: Engine) -> None:
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", rank=rank,
                            votes=(5, 0, 0) if rank > 1 else None)
    with pytest.raises(ValidationError) as caught:
        svc.close_session(engine, sitting.session_id, **CLOSING)
    first = svc.session_detail(engine, sitting.session_id).agenda[0].candidacies[0]
    votes = [d for d in caught.value.details if "vote" in d]
    assert len(votes) == 1 and votes[0].endswith(
        f" : le vote de la décision sur le candidat {first.nur} n'est pas indiqué (unanimité "
        "ou décompte des voix).")


def test_close_refuses_a_refusal_resting_on_a_reason_that_cannot_stand_alone(
        engine: Engine) -> None:
    # Issue 15 audit: « Absence de lien avec la commune » (L441-1, discriminatory) or
    # « Ressources insuffisantes » recorded alone was only warned, even at the closing,
    # and the PV and the letter gave it as the only ground of the refusal.
    sitting = held(engine)
    reasons = sitting.world.reasons
    first, second, third = sitting.candidacies
    svc.record_decision(engine, first, "attribution_rang", rank=1, unanimous=True)
    saved = svc.record_decision(engine, second, "non_attribution",
                                reason_id=reasons["ressources"], unanimous=True)
    assert saved.warnings  # the save warns, as the form does before it
    svc.record_decision(engine, third, "non_attribution",
                        reason_text="Absence de lien avec la commune", unanimous=True)
    with pytest.raises(ValidationError) as caught:
        svc.close_session(engine, sitting.session_id, **CLOSING)
    (item,) = svc.session_detail(engine, sitting.session_id).agenda
    _, two, three = item.candidacies
    alone = [d for d in caught.value.details if "ne peut pas motiver seul" in d]
    where = f"Logement {item.reference} ({item.address}, {item.commune})"
    assert alone == [
        f"{where} : refus du candidat {two.nur} ({two.name}) — « ressources "
        "insuffisantes » ne peut pas motiver seul un refus : ajoutez un second motif légal, "
        "ou précisez en quoi le coût du logement est insupportable et qu'aucune garantie "
        "n'est possible.",
        f"{where} : refus du candidat {three.nur} ({three.name}) — "
        "« absence de lien avec la commune » ne peut pas motiver seul un refus (critère "
        "discriminatoire) : ajoutez un second motif légal."]
    assert svc.session_detail(engine, sitting.session_id).status == "held"
    # a lawful second reason, a lawful reason instead: the séance closes
    svc.record_decision(engine, second, "non_attribution", unanimous=True,
                        reason_id=reasons["ressources"],
                        second_reason_id=reasons["mieux_classe"])
    svc.record_decision(engine, third, "non_attribution", unanimous=True,
                        reason_id=reasons["mieux_classe"])
    svc.close_session(engine, sitting.session_id, **CLOSING)
    assert svc.session_detail(engine, sitting.session_id).status == "closed"


def test_close_refuses_an_attribution_left_unjustified(engine: Engine) -> None:
    sitting = held(engine)
    decide_ranked(engine, sitting)
    with session_scope(engine) as db:  # the snapshot lost its ceiling check (legacy data)
        candidacy = db.get(Candidacy, sitting.candidacies[0])
        assert candidacy is not None
        candidacy.checks_snapshot = {k: v for k, v in (candidacy.checks_snapshot or {}).items()
                                     if k != "ceiling"}
    problems = svc.closing_problems(engine, sitting.session_id)
    assert any("contrôle indéterminé (plafond de ressources) ; une justification est requise"
               in p for p in problems)


def test_close_refuses_a_lost_quorum(engine: Engine) -> None:
    sitting = held(engine)
    decide_ranked(engine, sitting)
    members = sitting.world.member_ids
    svc.record_attendance(engine, sitting.session_id, [svc.AttendanceChange(members[4], "absent")])
    with pytest.raises(ValidationError, match="Quorum non atteint"):
        svc.close_session(engine, sitting.session_id, **CLOSING)


def test_close_freezes_the_session(engine: Engine) -> None:
    sitting = closed(engine)
    detail = svc.session_detail(engine, sitting.session_id)
    assert detail.status == "closed" and detail.closed_at is not None
    assert svc.closing_problems(engine, sitting.session_id) == [
        f"La séance n° {sitting.session_id} du 10 mars 2026 est déjà close."
    ]


def _service_writes(engine: Engine, sitting: Sitting) -> list[Callable[[], object]]:
    session_id, item_id = sitting.session_id, sitting.item_id
    first = sitting.candidacies[0]
    world = sitting.world
    dwelling = add_dwelling_row(engine, world)
    demande = add_demande_row(engine, world)
    return [
        lambda: svc.update_session_info(engine, session_id, place="Ailleurs"),
        lambda: svc.add_dwelling(engine, session_id, dwelling),
        lambda: svc.remove_dwelling(engine, item_id),
        lambda: svc.add_candidate(engine, item_id, demande),
        lambda: svc.remove_candidate(engine, first),
        lambda: svc.move_candidate(engine, first, 2),
        lambda: svc.reorder_candidates(engine, item_id, list(reversed(sitting.candidacies))),
        lambda: svc.set_candidate_exception(engine, item_id, "dalo"),
        lambda: svc.set_typology_adaptation(engine, first, "fausse_typologie"),
        lambda: svc.mark_ready(engine, session_id),
        lambda: svc.start_session(engine, session_id),
        lambda: svc.refresh_checks(engine, session_id),
        lambda: svc.record_attendance(engine, session_id,
                                    [svc.AttendanceChange(world.member_ids[0], "absent")]),
        lambda: svc.set_president(engine, session_id, world.member_ids[1]),
        lambda: svc.record_decision(engine, first, "attribution", unanimous=True),
        lambda: svc.clear_decision(engine, first),
        lambda: svc.record_occupation_review(engine, session_id, "sous_occupation"),
        lambda: svc.close_session(engine, session_id, **CLOSING),
    ]


def test_a_closed_session_rejects_every_write_through_the_services(engine: Engine) -> None:
    sitting = closed(engine)
    before = svc.session_detail(engine, sitting.session_id)
    for write in _service_writes(engine, sitting):
        with pytest.raises(FrozenError, match="close"):
            write()
    assert svc.session_detail(engine, sitting.session_id) == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE decision SET kind = 'non_attribution' WHERE candidacy_id = :candidacy",
        "DELETE FROM decision WHERE candidacy_id = :candidacy",
        "UPDATE candidacy SET checks_snapshot = NULL WHERE id = :candidacy",
        "DELETE FROM attendance WHERE session_id = :session",
        "UPDATE agenda_item SET candidate_count_exception = 'dalo' WHERE session_id = :session",
        "UPDATE commission_session SET place = 'x' WHERE id = :session",
        "UPDATE commission_session SET status = 'held' WHERE id = :session",
        "INSERT INTO occupation_review (session_id, tenant_reference, tenant_name, motive, "
        "opinion, proposal) VALUES (:session, '', '', 'sous_occupation', '', '')",
    ],
)
def test_a_closed_session_rejects_raw_sql(engine: Engine, statement: str) -> None:
    sitting = closed(engine)
    with pytest.raises(DBAPIError) as caught, engine.begin() as connection:
        connection.execute(text(statement), {"candidacy": sitting.candidacies[0],
                                             "session": sitting.session_id})
    assert isinstance(translate_db_error(caught.value), FrozenError)


def test_refusal_passes_the_dwelling_to_the_next_ranked_candidate(engine: Engine) -> None:
    sitting = closed(engine)
    first, second, third = sitting.candidacies
    with pytest.raises(ValidationError, match="motif du refus"):
        svc.record_refusal(engine, first, date(2026, 3, 20), "")
    event = svc.record_refusal(engine, first, date(2026, 3, 20), "Trop loin du travail")
    detail = svc.session_detail(engine, sitting.session_id)
    nurs = [c.nur for c in detail.agenda[0].candidacies]
    assert (event.passes_to_candidacy_id, event.passes_to_nur) == (second, nurs[1])
    assert "classé suivant" in event.message
    second_refusal = svc.record_refusal(engine, second, date(2026, 3, 25), "Au 4e sans ascenseur")
    assert second_refusal.passes_to_candidacy_id == third
    with pytest.raises(ValidationError, match="déjà terminée"):
        svc.record_refusal(engine, first, date(2026, 3, 26), "encore")
    last = svc.record_refusal(engine, third, date(2026, 3, 30), "A trouvé ailleurs")
    assert last.passes_to_candidacy_id is None and "repasser en commission" in last.message
    # the decisions are untouched: events only
    decisions = [c.decision.kind for c in svc.session_detail(engine, sitting.session_id)
                 .agenda[0].candidacies if c.decision]
    assert decisions == ["attribution_rang"] * 3


def test_lease_signed_by_the_current_holder(engine: Engine) -> None:
    sitting = closed(engine)
    first, second, _ = sitting.candidacies
    with pytest.raises(ValidationError, match="est proposé à"):
        svc.record_lease_signed(engine, second, date(2026, 4, 1))
    with pytest.raises(ValidationError, match="précède"):
        svc.record_lease_signed(engine, first, date(2026, 3, 1))
    event = svc.record_lease_signed(engine, first, date(2026, 4, 1))
    assert event.kind == "lease_signed"
    detail = svc.session_detail(engine, sitting.session_id)
    with session_scope(engine) as db:
        dwelling = db.get(Dwelling, detail.agenda[0].dwelling_id)
        demande = db.get(Demande, detail.agenda[0].candidacies[0].demande_id)
        assert dwelling is not None and dwelling.status == "let"
        assert demande is not None and demande.status == "attributed"
        assert demande.status_date == date(2026, 4, 1)


def test_lapsed_condition_passes_to_the_next_ranked(engine: Engine) -> None:
    sitting = held(engine)
    first, second, third = sitting.candidacies
    svc.record_decision(engine, first, "attribution_sous_condition", unanimous=True, rank=1,
                      condition="titre de séjour", deadline=date(2026, 3, 31))
    svc.record_decision(engine, second, "attribution_rang", unanimous=True, rank=2)
    svc.record_decision(engine, third, "non_attribution", unanimous=True,
                      reason_id=sitting.world.reasons["mieux_classe"])
    svc.close_session(engine, sitting.session_id, **CLOSING)
    with pytest.raises(ValidationError, match="pas sous condition"):
        svc.record_condition_lapsed(engine, second, date(2026, 4, 1))
    with pytest.raises(ValidationError, match="pas reçu d'attribution"):
        svc.record_refusal(engine, third, date(2026, 4, 1), "sans objet")
    with pytest.raises(ValidationError, match="condition suspensive n'est pas levée"):
        svc.record_lease_signed(engine, first, date(2026, 4, 1))
    event = svc.record_condition_lapsed(engine, first, date(2026, 4, 1), "pièce non fournie")
    assert event.passes_to_candidacy_id == second


def test_events_wait_for_the_closing(engine: Engine) -> None:
    sitting = held(engine)
    decide_ranked(engine, sitting)
    with pytest.raises(ValidationError, match="n'est pas close"):
        svc.record_refusal(engine, sitting.candidacies[0], SESSION_DATE, "non")


def test_rectification_is_a_linked_record(engine: Engine) -> None:
    sitting = held(engine)
    with pytest.raises(ValidationError, match="n'est pas close"):
        svc.add_rectification(engine, sitting.session_id, "Erreur de rang")
    decide_ranked(engine, sitting)
    svc.close_session(engine, sitting.session_id, **CLOSING)
    with pytest.raises(ValidationError, match="obligatoire"):
        svc.add_rectification(engine, sitting.session_id, "  ")
    svc.add_rectification(engine, sitting.session_id, "Le candidat classé 2 est M. Weber.",
                        author="Secrétaire")
    rectifications = svc.session_detail(engine, sitting.session_id).rectifications
    assert [(r.author, r.text) for r in rectifications] == [
        ("Secrétaire", "Le candidat classé 2 est M. Weber.")
    ]


def test_signed_minutes_are_stored_with_their_hash(engine: Engine) -> None:
    sitting = held(engine)
    pdf = b"%PDF-1.7\n% signed minutes\n"
    decide_ranked(engine, sitting)
    with pytest.raises(ValidationError, match="n'est pas close"):
        svc.record_signed_minutes(engine, sitting.session_id, pdf, "Présidente")
    svc.close_session(engine, sitting.session_id, **CLOSING)
    with pytest.raises(ValidationError, match="PDF"):
        svc.record_signed_minutes(engine, sitting.session_id, b"hello", "Présidente")
    stored = svc.record_signed_minutes(engine, sitting.session_id, pdf, "Présidente")
    assert stored.sha256 == hashlib.sha256(pdf).hexdigest()
    assert svc.signed_minutes(engine, stored.id) == pdf
    detail = svc.session_detail(engine, sitting.session_id)
    assert detail.status == "signed" and detail.signed_at is not None
    with pytest.raises(FrozenError):
        svc.record_decision(engine, sitting.candidacies[0], "attribution", unanimous=True)
    with pytest.raises(Exception, match="déjà signé"):
        svc.record_signed_minutes(engine, sitting.session_id, pdf, "Présidente")
    rectificatif = svc.record_signed_minutes(engine, sitting.session_id, b"%PDF-1.7 rect",
                                           "Présidente", kind="rectificatif")
    assert [d.kind for d in svc.session_detail(engine, sitting.session_id).documents] == [
        "pv", "rectificatif"]
    assert rectificatif.id != stored.id


def test_close_takes_a_checked_backup_of_sqlite(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(backup_folder=str(tmp_path / "sauvegardes"))
    sitting = held(engine)
    decide_ranked(engine, sitting)
    outcome = svc.close_session(engine, sitting.session_id, settings, **CLOSING)
    assert outcome.session_id == sitting.session_id and outcome.warnings == ()
    if engine.dialect.name != "sqlite":  # PostgreSQL: pg_dump, by its administrator
        assert outcome.backup is None
        return
    assert outcome.backup is not None and outcome.backup.exists()
    assert outcome.backup.parent == tmp_path / "sauvegardes"
    assert outcome.backup.name.endswith("-cloture.sqlite3")
    copy = sqlite3.connect(f"file:{outcome.backup}?mode=ro", uri=True)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        status = copy.execute(
            "SELECT status FROM commission_session WHERE id = ?", (sitting.session_id,)
        ).fetchone()
    finally:
        copy.close()
    assert status == ("closed",)  # taken after the commit: the copy holds the closing


def test_a_failed_backup_keeps_the_close_and_warns(sqlite_engine: Engine, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "fichier"
    not_a_folder.write_text("")
    sitting = held(sqlite_engine)
    decide_ranked(sqlite_engine, sitting)
    outcome = svc.close_session(
        sqlite_engine, sitting.session_id, Settings(backup_folder=str(not_a_folder / "x")),
        **CLOSING)
    assert outcome.backup is None
    assert len(outcome.warnings) == 1 and "sauvegarde automatique a échoué" in outcome.warnings[0]
    assert svc.session_detail(sqlite_engine, sitting.session_id).status == "closed"


def test_generated_closings_can_skip_the_backup(sqlite_engine: Engine, tmp_path: Path) -> None:
    sitting = held(sqlite_engine)
    decide_ranked(sqlite_engine, sitting)
    settings = Settings(backup_folder=str(tmp_path / "sauvegardes"))
    outcome = svc.close_session(sqlite_engine, sitting.session_id, settings, backup=False,
                                **CLOSING)
    assert outcome == svc.ClosingOutcome(sitting.session_id)
    assert not (tmp_path / "sauvegardes").exists()
    assert svc.session_detail(sqlite_engine, sitting.session_id).status == "closed"


def test_possible_events_are_what_the_services_accept(engine: Engine) -> None:
    sitting = held(engine)
    first, second, third = sitting.candidacies
    svc.record_decision(engine, first, "attribution_sous_condition", unanimous=True, rank=1,
                        condition="titre de séjour", deadline=date(2026, 3, 31))
    svc.record_decision(engine, second, "attribution_rang", unanimous=True, rank=2)
    svc.record_decision(engine, third, "non_attribution", unanimous=True,
                        reason_id=sitting.world.reasons["mieux_classe"])
    svc.close_session(engine, sitting.session_id, **CLOSING)

    def possible() -> list[frozenset[str]]:
        item = svc.session_detail(engine, sitting.session_id).agenda[0]
        by_id = {c.id: frozenset(c.possible_events) for c in item.candidacies}
        return [by_id[first], by_id[second], by_id[third]]

    # the holder's lease waits for its condition; rank 2 can only refuse; no attribution:
    # nothing (each refused kind is refused by the service, see the tests above)
    assert possible() == [frozenset({"refusal", "condition_met", "condition_lapsed"}),
                          frozenset({"refusal"}), frozenset()]
    svc.record_condition_met(engine, first, date(2026, 3, 25))
    assert possible()[0] == frozenset({"refusal", "lease_signed"})
    detail = svc.session_detail(engine, sitting.session_id)
    assert detail.agenda[0].candidacies[0].possible_events == ("lease_signed", "refusal")
    svc.record_lease_signed(engine, first, date(2026, 4, 1))
    assert possible() == [frozenset(), frozenset({"refusal"}), frozenset()]


def test_a_nir_in_a_rectification_or_an_events_reason_is_refused(engine: Engine) -> None:
    """Printed in the signed rectificatif and the letters: never a NIR (issue 16,
    finding 5; audit16 found these texts open). Nothing is recorded."""
    sitting = closed(engine)
    nir = "2 90 03 2A 004 012 34"  # Corsica: 2A counts as 19 in the key
    with pytest.raises(ValidationError) as caught:
        svc.add_rectification(engine, sitting.session_id, f"Lire NIR {nir} au lieu de …")
    assert set(caught.value.fields) == {"text"} and "NIR" in caught.value.message
    with pytest.raises(ValidationError) as refused:
        svc.record_refusal(engine, sitting.candidacies[0], date(2026, 3, 20),
                           f"Refus par courrier, NIR {nir.replace(' ', '')}")
    assert set(refused.value.fields) == {"reason"}
    assert all("004" not in str(e.value) for e in (caught, refused))
    with engine.connect() as connection:
        for table in ("rectification", "candidacy_event"):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
