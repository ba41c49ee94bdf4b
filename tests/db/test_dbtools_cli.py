"""`caleol verify-db`, `backup`, `restore`, `db-upgrade` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from db.factories import make_demande
from sqlalchemy import text

from caleol.cli import main
from caleol.db.engine import open_database, session_scope


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "caleol.sqlite3"
    engine = open_database(str(path), create=True)
    with session_scope(engine) as s:
        make_demande(s, cotation_score=50)
    engine.dispose()
    return path


def test_verify_db_on_an_intact_database(db_file: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["verify-db", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Intégrité du fichier SQLite : correcte" in out
    assert "aucune anomalie" in out


def test_verify_db_reports_a_row_edited_outside(db_file: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    engine = open_database(str(db_file))
    with engine.begin() as connection:
        connection.execute(text("UPDATE demande SET cotation_score = 900"))
    engine.dispose()
    assert main(["--db", str(db_file), "verify-db"]) == 1  # --db before the sub-command
    out = capsys.readouterr().out
    assert "demande n° 1 : modifiée hors de l'application" in out
    assert "cotation_score" in out


def test_missing_database_is_a_french_error(tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    assert main(["verify-db", "--db", str(tmp_path / "absente.sqlite3")]) == 2
    assert "Base de données introuvable" in capsys.readouterr().err
    assert not (tmp_path / "absente.sqlite3").exists()


def test_backup_then_restore(db_file: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture) -> None:
    assert main(["backup", "--db", str(db_file), "-o", str(tmp_path / "sauv")]) == 0
    [backup] = (tmp_path / "sauv").iterdir()
    assert str(backup) in capsys.readouterr().out
    engine = open_database(str(db_file))
    with session_scope(engine) as s:
        make_demande(s)
    engine.dispose()
    assert main(["restore", str(backup), "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Base restaurée" in out and "conservée sous" in out
    engine = open_database(str(db_file))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM demande")).scalar() == 1
    engine.dispose()


def test_restore_of_a_bad_file_exits_2(db_file: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "mauvais.sqlite3"
    bad.write_bytes(b"\x00" * 100)
    assert main(["restore", str(bad), "--db", str(db_file)]) == 2
    assert "Erreur" in capsys.readouterr().err


def test_db_upgrade_reports_and_never_creates(db_file: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture) -> None:
    assert main(["db-upgrade", "--db", str(db_file)]) == 0
    assert "Base à jour (révision" in capsys.readouterr().out
    assert main(["db-upgrade", "--db", str(tmp_path / "neuve.sqlite3")]) == 2
    assert "Base de données introuvable" in capsys.readouterr().err
    assert not (tmp_path / "neuve.sqlite3").exists()


def test_backup_uses_the_setting_database(db_file: Path, caleol_home: Path,
                                          capsys: pytest.CaptureFixture) -> None:
    from caleol import settings

    settings.save(settings.Settings(database_url=str(db_file), backups_kept=2))
    assert main(["backup"]) == 0
    assert len(list((caleol_home / "data" / "sauvegardes").iterdir())) == 1
