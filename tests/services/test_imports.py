"""CSV import: worked cases, all-or-nothing, update on re-import, every bad row reported."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from caleol.db.models import Commune, Demande, Dwelling
from caleol.services.audit import verify_chain
from caleol.services.imports import ImportRejectedError, import_demandes, import_dwellings
from caleol.services.imports.runner import MAX_REFUSED_ROWS
from tests.services.collector_spy import collector_states
from tests.services.import_fixtures import TODAY, counts, csv_bytes, with_references

DWELLINGS = (
    "Référence;Code INSEE;Typologie;Financement;Loyer (€);Charges (€);Surface (m²);QPV;"
    "Agence;Réservataire;Date disponibilité;Statut\n"
) + """MET-1;57463;T3;PLUS;412,50;85;66,5;non;METZ;ALS;01/12/2026;vacant
MET-2;57463;F2;PLAI adapté;300;60,10;45;;METZ;;2026-12-15;proposé
"""

DEMANDES = (
    "NUR,Date dépôt,Nom,Prénoms,Membres,Ressources,Revenu fiscal référence,DALO,"
    "Critères priorité,Communes souhaitées,Typologies souhaitées,Loyer max (€)\n"
    '057240300123G5701,12/03/2024,Muller,Anne,"demandeur:02/03/1985 | enfant:01/06/2012 | '
    'enfant:15/09/2016:visite","salaire:1850,50:1 | prestation:320 | salaire:410:précaire:1",'
    '19000,oui,DALO|VIOLENCES,57463|57751,T2|F3,"520,00"\n'
)


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    yield with_references(engine)


def test_dwellings_are_created_with_french_formats(db: Engine) -> None:
    report = import_dwellings(db, csv_bytes(DWELLINGS), today=TODAY)
    assert (report.rows, report.created, report.updated) == (2, 2, 0)
    with Session(db) as session:
        rows = {d.reference: d for d in session.exec(select(Dwelling)).scalars()}
    first, second = rows["MET-1"], rows["MET-2"]
    assert first.rent_cents == 41_250  # « 412,50 » → 412,50 € = 41 250 centimes
    assert first.surface_dm2 == 6_650  # 66,5 m² = 6 650 dm²
    assert first.qpv is False and second.qpv is None  # empty cell = unknown location
    assert second.typology == "T2"  # F2 is the older name of T2
    assert second.financing == "PLAI adapté"
    assert second.charges_cents == 6_010
    assert second.availability_date == date(2026, 12, 15)  # ISO date accepted too
    assert second.status == "proposed"


def test_reimport_updates_instead_of_duplicating(db: Engine) -> None:
    import_dwellings(db, csv_bytes(DWELLINGS), today=TODAY)
    again = import_dwellings(db, csv_bytes(DWELLINGS), today=TODAY)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = DWELLINGS.replace("412,50", "415,00")
    report = import_dwellings(db, csv_bytes(changed), today=TODAY)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert counts(db)["dwelling"] == 2
    with Session(db) as session:
        dwelling = session.exec(select(Dwelling).where(Dwelling.reference == "MET-1")).scalar_one()
    assert dwelling.rent_cents == 41_500
    assert dwelling.version == 2  # an ORM update: audited and versioned
    assert verify_chain(db).ok


def test_commune_absent_from_the_reference_is_created_when_named(db: Engine) -> None:
    # 57999 is in no reference (a commune nouvelle newer than it, say): created as named.
    text = "Référence;Code INSEE;Commune;Code postal;Typologie;Financement;Loyer (€)\n" \
           "X-1;57999;Nouvelle-Commune;57920;T2;PLUS;300\n"
    report = import_dwellings(db, csv_bytes(text), today=TODAY)
    assert report.created == 1
    assert "57999" in report.warnings[0].message
    assert "sans EPCI" in report.warnings[0].message
    with Session(db) as session:
        commune = session.exec(select(Commune).where(Commune.insee_code == "57999")).scalar_one()
    assert (commune.name, commune.epci_id, commune.zone) == (
        "Nouvelle-Commune", None, "autres_regions")


def test_demande_with_household_resources_and_wishes(db: Engine) -> None:
    report = import_demandes(db, csv_bytes(DEMANDES, "utf-8"), today=TODAY)
    assert report.created == 1, report.text()
    with Session(db) as session:
        demande = session.exec(select(Demande)).scalar_one()
        roles = [(m.role, m.birth_date, m.visiting_rights) for m in demande.members]
        resources = sorted((r.kind, r.monthly_cents, r.stable,
                            r.member.position if r.member else None) for r in demande.resources)
        criteria = sorted(p.criterion.code for p in demande.priorities)
        wished = [w.commune.insee_code for w in demande.wished_communes]
    assert demande.department_code == "57"  # from the NUR's 057
    assert demande.dalo is True
    assert demande.wished_typologies == "T2,T3"
    assert demande.max_rent_cents == 52_000
    assert roles == [("applicant", date(1985, 3, 2), False), ("child", date(2012, 6, 1), False),
                     ("child", date(2016, 9, 15), True)]
    # 1 850,50 € stable + 410 € précaire for member 1; 320 € for the household
    assert resources == [("prestation", 32_000, True, None), ("salaire", 41_000, False, 0),
                         ("salaire", 185_050, True, 0)]
    assert criteria == ["DALO", "VIOLENCES"]
    assert wished == ["57463", "57751"]


def test_demande_reimport_with_changed_household(db: Engine) -> None:
    import_demandes(db, csv_bytes(DEMANDES), today=TODAY)
    same = import_demandes(db, csv_bytes(DEMANDES), today=TODAY)
    assert same.unchanged == 1
    changed = DEMANDES.replace("enfant:15/09/2016:visite", "enfant:15/09/2016")
    report = import_demandes(db, csv_bytes(changed), today=TODAY)
    assert report.updated == 1
    with Session(db) as session:
        demande = session.exec(select(Demande)).scalar_one()
        assert [m.visiting_rights for m in demande.members] == [False, False, False]
        assert len(demande.resources) == 3
    assert counts(db)["household_member"] == 3
    assert verify_chain(db).ok


def test_bad_rows_are_all_reported_and_nothing_is_written(db: Engine) -> None:
    import_dwellings(db, csv_bytes(DWELLINGS), today=TODAY)
    before = counts(db)
    text = DWELLINGS + (
        "MET-3;57463;T9;PLUS;-5;85;66,5;peut-être;METZ;ALS;31/02/2026;vacant\n"
        "MET-1;57463;T3;PLUS;412,50;85;66,5;non;METZ;ALS;01/12/2026;vacant\n"
        "MET-4;99999;T3;PLUSS;1e9;;;;NULLE PART;;;\n"
        "MET-5;57463;T3\n"
    )
    with pytest.raises(ImportRejectedError) as caught:
        import_dwellings(db, csv_bytes(text), today=TODAY)
    report = caught.value.report
    where = {(p.line, p.column) for p in report.errors}
    assert (4, "Typologie") in where
    assert (4, "Loyer (€)") in where  # negative money
    assert (4, "QPV") in where
    assert (4, "Date disponibilité") in where  # 31/02 does not exist
    assert (5, "Référence") in where  # MET-1 again in the same file
    assert {(6, "Financement"), (6, "Loyer (€)"), (6, "Agence"), (6, "Code INSEE")} <= where
    assert (7, "") in where  # truncated row
    assert counts(db) == before
    assert "rien n'a été enregistré" in str(caught.value)


@pytest.mark.parametrize(("header", "value"), [
    ("NIR", "1850375123456"),
    ("Numéro de sécurité sociale", ""),
    ("Notes", "1 85 03 75 123 456 78"),
])
def test_social_security_numbers_are_refused(db: Engine, header: str, value: str) -> None:
    before = counts(db)
    text = (f"NUR;Date dépôt;Membres;{header}\n"
            f"057240300123G5701;12/03/2024;demandeur:02/03/1985;{value}\n")
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, csv_bytes(text), today=TODAY)
    message = str(caught.value)
    assert "sécurité sociale" in message and "NIR" in message
    assert "1850375123456" not in message  # the number itself is never echoed
    assert counts(db) == before


def test_encoding_and_separator(db: Engine) -> None:
    text = DWELLINGS.replace(";", ",").replace("412,50", '"412,50"').replace("60,10", '"60,10"')
    text = text.replace("66,5", '"66,5"')
    report = import_dwellings(db, csv_bytes(text, "utf-8"), today=TODAY)  # no BOM, commas
    assert report.created == 2
    with pytest.raises(ImportRejectedError, match="n'est pas en UTF-8"):
        import_dwellings(db, csv_bytes(DWELLINGS.replace("T3", "T3é"), "cp1252"), today=TODAY)
    with pytest.raises(ImportRejectedError, match="UTF-16"):
        import_dwellings(db, csv_bytes(DWELLINGS, "utf-16"), today=TODAY)


def test_header_problems_are_named(db: Engine) -> None:
    with pytest.raises(ImportRejectedError) as caught:
        import_dwellings(db, csv_bytes("Référence;Loyr;Typologie\nA;1;T2\n"), today=TODAY)
    message = str(caught.value)
    assert "colonne inconnue « Loyr »" in message
    assert "code_insee" in message and "financement" in message and "loyer" in message


def test_empty_and_header_only_files(db: Engine) -> None:
    with pytest.raises(ImportRejectedError, match="vide"):
        import_dwellings(db, csv_bytes(""), today=TODAY)
    with pytest.raises(ImportRejectedError, match="aucune ligne de données"):
        import_dwellings(db, csv_bytes(DWELLINGS.splitlines()[0] + "\n"), today=TODAY)


def test_unclosed_quote_is_a_clear_error(db: Engine) -> None:
    text = DWELLINGS + 'MET-9;57463;T3;PLUS;"412,50;85\n'
    with pytest.raises(ImportRejectedError, match="guillemet"):
        import_dwellings(db, csv_bytes(text), today=TODAY)
    assert counts(db)["dwelling"] == 0


def test_household_problems(db: Engine) -> None:
    rows = [
        "057240300123G5701;12/03/2024;conjoint:02/03/1985",
        "057240300124G5701;12/03/2024;demandeur:02/03/2030",
        "057240300125G5701;12/03/2024;" + " | ".join(["enfant:01/01/2010"] * 30),
        "057240300126G5701;12/03/2024;demandeur:02/03/1985 | cousin:01/01/1990",
        "057240300127G5701;12/03/2025;demandeur:02/03/1985",  # NUR says 03/2024
        "057290300128G5701;12/03/2024;demandeur:02/03/1985",  # NUR in 2029
    ]
    text = "NUR;Date dépôt;Membres\n" + "\n".join(rows) + "\n"
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, csv_bytes(text), today=TODAY)
    by_line = {}
    for problem in caught.value.report.errors:
        by_line.setdefault(problem.line, []).append(problem.message)
    assert any("demandeur doit être le premier" in m for m in by_line[2])
    assert any("futur" in m for m in by_line[3])
    assert any("30 personnes" in m for m in by_line[4])
    assert any("rôle inconnu « cousin »" in m for m in by_line[5])
    assert any("incohérent avec la date de dépôt" in m for m in by_line[6])
    assert any("dans le futur" in m for m in by_line[7])
    assert counts(db)["demande"] == 0


def test_oversized_cell_is_refused_cleanly(db: Engine) -> None:
    huge = '"' + "x" * 200_000 + '"'
    text = DWELLINGS + f"MET-9;57463;T3;PLUS;412,50;85;66,5;non;METZ;ALS;;{huge}\n"
    with pytest.raises(ImportRejectedError, match="Ko"):
        import_dwellings(db, csv_bytes(text), today=TODAY)
    assert counts(db)["dwelling"] == 0


def test_reimport_changing_only_a_name_updates_it(db: Engine) -> None:
    import_demandes(db, csv_bytes(DEMANDES), today=TODAY)
    renamed = DEMANDES.replace(",Muller,Anne,", ",Écuyer,Anne,")
    report = import_demandes(db, csv_bytes(renamed), today=TODAY)
    assert (report.updated, report.unchanged) == (1, 0)
    with Session(db) as session:
        demande = session.exec(select(Demande)).scalars().one()
    # the row change was flushed before the ORM object was expired (it was lost)
    assert (demande.applicant_surname, demande.name_sort_key) == ("Écuyer", "ecuyer anne")
    verify_chain(db)


def _dwelling_lines(count: int, *, start: int) -> str:
    """`count` dwellings each refused once (typology T9), with distinct references."""
    return "".join(f"MET-{start + n};57463;T9;PLUS;412,50;85;66,5;non;METZ;ALS;;vacant\n"
                   for n in range(count))


def test_a_hopeless_file_is_not_read_to_the_end(db: Engine) -> None:
    """Worked case: header (line 1), 2 good rows (lines 2-3), then 1 500 bad rows; the
    1 000th refused row is line 1 + 2 + 1 000 = 1 003: reading stops there, so 1 002 data
    rows are read out of 1 502."""
    assert MAX_REFUSED_ROWS == 1000
    text = DWELLINGS + _dwelling_lines(1500, start=10)
    before = counts(db)
    with pytest.raises(ImportRejectedError) as caught:
        import_dwellings(db, csv_bytes(text), today=TODAY)
    report = caught.value.report
    assert (report.rows, report.refused_rows, report.stopped_at_line) == (1002, 1000, 1003)
    assert report.error_count == 1000  # one error per refused row
    assert (len(report.errors), report.more_errors) == (500, 500)  # listed, then counted
    message = str(caught.value)
    assert message.startswith(
        "Import des logements refusé (fichier) : 1\u00a0000 erreurs, rien n'a été enregistré. "
        "Le fichier n'a pas été lu jusqu'au bout : trop d'erreurs (1\u00a0000 lignes "
        "refusées), lecture arrêtée à la ligne 1003."
    )
    assert "- … et 500 autres erreurs." in message
    assert counts(db) == before  # the two good rows were not written either


def test_below_the_cap_the_whole_file_is_read(db: Engine) -> None:
    """999 refused rows (one under the cap): every row is checked, the last one too."""
    fewer = DWELLINGS + _dwelling_lines(998, start=10) + (
        "MET-1;57463;T3;PLUS;412,50;85;66,5;non;METZ;ALS;;vacant\n"  # MET-1 again, last
    )
    with pytest.raises(ImportRejectedError) as caught:
        import_dwellings(db, csv_bytes(fewer), today=TODAY)
    report = caught.value.report
    # 2 good + 998 bad + 1 duplicate = 1 001 rows, 999 refused; the last one is reported
    assert (report.rows, report.refused_rows, report.stopped_at_line) == (1001, 999, 0)
    assert report.more_errors == 499 and report.error_count == 999
    assert "jusqu'au bout" not in str(caught.value)


def test_an_import_runs_with_the_collector_held_and_gives_it_back(
        db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """`caleol.services.collector`: no full collections walking the whole heap for
    every batch of cells; the collector is enabled again after, also after a refusal."""
    from caleol.services.imports import runner

    seen = collector_states(monkeypatch, runner, "_checked")
    import_dwellings(db, csv_bytes(DWELLINGS), today=TODAY)
    assert seen and not any(seen) and gc.isenabled()
    with pytest.raises(ImportRejectedError):
        import_dwellings(db, csv_bytes("pas un fichier de logements\n1;2\n"), today=TODAY)
    assert gc.isenabled()
