"""The import tells how far it has read (the window's progress bar) and can be cancelled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from caleol.services.bulk import BULK_CACHE_KIB, MAX_BULK_CACHE_KIB, bulk_cache, cache_for
from caleol.services.imports import import_demandes, runner
from tests.services.import_fixtures import TODAY, counts, csv_bytes, with_references

HEADER = "NUR;Date dépôt;Nom;Prénoms;Membres\n"


def demandes_csv(rows: int) -> str:
    # NUR 057 24 03 nnnnn G5701: département 057, registered in March 2024 (the filing
    # month), sequence n, desk G5701
    lines = [f"0572403{n:05d}G5701;12/03/2024;Nom{n};Anne;demandeur:02/03/1985"
             for n in range(1, rows + 1)]
    return HEADER + "\n".join(lines) + "\n"


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    yield with_references(engine)


def test_progress_is_the_share_of_the_file_read(db: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "CHUNK", 10)  # a report every 10 lines
    seen: list[tuple[int, str]] = []
    report = import_demandes(db, csv_bytes(demandes_csv(35)), today=TODAY,
                             progress=lambda percent, text: seen.append((percent, text)))
    assert report.created == 35
    # after lines 10, 20 and 30, then the end: 3 + 1 reports, never backwards
    assert [text for _, text in seen] == ["10 lignes lues", "20 lignes lues", "30 lignes lues",
                                          "35 lignes lues"]
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 99  # 100: the dialog closes


def test_a_cancelled_import_writes_nothing(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "CHUNK", 10)
    before = counts(db)

    class CancelledError(Exception):
        pass

    def cancel_at_twenty(percent: int, text: str) -> None:
        if text.startswith("20 "):
            raise CancelledError  # what TaskContext.progress raises when « Annuler » is clicked

    with pytest.raises(CancelledError):
        import_demandes(db, csv_bytes(demandes_csv(35)), today=TODAY, progress=cancel_at_twenty)
    assert counts(db) == before  # the first 10 demandes, already written, rolled back


def test_bulk_cache_gives_the_usual_cache_back(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PRAGMA cache_size : SQLite seulement (bulk_cache n'agit que là)")
    with engine.connect() as connection:
        usual = connection.exec_driver_sql("PRAGMA cache_size").scalar_one()
        with bulk_cache(connection, 8 * 1024):
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == -8 * 1024
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar_one() == usual


def test_a_larger_file_gets_a_larger_cache_within_bounds() -> None:
    assert cache_for(0) == cache_for(3 * 1024 * 1024) == BULK_CACHE_KIB  # 10 000 demandes
    assert cache_for(28 * 1024 * 1024) == 224 * 1024  # 100 000 demandes
    assert cache_for(100 * 1024 * 1024) == MAX_BULK_CACHE_KIB  # the largest file accepted
