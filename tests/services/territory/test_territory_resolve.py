"""INSEE codes alone resolve to commune, EPCI, département and zone, on an empty database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from caleol.db.models import Commune, Demande, Department, Dwelling, Epci
from caleol.services.audit import verify_chain
from caleol.services.exports import export_dwellings
from caleol.services.imports import ImportRejectedError, import_demandes, import_dwellings
from tests.services.import_fixtures import TODAY, counts, csv_bytes

DWELLINGS = "Référence;Code INSEE;Typologie;Financement;Loyer (€)\n" \
            "A-1;57463;T3;PLUS;412,50\n" \
            "A-2;93048;T2;PLUS;500\n" \
            "A-3;75115;T2;PLAI;450\n" \
            "A-4;57094;T4;PLUS;520\n"  # a former code of Metz


def _communes(engine: Engine) -> dict[str, tuple[str, str, str, str, str, str]]:
    with Session(engine) as db:
        rows = db.exec(select(Commune, Epci, Department)
                       .join(Epci, Commune.epci_id == Epci.id, isouter=True)
                       .join(Department, Commune.department_id == Department.id)).all()
        return {c.insee_code: (c.name, c.zone, e.siren if e else "", e.name if e else "",
                               e.kind if e else "", d.name) for c, e, d in rows}


def test_dwellings_given_only_insee_codes_on_an_empty_database(engine: Engine) -> None:
    report = import_dwellings(engine, csv_bytes(DWELLINGS), today=TODAY)
    assert report.created == 4, report.text()
    assert [w.message for w in report.warnings] == [
        "57094 est un ancien code : commune actuelle 57463 (Metz)"]
    # Montreuil's EPCI à fiscalité propre is the Métropole du Grand Paris (its EPT, Est
    # Ensemble, is not one); Metz's is Metz Métropole; an arrondissement takes Paris's.
    assert _communes(engine) == {
        "57463": ("Metz", "autres_regions", "200039865", "Metz Métropole", "METRO", "Moselle"),
        "93048": ("Montreuil", "paris_et_limitrophes", "200054781",
                  "Métropole du Grand Paris", "METRO", "Seine-Saint-Denis"),
        "75115": ("Paris 15e Arrondissement", "paris_et_limitrophes", "200054781",
                  "Métropole du Grand Paris", "METRO", "Paris"),
    }
    with Session(engine) as db:
        metz = db.exec(select(Commune).where(Commune.insee_code == "57463")).scalar_one()
        on_metz = db.exec(select(Dwelling.reference).where(
            Dwelling.commune_id == metz.id).order_by(Dwelling.reference)).scalars().all()
    assert on_metz == ["A-1", "A-4"]
    assert counts(engine)["commune"] == 3
    assert verify_chain(engine).ok  # every row created on demand is audited


def test_a_second_import_creates_nothing_more(engine: Engine) -> None:
    import_dwellings(engine, csv_bytes(DWELLINGS), today=TODAY)
    before = counts(engine)
    again = import_dwellings(engine, csv_bytes(DWELLINGS), today=TODAY)
    assert (again.created, again.unchanged) == (0, 4)
    assert counts(engine) == before


def test_demande_wished_communes_by_insee_code(engine: Engine) -> None:
    text = ("NUR;Date dépôt;Nom;Prénoms;Membres;Communes souhaitées\n"
            "057240300123G5701;12/03/2024;Muller;Anne;demandeur:02/03/1985;57463 | 54395\n")
    report = import_demandes(engine, csv_bytes(text), today=TODAY)
    assert report.created == 1, report.text()
    with Session(engine) as db:
        demande = db.exec(select(Demande)).scalar_one()
        wished = [(w.commune.insee_code, w.commune.epci.name if w.commune.epci else "")
                  for w in demande.wished_communes]
    assert wished == [("57463", "Metz Métropole"), ("54395", "Métropole du Grand Nancy")]


def test_a_commune_stored_without_epci_is_completed_when_named(engine: Engine) -> None:
    with Session(engine) as db, db.begin():
        db.add(Commune(insee_code="57463", name="Metz", postal_code="57000"))
    import_dwellings(engine, csv_bytes(DWELLINGS.split("A-2")[0]), today=TODAY)
    assert _communes(engine)["57463"][2:4] == ("200039865", "Metz Métropole")
    assert verify_chain(engine).ok


def test_unknown_code_without_a_name_is_refused_and_nothing_written(engine: Engine) -> None:
    before = counts(engine)
    text = "Référence;Code INSEE;Typologie;Financement;Loyer (€)\n" \
           "A-1;57463;T3;PLUS;412,50\nA-2;57999;T2;PLUS;500\n"
    with pytest.raises(ImportRejectedError) as caught:
        import_dwellings(engine, csv_bytes(text), today=TODAY)
    [error] = caught.value.report.errors
    assert (error.line, error.message) == (3, (
        "commune 57999 absente du référentiel des communes : vérifiez le code, ou ajoutez la "
        "colonne « Commune » (nom) pour la créer"))
    assert counts(engine) == before  # not even Metz, line 2, nor its EPCI


def test_export_shows_commune_epci_and_zone(engine: Engine, tmp_path: Path) -> None:
    import_dwellings(engine, csv_bytes(DWELLINGS), today=TODAY)
    path = tmp_path / "logements.csv"
    assert export_dwellings(engine, path) == 4
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    picked = [(r["Référence"], r["Code INSEE"], r["Commune"], r["SIREN EPCI"], r["EPCI"],
               r["Zone de plafonds"]) for r in rows]
    assert picked[0] == ("A-1", "57463", "Metz", "200039865", "Metz Métropole",
                         "Autres régions")
    assert picked[2] == ("A-3", "75115", "Paris 15e Arrondissement", "200054781",
                         "Métropole du Grand Paris", "Paris et communes limitrophes")
    # The exported file imports back as is (the three columns are read and ignored).
    again = import_dwellings(engine, path, today=TODAY)
    assert again.unchanged == 4


def test_the_editor_offers_and_creates_reference_communes(engine: Engine) -> None:
    from caleol.db.engine import session_scope
    from caleol.services.editing.dwellings import DwellingForm, dwelling_choices, save_dwelling
    from caleol.services.territory.resolve import TerritoryResolver

    assert dwelling_choices(engine).communes == ()  # nothing stored: nothing to offer yet
    with session_scope(engine) as db:
        TerritoryResolver(db).department_id("57")  # as the setup does for an agency in 57
    communes = dict((c.value, c.label) for c in dwelling_choices(engine).communes)
    assert len(communes) == 725  # every commune of Moselle (COG 2026)
    assert communes["57672"] == "Thionville (57100)"
    save_dwelling(engine, DwellingForm(reference="T-1", commune="57672", rent="400"),
                  today=TODAY)
    assert _communes(engine)["57672"] == (
        "Thionville", "autres_regions", "245701362", "CA Portes de France-Thionville", "CA",
        "Moselle")
