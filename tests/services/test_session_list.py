"""The Séances list's one reading (`caleol.services.session_list`), light and not.

At start the list is read with sqlite3 (or psycopg) before the database is opened
(issue 19); afterwards through the engine. Both must show what the ORM knows of each
séance (its workspace's summary), and the light read must step aside silently when
it cannot be sure of the schema.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sessions_factory import attend, prepare
from sqlalchemy import Engine, text

from caleol.db.urls import database_url
from caleol.errors import ValidationError
from caleol.services import organisation as org
from caleol.services import session_list
from caleol.services import sessions as svc
from caleol.services.session_list import light_sessions

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "exemple-organisation.toml"


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_a_base_a_landlord_set_up_lists_no_seance(engine: Engine) -> None:
    org.apply_setup_file(engine, EXAMPLE)
    assert light_sessions(url_of(engine)) == ()
    assert svc.list_sessions(engine) == ()


def test_the_light_read_is_each_seance_as_its_workspace_sums_it_up(engine: Engine) -> None:
    sitting = prepare(engine, candidates=3)
    attend(engine, sitting, 5)
    later = svc.create_session(engine, sitting.world.commission_id,
                               svc.session_detail(engine, sitting.session_id).summary.date
                               .replace(year=2031), place="")
    light = light_sessions(url_of(engine))
    assert light is not None
    assert [row.id for row in light] == [later, sitting.session_id]  # most recent first
    assert light == svc.list_sessions(engine)
    for row in light:  # the ORM's own reading of the same séance
        assert row == svc.session_detail(engine, row.id).summary
    held = light[1]
    assert (held.dwellings, held.candidacies, held.status) == (1, 3, "held")
    assert held.status_label == "en cours" and held.commission


def test_the_cli_filters_keep_their_checks(engine: Engine) -> None:
    sitting = prepare(engine)
    assert [r.id for r in svc.list_sessions(engine, status="held")] == [sitting.session_id]
    assert svc.list_sessions(engine, status="draft") == ()
    assert svc.list_sessions(engine, commission_id=sitting.world.commission_id + 99) == ()
    with pytest.raises(ValidationError, match="Statut inconnu"):
        svc.list_sessions(engine, status="perdue")


def test_another_schema_revision_is_not_read(sqlite_engine: Engine) -> None:
    url = url_of(sqlite_engine)
    assert light_sessions(url) == ()
    with sqlite_engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert light_sessions(url) is None


def test_a_head_that_cannot_be_told_is_not_read(sqlite_engine: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_list, "packaged_head", lambda: None)
    assert light_sessions(url_of(sqlite_engine)) is None


def test_no_file_no_caleol_base_or_a_lock_is_not_read(tmp_path: Path,
                                                      sqlite_engine: Engine) -> None:
    missing = tmp_path / "absente.sqlite3"
    assert light_sessions(database_url(str(missing))) is None
    assert not missing.exists()  # read-only: never created
    other = tmp_path / "autre.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert light_sessions(database_url(str(other))) is None
    (tmp_path / "texte.sqlite3").write_text("pas une base")
    assert light_sessions(database_url(str(tmp_path / "texte.sqlite3"))) is None
    assert light_sessions("sqlite://") is None  # in memory: nothing to read

    sqlite_engine.dispose()
    locker = sqlite3.connect(str(sqlite_engine.url.database), timeout=0)
    locker.execute("PRAGMA journal_mode=DELETE")
    locker.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch = pytest.MonkeyPatch()
        monkeypatch.setattr(session_list, "BUSY_SECONDS", 0.05)
        try:
            assert light_sessions(url_of(sqlite_engine)) is None
        finally:
            monkeypatch.undo()
    finally:
        locker.rollback()
        locker.close()
    assert light_sessions(url_of(sqlite_engine)) == ()
