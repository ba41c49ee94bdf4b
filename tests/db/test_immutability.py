"""A closed or signed séance cannot be changed, even by SQL outside the application.

Every statement here is raw SQL on a separate connection, as a tool like DB Browser
would send it; the triggers of the initial migration must reject it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date

import pytest
from db.factories import decide_all, make_demande, make_dwelling, make_session_with_agenda
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from caleol.db.engine import session_scope
from caleol.db.errors import translate_db_error
from caleol.db.models import (
    AgendaItem,
    Attendance,
    AuditEntry,
    Candidacy,
    CandidacyEvent,
    CommissionSession,
    Decision,
    PurgedRow,
    Rectification,
    SignedDocument,
)
from caleol.errors import FrozenError


def _sitting(engine: Engine, status: str) -> dict[str, int]:
    """A séance with one dwelling, three decided candidacies, then moved to `status`."""
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=3)
        decide_all(s, sitting)
        item = sitting.agenda_items[0]
        candidacy = item.candidacies[0]
        ids = {
            "session": sitting.id,
            "item": item.id,
            "candidacy": candidacy.id,
            "decision": candidacy.decision.id,
            "member": sitting.commission.members[0].id,
            "dwelling": make_dwelling(s).id,
            "demande": make_demande(s).id,
        }
        s.add(Attendance(session_id=sitting.id, member_id=ids["member"]))
        s.flush()  # the status UPDATE would otherwise run before these INSERTs
        sitting.status = "closed"
        if status == "signed":
            s.flush()
            sign(s, sitting)
    return ids


def sign(s: Session, sitting: CommissionSession) -> SignedDocument:
    """Store the séance's signed PV, then mark it signed: the only way (revision 0007)."""
    content = b"%PDF-1.7 proces-verbal signe"
    document = SignedDocument(session_id=sitting.id, kind="pv", signer="La présidente",
                              sha256=hashlib.sha256(content).hexdigest(), content=content)
    s.add(document)
    s.flush()
    sitting.status = "signed"
    sitting.signed_at = document.signed_at
    s.flush()
    return document


def _raw(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as connection:
        connection.execute(text(sql), params)


def _assert_frozen(engine: Engine, sql: str, **params: object) -> None:
    with pytest.raises(DBAPIError) as caught:
        _raw(engine, sql, **params)
    assert isinstance(translate_db_error(caught.value), FrozenError), str(caught.value)


@pytest.fixture(params=["closed", "signed"])
def frozen(request: pytest.FixtureRequest, engine: Engine) -> Iterator[tuple[Engine, dict]]:
    yield engine, _sitting(engine, request.param)


FROZEN_WRITES = [
    ("UPDATE commission_session SET place = 'ailleurs' WHERE id = :session", "session"),
    ("DELETE FROM commission_session WHERE id = :session", "session"),
    ("UPDATE commission_session SET status = 'held' WHERE id = :session", "session"),
    ("UPDATE attendance SET status = 'absent' WHERE session_id = :session", "session"),
    ("DELETE FROM attendance WHERE session_id = :session", "session"),
    ("UPDATE agenda_item SET candidate_count_exception = 'dalo' WHERE id = :item", "item"),
    ("DELETE FROM agenda_item WHERE id = :item", "item"),
    ("UPDATE candidacy SET proposed_rank = 9 WHERE id = :candidacy", "candidacy"),
    ("DELETE FROM candidacy WHERE id = :candidacy", "candidacy"),
    ("UPDATE decision SET kind = 'non_attribution' WHERE id = :decision", "decision"),
    ("DELETE FROM decision WHERE id = :decision", "decision"),
]


@pytest.mark.parametrize(("sql", "key"), FROZEN_WRITES)
def test_raw_sql_cannot_change_a_frozen_session(frozen: tuple[Engine, dict], sql: str,
                                                key: str) -> None:
    engine, ids = frozen
    _assert_frozen(engine, sql, **{key: ids[key]})


def test_raw_sql_cannot_add_rows_to_a_frozen_session(frozen: tuple[Engine, dict]) -> None:
    engine, ids = frozen
    _assert_frozen(
        engine,
        "INSERT INTO agenda_item (session_id, dwelling_id, position, exception_justification)"
        " VALUES (:session, :dwelling, 5, '')",
        session=ids["session"], dwelling=ids["dwelling"],
    )
    _assert_frozen(
        engine,
        "INSERT INTO candidacy (agenda_item_id, demande_id, added_by, suggestion_reasons)"
        " VALUES (:item, :demande, 'bailleur', '')",
        item=ids["item"], demande=ids["demande"],
    )
    _assert_frozen(
        engine,
        "INSERT INTO occupation_review (session_id, tenant_reference, tenant_name, motive,"
        " opinion, proposal) VALUES (:session, 'L1', 'X', 'sur_occupation', '', '')",
        session=ids["session"],
    )


def test_moving_a_row_into_a_frozen_session_is_refused(engine: Engine) -> None:
    ids = _sitting(engine, "closed")
    with session_scope(engine) as s:
        other = make_session_with_agenda(s, dwellings=1, candidates=1)
        other_item = other.agenda_items[0].id
    _assert_frozen(engine, "UPDATE agenda_item SET session_id = :session WHERE id = :item",
                   session=ids["session"], item=other_item)


def test_closed_session_can_be_signed_once(engine: Engine) -> None:
    ids = _sitting(engine, "closed")
    content = b"%PDF-1.7 pv"
    _raw(engine, "INSERT INTO signed_document (session_id, kind, filename, sha256, signer, "
                 "signed_at, content) VALUES (:session, 'pv', 'pv.pdf', :sha, 'X', :at, :c)",
         session=ids["session"], sha=hashlib.sha256(content).hexdigest(),
         at="2025-03-12 18:00:00.000000", c=content)
    _raw(engine, "UPDATE commission_session SET status = 'signed', signed_at = :at, "
                 "version = version + 1 WHERE id = :session",
         at="2025-03-12 18:00:00.000000", session=ids["session"])
    _assert_frozen(engine, "UPDATE commission_session SET signed_at = NULL WHERE id = :session",
                   session=ids["session"])
    _assert_frozen(engine, "UPDATE commission_session SET status = 'closed' WHERE id = :session",
                   session=ids["session"])


def test_signing_cannot_smuggle_another_change(engine: Engine) -> None:
    ids = _sitting(engine, "closed")
    _assert_frozen(
        engine,
        "UPDATE commission_session SET status = 'signed', place = 'ailleurs' WHERE id = :session",
        session=ids["session"],
    )


def test_orm_write_to_a_frozen_session_raises_french_frozen_error(engine: Engine) -> None:
    ids = _sitting(engine, "closed")
    with pytest.raises(FrozenError, match="close ou signée"), session_scope(engine) as s:
        s.get(Decision, ids["decision"]).kind = "non_attribution"
    with session_scope(engine) as s:
        assert s.get(Decision, ids["decision"]).kind == "attribution_rang"


def test_events_and_rectifications_stay_insertable_after_close(engine: Engine) -> None:
    ids = _sitting(engine, "signed")
    with session_scope(engine) as s:
        s.add(CandidacyEvent(candidacy_id=ids["candidacy"], kind="refusal",
                             date=date(2025, 3, 20), reason="logement trop éloigné"))
        s.add(Rectification(session_id=ids["session"], text="Erreur matérielle sur le rang."))
    with session_scope(engine) as s:
        assert s.get(Candidacy, ids["candidacy"]).events[0].kind == "refusal"


def test_draft_session_remains_editable_and_deletable(engine: Engine) -> None:
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=2)
        decide_all(s, sitting)
        sitting_id = sitting.id
    with session_scope(engine) as s:
        s.get(CommissionSession, sitting_id).place = "Salle du conseil"
    with session_scope(engine) as s:
        s.delete(s.get(CommissionSession, sitting_id))
    with session_scope(engine) as s:
        assert s.get(CommissionSession, sitting_id) is None
        assert s.scalar(select(func.count()).select_from(AgendaItem)) == 0


def test_signed_documents_and_audit_log_are_append_only(engine: Engine) -> None:
    ids = _sitting(engine, "signed")
    content = b"%PDF-1.7 extrait"
    with session_scope(engine) as s:
        doc = SignedDocument(session_id=ids["session"], kind="extrait",
                             sha256=hashlib.sha256(content).hexdigest(),
                             signer="Présidente", content=content)
        s.add(doc)
        s.flush()
        doc_id = doc.id
    for sql in (
        "UPDATE signed_document SET content = :blob WHERE id = :id",
        "DELETE FROM signed_document WHERE id = :id",
    ):
        _assert_frozen(engine, sql, blob=b"forged", id=doc_id)
    for sql in ("UPDATE audit_entry SET os_user = 'x' WHERE id = 1",
                "DELETE FROM audit_entry WHERE id = 1"):
        _assert_frozen(engine, sql)


@pytest.mark.parametrize("sql", [
    # redaction plus any other change: refused
    'UPDATE audit_entry SET "before" = NULL, "after" = NULL, redacted_at = CURRENT_TIMESTAMP,'
    " os_user = 'x' WHERE id = 1",
    'UPDATE audit_entry SET "after" = NULL, redacted_at = CURRENT_TIMESTAMP,'
    " after_sha256 = NULL WHERE id = 1",
    # rewriting an image (even while "redacting"): refused
    """UPDATE audit_entry SET "after" = '{"forged": true}', redacted_at = CURRENT_TIMESTAMP"""
    " WHERE id = 1",
    # erasing without saying so: refused
    'UPDATE audit_entry SET "after" = NULL WHERE id = 1',
])
def test_audit_images_may_only_be_erased_openly(engine: Engine, sql: str) -> None:
    with session_scope(engine) as s:
        make_dwelling(s)
    _assert_frozen(engine, sql)


def test_audit_image_erasure_of_a_purged_row_is_allowed_and_the_chain_still_verifies(
        engine: Engine) -> None:
    from caleol.services.audit import verify_chain

    with session_scope(engine) as s:
        make_demande(s)
    # entry 2 is not its row's last image; the purge lists the row before erasing
    with session_scope(engine) as s:
        entry = s.get(AuditEntry, 2)
        s.add(PurgedRow(demande_id=1, entity=entry.entity, entity_id=entry.entity_id,
                        action="anonymisation"))
    _raw(engine, 'UPDATE audit_entry SET "after" = NULL, redacted_at = CURRENT_TIMESTAMP'
                 " WHERE id = 2")
    report = verify_chain(engine)
    assert report.redacted == 1
    # the chain and the rows still verify; the recorded purge left the demande in place
    assert report.first_broken_link is None
    assert report.problems == [
        "purge n° 1 : la demande n° 1 est toujours là, ni supprimée ni anonymisée"]
