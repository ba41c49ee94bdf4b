"""Migration 0011: a séance's convened time, the candidacy a rectification corrects.

Existing séances, closed ones too, get their current start time as their convened
time (the only time known), and stay frozen: signing may not change it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from db.factories import decided_session_at
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from caleol.db import migrate
from caleol.db.errors import translate_db_error
from caleol.errors import FrozenError


@pytest.fixture
def before_0011(tmp_path: Path) -> tuple[Engine, int]:
    """A database at 0010 with a closed séance started at 14 h 05."""
    ddl, session_id = decided_session_at(tmp_path / "agence.sqlite3", "0010")
    with ddl.begin() as connection:
        connection.execute(text("UPDATE commission_session SET status = 'closed', "
                                "start_time = '14:05:00.000000' WHERE id = :i"),
                           {"i": session_id})
    yield ddl, session_id
    ddl.dispose()


def test_upgrade_gives_closed_seances_their_start_as_convened_time(before_0011) -> None:  # type: ignore[no-untyped-def]
    ddl, session_id = before_0011
    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    with ddl.connect() as connection:
        assert "candidacy_id" in {
            c["name"] for c in inspect(connection).get_columns("rectification")}
        assert connection.execute(text(
            "SELECT convened_time FROM commission_session WHERE id = :i"),
            {"i": session_id}).scalar_one() == "14:05:00.000000"
    with ddl.begin() as connection:  # its signed PV, stored
        connection.execute(text(
            "INSERT INTO signed_document (session_id, kind, filename, sha256, signer, "
            "signed_at, content) VALUES (:i, 'pv', 'pv.pdf', :sha, 'Présidente', "
            "'2026-03-12 18:00:00.000000', :pdf)"), {"i": session_id, "sha": "0" * 64,
                                                  "pdf": b"%PDF-1.7 signed"})
    sign = ("UPDATE commission_session SET status = 'signed', "
            "signed_at = '2026-03-12 18:00:00.000000'")
    with pytest.raises(DBAPIError) as caught, ddl.begin() as connection:
        connection.execute(text(f"{sign}, convened_time = '09:30:00.000000' WHERE id = :i"),
                           {"i": session_id})
    assert isinstance(translate_db_error(caught.value), FrozenError)
    with ddl.begin() as connection:  # signing alone is still allowed
        connection.execute(text(f"{sign} WHERE id = :i"), {"i": session_id})
    with ddl.begin() as connection:
        migrate.downgrade(connection, "0010")
    with ddl.connect() as connection:
        assert "convened_time" not in {
            c["name"] for c in inspect(connection).get_columns("commission_session")}
        assert "candidacy_id" not in {
            c["name"] for c in inspect(connection).get_columns("rectification")}
