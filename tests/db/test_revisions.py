"""The Alembic-free revision check must agree with Alembic."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from caleol.db import migrate, revisions
from caleol.db.engine import open_database


def test_packaged_head_is_alembics() -> None:
    assert revisions.packaged_head() == migrate.head_revision()


def test_fresh_database_is_up_to_date(tmp_path: Path) -> None:
    engine = open_database(str(tmp_path / "a.sqlite3"), create=True)
    with engine.connect() as connection:
        assert revisions.stored_revision(connection) == migrate.head_revision()
        assert revisions.is_up_to_date(connection)
    engine.dispose()


def test_older_or_empty_database_is_not(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    with engine.begin() as connection:
        assert revisions.stored_revision(connection) is None  # no version table
        assert not revisions.is_up_to_date(connection)
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0001')"))
        assert revisions.stored_revision(connection) == "0001"
        assert revisions.is_up_to_date(connection) is (migrate.head_revision() == "0001")
    engine.dispose()


def test_head_of_a_branched_or_empty_folder_is_unknown(tmp_path: Path, monkeypatch) -> None:
    for name, rev, down in (("a.py", "0001", "None"), ("b.py", "0002", "'0001'"),
                            ("c.py", "0003", "'0001'")):
        (tmp_path / name).write_text(f"revision: str = '{rev}'\ndown_revision = {down}\n")
    monkeypatch.setattr(revisions, "VERSIONS_DIR", tmp_path)
    assert revisions.packaged_head() is None  # two heads: let Alembic decide
    (tmp_path / "c.py").unlink()
    revisions._head_of.cache_clear()
    assert revisions.packaged_head() == "0002"
    empty = tmp_path / "vide"
    empty.mkdir()
    monkeypatch.setattr(revisions, "VERSIONS_DIR", empty)
    assert revisions.packaged_head() is None
