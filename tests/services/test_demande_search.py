"""The Demandes text filter through the trigram index: the rows of the scan, faster.

The index (`caleol.db.text_search`, migration 0009) must find exactly what the
`LIKE` scan finds, for every way of typing, and follow every write (ORM, bulk
insert, rename, deletion) without being audited or reported by the schema check.
"""

from __future__ import annotations

import datetime as dt

import pytest
from db.factories import make_demande
from sqlalchemy import Engine, create_engine, pool, select, text

from caleol.db import migrate, text_search
from caleol.db.engine import session_scope
from caleol.db.models import AuditEntry, Demande
from caleol.db.schema_check import schema_problems
from caleol.services import demande_search
from caleol.services.audit import verify_chain
from caleol.services.browse import DemandeBrowser, DemandeFilters
from caleol.services.bulk import AuditedInserter
from caleol.services.imports.demandes import DemandeRecord, insert_demandes

NAMES = (
    ("Martin", "Élodie"), ("MARCHAL", "Luc"), ("Œuvray", "Marie"), ("D'Arcy", "Anne"),
    ("Weber", "Amélie"), ("Lemaréchal", "Zoé"), ("Ngô", "Bảo"), ("Müller", "Jörg"),
    ("Smith-Marley", "Ann"), ("Du\"bois", "Léa"), ("Straße", "Ida"), ("Amar", "Yasmine"),
)
TYPED = (
    "mar", "MAR", "élo", "elodie", "oeuv", "œuv", "d'ar", "ann", "arc", "mar élo",
    "marie oeuv", "du\"b", "strasse", "straße", "ngo", "bảo", "zzz", "ma", "l", "0572",
    "057 24", "2401", "24010", "marl", "ley", "an am", "%", "a_c", "'", "\"",
)


@pytest.fixture
def browsers(engine: Engine) -> tuple[DemandeBrowser, DemandeBrowser]:
    """(with the index, scan only) over the same demandes."""
    with session_scope(engine) as s:
        for surname, first in NAMES:
            make_demande(s, applicant_surname=surname, applicant_first_names=first)
    indexed, scanned = DemandeBrowser(engine), DemandeBrowser(engine)
    scanned.text_search.use_scan_only()
    return indexed, scanned


def found(browser: DemandeBrowser, typed: str) -> list[str]:
    rows = browser.fetch(0, 100, None, DemandeFilters(text=typed))
    assert browser.count(DemandeFilters(text=typed)) == len(rows)
    return sorted(r.name for r in rows)


def test_sqlite_database_has_the_index(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            assert text_search.has_index(connection)
        else:  # pg_trgm is trusted since PostgreSQL 13: the owner creates it
            assert text_search.has_index(connection)


def test_the_index_finds_what_the_scan_finds(
        browsers: tuple[DemandeBrowser, DemandeBrowser]) -> None:
    indexed, scanned = browsers
    differ = {typed: (found(indexed, typed), found(scanned, typed)) for typed in TYPED}
    assert {typed: both for typed, both in differ.items() if both[0] != both[1]} == {}
    assert sum(1 for a, _ in differ.values() if a) > len(TYPED) / 2  # not all empty


def test_worked_cases(browsers: tuple[DemandeBrowser, DemandeBrowser]) -> None:
    indexed, _ = browsers
    # « mar »: Martin, MARCHAL, Œuvray Marie (first names count), Lemaréchal (é → e),
    # Smith-Marley, Amar; not D'Arcy (« arc » only)
    assert found(indexed, "mar") == ["AMAR Yasmine", "LEMARÉCHAL Zoé", "MARCHAL Luc",
                                     "MARTIN Élodie", "SMITH-MARLEY Ann", "ŒUVRAY Marie"]
    assert found(indexed, "elodie") == ["MARTIN Élodie"]  # accents ignored
    assert found(indexed, "oeuvray marie") == ["ŒUVRAY Marie"]  # ligature, two words
    assert found(indexed, "strasse") == ["STRASSE Ida"]  # ß case-folds to ss
    assert found(indexed, 'du"bois') == ['DU"BOIS Léa']  # a quote is a character
    assert found(indexed, "zzz") == []


def test_what_the_index_answers_and_what_is_scanned(engine: Engine) -> None:
    search = demande_search.DemandeTextSearch(engine)
    sqlite = engine.dialect.name == "sqlite"
    three = search.condition("mar")
    assert (three.match is not None) == sqlite and (three.scanned == ()) == sqlite
    two = search.condition("ma")  # no trigram in two letters: the scan, on every backend
    assert two.match is None and len(two.scanned) == 1
    mixed = search.condition("ma élodie")
    assert len(mixed.scanned) == (1 if sqlite else 2) and (mixed.match is not None) == sqlite
    assert search.condition("057 24").match is None  # digits: the NUR's start


def test_index_follows_every_write(engine: Engine) -> None:
    browser = DemandeBrowser(engine)

    def names(typed: str) -> list[str]:
        return [r.name for r in browser.fetch(0, 10, None, DemandeFilters(text=typed))]

    with session_scope(engine) as s:
        demande_id = make_demande(s, applicant_surname="Kowalski", applicant_first_names="Ewa").id
    assert names("walsk") == ["KOWALSKI Ewa"]
    with session_scope(engine) as s:  # renamed (the ORM hook rewrites the sort key)
        demande = s.get(Demande, demande_id)
        demande.applicant_surname = "Nowak"
    assert names("walsk") == [] and names("nowa") == ["NOWAK Ewa"]
    with engine.begin() as connection:  # the import's bulk path
        insert_demandes(AuditedInserter(connection), [DemandeRecord(
            nur="057240999999", values={"filing_date": dt.date(2024, 2, 1),
                                        "applicant_surname": "Zielinski",
                                        "applicant_first_names": "Piotr",
                                        "department_code": "57"})])
    assert names("zielin") == ["ZIELINSKI Piotr"] and names("0572409") == ["ZIELINSKI Piotr"]
    with session_scope(engine) as s:
        s.delete(s.get(Demande, demande_id))
    assert names("nowa") == []


def test_a_page_reads_the_same_walking_the_order(engine: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Many found: the page is read along the order's index; few: each looked up."""
    with session_scope(engine) as s:
        for n in range(30):
            make_demande(s, applicant_surname=f"Marchand{n:02d}",
                         filing_date=dt.date(2020, 1, 1) + dt.timedelta(days=(7 * n) % 30))
    browser = DemandeBrowser(engine)
    filters = DemandeFilters(text="march")
    assert browser.count(filters) == 30
    looked_up = [r.id for r in browser.fetch(5, 10, None, filters)]
    monkeypatch.setattr(demande_search, "WALK_ORDER_ABOVE", 0)
    assert [r.id for r in DemandeBrowser(engine).fetch(5, 10, None, filters)] == looked_up


def test_index_is_not_audited_nor_reported(engine: Engine) -> None:
    with session_scope(engine) as s:
        make_demande(s, applicant_surname="Audit")
    with session_scope(engine) as s:
        entities = set(s.exec(select(AuditEntry.entity)).scalars())
    assert not any(e.startswith(text_search.SEARCH_TABLE) for e in entities)
    assert schema_problems(engine) == []
    report = verify_chain(engine)
    assert report.ok, report


def test_upgrade_indexes_the_demandes_already_there() -> None:
    engine = create_engine("sqlite://", poolclass=pool.StaticPool)
    try:
        with engine.begin() as connection:
            migrate.upgrade(connection, "0008")
            connection.execute(text(
                "INSERT INTO demande (nur, filing_date, status, applicant_surname, "
                "applicant_first_names, name_sort_key, department_code, wished_typologies, "
                "dalo, syplo_label, action_logement_employee, current_social_tenant, "
                "association_bail_glissant, payment_guarantee, notes, version, address, "
                "postal_code, city) VALUES ('057240100001', '2024-01-15', 'active', "
                "'Ancien', 'Paul', 'ancien paul', '57', '', 0, 0, 0, 0, 0, 0, '', 1, '', '', '')"))
            migrate.upgrade(connection, "head")
        browser = DemandeBrowser(engine)
        assert browser.text_search.has_index()
        assert [r.name for r in browser.fetch(0, 5, None, DemandeFilters(text="ancie"))] == [
            "ANCIEN Paul"]
        with engine.begin() as connection:
            migrate.downgrade(connection, "0008")
        with engine.connect() as connection:
            assert not text_search.has_index(connection)
    finally:
        engine.dispose()
