"""Migration 0006: confirmed times, second reason, unanimity, casting vote holder, reason↔check.

A séance closed before the upgrade keeps its rows and its immutability: its times
are not confirmed (they may be the clock of the closing), and signing it can still
change nothing but the status.
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
def before_0006(tmp_path: Path) -> tuple[Engine, int]:
    """A database at 0005 with a closed séance and the charter's reason « PLAFOND »."""
    ddl, session_id = decided_session_at(tmp_path / "agence.sqlite3", "0005")
    with ddl.begin() as connection:
        connection.execute(text("INSERT INTO reason (code, label, kind, unlawful_alone, "
                                "position, active) VALUES ('PLAFOND', 'Ressources supérieures "
                                "au plafond', 'irrecevabilite', 0, 1, 1)"))
        connection.execute(text("UPDATE commission_session SET status = 'closed' WHERE id = :i"),
                           {"i": session_id})
    yield ddl, session_id
    ddl.dispose()


def test_upgrade_keeps_a_closed_seance_frozen_and_tags_the_charter_reasons(before_0006) -> None:  # type: ignore[no-untyped-def]
    ddl, session_id = before_0006
    with ddl.begin() as connection:
        migrate.upgrade(connection, "head")
    with ddl.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("decision")}
        assert {"second_reason_id", "unanimous", "casting_vote_member_id"} <= columns
        assert connection.execute(text(
            "SELECT times_confirmed FROM commission_session WHERE id = :i"),
            {"i": session_id}).scalar_one() in (0, False)
        assert connection.execute(text(
            "SELECT contradicts_check FROM reason WHERE code = 'PLAFOND'")).scalar_one() == (
            "ceiling")
    with ddl.begin() as connection:  # its signed PV, stored
        connection.execute(text(
            "INSERT INTO signed_document (session_id, kind, filename, sha256, signer, "
            "signed_at, content) VALUES (:i, 'pv', 'pv.pdf', :sha, 'Présidente', "
            "'2026-03-12 18:00:00.000000', :pdf)"), {"i": session_id, "sha": "0" * 64,
                                                  "pdf": b"%PDF-1.7 signed"})
    sign = ("UPDATE commission_session SET status = 'signed', "
            "signed_at = '2026-03-12 18:00:00.000000'")
    for sql in (
        # signing may not confirm the times behind the secretary's back
        f"{sign}, times_confirmed = 1 WHERE id = :i",
        "UPDATE decision SET unanimous = 1",
    ):
        with pytest.raises(DBAPIError) as caught, ddl.begin() as connection:
            connection.execute(text(sql), {"i": session_id})
        assert isinstance(translate_db_error(caught.value), FrozenError), sql
    with ddl.begin() as connection:  # signing alone is still allowed
        connection.execute(text(f"{sign} WHERE id = :i"), {"i": session_id})
    with ddl.begin() as connection:
        migrate.downgrade(connection, "0005")
    with ddl.connect() as connection:
        assert "times_confirmed" not in {
            c["name"] for c in inspect(connection).get_columns("commission_session")}
