"""`caleol purge` and `caleol access-request` on a database file."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from db.factories import make_demande
from sqlalchemy import Engine
from sqlmodel import select

from caleol import paths
from caleol.cli import main
from caleol.db.engine import session_scope
from caleol.db.models import Demande, Landlord
from caleol.fr import paris_today


@pytest.fixture
def db_file(sqlite_engine: Engine) -> Path:
    """One demande radiated three years ago (past any default limit), one active."""
    long_ago = paris_today() - timedelta(days=3 * 366)
    with session_scope(sqlite_engine) as db:
        make_demande(db, nur="0572401OLD01", status="radiated", status_date=long_ago,
                     applicant_surname="Ancien", applicant_first_names="Paul")
        make_demande(db, nur="0572401NEW01", applicant_surname="Actuel")
    sqlite_engine.dispose()
    assert sqlite_engine.url.database
    return Path(sqlite_engine.url.database)


def _nurs(path: Path, engine: Engine) -> list[str]:
    with session_scope(engine) as db:
        return sorted(db.exec(select(Demande.nur)).all())


def test_preview_then_apply(db_file: Path, sqlite_engine: Engine,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["purge", "--preview", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "- à supprimer : 1 demande jamais présentée en commission" in out
    assert "0572401OLD01 – ANCIEN Paul – radiée" in out
    assert "Aperçu seulement : rien n'a été modifié" in out
    assert _nurs(db_file, sqlite_engine) == ["0572401NEW01", "0572401OLD01"]

    assert main(["purge", "--apply", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Sauvegarde préalable" in out
    assert "Demandes supprimées : 1" in out
    assert _nurs(db_file, sqlite_engine) == ["0572401NEW01"]
    assert [p for p in paths.backup_dir().iterdir() if "avant-purge" in p.name]

    assert main(["purge", "--apply", "--db", str(db_file)]) == 0
    assert "Rien à supprimer ni à anonymiser." in capsys.readouterr().out


def test_retention_from_the_command_line(db_file: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["purge", "--preview", "--mois", "1000", "--db", str(db_file)]) == 0
    assert "- à supprimer : 0 demande jamais présentée" in capsys.readouterr().out
    assert main(["purge", "--preview", "--mois", "-3", "--db", str(db_file)]) == 2
    assert "Durée de conservation invalide" in capsys.readouterr().err


def test_purge_needs_a_mode(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["purge", "--db", str(db_file)])
    assert exited.value.code == 2
    assert "caleol : erreur :" in capsys.readouterr().err


def test_access_request_json_and_pdf(db_file: Path, sqlite_engine: Engine, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out_json = tmp_path / "paul.json"
    assert main(["access-request", "0572401OLD01", "-o", str(out_json),
                 "--db", str(db_file)]) == 0
    printed = capsys.readouterr().out
    assert "1 demande trouvée :" in printed and "ANCIEN Paul" in printed
    data = json.loads(out_json.read_text("utf-8"))
    assert data["demandes"][0]["demande"]["prénoms du demandeur"] == "Paul"

    out_pdf = tmp_path / "paul.pdf"
    # the PDF is issued by the landlord: none recorded, a French refusal and no file
    assert main(["access-request", "paul ancien", "-o", str(out_pdf), "--db", str(db_file)]) == 2
    assert "Aucun bailleur n'est enregistré" in capsys.readouterr().err
    assert not out_pdf.exists()
    with session_scope(sqlite_engine) as db:
        db.add(Landlord(name="Habitat Lorrain"))
    sqlite_engine.dispose()
    assert main(["access-request", "paul ancien", "-o", str(out_pdf), "--db", str(db_file)]) == 0
    assert out_pdf.read_bytes().startswith(b"%PDF-")


def test_missing_database_is_a_french_error(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "absente.sqlite3"
    assert main(["access-request", "x", "-o", str(tmp_path / "x.json"),
                 "--db", str(missing)]) == 2
    assert "Base de données introuvable" in capsys.readouterr().err
    assert not missing.exists()
