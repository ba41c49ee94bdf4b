"""`reference import communes|qpv|quartiles|ceilings`: all or nothing, French per-line reports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from npm_fixture import npm_tarball
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from caleol.cli import main
from caleol.db.models import (
    CeilingRow,
    Commune,
    Epci,
    Qpv,
    QpvCommune,
    QuartileThreshold,
    TerritoryDatasetRow,
)
from caleol.errors import ValidationError
from caleol.services.audit import verify_chain
from caleol.services.territory import updates, yearly
from caleol.services.territory.resolve import dataset_in_force


def _count(engine: Engine, model: type) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(model)).scalar_one()


def _snapshot(engine: Engine) -> tuple[int, ...]:
    return tuple(_count(engine, m) for m in (Commune, Epci, Qpv, QpvCommune, QuartileThreshold,
                                             CeilingRow, TerritoryDatasetRow))


# --- communes ----------------------------------------------------------------------------

def test_newer_package_is_stored_and_applied(engine: Engine) -> None:
    with Session(engine) as db, db.begin():
        db.add(Commune(insee_code="57463", name="METZ", postal_code=""))
    result = updates.import_communes(engine, npm_tarball("7.0.0"))
    assert (result.info.version, result.stored, result.communes_updated) == ("7.0.0", True, 1)
    with Session(engine) as db:
        metz = db.exec(select(Commune).where(Commune.insee_code == "57463")).scalar_one()
        assert (metz.name, metz.postal_code, metz.epci.siren if metz.epci else "") == (
            "Metz", "57000", "200039865")
        assert dataset_in_force(db).info.version == "7.0.0"  # the shipped 6.0.0 is older
    assert verify_chain(engine).ok


def test_same_or_older_reference_is_not_stored_again(engine: Engine) -> None:
    updates.import_communes(engine, npm_tarball("7.0.0"))
    again = updates.import_communes(engine, npm_tarball("7.0.0"))
    assert again.stored is False
    with pytest.raises(ValidationError, match="plus ancien que celui en vigueur"):
        updates.import_communes(engine, npm_tarball("5.3.0", mtime=1_700_000_000))
    assert _count(engine, TerritoryDatasetRow) == 1


@pytest.mark.parametrize(("data", "message"), [
    (b"insee;nom\n57463;Metz\n", "illisible"),
    (npm_tarball(name="autre-paquet"), "n'est pas @etalab/decoupage-administratif"),
    (npm_tarball(communes=[{"code": "57463", "nom": "Metz", "type": "commune-actuelle",
                            "zone": "metro", "codesPostaux": [], "commune": None},
                           {"code": "5746", "nom": "Code faux", "type": "commune-actuelle",
                            "zone": "metro"}]), "incohérent"),
])
def test_bad_communes_file_writes_nothing(engine: Engine, data: bytes, message: str) -> None:
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=message):
        updates.import_communes(engine, data)
    assert _snapshot(engine) == before


# --- QPV ---------------------------------------------------------------------------------

QPV = ("code_qp;nom_qp;insee_com;source\n"
       "QN05701M;Borny;57463;décret n° 2023-1314 du 28 décembre 2023\n"
       "QN09301M;Les Morillons;93048, 93006;décret n° 2023-1314 du 28 décembre 2023\n")


def test_qpv_list_with_communes(engine: Engine) -> None:
    assert updates.import_qpv(engine, QPV.encode()) == 2
    with Session(engine) as db:
        links = db.exec(select(Qpv.code, Commune.insee_code).join(
            QpvCommune, QpvCommune.qpv_id == Qpv.id).join(
            Commune, Commune.id == QpvCommune.commune_id).order_by(Qpv.code, Commune.insee_code)
        ).all()
    assert [tuple(r) for r in links] == [("QN05701M", "57463"), ("QN09301M", "93006"),
                                         ("QN09301M", "93048")]
    # Re-import with one commune less: the link goes, nothing is duplicated.
    assert updates.import_qpv(engine, QPV.replace("93048, 93006", "93048").encode()) == 2
    assert _count(engine, QpvCommune) == 2


def test_bad_qpv_lines_all_reported_nothing_written(engine: Engine) -> None:
    text = ("code_qp;nom_qp;insee_com;source\n"
            "QN05701M;Borny;57463;décret\n"
            "X1;Sans code;57463;décret\n"
            "QN05702M;;57999;\n")
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match="2 ligne") as caught:
        updates.import_qpv(engine, text.encode())
    assert caught.value.details == [
        "Ligne 3 : code de quartier « X1 » invalide (ex. QN05701M).",
        "Ligne 4 : nom du quartier manquant ; source manquante (colonne « source » ou "
        "--source) ; commune « 57999 » absente du référentiel des communes.",
    ]
    assert _snapshot(engine) == before


# --- quartile thresholds --------------------------------------------------------------------

QUARTILES = ("siren_epci;annee;seuil;source\n"
             "200039865;2026;10105,40;arrêté préfectoral n° 2026-12 du 2 février 2026\n")


def test_quartile_thresholds_with_source(engine: Engine) -> None:
    assert yearly.import_quartile_file(engine, QUARTILES.encode()) == 1
    with Session(engine) as db:
        row, epci = db.exec(select(QuartileThreshold, Epci).join(
            Epci, Epci.id == QuartileThreshold.epci_id)).one()
    assert (epci.name, row.year, Decimal(row.threshold_cents) / 100, row.source) == (
        "Metz Métropole", 2026, Decimal("10105.40"),
        "arrêté préfectoral n° 2026-12 du 2 février 2026")


@pytest.mark.parametrize(("text", "message", "details"), [
    ("siren_epci;annee;seuil\n200039865;2026;10105\n", "Colonnes manquantes : source", None),
    (QUARTILES + "245400676;2026;9817;\n", "1 ligne sans source",
     ["Ligne 3 : source manquante (le texte officiel qui fixe ces valeurs)."]),
    (QUARTILES + "999999999;1999;-3;arrêté\n200039865;2026;10200;arrêté\n", "2 ligne",
     ["Ligne 3 : EPCI « 999999999 » inconnu (SIREN à 9 chiffres d'un EPCI à fiscalité "
      "propre) ; année « 1999 » invalide ; seuil « -3 » invalide (euros par unité de "
      "consommation et par an, ex. 10105,40).",
      "Ligne 4 : l'EPCI 200039865 a déjà un seuil 2026 plus haut dans le fichier."]),
])
def test_bad_quartile_files_write_nothing(engine: Engine, text: str, message: str,
                                          details: list[str] | None) -> None:
    before = _snapshot(engine)
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")) \
            as caught:
        yearly.import_quartile_file(engine, text.encode())
    if details is not None:
        assert caught.value.details == details
    assert _snapshot(engine) == before  # not even the EPCI looked up on line 2


# --- ceilings -----------------------------------------------------------------------------

CEILINGS = ("financement;zone;date_effet;cat1;cat2;cat3;cat4;cat5;cat6;par_personne_supp;"
            "source\nPLAI;autres_regions;2027-01-01;13000;19000;23000;25500;29800;33600;3800;"
            "{source}\n")


def test_ceiling_rows_need_their_source(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="sans source"):
        yearly.import_ceiling_file(engine, CEILINGS.format(source="").encode())
    assert _count(engine, CeilingRow) == 0
    source = "arrêté du 20 décembre 2026, JO du 24 décembre 2026"
    assert yearly.import_ceiling_file(engine, CEILINGS.format(source=source).encode()) == 1
    with Session(engine) as db:
        assert db.exec(select(CeilingRow.source)).scalar_one() == source


# --- command line -------------------------------------------------------------------------

def test_cli_reference_import(sqlite_engine: Engine, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    db = str(sqlite_engine.url.database)
    sqlite_engine.dispose()
    good, bad = tmp_path / "q.csv", tmp_path / "bad.csv"
    good.write_text(QUARTILES, encoding="utf-8")
    bad.write_text(QUARTILES + "245400676;2026;9817;\n", encoding="utf-8")
    assert main(["reference", "import", "quartiles", str(good), "--db", db]) == 0
    assert capsys.readouterr().out == "1 seuil de premier quartile importé.\n"
    assert main(["reference", "import", "quartiles", str(bad), "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : Seuils de premier quartile non importés : 1 ligne sans "
                          "source.\n- Ligne 3 : source manquante")
    assert "Traceback" not in err
    assert main(["reference", "import", "qpv", "--db", db]) == 2
    assert "Indiquez le fichier" in capsys.readouterr().err
    assert main(["reference", "import", "communes", "--db", db]) == 0
    assert "@etalab/decoupage-administratif 6.0.0 (2026-03-09)" in capsys.readouterr().out
