"""CSV exports: Excel France format, round trip through the import, SNE decisions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from caleol.db.engine import open_database
from caleol.services.exports import export_decisions, export_demandes, export_dwellings
from caleol.services.imports import import_demandes, import_dwellings
from tests.services.import_fixtures import TODAY, counts, csv_bytes, with_references
from tests.services.test_imports import DEMANDES, DWELLINGS


def test_dwellings_round_trip(engine: Engine, tmp_path: Path) -> None:
    source = with_references(engine)
    import_dwellings(source, csv_bytes(DWELLINGS), today=TODAY)
    first = tmp_path / "logements.csv"
    assert export_dwellings(source, first) == 2
    raw = first.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the accents right
    assert b"\r\n" in raw and b";412,50;" in raw  # `;`, CRLF, decimal comma
    target = with_references(open_database(str(tmp_path / "autre-base.sqlite3"), create=True))
    try:
        report = import_dwellings(target, first, today=TODAY)
        assert report.created == 2
        second = tmp_path / "logements-2.csv"
        export_dwellings(target, second)
    finally:
        target.dispose()
    assert second.read_bytes() == raw
    # and the same file into the source changes nothing
    again = import_dwellings(source, first, today=TODAY)
    assert (again.unchanged, again.updated, again.created) == (2, 0, 0)


def test_demandes_round_trip(engine: Engine, tmp_path: Path) -> None:
    db = with_references(engine)
    import_demandes(db, csv_bytes(DEMANDES), today=TODAY)
    path = tmp_path / "demandes.csv"
    assert export_demandes(db, path) == 1
    text = path.read_text(encoding="utf-8-sig")
    assert "demandeur:02/03/1985 | enfant:01/06/2012 | enfant:15/09/2016:visite" in text
    assert "salaire:1850,50:1" in text and "salaire:410,00:précaire:1" in text
    before = counts(db)
    report = import_demandes(db, path, today=TODAY)
    assert report.unchanged == 1
    assert counts(db) == before


def test_decisions_of_a_period_for_the_sne(tmp_path: Path) -> None:
    from caleol.services.demo import create_demo_database

    summary = create_demo_database(tmp_path / "demo.sqlite3", today=TODAY, certificate=False)
    engine = open_database(str(tmp_path / "demo.sqlite3"))
    try:
        path = tmp_path / "decisions.csv"
        count = export_decisions(engine, path, date(2026, 1, 1), date(2026, 12, 31))
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        nothing = export_decisions(engine, tmp_path / "none.csv", date(2000, 1, 1),
                                   date(2000, 12, 31))
    finally:
        engine.dispose()
    assert count == len(lines) - 1 > 10
    assert lines[0].startswith("NUR;Date de décision;Décision;Rang;Motif")
    kinds = {line.split(";")[2] for line in lines[1:]}
    assert {"Attribution", "Non-attribution", "Rejet pour irrecevabilité"} <= kinds
    assert any(line.split(";")[16] for line in lines[1:])  # lease dates for the radiation
    assert nothing == 0
    assert summary.signed_session_id is not None
