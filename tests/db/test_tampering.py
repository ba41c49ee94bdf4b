"""Writes behind caleol's back (issue 16, findings 1 to 3), on SQLite and PostgreSQL.

1. Laundering: a row forged by raw SQL, then written by caleol, used to enter the log
   with the forged values as its legitimate « before »; forged votes were frozen at
   closing. Every caleol write now refuses to build on such a row, and verify-db flags
   an entry whose « before » is not the row's previous « after ».
2. Fake purge: erasing an entry's images is accepted only for rows the purge recorded.
3. What the triggers missed: a séance switched to « signed » without its PV, raw
   inserts into signed_document and audit_entry, events and rectifications breaking
   the rules. Blocked in the database where a trigger can tell; verify-db flags the
   rest (what SQLite cannot compute: SHA-256).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from db.factories import decide_all, make_demande, make_dwelling, make_session_with_agenda
from services.sessions_factory import (
    CLOSING,
    SESSION_DATE,
    Sitting,
    add_demande_row,
    add_dwelling_row,
    attend,
    build_world,
    held,
    prepare,
)
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from caleol.db import audit
from caleol.db.engine import session_scope
from caleol.db.errors import TamperedDataError, translate_db_error
from caleol.db.models import AuditEntry, Demande, Dwelling, PurgedRow
from caleol.errors import FrozenError
from caleol.services import sessions as svc
from caleol.services.audit import verify_chain
from caleol.services.bulk import AuditedInserter


def _raw(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), params)


def _refused(engine: Engine, sql: str, **params: object) -> str:
    with pytest.raises(DBAPIError) as caught:
        _raw(engine, sql, **params)
    translated = translate_db_error(caught.value)
    assert isinstance(translated, FrozenError), str(caught.value)
    return translated.message


def _entries(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def _without_triggers(engine: Engine, **triggers: str) -> None:
    """What an attacker with write access does first: trigger name → its table
    (SQLite drops that trigger; PostgreSQL disables the table's triggers)."""
    with engine.begin() as connection:
        for name, table in triggers.items():
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
            else:
                connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")


# --- 1. laundering ---------------------------------------------------------------------


@pytest.fixture
def forged(engine: Engine) -> Iterator[tuple[Engine, int, str]]:
    with session_scope(engine) as s:
        demande = make_demande(s, applicant_surname="Martin")
        demande_id, nur = demande.id, demande.nur
    _raw(engine, "UPDATE demande SET applicant_surname = 'Falsifié' WHERE id = :id",
         id=demande_id)
    yield engine, demande_id, nur


def test_a_caleol_write_refuses_to_build_on_a_forged_row(forged: tuple[Engine, int, str]
                                                         ) -> None:
    engine, demande_id, nur = forged
    count = _entries(engine)
    with pytest.raises(TamperedDataError) as caught, session_scope(engine) as s:
        s.get(Demande, demande_id).cotation_score = 77  # any edit, of another column
    message = caught.value.message
    assert f"la demande NUR {nur} (table demande, ligne n° {demande_id})" in message
    assert "modifiées hors de caleol" in message and "applicant_surname" in message
    assert "caleol verify-db" in message
    assert _entries(engine) == count  # the forged values never entered the log
    with session_scope(engine) as s:
        assert s.get(Demande, demande_id).cotation_score != 77


def test_the_refusal_names_the_row_in_french(engine: Engine) -> None:
    """« les valeurs du logement REF », « les valeurs d'un membre du ménage » (it read
    « de le logement », « de un membre »: audit16)."""
    with session_scope(engine) as s:
        dwelling = make_dwelling(s, reference="LOG-1")
        demande = make_demande(s, children=1)
        dwelling_id, demande_id = dwelling.id, demande.id
    _raw(engine, "UPDATE dwelling SET rent_cents = 1 WHERE id = :d", d=dwelling_id)
    _raw(engine, "UPDATE household_member SET birth_date = '1950-01-01' WHERE demande_id = :d",
         d=demande_id)
    with pytest.raises(TamperedDataError) as caught, session_scope(engine) as s:
        s.get(Dwelling, dwelling_id).floor = 3
    assert "les valeurs du logement LOG-1 (table dwelling" in caught.value.message
    with pytest.raises(TamperedDataError) as caught, session_scope(engine) as s:
        s.delete(s.get(Demande, demande_id))
    assert "les valeurs d'un membre du ménage de la demande n°" in caught.value.message


def test_deleting_a_forged_row_is_refused_too(forged: tuple[Engine, int, str]) -> None:
    engine, demande_id, _ = forged
    with pytest.raises(TamperedDataError), session_scope(engine) as s:
        s.delete(s.get(Demande, demande_id))
    with session_scope(engine) as s:
        assert s.get(Demande, demande_id) is not None


def test_verify_db_flags_a_forgery_laundered_by_an_older_caleol(
        forged: tuple[Engine, int, str], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, demande_id, _ = forged
    monkeypatch.setattr(audit, "_refuse_tampered_rows", lambda connection, pending: None)
    with session_scope(engine) as s:  # what caleol did before issue 16
        s.get(Demande, demande_id).cotation_score = 77
    monkeypatch.undo()
    report = verify_chain(engine)
    assert any(f"(demande n° {demande_id}, update" in p
               and "son image « avant » n'est pas la dernière enregistrée" in p
               and "applicant_surname" in p for p in report.problems), report.text()


def test_forged_votes_are_not_frozen_at_closing(engine: Engine) -> None:
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", unanimous=True, rank=rank)
    _raw(engine, "UPDATE decision SET unanimous = false, votes_for = 1, votes_against = 4, "
                 "votes_abstain = 0 WHERE candidacy_id = :c", c=sitting.candidacies[0])
    with pytest.raises(TamperedDataError) as caught:
        svc.close_session(engine, sitting.session_id, **CLOSING)
    assert "la décision sur la candidature n°" in caught.value.message
    assert "votes_against" in caught.value.message
    assert svc.session_detail(engine, sitting.session_id).status == "held"


@pytest.mark.parametrize("deleted", ["candidacy", "attendance"])
def test_rows_deleted_from_an_open_seance_are_not_frozen_at_closing(engine: Engine,
                                                                    deleted: str) -> None:
    """A candidate examined (with its decision) or a member's presence deleted by raw
    SQL from a held séance: closing would freeze a PV without them (audit16: the
    closing compared only the rows still there)."""
    sitting = held(engine, candidates=4)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", unanimous=True, rank=rank)
    last = sitting.candidacies[-1]
    if deleted == "candidacy":
        _raw(engine, "DELETE FROM decision WHERE candidacy_id = :c", c=last)
        _raw(engine, "DELETE FROM candidacy WHERE id = :c", c=last)
    else:
        _raw(engine, "DELETE FROM attendance WHERE session_id = :s AND id = (SELECT max(id) "
                     "FROM attendance WHERE session_id = :s)", s=sitting.session_id)
    count = _entries(engine)
    with pytest.raises(TamperedDataError) as caught:
        svc.close_session(engine, sitting.session_id, **CLOSING)
    message = caught.value.message
    assert message.startswith("Enregistrement refusé : ")
    assert f"(table {deleted}, ligne n° " in message and "a disparu de la base" in message
    assert "caleol verify-db" in message
    assert svc.session_detail(engine, sitting.session_id).status == "held"
    assert _entries(engine) == count


def test_a_closed_seance_forged_behind_its_triggers_is_not_signed(engine: Engine) -> None:
    """The decision's trigger dropped, its votes changed: `caleol minutes --sign` signed
    and stored a PV printing « Adoptée par 4 voix pour, 2 contre » (audit16). The
    signed PV is refused; the séance stays closed."""
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", unanimous=True, rank=rank)
    svc.close_session(engine, sitting.session_id, **CLOSING)
    _without_triggers(engine, decision_frozen_update="decision")
    _raw(engine, "UPDATE decision SET unanimous = false, votes_for = 4, votes_against = 2, "
                 "votes_abstain = 0 WHERE candidacy_id = :c", c=sitting.candidacies[0])
    with pytest.raises(TamperedDataError) as caught:
        svc.record_signed_minutes(engine, sitting.session_id, b"%PDF-1.7 signed", "Présidente")
    assert "la décision sur la candidature n°" in caught.value.message
    assert svc.session_detail(engine, sitting.session_id).status == "closed"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM signed_document")).scalar_one() == 0


def test_a_candidate_withdrawn_through_caleol_does_not_block_the_closing(engine: Engine
                                                                         ) -> None:
    """A candidate withdrawn through caleol before the séance (an audited delete) is no
    forgery: the closing goes on."""
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    candidacies = [svc.add_candidate(engine, item_id, add_demande_row(engine, world))
                   for _ in range(4)]
    svc.remove_candidate(engine, candidacies.pop())
    svc.mark_ready(engine, session_id)
    svc.start_session(engine, session_id)
    attend(engine, Sitting(world, session_id, item_id, candidacies), 5)
    svc.set_president(engine, session_id, world.president_id)
    for rank, candidacy in enumerate(candidacies, start=1):
        svc.record_decision(engine, candidacy, "attribution_rang", unanimous=True, rank=rank)
    svc.close_session(engine, session_id, **CLOSING)
    assert svc.session_detail(engine, session_id).status == "closed"


def test_a_forged_demande_is_not_copied_into_a_candidacys_snapshot(engine: Engine) -> None:
    """Forge a demande, present it (its snapshot copies the forged name and income, an
    audited caleol write), undo the forgery: nothing was left to see, and the PV
    printed the forgery (audit16). The snapshot now refuses to build on it."""
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    item_id = svc.add_dwelling(engine, session_id, add_dwelling_row(engine, world))
    forged = add_demande_row(engine, world, surname="Martin")
    _raw(engine, "UPDATE demande SET applicant_surname = 'Forgé', reference_tax_income = 1000 "
                 "WHERE id = :d", d=forged)
    count = _entries(engine)
    with pytest.raises(TamperedDataError) as caught:
        svc.add_candidate(engine, item_id, forged)
    assert f"(table demande, ligne n° {forged})" in caught.value.message
    assert "reference_tax_income" in caught.value.message
    assert _entries(engine) == count
    _raw(engine, "UPDATE demande SET applicant_surname = 'Martin', reference_tax_income = "
                 "(SELECT reference_tax_income FROM demande WHERE id = :o) WHERE id = :d",
         d=forged, o=add_demande_row(engine, world))  # undone as it was
    candidacy = svc.add_candidate(engine, item_id, forged)  # the true values: accepted
    _raw(engine, "UPDATE resource SET monthly_cents = 1 WHERE demande_id = :d", d=forged)
    with pytest.raises(TamperedDataError) as caught:  # a refresh would copy it in
        svc.refresh_checks(engine, session_id)
    assert "(table resource, ligne n° " in caught.value.message
    with engine.connect() as connection:
        summary = connection.execute(text("SELECT household_summary FROM candidacy "
                                          "WHERE id = :c"), {"c": candidacy}).scalar_one()
    assert "Forgé" not in str(summary)


def test_a_forged_dwelling_is_not_copied_into_the_agenda(engine: Engine) -> None:
    world = build_world(engine)
    session_id = svc.create_session(engine, world.commission_id, SESSION_DATE, place="Metz")
    dwelling = add_dwelling_row(engine, world)
    item_id = svc.add_dwelling(engine, session_id, dwelling)
    for _ in range(3):
        svc.add_candidate(engine, item_id, add_demande_row(engine, world))
    _raw(engine, "UPDATE dwelling SET rent_cents = 100 WHERE id = :d", d=dwelling)
    with pytest.raises(TamperedDataError) as caught:
        svc.refresh_checks(engine, session_id)
    assert f"(table dwelling, ligne n° {dwelling})" in caught.value.message


def test_a_refresh_that_changes_nothing_reads_no_image(engine: Engine,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The check costs only when a snapshot changes: a same-day refresh reads nothing."""
    sitting = prepare(engine, candidates=3)
    svc.refresh_checks(engine, sitting.session_id)
    from caleol.services import audit_writes
    read: list[str] = []
    real = audit_writes.read_images
    monkeypatch.setattr(audit_writes, "read_images",
                        lambda c, table, ids: read.append(table.name) or real(c, table, ids))
    svc.refresh_checks(engine, sitting.session_id)
    assert read == []


def test_an_id_freed_behind_caleols_back_is_not_reused(engine: Engine) -> None:
    """SQLite gives a new row the highest id + 1: a row deleted by raw SQL would be
    replaced by the next insert, whose clean entry hides the deletion."""
    with session_scope(engine) as s:
        demande_id = make_demande(s, children=0).id
    _raw(engine, "DELETE FROM resource WHERE demande_id = :d", d=demande_id)
    _raw(engine, "DELETE FROM household_member WHERE demande_id = :d", d=demande_id)
    _raw(engine, "DELETE FROM demande WHERE id = :d", d=demande_id)

    def rewind() -> None:
        if engine.dialect.name == "postgresql":  # sequences never go back: force a reuse
            _raw(engine, "SELECT setval(pg_get_serial_sequence('demande', 'id'), :v, false)",
                 v=demande_id)

    count = _entries(engine)
    rewind()
    with pytest.raises(TamperedDataError) as caught, session_scope(engine) as s:
        make_demande(s)
    assert "a été supprimée hors de caleol" in caught.value.message
    rewind()
    with pytest.raises(TamperedDataError), engine.begin() as connection:
        AuditedInserter(connection).insert(Demande.__table__, [  # type: ignore[attr-defined]
            {"nur": "057250100001X5701", "filing_date": date(2025, 1, 2),
             "department_code": "57"}])
    assert _entries(engine) == count


def test_columns_added_by_a_migration_are_not_a_forgery(engine: Engine,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """An image recorded before a migration added a column (as 0002 added
    name_sort_key) lacks it: only the columns both images know are compared."""
    real = audit.row_image

    def before_0002(row: Any) -> str:
        return real({k: v for k, v in dict(row).items() if k != "name_sort_key"})

    monkeypatch.setattr(audit, "row_image", before_0002)
    with session_scope(engine) as s:
        demande_id = make_demande(s, children=0).id
    monkeypatch.undo()
    with session_scope(engine) as s:
        s.get(Demande, demande_id).cotation_score = 12  # accepted
    report = verify_chain(engine)
    assert report.ok, report.text()


# --- 2. fake purge redaction -----------------------------------------------------------


def test_erasing_images_outside_the_purge_is_refused(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_demande(s)
    _refused(engine, 'UPDATE audit_entry SET redacted_at = CURRENT_TIMESTAMP, '
                     '"before" = NULL, "after" = NULL WHERE id = 1')


def test_verify_db_flags_an_erasure_no_purge_recorded(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_demande(s)
    _without_triggers(engine, audit_entry_immutable_update="audit_entry")
    _raw(engine, 'UPDATE audit_entry SET redacted_at = CURRENT_TIMESTAMP, '
                 '"before" = NULL, "after" = NULL WHERE id = 1')
    report = verify_chain(engine)
    assert any("entrée n° 1 " in p and "aucune purge de conservation n'a porté" in p
               for p in report.problems), report.text()
    assert report.first_broken_link is None  # the digests remain: the chain holds


def test_a_purge_record_forged_to_allow_an_erasure_is_flagged(engine: Engine) -> None:
    with session_scope(engine) as s:
        demande_id = make_demande(s, children=0).id
    _raw(engine, "INSERT INTO purged_row (purged_at, demande_id, entity, entity_id, action) "
                 "VALUES (CURRENT_TIMESTAMP, :d, 'demande', :d, 'anonymisation')", d=demande_id)
    _raw(engine, 'UPDATE audit_entry SET redacted_at = CURRENT_TIMESTAMP, "before" = NULL, '
                 '"after" = NULL WHERE entity = \'demande\' AND entity_id = :d', d=demande_id)
    problems = "\n".join(verify_chain(engine).problems)
    assert "purged_row n° 1 : absente du journal (ajoutée hors de l'application)" in problems
    assert f"la demande n° {demande_id} est toujours là, ni supprimée ni anonymisée" in problems


def test_purge_records_are_insert_only(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(PurgedRow(demande_id=1, entity="demande", entity_id=1, action="suppression"))
    _refused(engine, "UPDATE purged_row SET entity_id = 2")
    _refused(engine, "DELETE FROM purged_row")


# --- 3. what the triggers missed -------------------------------------------------------


@pytest.fixture
def closed(engine: Engine) -> Iterator[tuple[Engine, dict[str, Any]]]:
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=2,
                                           date=date(2025, 3, 12))
        decide_all(s, sitting)
        other = make_session_with_agenda(s, dwellings=1, candidates=1)  # still a draft
        ids = {"session": sitting.id, "candidacy": sitting.agenda_items[0].candidacies[0].id,
               "second": sitting.agenda_items[0].candidacies[1].id,
               "draft": other.id, "draft_candidacy": other.agenda_items[0].candidacies[0].id}
        s.flush()
        sitting.status = "closed"
    yield engine, ids


PDF = b"%PDF-1.7 pv signe"
INSERT_DOCUMENT = ("INSERT INTO signed_document (session_id, kind, filename, sha256, signer, "
                   "signed_at, content) VALUES (:session, :kind, 'pv.pdf', :sha, 'X', "
                   "'2025-03-12 18:00:00', :content)")


def _document(**values: Any) -> dict[str, Any]:
    content = values.pop("content", PDF)
    return {"kind": "pv", "sha": hashlib.sha256(content).hexdigest(), "content": content,
            **values}


def test_signing_by_raw_sql_without_a_signed_pv_is_refused(
        closed: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = closed
    _refused(engine, "UPDATE commission_session SET status = 'signed', "
                     "signed_at = CURRENT_TIMESTAMP WHERE id = :s", s=ids["session"])
    _refused(engine, "INSERT INTO commission_session (commission_id, date, place, kind, "
                     "status, secretary_name, notes, version, times_confirmed) SELECT "
                     "commission_id, date, place, kind, 'signed', '', '', 1, false FROM "
                     "commission_session WHERE id = :s", s=ids["session"])


@pytest.mark.parametrize(("case", "values"), [
    ("séance en préparation", {"session": "draft"}),
    ("pas un PDF", {"content": b"MZ\x90\x00 executable"}),
    ("empreinte illisible", {"sha": "abc"}),
    ("rectificatif avant la signature", {"kind": "rectificatif"}),
])
def test_raw_signed_documents_breaking_the_rules_are_refused(
        closed: tuple[Engine, dict[str, Any]], case: str, values: dict[str, Any]) -> None:
    engine, ids = closed
    document = _document(**{"session": ids["session"], **values})
    document["session"] = ids.get(document["session"], document["session"])
    _refused(engine, INSERT_DOCUMENT, **document)


def test_a_second_pv_is_refused(closed: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = closed
    _raw(engine, INSERT_DOCUMENT, **_document(session=ids["session"]))
    _refused(engine, INSERT_DOCUMENT, **_document(session=ids["session"],
                                                  content=b"%PDF-1.7 autre"))


def test_a_document_whose_hash_is_wrong(closed: tuple[Engine, dict[str, Any]]) -> None:
    """PostgreSQL computes SHA-256 and refuses it; SQLite cannot, verify-db flags it."""
    engine, ids = closed
    document = _document(session=ids["session"], sha="0" * 64)
    if engine.dialect.name == "postgresql":
        _refused(engine, INSERT_DOCUMENT, **document)
        return
    _raw(engine, INSERT_DOCUMENT, **document)
    problems = "\n".join(verify_chain(engine).problems)
    assert "le contenu ne correspond plus à l'empreinte" in problems
    assert "signed_document n° 1 : absente du journal" in problems


def _head(engine: Engine) -> tuple[int, str]:
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1")).one()
    return row[0], row[1]


INSERT_ENTRY = ("INSERT INTO audit_entry (id, at, os_user, entity, entity_id, action, "
                "\"after\", prev_hash, hash, after_sha256) VALUES (:id, '2026-01-01 00:00:00', "
                "'intrus', 'reason', 99, 'insert', :after, :prev, :hash, :digest)")


def test_raw_audit_entries_must_extend_the_chain(closed: tuple[Engine, dict[str, Any]]
                                                 ) -> None:
    engine, _ = closed
    head_id, head = _head(engine)
    new = head_id + 1  # each entry gives its own id: the head's plus one
    after = json.dumps({"id": 99})
    digest = hashlib.sha256(after.encode()).hexdigest()
    # not chained to the head, or born redacted: refused on both databases
    _refused(engine, INSERT_ENTRY, id=new, after=after, prev="1" * 64, hash="2" * 64,
             digest=digest)
    _refused(engine, INSERT_ENTRY.replace("after_sha256)", "after_sha256, redacted_at)")
             .replace(":digest)", ":digest, CURRENT_TIMESTAMP)"),
             id=new, after=after, prev=head, hash="2" * 64, digest=digest)
    if engine.dialect.name == "postgresql":  # images, digests and ids are checked there
        _refused(engine, INSERT_ENTRY, id=new, after=after, prev=head, hash="2" * 64,
                 digest="3" * 64)
        _refused(engine, INSERT_ENTRY.replace('"after"', '"before"'), id=new, after=after,
                 prev=head, hash="2" * 64, digest=digest)
    # chained, but its hash is not the entry's: SQLite cannot compute it, verify-db can
    _raw(engine, INSERT_ENTRY, id=new, after=after, prev=head, hash="2" * 64, digest=digest)
    report = verify_chain(engine)
    assert report.first_broken_link is not None
    assert "contenu modifié après écriture (empreinte différente)" in report.first_broken_link


INSERT_EVENT = ("INSERT INTO candidacy_event (candidacy_id, kind, date, reason) "
                "VALUES (:c, 'refusal', :day, '')")


@pytest.mark.parametrize(("case", "candidacy", "day"), [
    ("daté avant la séance", "candidacy", "2025-03-01"),
    ("séance non close", "draft_candidacy", "2025-04-01"),
])
def test_raw_events_breaking_the_rules_are_refused(closed: tuple[Engine, dict[str, Any]],
                                                   case: str, candidacy: str, day: str
                                                   ) -> None:
    engine, ids = closed
    _refused(engine, INSERT_EVENT, c=ids[candidacy], day=day)


def test_an_event_on_a_candidate_without_attribution_is_refused(engine: Engine) -> None:
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=1,
                                           date=date(2025, 3, 12))
        decide_all(s, sitting, kind="non_attribution")
        candidacy = sitting.agenda_items[0].candidacies[0].id
        s.flush()
        sitting.status = "closed"
    _refused(engine, INSERT_EVENT, c=candidacy, day="2025-03-20")


def test_events_are_never_changed_nor_deleted(closed: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = closed
    _raw(engine, INSERT_EVENT, c=ids["candidacy"], day="2025-03-20")
    _refused(engine, "UPDATE candidacy_event SET date = '2025-03-13'")
    _refused(engine, "DELETE FROM candidacy_event")


def test_rectifications_of_an_open_seance_or_edited_are_refused(
        closed: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = closed
    insert = ("INSERT INTO rectification (session_id, created_at, author, text) "
              "VALUES (:s, CURRENT_TIMESTAMP, '', 'erreur de rang')")
    _refused(engine, insert, s=ids["draft"])
    _raw(engine, insert, s=ids["session"])
    _refused(engine, "UPDATE rectification SET text = 'autre'")
    _refused(engine, "DELETE FROM rectification")


def test_verify_db_flags_what_dropped_triggers_let_through(
        closed: tuple[Engine, dict[str, Any]]) -> None:
    engine, ids = closed
    _without_triggers(engine, commission_session_signed_with_pv="commission_session",
                      candidacy_event_rules="candidacy_event")
    _raw(engine, "UPDATE commission_session SET status = 'signed', "
                 "signed_at = CURRENT_TIMESTAMP WHERE id = :s", s=ids["session"])
    _raw(engine, INSERT_EVENT, c=ids["candidacy"], day="2025-01-01")
    problems = "\n".join(verify_chain(engine).problems)
    assert f"séance n° {ids['session']} : signée sans procès-verbal signé enregistré" in problems
    assert "suite de décision n° 1 : séance non close, date antérieure à la séance" in problems


def test_erasures_made_before_revision_0007_are_recorded_by_it(tmp_path: Path) -> None:
    """A database purged by an earlier caleol: the upgrade lists the rows it erased, in
    the chain, so the erasures stay legitimate and verify-db finds nothing."""
    from caleol.db import migrate
    from caleol.db.engine import _transactional_ddl_engine, open_database

    path = tmp_path / "purgee.sqlite3"
    engine = open_database(str(path), create=True)
    with session_scope(engine) as s:
        demande_id = make_demande(s, children=1).id
    with engine.begin() as connection:  # the trigger of 0003, before this revision's
        connection.exec_driver_sql("DROP TRIGGER audit_entry_immutable_update")
    with session_scope(engine) as s:  # what the purge did before 0007: anonymise, erase
        demande = s.get(Demande, demande_id)
        demande.nur = f"ANON-{demande_id:08d}"
        demande.applicant_surname = ""
        s.flush()
        audit.redact(s.connection(), {"demande": [demande_id],
                                      "household_member": [m.id for m in demande.members]})
    engine.dispose()
    ddl = _transactional_ddl_engine(f"sqlite:///{path}")
    with ddl.begin() as connection:  # back to 0006, then the upgrade records the erasures
        migrate.downgrade(connection, "0006")
    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    ddl.dispose()
    engine = open_database(str(path))
    try:
        report = verify_chain(engine)
        assert report.ok, report.text()
        assert report.redacted > 0
        with engine.connect() as connection:
            listed = connection.execute(text(
                "SELECT entity, demande_id, action FROM purged_row ORDER BY id")).all()
        # the one row whose images were erased (its members' only entries kept nothing
        # to erase), recorded and audited: verify-db would flag a row missing from the log
        assert listed == [("demande", demande_id, "avant-0007")]
    finally:
        engine.dispose()
