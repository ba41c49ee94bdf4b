"""`caleol restore` replaces the database only by a verified caleol database of a
revision this caleol can open (issue 16, finding 7).

It used to accept another application's Alembic SQLite file and a database of a newer
caleol (exit 0, the base replaced, then unusable). Each refusal here exits 2 and leaves
the current database byte for byte as it was, with nothing set aside.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from db.factories import make_demande, make_dwelling
from sqlalchemy import text

from caleol.cli import main
from caleol.db.engine import _transactional_ddl_engine, open_database, session_scope
from caleol.db.identify import Kind, identify_sqlite
from caleol.db.revisions import packaged_head


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """The database in use, with one demande."""
    path = tmp_path / "caleol.sqlite3"
    engine = open_database(str(path), create=True)
    with session_scope(engine) as s:
        make_demande(s, applicant_surname="ACTUELLE")
    engine.dispose()
    return path


def _a_backup(tmp_path: Path, name: str = "sauvegarde.sqlite3") -> Path:
    """A sound caleol database with two dwellings, as a backup would be."""
    path = tmp_path / "sauvegardes" / name
    path.parent.mkdir(exist_ok=True)
    engine = open_database(str(path), create=True)
    with session_scope(engine) as s:
        make_dwelling(s, reference="SAUVEGARDE-1")
        make_dwelling(s, reference="SAUVEGARDE-2")
    engine.dispose()
    return path


def _refused(current: Path, backup: Path, capsys: pytest.CaptureFixture[str],
             *expected: str) -> str:
    content = current.read_bytes()
    code = main(["restore", str(backup), "--db", str(current)])
    err = capsys.readouterr().err
    assert code == 2, err
    for words in expected:
        assert words in err, err
    assert "la base actuelle n'a pas été modifiée" in err
    assert "Traceback" not in err
    assert current.read_bytes() == content
    assert sorted(p.name for p in current.parent.iterdir()
                  if p.name.startswith(current.name)) == [current.name]  # nothing aside
    return err


def test_another_applications_alembic_file_is_refused(current: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    other = tmp_path / "autre-appli.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    connection.close()
    _refused(current, other, capsys, "pas une sauvegarde caleol",
             "base d'une autre application (tables invoices")


def test_a_database_of_a_newer_caleol_is_refused(current: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    newer = _a_backup(tmp_path)
    with sqlite3.connect(newer) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.close()
    _refused(current, newer, capsys, "version plus récente de caleol (révision « 0099 »)")


def test_a_backup_whose_audit_chain_was_rewritten_is_refused(
        current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    forged = _a_backup(tmp_path)
    with sqlite3.connect(forged) as connection:  # the triggers dropped, one entry edited
        connection.execute("DROP TRIGGER audit_entry_immutable_update")
        connection.execute("UPDATE audit_entry SET os_user = 'intrus' WHERE id = 1")
    connection.close()
    _refused(current, forged, capsys, "ne passe pas la vérification", "journal d'audit",
             "entrée n° 1")


def test_a_backup_with_a_protection_removed_is_refused(current: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    weakened = _a_backup(tmp_path)
    with sqlite3.connect(weakened) as connection:
        connection.execute("DROP TRIGGER decision_frozen_update")
    connection.close()
    _refused(current, weakened, capsys, "protection « decision_frozen_update » supprimée")


def test_a_row_forged_in_the_backup_is_refused(current: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    forged = _a_backup(tmp_path)
    with sqlite3.connect(forged) as connection:
        connection.execute("UPDATE dwelling SET rent_cents = 1 WHERE reference = 'SAUVEGARDE-1'")
    connection.close()
    _refused(current, forged, capsys, "dwelling n° 1 : modifiée hors de l'application")


def test_a_sound_backup_of_an_older_revision_is_restored_and_brought_up_to_date(
        current: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    older = tmp_path / "sauvegardes" / "ancienne.sqlite3"
    older.parent.mkdir()
    ddl = _transactional_ddl_engine(f"sqlite:///{older}")
    with ddl.begin() as connection:
        from caleol.db import migrate

        migrate.upgrade(connection, "0003")
    ddl.dispose()
    assert identify_sqlite(older).revision == "0003"
    assert main(["restore", str(older), "--db", str(current)]) == 0, capsys.readouterr().err
    identity = identify_sqlite(current)
    assert (identity.kind, identity.revision) == (Kind.CALEOL, packaged_head())


def test_a_sound_backup_is_restored(current: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    backup = _a_backup(tmp_path)
    keep = tmp_path / "copie.sqlite3"
    shutil.copyfile(backup, keep)
    assert main(["restore", str(backup), "--db", str(current)]) == 0
    assert "Base restaurée" in capsys.readouterr().out
    engine = open_database(str(current), upgrade=False)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM dwelling")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM demande")).scalar() == 0
    engine.dispose()
    assert backup.read_bytes() == keep.read_bytes()  # the backup itself is not changed


def test_verify_db_reports_a_protection_removed(current: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify-db", "--db", str(current)]) == 0
    assert "Schéma et protections de la base : conformes" in capsys.readouterr().out
    with sqlite3.connect(current) as connection:
        connection.execute("DROP TRIGGER audit_entry_immutable_delete")
        connection.execute("CREATE TRIGGER caleol_spy AFTER INSERT ON demande BEGIN "
                           "UPDATE demande SET notes = 'x' WHERE id = NEW.id; END")
    connection.close()
    assert main(["verify-db", "--db", str(current)]) == 1
    out = capsys.readouterr().out
    assert "Schéma et protections de la base : ANOMALIES" in out
    assert "protection « audit_entry_immutable_delete » supprimée" in out
    assert "déclencheur « caleol_spy » inconnu de caleol" in out
