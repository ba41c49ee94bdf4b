"""Every write is in the hash-chained log, and tampering behind the app's back shows."""

from __future__ import annotations

import hashlib
import itertools
import json

import pytest
from db.factories import make_demande, make_dwelling, make_session_with_agenda
from sqlalchemy import Engine, select, text, update

from caleol.db.audit import GENESIS, current_os_user, entry_hash, image_digest
from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry, Demande, Dwelling, SignedDocument
from caleol.services.audit import verify_chain


def _entries(engine: Engine) -> list[AuditEntry]:
    with session_scope(engine) as s:
        return list(s.exec(select(AuditEntry).order_by(AuditEntry.id)).scalars())


def _raw(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), params)


def test_insert_update_delete_are_logged_with_before_and_after(engine: Engine) -> None:
    with session_scope(engine) as s:
        dwelling_id = make_dwelling(s, rent_cents=45_000).id
    with session_scope(engine) as s:
        s.get(Dwelling, dwelling_id).rent_cents = 46_500
    with session_scope(engine) as s:
        s.delete(s.get(Dwelling, dwelling_id))
    entries = [e for e in _entries(engine) if e.entity == "dwelling"]
    assert [e.action for e in entries] == ["insert", "update", "delete"]
    inserted, updated, deleted = entries
    assert inserted.before is None and json.loads(inserted.after)["rent_cents"] == 45_000
    assert json.loads(updated.before)["rent_cents"] == 45_000
    assert json.loads(updated.after)["rent_cents"] == 46_500
    assert json.loads(updated.after)["version"] == 2
    assert deleted.after is None and json.loads(deleted.before)["rent_cents"] == 46_500
    assert {e.os_user for e in entries} == {current_os_user()}
    assert all(e.entity_id == dwelling_id for e in entries)


def test_entries_form_a_chain_from_genesis(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_demande(s, children=2)
    entries = _entries(engine)
    # demande + applicant + 2 children + 1 resource = 5 rows written, 5 entries
    assert len(entries) == 5
    assert entries[0].prev_hash == GENESIS
    for previous, entry in itertools.pairwise(entries):
        assert entry.prev_hash == previous.hash
    first = entries[0]
    assert first.hash == entry_hash(
        at=first.at, os_user=first.os_user, entity=first.entity, entity_id=first.entity_id,
        action=first.action, before_sha256=image_digest(first.before),
        after_sha256=image_digest(first.after), prev_hash=first.prev_hash,
    )
    assert first.after_sha256 == hashlib.sha256(first.after.encode()).hexdigest()
    assert first.before is None and first.before_sha256 is None  # an insert


def test_unchanged_flush_writes_no_entry(engine: Engine) -> None:
    with session_scope(engine) as s:
        dwelling_id = make_dwelling(s).id
    count = len(_entries(engine))
    with session_scope(engine) as s:
        dwelling = s.get(Dwelling, dwelling_id)
        dwelling.rent_cents = dwelling.rent_cents  # set to the same value
    assert len(_entries(engine)) == count


def test_rolled_back_write_leaves_no_entry(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        make_dwelling(s)
        raise RuntimeError("abandon")
    assert _entries(engine) == []


def test_bulk_statements_that_bypass_the_log_are_refused(engine: Engine) -> None:
    with pytest.raises(RuntimeError, match="audit"), session_scope(engine) as s:
        s.execute(update(Dwelling).values(rent_cents=1))


def test_clean_database_verifies(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_session_with_agenda(s, dwellings=2, candidates=3)
    report = verify_chain(engine)
    assert report.ok, report.text()
    assert report.entries == report.rows > 0
    assert "aucune anomalie" in report.text()


def test_row_changed_behind_the_apps_back_is_reported(engine: Engine) -> None:
    with session_scope(engine) as s:
        demande_id = make_demande(s, cotation_score=120).id
    _raw(engine, "UPDATE demande SET cotation_score = 999 WHERE id = :id", id=demande_id)
    report = verify_chain(engine)
    assert not report.ok
    assert any(
        f"demande n° {demande_id}" in p and "modifiée hors de l'application" in p
        and "cotation_score" in p
        for p in report.problems
    ), report.text()
    assert report.first_broken_link is None  # the chain itself is intact


def test_row_inserted_or_deleted_behind_the_apps_back_is_reported(engine: Engine) -> None:
    with session_scope(engine) as s:
        demande = make_demande(s, children=0)
        resource_id = demande.resources[0].id
    _raw(engine, "DELETE FROM resource WHERE id = :id", id=resource_id)
    _raw(engine, "INSERT INTO reason (code, label, kind, unlawful_alone, position, active)"
                 " VALUES ('X', 'ajout', 'non_attribution', false, 0, true)")
    problems = "\n".join(verify_chain(engine).problems)
    assert f"resource n° {resource_id} : supprimée hors de l'application" in problems
    assert "reason n° 1 : absente du journal" in problems


def test_edited_audit_entry_is_the_first_broken_link(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s)
        make_dwelling(s)
    entries = _entries(engine)
    victim = entries[1]
    # The triggers forbid editing the log; a determined attacker drops them first.
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_entry_immutable_update")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        connection.execute(text("UPDATE audit_entry SET os_user = 'intrus' WHERE id = :id"),
                           {"id": victim.id})
    report = verify_chain(engine)
    assert report.first_broken_link is not None
    assert f"entrée n° {victim.id} " in report.first_broken_link
    assert "contenu modifié" in report.first_broken_link


def test_deleted_audit_entry_breaks_the_chain(engine: Engine) -> None:
    with session_scope(engine) as s:
        for _ in range(3):
            make_dwelling(s)
    entries = _entries(engine)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_entry_immutable_delete")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        connection.execute(text("DELETE FROM audit_entry WHERE id = :id"),
                           {"id": entries[1].id})
    report = verify_chain(engine)
    assert f"entrée n° {entries[2].id} " in report.first_broken_link
    assert "ne suit pas l'entrée précédente" in report.first_broken_link


def test_signed_document_replaced_behind_the_apps_back_is_reported(engine: Engine) -> None:
    content = b"%PDF-1.7 proces-verbal signe"
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=0)
        sitting.status = "closed"  # a PV is stored for a closed séance only
        s.flush()
        doc = SignedDocument(session_id=sitting.id, kind="pv", signer="La présidente",
                             sha256=hashlib.sha256(content).hexdigest(), content=content)
        s.add(doc)
        s.flush()
        doc_id = doc.id
    assert verify_chain(engine).ok
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER signed_document_immutable_update")
        else:
            connection.exec_driver_sql("ALTER TABLE signed_document DISABLE TRIGGER USER")
        connection.execute(text("UPDATE signed_document SET content = :c WHERE id = :id"),
                           {"c": b"%PDF-1.7 faux", "id": doc_id})
    problems = "\n".join(verify_chain(engine).problems)
    assert f"document signé n° {doc_id}" in problems
    assert "signed_document n° 1 : modifiée hors de l'application" in problems


def test_problem_list_is_capped_but_counted(engine: Engine) -> None:
    with session_scope(engine) as s:
        ids = [make_demande(s, children=0).id for _ in range(4)]
    for demande_id in ids:
        _raw(engine, "UPDATE demande SET notes = 'x' WHERE id = :id", id=demande_id)
    report = verify_chain(engine, limit=2)
    assert len(report.problems) == 2 and report.truncated == 2
    assert "et 2 autres anomalies non affichées" in report.text()


def test_demande_changes_are_chained_across_transactions(engine: Engine) -> None:
    with session_scope(engine) as s:
        demande_id = make_demande(s).id
    for score in (10, 20, 30):
        with session_scope(engine) as s:
            s.get(Demande, demande_id).cotation_score = score
    assert verify_chain(engine).ok


def test_rolled_back_savepoint_does_not_break_the_chain(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_dwelling(s, reference="GARDE")
        with pytest.raises(RuntimeError), s.begin_nested():
            make_dwelling(s, reference="ANNULE")
            raise RuntimeError("annulé")
        make_dwelling(s, reference="APRES")
    with session_scope(engine) as s:
        assert sorted(s.scalars(select(Dwelling.reference))) == ["APRES", "GARDE"]
    report = verify_chain(engine)
    assert report.ok, report.text()
    assert report.entries == 2
