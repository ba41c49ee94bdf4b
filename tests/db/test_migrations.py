"""Alembic: the migrated schema is the models' schema, upgrades are step-wise and atomic."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from db.factories import make_dwelling
from sqlalchemy import Engine, inspect, select
from sqlmodel import SQLModel

from caleol.db import migrate, revisions, text_search
from caleol.db.backup import backups_of
from caleol.db.engine import _transactional_ddl_engine, open_database, session_scope
from caleol.db.models import Dwelling

EXTRA_REVISION = '''
"""Test-only second revision."""
import sqlalchemy as sa
from alembic import op

revision = "0002_test"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("test_extra", sa.Column("id", sa.Integer(), primary_key=True))
    {fail}


def downgrade() -> None:
    op.drop_table("test_extra")
'''


def test_migrated_schema_has_no_drift_from_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": text_search.include_name})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_alembic_check_finds_nothing_to_generate(engine: Engine) -> None:
    with engine.connect() as connection:
        command.check(migrate.alembic_config(connection))  # raises on any drift


def test_every_revision_upgrades_from_its_predecessor_and_back(tmp_path: Path) -> None:
    revisions = list(reversed(list(migrate.script_directory().walk_revisions())))
    url = f"sqlite:///{tmp_path / 'steps.sqlite3'}"
    ddl = _transactional_ddl_engine(url)
    try:
        for script in revisions:
            with ddl.begin() as connection:
                migrate.upgrade(connection, script.revision)
            with ddl.connect() as connection:
                assert migrate.current_revision(connection) == script.revision
        with ddl.begin() as connection:
            migrate.downgrade(connection, "base")
        with ddl.connect() as connection:
            assert inspect(connection).get_table_names() == ["alembic_version"]
        with ddl.begin() as connection:
            migrate.upgrade(connection, "head")
    finally:
        ddl.dispose()


def _with_extra_revision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail: bool) -> str:
    """Copy the packaged migrations and add a revision 0002 after the current head."""
    head = migrate.head_revision()
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    body = EXTRA_REVISION.format(
        down=head, fail='raise RuntimeError("panne au milieu de la migration")' if fail else ""
    )
    (copy / "versions" / "0002_test.py").write_text(body, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    monkeypatch.setattr(revisions, "VERSIONS_DIR", copy / "versions")  # the fast check
    return head


def test_older_database_is_backed_up_then_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ancienne.sqlite3"
    old = open_database(str(path), create=True)  # at the packaged head = "previous" revision here
    with session_scope(old) as s:
        make_dwelling(s, reference="AVANT-MIGRATION")
    old.dispose()
    previous = _with_extra_revision(tmp_path, monkeypatch, fail=False)

    engine = open_database(str(path), backup_dir=tmp_path / "sauvegardes")
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == "0002_test"
        assert "test_extra" in inspect(connection).get_table_names()
    with session_scope(engine) as s:
        assert s.scalars(select(Dwelling.reference)).all() == ["AVANT-MIGRATION"]
    engine.dispose()

    [backup] = backups_of(path, tmp_path / "sauvegardes")
    assert backup.name.endswith("-avant-migration.sqlite3")
    monkeypatch.undo()
    saved = open_database(str(backup), upgrade=False)
    with saved.connect() as connection:
        assert migrate.current_revision(connection) == previous
    saved.dispose()


def test_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "base.sqlite3"
    open_database(str(path), create=True).dispose()
    head = _with_extra_revision(tmp_path, monkeypatch, fail=True)
    with pytest.raises(RuntimeError, match="panne"):
        open_database(str(path), backup_dir=tmp_path / "sauvegardes")
    monkeypatch.undo()
    engine = open_database(str(path), upgrade=False)
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == head
        assert "test_extra" not in inspect(connection).get_table_names()
    engine.dispose()
