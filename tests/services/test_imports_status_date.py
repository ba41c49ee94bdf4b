"""« Date statut » of imported demandes: parsed, coherent with the status, dated on change,
exported, and what the retention purge counts from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from caleol.db.engine import open_database
from caleol.db.models import Demande
from caleol.services.exports import export_demandes
from caleol.services.imports import ImportRejectedError, import_demandes
from caleol.services.privacy.retention import apply_purge, plan_purge
from tests.services.import_fixtures import TODAY, counts, csv_bytes, with_references

HEADER = "NUR;Date dépôt;Nom;Membres;Statut;Date statut\n"
MEMBERS = "demandeur:02/03/1985"


def row(nur_order: int, status: str, status_date: str, name: str = "Muller") -> str:
    """One demande filed on 12/03/2024 (the NUR's month: 03/2024)."""
    return f"0572403{nur_order:05d}G5701;12/03/2024;{name};{MEMBERS};{status};{status_date}\n"


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    yield with_references(engine)


def stored(db: Engine) -> dict[str, tuple[str, date | None]]:
    """NUR order (last 5 digits before the guichet) → (status, status date)."""
    with Session(db) as session:
        return {d.nur[7:12]: (d.status, d.status_date)
                for d in session.exec(select(Demande)).scalars()}


def test_status_dates_are_read_and_purged_from(db: Engine) -> None:
    """Worked case: TODAY = 23/11/2026, retention 12 months → cutoff 23/11/2025.

    A status changed strictly before the cutoff is past the limit:
    - 00001 radiée le 10/01/2025 → past (10/01/2025 < 23/11/2025): deleted, never presented;
    - 00002 attribuée le 22/11/2025 → past by one day: deleted;
    - 00003 close le 23/11/2025 → the cutoff day itself: kept (not strictly before);
    - 00004 radiée le 01/06/2026 → 5 months ago: kept;
    - 00005 radiée sans date → not purged, counted apart (undated);
    - 00006 active → never concerned.
    """
    text = HEADER + (row(1, "radiée", "10/01/2025") + row(2, "attribuée", "2025-11-22")
                     + row(3, "close", "23/11/2025") + row(4, "radiée", "01/06/2026")
                     + row(5, "radiée", "") + row(6, "active", ""))
    report = import_demandes(db, csv_bytes(text), today=TODAY)
    assert report.created == 6
    assert stored(db) == {
        "00001": ("radiated", date(2025, 1, 10)), "00002": ("attributed", date(2025, 11, 22)),
        "00003": ("closed", date(2025, 11, 23)), "00004": ("radiated", date(2026, 6, 1)),
        "00005": ("radiated", None), "00006": ("active", None),
    }

    plan = plan_purge(db, retention_months=12, today=TODAY)
    assert plan.cutoff == date(2025, 11, 23)
    assert sorted(i.nur[7:12] for i in plan.deletions) == ["00001", "00002"]
    assert plan.anonymisations == [] and plan.kept == []
    assert plan.undated == 1
    assert "sans date de changement de statut" in plan.text()

    result = apply_purge(db, plan)
    assert sorted(n[7:12] for n in result.deleted) == ["00001", "00002"]
    assert sorted(stored(db)) == ["00003", "00004", "00005", "00006"]
    # the undated one is still counted apart until its date is completed
    assert plan_purge(db, retention_months=12, today=TODAY).undated == 1


def test_completing_the_date_by_a_new_import_makes_it_purgeable(db: Engine) -> None:
    import_demandes(db, csv_bytes(HEADER + row(5, "radiée", "")), today=TODAY)
    assert plan_purge(db, retention_months=12, today=TODAY).undated == 1
    report = import_demandes(db, csv_bytes(HEADER + row(5, "radiée", "15/02/2025")),
                             today=TODAY)
    assert report.updated == 1
    plan = plan_purge(db, retention_months=12, today=TODAY)
    assert (plan.undated, [i.nur[7:12] for i in plan.deletions]) == (0, ["00005"])


def test_a_status_change_without_date_is_dated_the_import_day(db: Engine) -> None:
    import_demandes(db, csv_bytes(HEADER + row(1, "active", "") + row(2, "radiée", "")),
                    today=TODAY)
    later = date(2026, 12, 1)
    # 00001 is struck off, 00002 reactivated; no « Date statut » in the file
    no_date = "NUR;Date dépôt;Membres;Statut\n" + (
        f"057240300001G5701;12/03/2024;{MEMBERS};radiée\n"
        f"057240300002G5701;12/03/2024;{MEMBERS};active\n"
    )
    report = import_demandes(db, csv_bytes(no_date), today=later)
    assert report.updated == 2
    assert stored(db) == {"00001": ("radiated", later), "00002": ("active", None)}

    # same status, empty date cell: the stored date is kept, nothing changes
    report = import_demandes(db, csv_bytes(HEADER + row(1, "radiée", "")),
                             today=date(2027, 1, 5))
    assert (report.updated, report.unchanged) == (0, 1)
    assert stored(db)["00001"] == ("radiated", later)

    # ended → another ended status, without date: the change is dated the import day
    import_demandes(db, csv_bytes(HEADER + row(1, "close", "")), today=date(2027, 1, 5))
    assert stored(db)["00001"] == ("closed", date(2027, 1, 5))

    # a filled date corrects the stored one
    report = import_demandes(db, csv_bytes(HEADER + row(1, "close", "20/12/2026")),
                             today=date(2027, 1, 5))
    assert report.updated == 1
    assert stored(db)["00001"] == ("closed", date(2026, 12, 20))


def test_a_change_given_with_its_date_keeps_the_files_date(db: Engine) -> None:
    import_demandes(db, csv_bytes(HEADER + row(1, "active", "")), today=TODAY)
    import_demandes(db, csv_bytes(HEADER + row(1, "attribuée", "02/10/2026")), today=TODAY)
    assert stored(db)["00001"] == ("attributed", date(2026, 10, 2))


NO_STATUS_HEADER = "NUR;Date dépôt;Membres;Date statut\n"


@pytest.mark.parametrize(("header", "bad", "message"), [
    (HEADER, row(1, "active", "10/01/2025"), "date de statut pour une demande active"),
    (HEADER, row(1, "", "10/01/2025"), "date de statut pour une demande active"),
    (HEADER, row(1, "radiée", "24/11/2026"), "date dans le futur (après le 23/11/2026)"),
    (HEADER, row(1, "radiée", "11/03/2024"), "antérieure à la date de dépôt"),
    (HEADER, row(1, "radiée", "31/02/2025"), "cette date n'existe pas"),
    (HEADER, row(1, "radiée", "janvier 2025"), "date attendue au format JJ/MM/AAAA"),
    (NO_STATUS_HEADER, f"057240300001G5701;12/03/2024;{MEMBERS};10/01/2025\n",
     "date de statut sans colonne « Statut »"),
])
def test_a_wrong_status_date_refuses_the_file(db: Engine, header: str, bad: str,
                                              message: str) -> None:
    # line 2 is good and would be created: the refusal must not write even that one
    good = (row(9, "radiée", "10/01/2025") if header == HEADER
            else f"057240300009G5701;12/03/2024;{MEMBERS};\n")
    before = counts(db)
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(db, csv_bytes(header + good + bad), today=TODAY)
    problems = caught.value.report.errors
    assert [(p.line, p.column) for p in problems] == [(3, "Date statut")]
    assert message in problems[0].message
    assert "ligne 3, colonne « Date statut »" in str(caught.value)
    assert counts(db) == before


def test_header_aliases(db: Engine) -> None:
    text = ("NUR;Date de dépôt;Membres;Statut;Date de changement de statut\n"
            f"057240300001G5701;12/03/2024;{MEMBERS};radiée;10/01/2025\n")
    import_demandes(db, csv_bytes(text), today=TODAY)
    assert stored(db)["00001"] == ("radiated", date(2025, 1, 10))


def test_round_trip_keeps_status_dates(db: Engine, tmp_path: Path) -> None:
    text = HEADER + (row(1, "radiée", "10/01/2025") + row(2, "radiée", "")
                     + row(3, "active", ""))
    import_demandes(db, csv_bytes(text), today=TODAY)
    first = tmp_path / "demandes.csv"
    assert export_demandes(db, first) == 3
    lines = first.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[header.index("Statut") + 1] == "Date statut"
    column = header.index("Date statut")
    assert [line.split(";")[column] for line in lines[1:]] == ["10/01/2025", "", ""]

    target = with_references(open_database(str(tmp_path / "autre-base.sqlite3"), create=True))
    try:
        assert import_demandes(target, first, today=TODAY).created == 3
        assert stored(target) == stored(db)
        second = tmp_path / "demandes-2.csv"
        export_demandes(target, second)
    finally:
        target.dispose()
    assert second.read_bytes() == first.read_bytes()
    before = counts(db)
    again = import_demandes(db, first, today=TODAY)
    assert (again.unchanged, again.updated, again.created) == (3, 0, 0)
    assert counts(db) == before


def test_an_active_demande_with_a_stale_date_exports_without_it(
    db: Engine, tmp_path: Path
) -> None:
    """A date left on an active demande (older data) is not exported: the import would
    refuse it, and it dates nothing."""
    import_demandes(db, csv_bytes(HEADER + row(1, "active", "")), today=TODAY)
    with Session(db) as session:
        demande = session.exec(select(Demande)).scalar_one()
        demande.status_date = date(2025, 1, 10)
        session.add(demande)
        session.commit()
    path = tmp_path / "demandes.csv"
    export_demandes(db, path)
    assert import_demandes(db, path, today=TODAY).unchanged == 1
    assert stored(db)["00001"] == ("active", date(2025, 1, 10))
