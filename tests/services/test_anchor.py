"""An anchor of the audit chain outside the database (issue 16, finding 10).

Anyone with write access and caleol's source can rebuild a whole valid hash chain:
`verify-db` alone then finds nothing. Each closing records the chain's head, the
signed PV prints it and carries it in its metadata, and a copy of that PV proves the
log was not rewritten before the closing (`verify-db --anchor`, the check on opening).
"""

from __future__ import annotations

import io
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sessions_factory import CLOSING, held
from sqlalchemy import Connection, Engine, func, select, text
from sqlmodel import SQLModel

from caleol.cli import main
from caleol.db.audit import entry_hash, image_digest, row_image
from caleol.db.engine import open_database, session_scope
from caleol.db.models import AuditEntry, ChainAnchor
from caleol.services import sessions
from caleol.services.anchor import Anchor, anchor_in_pdf, latest_anchor_problem
from caleol.services.audit import verify_chain
from caleol.services.documents.session_minutes import SigningKey, produce_minutes
from caleol.services.signing import create_demo_certificate


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    p12 = tmp_path_factory.mktemp("cert") / "demo.p12"
    create_demo_certificate(p12, b"pw")
    return SigningKey(p12, b"pw")


def _closed(engine: Engine) -> int:
    sitting = held(engine)
    for rank, candidacy in enumerate(sitting.candidacies, start=1):
        sessions.record_decision(engine, candidacy, "attribution_rang", unanimous=True,
                                 rank=rank)
    sessions.close_session(engine, sitting.session_id, **CLOSING)
    return sitting.session_id


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(
        io.BytesIO(pdf)).pages)


@pytest.fixture
def signed(engine: Engine, key: SigningKey, tmp_path: Path) -> tuple[Engine, int, Path]:
    session_id = _closed(engine)
    pv = tmp_path / "pv-signe.pdf"
    pv.write_bytes(produce_minutes(engine, session_id, key=key).pdf)
    return engine, session_id, pv


def test_the_closing_records_the_head_and_the_signed_pv_carries_it(
        signed: tuple[Engine, int, Path]) -> None:
    engine, session_id, pv = signed
    with session_scope(engine) as s:
        recorded = s.exec(select(ChainAnchor)).scalars().one()
        entry = s.exec(select(AuditEntry).where(
            AuditEntry.hash == recorded.head_hash)).scalars().one()
        position = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.id <= entry.id))
    # the head once the séance was closed: its last entry is the closing itself
    assert recorded.session_id == session_id and recorded.kind == "cloture"
    assert (entry.entity, entry.action) == ("commission_session", "update")
    assert '"status":"closed"' in entry.after
    assert recorded.entry_count == position
    pdf = pv.read_bytes()
    anchor = Anchor(recorded.entry_count, recorded.head_hash)
    assert anchor_in_pdf(pdf) == anchor  # in the metadata...
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None and info["/Keywords"] == anchor.keyword
    words = _pdf_text(pdf)  # ...and in the text of the signed PV
    assert re.search(r"Empreinte du journal d'audit à la clôture de la séance : "
                     rf"{recorded.head_hash[:20]}", words.replace(" ", " ")), words[-800:]
    assert f"({recorded.entry_count} entrées)" in words.replace(" ", " ")


def _rebuild_the_chain(engine: Engine) -> None:
    """What an attacker with the source does: change an early entry, then recompute
    every hash after it. The rebuilt chain is valid: verify-db alone sees nothing."""
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TRIGGER audit_entry_immutable_update")
        else:
            connection.exec_driver_sql("ALTER TABLE audit_entry DISABLE TRIGGER USER")
        rows = connection.execute(select(AuditEntry.__table__).order_by(  # type: ignore[attr-defined]
            text("id"))).mappings().all()
        prev = "0" * 64
        for row in rows:
            user = "intrus" if row["id"] == 1 else row["os_user"]
            digest = entry_hash(at=row["at"], os_user=user, entity=row["entity"],
                                entity_id=row["entity_id"], action=row["action"],
                                before_sha256=row["before_sha256"],
                                after_sha256=row["after_sha256"], prev_hash=prev)
            connection.execute(text("UPDATE audit_entry SET os_user = :u, prev_hash = :p, "
                                    "hash = :h WHERE id = :id"),
                               {"u": user, "p": prev, "h": digest, "id": row["id"]})
            prev = digest


def test_the_pv_proves_the_log_was_not_rewritten_before_the_closing(
        signed: tuple[Engine, int, Path], capsys: pytest.CaptureFixture[str]) -> None:
    engine, _, pv = signed
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        pytest.skip("la commande vise ici un fichier SQLite")
    assert main(["verify-db", "--anchor", str(pv), "--db", database]) == 0
    out = capsys.readouterr().out
    assert "la base n'a pas été réécrite avant la clôture de cette séance" in out
    assert "Empreintes du journal inscrites aux procès-verbaux signés de la base : 1" in out

    _rebuild_the_chain(engine)
    report = verify_chain(engine)
    assert report.first_broken_link is None  # a rebuilt chain is valid...
    assert main(["verify-db", "--anchor", str(pv), "--db", database]) == 1
    out = capsys.readouterr().out
    assert "ANOMALIE : l'entrée n° " in out and "du journal n'a plus l'empreinte" in out
    assert "le journal a été réécrit avant ce point" in out
    assert "procès-verbal signé n° 1 (séance n° " in out  # the stored PV says it too


def test_rewriting_is_reported_when_the_database_is_opened(
        signed: tuple[Engine, int, Path]) -> None:
    engine, _, _ = signed
    assert latest_anchor_problem(engine) is None
    _rebuild_the_chain(engine)
    problem = latest_anchor_problem(engine)
    assert problem is not None
    assert "ne contient plus l'empreinte inscrite au procès-verbal signé de la séance du " \
           "10 mars 2026" in problem
    assert "caleol verify-db" in problem


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")  # offscreen
def test_the_window_says_so_on_opening(qtbot, signed: tuple[Engine, int, Path],
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    from caleol import app as app_module

    engine, _, _ = signed
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        pytest.skip("la fenêtre ouvre ici un fichier SQLite")
    _rebuild_the_chain(engine)
    engine.dispose()
    shown: list[str] = []
    monkeypatch.setattr("caleol.ui.messages.show_error",
                        lambda parent, exc, *a, **k: shown.append(str(exc)))
    started = app_module.start(db=database, settings_file=tmp_path / "s.json",
                               ask=lambda: None)
    assert started is not None
    ctx, window = started
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: ctx.opened)
        assert ctx.engine is not None  # opened: the user must be able to look
        assert len(shown) == 1 and "la base a été réécrite en dehors de caleol" in shown[0]
    finally:
        window.close()


def test_a_pdf_without_anchor_is_a_french_error(tmp_path: Path, engine: Engine,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        pytest.skip("la commande vise ici un fichier SQLite")
    other = tmp_path / "autre.pdf"
    other.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert main(["verify-db", "--anchor", str(other), "--db", database]) == 2
    assert "ne porte pas d'empreinte du journal d'audit" in capsys.readouterr().err


def test_the_anchor_is_read_from_the_pdf_bytes() -> None:
    """Plain ASCII in the metadata: no PDF library needed; a truncated one is none."""
    assert anchor_in_pdf(b"%PDF-1.7 caleol-journal:12:" + b"a" * 63) is None
    head = "ab" * 32
    assert anchor_in_pdf(f"%PDF-1.7 /Keywords (caleol-journal:12:{head})".encode()) == \
        Anchor(12, head)


def _append_entry(connection: Connection, entity: str, entity_id: int, action: str) -> None:
    """A well-formed entry for a raw write, appended at the head: what an attacker with
    the source writes so that the chain, the row and its last image all agree."""
    entries = AuditEntry.__table__  # type: ignore[attr-defined]
    last = connection.execute(select(entries.c.after).where(
        entries.c.entity == entity, entries.c.entity_id == entity_id
    ).order_by(entries.c.id.desc()).limit(1)).scalar_one()
    table = SQLModel.metadata.tables[entity]
    row = connection.execute(select(table).where(table.c.id == entity_id)).mappings().first()
    after = row_image(row) if row is not None and action != "delete" else None
    head_id, prev = connection.execute(
        select(entries.c.id, entries.c.hash).order_by(entries.c.id.desc()).limit(1)).one()
    at = datetime(2026, 6, 1, tzinfo=UTC)
    digests = {"before_sha256": image_digest(last), "after_sha256": image_digest(after)}
    digest = entry_hash(at=at, os_user="secretariat", entity=entity, entity_id=entity_id,
                        action=action, prev_hash=prev, **digests)
    connection.execute(entries.insert().values(
        id=head_id + 1, at=at, os_user="secretariat", entity=entity, entity_id=entity_id,
        action=action, before=last, after=after, prev_hash=prev, hash=digest, **digests))


def _with_triggers_off(connection: Connection, table: str, sql: str) -> None:
    if connection.dialect.name == "sqlite":
        names = [r[0] for r in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))]
        saved = [r[0] for r in connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))]
        for name in names:
            connection.exec_driver_sql(f"DROP TRIGGER {name}")
        connection.exec_driver_sql(sql)
        for create in saved:  # put back as they were: the schema check sees nothing
            connection.exec_driver_sql(create)
        return
    connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    connection.exec_driver_sql(sql)
    connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_a_frozen_decision_changed_with_a_well_formed_entry_is_flagged(engine: Engine
                                                                       ) -> None:
    """Triggers dropped and put back, the decision's votes changed, a valid entry
    appended after the closing's anchor: the chain, the row, its image and the schema
    all agree, and the anchor still holds (nothing before it changed). Through caleol
    no entry touches a séance's rows after its anchor: verify-db says so (audit16)."""
    session_id = _closed(engine)
    with engine.begin() as connection:
        decision_id = connection.exec_driver_sql(
            "SELECT min(d.id) FROM decision d JOIN candidacy c ON c.id = d.candidacy_id "
            f"JOIN agenda_item a ON a.id = c.agenda_item_id WHERE a.session_id = {session_id}"
        ).scalar_one()
        _with_triggers_off(connection, "decision", "UPDATE decision SET unanimous = false, "
                           f"votes_for = 2, votes_against = 3 WHERE id = {decision_id}")
        _append_entry(connection, "decision", decision_id, "update")
    rectification_id = sessions.add_rectification(engine, session_id, "Erreur de rang")
    with engine.begin() as connection:
        _with_triggers_off(connection, "rectification", "UPDATE rectification SET "
                           f"text = 'Autre chose' WHERE id = {rectification_id}")
        _append_entry(connection, "rectification", rectification_id, "update")
    report = verify_chain(engine)
    problems = "\n".join(report.problems)
    assert report.first_broken_link is None  # the chain verifies...
    assert f"(decision n° {decision_id}, update, par secretariat) : modifie une ligne de la " \
           f"séance n° {session_id} après sa clôture" in problems  # ...this entry does not
    assert f"(rectification n° {rectification_id}, update, par secretariat) : une ligne de " \
           "rectification, que caleol ne modifie ni ne supprime jamais" in problems


def test_a_backup_whose_chain_was_rewritten_whole_is_not_restored(
        signed: tuple[Engine, int, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A rebuilt chain verifies, so restore (which checked the chain) put such a backup
    in place; its own signed PV's anchor gives it away (audit16)."""
    engine, _, _ = signed
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database:
        pytest.skip("la restauration vise un fichier SQLite")
    current = tmp_path / "actuelle.sqlite3"
    open_database(str(current), create=True).dispose()
    content = current.read_bytes()
    with sqlite3.connect(current) as reference:
        trigger = reference.execute("SELECT sql FROM sqlite_master WHERE name = "
                                    "'audit_entry_immutable_update'").fetchone()[0]
    reference.close()
    _rebuild_the_chain(engine)
    with engine.begin() as connection:  # the dropped trigger put back: schema conformant
        connection.exec_driver_sql(trigger)
    assert verify_chain(engine).ok
    engine.dispose()
    assert main(["restore", database, "--db", str(current)]) == 2
    err = capsys.readouterr().err
    assert "rien n'a été remplacé" in err and "le journal a été réécrit avant ce point" in err
    assert current.read_bytes() == content


def test_a_pv_of_another_base_is_not_taken_for_a_rewrite_without_saying_so(
        signed: tuple[Engine, int, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The wrong --db reads like a rewritten log: the report says which it may be, and
    names the entry by its rank (ids may have gaps on PostgreSQL) (audit16)."""
    engine, _, pv = signed
    if engine.dialect.name != "sqlite" or not engine.url.database:
        pytest.skip("la commande vise ici un fichier SQLite")
    assert main(["verify-db", "--anchor", str(pv), "--db", engine.url.database]) == 0
    out = capsys.readouterr().out
    assert re.search(r"la \d+e entrée du journal a toujours cette empreinte", out), out
    other = tmp_path / "autre-commission.sqlite3"
    open_database(str(other), create=True).dispose()
    assert main(["verify-db", "--anchor", str(pv), "--db", str(other)]) == 1
    out = capsys.readouterr().out
    assert "le journal a été réécrit avant ce point" in out
    assert "à moins que ce procès-verbal ne soit celui d'une autre base" in out
