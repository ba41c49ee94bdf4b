"""`caleol report` end to end on a small database (in-process)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import Engine

_TESTS = Path(__file__).resolve().parents[1]
for folder in (_TESTS / "db", _TESTS / "services" / "reports"):
    if str(folder) not in sys.path:
        sys.path.append(str(folder))

from report_db import SIREN, build  # noqa: E402

from caleol.cli import main  # noqa: E402


@pytest.fixture
def database(sqlite_engine: Engine) -> str:
    build(sqlite_engine)
    path = sqlite_engine.url.database
    assert path is not None
    sqlite_engine.dispose()
    return path


def text_of(path: Path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages).replace(
        "\u00a0", " "))


def test_annual_report(database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "rapport.pdf"
    assert main(["report", "annuel", "--year", "2026", "-o", str(out), "--db", database]) == 0
    assert f"Rapport écrit : {out}" in capsys.readouterr().out
    text = text_of(out)
    assert "Rapport annuel des attributions 2026" in text
    # leases outside QPV in Metz: A (Q1), C (Q2-4) → 1 / 2, against the EPCI's 30 %
    assert "1 / 2 = 50,0 %" in text
    assert "≥ 30,0 %" in text
    assert "Eurométropole de Metz" in text


def test_prefet_statement_needs_a_half_year(database: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "prefet.pdf"
    code = main(["report", "prefet", "--year", "2026", "-o", str(out), "--db", database])
    assert code == 2
    assert "--half 1 ou --half 2" in capsys.readouterr().err
    assert not out.exists()
    assert main(["--db", database, "report", "prefet", "--year", "2026", "--half", "1",
                 "-o", str(out)]) == 0
    text = text_of(out)
    assert "1er semestre 2026" in text and "15 juillet 2026" in text


def test_reservataire_report(database: str, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "etat.pdf"
    assert main(["report", "reservataire", "--year", "2026", "--reservataire", "ETAT57",
                 "--objectif", "2", "-o", str(out), "--db", database]) == 0
    text = text_of(out)
    assert "Préfecture de la Moselle" in text
    # one dwelling oriented to the State, given back: 1 − 2 = −1
    assert "1 logement orienté" in text and "écart -1" in text
    assert "logement trop éloigné du travail" in text
    code = main(["report", "reservataire", "--year", "2026", "--reservataire", "NOPE",
                 "-o", str(out), "--db", database])
    assert code == 2
    assert "ALS, ETAT57" in capsys.readouterr().err


def test_csv_exports(database: str, tmp_path: Path) -> None:
    out = tmp_path / "indicateurs.csv"
    assert main(["report", "csv", "--year", "2026", "--epci", SIREN, "-o", str(out),
                 "--db", database]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    q1 = next(line for line in lines if line.startswith("Q1-HQPV;"))
    assert ";1;2;50,00;30,00;20,00;atteint;" in q1
    listing = tmp_path / "attributions.csv"
    assert main(["report", "csv", "--contenu", "attributions", "--year", "2026",
                 "-o", str(listing), "--db", database]) == 0
    rows = listing.read_bytes().decode("utf-8-sig").strip().split("\r\n")
    assert len(rows) == 1 + 4  # header + A, B, C, E
    orientations = tmp_path / "als.csv"
    assert main(["report", "csv", "--contenu", "reservataire", "--reservataire", "ALS",
                 "--year", "2026", "-o", str(orientations), "--db", database]) == 0
    assert "2 rue Serpenoise" in orientations.read_bytes().decode("utf-8-sig")


def test_missing_database_is_a_clear_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "annuel", "--year", "2026", "-o", str(tmp_path / "r.pdf"),
                 "--db", str(tmp_path / "absente.sqlite3")])
    assert code == 2
    assert "introuvable" in capsys.readouterr().err


def test_a_report_needs_the_landlord(sqlite_engine: Engine, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A report headed by no one is refused, in French, and no file is written."""
    path = sqlite_engine.url.database
    assert path is not None
    sqlite_engine.dispose()
    out = tmp_path / "rapport.pdf"
    for argv in (["report", "annuel", "--year", "2026"],
                 ["report", "prefet", "--year", "2026", "--half", "1"]):
        assert main([*argv, "-o", str(out), "--db", path]) == 2
        assert "Aucun bailleur n'est enregistré" in capsys.readouterr().err
        assert not out.exists()
