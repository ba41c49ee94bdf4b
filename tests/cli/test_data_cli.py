"""`caleol demo`, `caleol import` and `caleol export` from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from caleol.cli import main
from tests.services.import_fixtures import counts, with_references
from tests.services.test_imports import DWELLINGS


@pytest.fixture
def db_file(sqlite_engine: Engine) -> Path:
    with_references(sqlite_engine)
    sqlite_engine.dispose()
    assert sqlite_engine.url.database
    return Path(sqlite_engine.url.database)


def test_import_then_export(db_file: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "logements.csv"
    source.write_text(DWELLINGS, encoding="utf-8")
    assert main(["import", "dwellings", str(source), "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "2 lignes lues, 2 créées" in out
    target = tmp_path / "export.csv"
    assert main(["--db", str(db_file), "export", "dwellings", "-o", str(target)]) == 0
    assert "2 lignes (logements)" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8-sig").splitlines()[1].startswith("MET-1;")


def test_bad_file_exits_2_with_the_report(db_file: Path, sqlite_engine: Engine, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "demandes.csv"
    source.write_text("NUR;Date dépôt;Membres\n0572403001;32/01/2024;demandeur:01/01/1980\n",
                      encoding="utf-8")
    before = counts(sqlite_engine)
    assert main(["import", "demandes", str(source), "--db", str(db_file)]) == 2
    err = capsys.readouterr().err
    assert "rien n'a été enregistré" in err
    assert "ligne 2, colonne « NUR »" in err and "ligne 2, colonne « Date dépôt »" in err
    assert counts(sqlite_engine) == before


def test_demo_refuses_a_database_with_data(db_file: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "logements.csv"
    source.write_text(DWELLINGS, encoding="utf-8")
    main(["import", "dwellings", str(source), "--db", str(db_file)])
    assert main(["demo", "--db", str(db_file)]) == 2
    assert "contient déjà des données" in capsys.readouterr().err


def test_demo_command_in_a_subprocess(tmp_path: Path) -> None:
    target = tmp_path / "demo.sqlite3"
    env_home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "caleol", "demo", "--db", str(target), "--seed", "3",
         "--date", "2026-11-23"],
        capture_output=True, text=True, timeout=600,
        env={"CALEOL_HOME": str(env_home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert "450 logements, 3000 demandes" in result.stdout
    assert "séance en préparation" in result.stdout
    assert target.exists()


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["demo", "--size", "énorme"])
    assert caught.value.code == 2
    with pytest.raises(SystemExit):
        main(["demo", "--date", "23/11/2026"])
    assert "AAAA-MM-JJ" in capsys.readouterr().err
