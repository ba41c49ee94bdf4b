"""Paged browsers: filters, sort and paging done by SQL, plain rows out."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

import pytest
from db.factories import make_commune, make_demande, make_dwelling
from sqlalchemy import Engine, insert

from caleol.db.engine import session_scope
from caleol.db.models import Demande, DemandePriority, PriorityCriterion, WishedCommune
from caleol.db.models.demande import name_sort_key
from caleol.errors import CaleolError
from caleol.services.browse import (
    DemandeBrowser,
    DemandeFilters,
    DwellingBrowser,
    DwellingFilters,
    PriorityFilter,
    waiting_months,
)


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool = False


@pytest.fixture
def dwellings(engine: Engine) -> DwellingBrowser:
    with session_scope(engine) as s:
        metz = make_commune(s, name="Metz", postal_code="57000")
        forbach = make_commune(s, name="Forbach", postal_code="57600")
        make_dwelling(s, reference="LOG-A", typology="T2", commune_id=metz.id,
                      financing="PLAI", rent_cents=38_000, address="3 rue des Roses")
        make_dwelling(s, reference="LOG-B", typology="T3", commune_id=metz.id,
                      financing="PLUS", rent_cents=52_000, status="let")
        make_dwelling(s, reference="LOG-C", typology="T3", commune_id=forbach.id,
                      financing="PLUS", rent_cents=45_000, surface_dm2=6540)
        make_dwelling(s, reference="LOG-D", typology="T4", commune_id=None,
                      financing="PLS", rent_cents=61_000)
    return DwellingBrowser(engine)


def refs(rows: list) -> list[str]:
    return [r.reference for r in rows]


def test_dwellings_default_order_and_count(dwellings: DwellingBrowser) -> None:
    assert dwellings.count() == 4
    rows = dwellings.fetch(0, 10)
    assert refs(rows) == ["LOG-A", "LOG-B", "LOG-C", "LOG-D"]
    c = rows[2]
    assert (c.commune, c.typology, c.financing) == ("Forbach", "T3", "PLUS")
    assert c.rent == Decimal("450.00")
    assert c.surface_m2 == Decimal("65.40")
    assert rows[1].status_label == "loué"
    assert rows[3].commune == ""


@pytest.mark.parametrize(("filters", "expected"), [
    (DwellingFilters(typology="T3"), ["LOG-B", "LOG-C"]),
    (DwellingFilters(financing="PLUS", status="vacant"), ["LOG-C"]),
    (DwellingFilters(text="forb"), ["LOG-C"]),
    (DwellingFilters(text="roses"), ["LOG-A"]),
    (DwellingFilters(text="log metz"), ["LOG-A", "LOG-B"]),  # every word must match
    (DwellingFilters(text="50%"), []),  # % is searched literally
])
def test_dwelling_filters(dwellings: DwellingBrowser, filters, expected) -> None:
    assert refs(dwellings.fetch(0, 10, None, filters)) == expected
    assert dwellings.count(filters) == len(expected)


def test_dwelling_commune_filter_and_choices(dwellings: DwellingBrowser) -> None:
    choices = dwellings.choices()
    communes = {c.label: c.value for c in choices["commune"]}
    assert list(communes) == ["Forbach", "Metz"]  # only communes with dwellings, sorted
    assert refs(dwellings.fetch(0, 10, None, DwellingFilters(commune_id=communes["Metz"]))) \
        == ["LOG-A", "LOG-B"]
    assert [c.label for c in choices["status"]] == ["vacant", "proposé", "loué"]


def test_dwelling_sort_is_done_by_the_query(dwellings: DwellingBrowser) -> None:
    assert refs(dwellings.fetch(0, 10, Sort("rent", True))) == ["LOG-D", "LOG-B", "LOG-C",
                                                                "LOG-A"]
    # commune: empty last in both directions
    assert refs(dwellings.fetch(0, 10, Sort("commune"))) == ["LOG-C", "LOG-A", "LOG-B", "LOG-D"]
    assert refs(dwellings.fetch(0, 10, Sort("commune", True)))[-1] == "LOG-D"
    assert refs(dwellings.fetch(0, 10, Sort("no such key"))) == ["LOG-A", "LOG-B", "LOG-C",
                                                                 "LOG-D"]


def test_pages_neither_overlap_nor_skip(dwellings: DwellingBrowser) -> None:
    pages = [dwellings.fetch(offset, 3, Sort("typology")) for offset in (0, 3)]
    assert [len(p) for p in pages] == [3, 1]
    assert sorted(refs(pages[0] + pages[1])) == ["LOG-A", "LOG-B", "LOG-C", "LOG-D"]


def test_dwelling_detail(dwellings: DwellingBrowser) -> None:
    row = dwellings.fetch(0, 1, None, DwellingFilters(text="LOG-C"))[0]
    fields = dict(dwellings.detail(row.id).fields)
    assert fields["Référence"] == "LOG-C"
    assert fields["Commune"] == "Forbach (57600)"
    assert fields["Surface"] == "65,40\u00a0m²"
    assert fields["Loyer"] == "450,00\u00a0€"
    # 450 + 80 charges + 0 annexes
    assert fields["Total mensuel hors énergie"] == "530,00\u00a0€"
    with pytest.raises(CaleolError, match="n'existe plus"):
        dwellings.detail(999_999)


TODAY = dt.date(2025, 6, 20)


@pytest.fixture
def demandes(engine: Engine) -> DemandeBrowser:
    with session_scope(engine) as s:
        metz = make_commune(s, name="Metz")
        dalo = PriorityCriterion(code="handicap", label="Personne en situation de handicap")
        s.add(dalo)
        s.flush()
        a = make_demande(s, nur="057240100001", applicant_surname="Durand",
                         applicant_first_names="Élodie", filing_date=dt.date(2024, 1, 15),
                         children=2, monthly_income_cents=150_000, wished_typologies="T3,T4")
        b = make_demande(s, nur="057230200002", applicant_surname="Martin",
                         applicant_first_names="Paul", filing_date=dt.date(2023, 2, 1),
                         children=0, dalo=True, wished_typologies="T2")
        c = make_demande(s, nur="054240300003", applicant_surname="Durandal",
                         applicant_first_names="Lucie", filing_date=dt.date(2024, 3, 10),
                         children=1, status="attributed", wished_typologies="T3")
        s.add(DemandePriority(demande_id=a.id, criterion_id=dalo.id))
        s.add(WishedCommune(demande_id=c.id, commune_id=metz.id))
        assert b.id
    return DemandeBrowser(engine, today=TODAY)


def nurs(rows: list) -> list[str]:
    return [r.nur for r in rows]


def test_demande_rows_compute_household_resources_and_wait(demandes: DemandeBrowser) -> None:
    rows = {r.nur: r for r in demandes.fetch(0, 10)}
    a = rows["057240100001"]
    assert a.name == "DURAND Élodie"
    assert a.household_size == 3  # applicant + 2 children
    assert a.monthly_resources == Decimal("1500.00")
    assert a.waiting_months == 17  # 15/01/2024 → 20/06/2025: 17 whole months
    assert a.wished_typologies == "T3, T4"
    assert a.priority == "prioritaire (1)"
    assert rows["057230200002"].priority == "DALO"
    assert rows["054240300003"].status_label == "attribuée"


@pytest.mark.parametrize(("filters", "expected"), [
    (DemandeFilters(text="0572"), ["057230200002", "057240100001"]),  # NUR prefix
    (DemandeFilters(text="057 2401"), ["057240100001"]),  # spaces typed in a NUR
    (DemandeFilters(text="durand"), ["057240100001", "054240300003"]),
    (DemandeFilters(text="durand lucie"), ["054240300003"]),
    (DemandeFilters(typology="T3"), ["057240100001", "054240300003"]),
    (DemandeFilters(status="active"), ["057230200002", "057240100001"]),
    (DemandeFilters(priority=PriorityFilter.DALO), ["057230200002"]),
    (DemandeFilters(priority=PriorityFilter.PRIORITY), ["057230200002", "057240100001"]),
    (DemandeFilters(priority=PriorityFilter.NONE), ["054240300003"]),
])
def test_demande_filters(demandes: DemandeBrowser, filters, expected) -> None:
    assert nurs(demandes.fetch(0, 10, None, filters)) == expected  # default: oldest first
    assert demandes.count(filters) == len(expected)


@pytest.mark.parametrize("filters", [
    None,
    DemandeFilters(text="durand"),  # PostgreSQL: the one-scan path (text, default order)
    DemandeFilters(text="durand lucie"),
    DemandeFilters(text="dur", typology="T3"),
    DemandeFilters(text="0572"),
    DemandeFilters(text="zz"),
    DemandeFilters(status="active"),
])
@pytest.mark.parametrize("limit", [1, 10])
def test_first_page_is_the_count_and_the_first_fetch(demandes: DemandeBrowser, filters,
                                                    limit: int) -> None:
    total, rows = demandes.first_page(limit, None, filters)
    assert total == demandes.count(filters)
    assert rows == demandes.fetch(0, limit, None, filters)
    assert len(rows) == min(limit, total)


def test_first_page_in_another_order(demandes: DemandeBrowser) -> None:
    total, rows = demandes.first_page(10, Sort("name", True), DemandeFilters(text="durand"))
    assert (total, nurs(rows)) == (2, ["054240300003", "057240100001"])  # durandal first


def test_demande_wished_commune_filter(demandes: DemandeBrowser) -> None:
    (metz,) = demandes.choices()["commune"]
    assert nurs(demandes.fetch(0, 10, None, DemandeFilters(commune_id=metz.value))) \
        == ["054240300003"]


def test_demande_sorts(demandes: DemandeBrowser) -> None:
    assert nurs(demandes.fetch(0, 10, Sort("name"))) == [
        "057240100001", "054240300003", "057230200002"]  # durand < durandal < martin
    assert nurs(demandes.fetch(0, 10, Sort("household_size", True)))[0] == "057240100001"
    assert nurs(demandes.fetch(0, 10, Sort("waiting_months")))[0] == "057230200002"


def accented_names(engine: Engine) -> DemandeBrowser:
    """Five applicants whose names differ by accents, case and the Œ ligature."""
    with session_scope(engine) as s:
        for nur, surname in (("057240100011", "Zimmer"), ("057240100012", "Élie"),
                             ("057240100013", "eberhardt"), ("057240100014", "Œuvrard"),
                             ("057240100015", "Ebert")):
            make_demande(s, nur=nur, applicant_surname=surname, applicant_first_names="Jo")
    return DemandeBrowser(engine, today=TODAY)


def test_demande_name_sort_ignores_accents_and_case(engine: Engine) -> None:
    browser = accented_names(engine)
    names = [r.name.split()[0] for r in browser.fetch(0, 10, Sort("name"))]
    # a binary sort would put É and Œ after Z and « eberhardt » after « Ebert »
    assert names == ["EBERHARDT", "EBERT", "ÉLIE", "ŒUVRARD", "ZIMMER"]
    assert [r.name.split()[0] for r in browser.fetch(0, 10, Sort("name", True))] == \
        names[::-1]


@pytest.mark.parametrize(("typed", "found"), [
    ("elie", ["057240100012"]),          # « Élie » typed without its accent
    ("ÉLIE", ["057240100012"]),          # or in capitals with it
    ("oeuvr", ["057240100014"]),         # the ligature Œ typed as « oe »
    ("Œuvrard jo", ["057240100014"]),    # every word must match
    ("ebe", ["057240100013", "057240100015"]),
    ("zz", []),
])
def test_demande_search_ignores_accents_and_case(engine: Engine, typed: str,
                                                 found: list[str]) -> None:
    browser = accented_names(engine)
    rows = browser.fetch(0, 10, Sort("name"), DemandeFilters(text=typed))
    assert sorted(nurs(rows)) == found
    assert browser.count(DemandeFilters(text=typed)) == len(found)


def test_demande_detail(demandes: DemandeBrowser) -> None:
    row = demandes.fetch(0, 1, None, DemandeFilters(text="057240100001"))[0]
    detail = demandes.detail(row.id)
    fields = dict(detail.fields)
    assert fields["Ancienneté"] == "17 mois"
    assert fields["Critères de priorité"] == "Personne en situation de handicap"
    assert fields["Ressources mensuelles"] == "1\u00a0500,00\u00a0€"
    assert [m.role for m in detail.members] == ["demandeur", "enfant", "enfant"]
    assert detail.resources[0].stable == "stable"
    with pytest.raises(CaleolError):
        demandes.detail(999_999)


@pytest.mark.parametrize(("start", "end", "months"), [
    (dt.date(2024, 1, 15), dt.date(2024, 2, 14), 0),
    (dt.date(2024, 1, 15), dt.date(2024, 2, 15), 1),
    (dt.date(2024, 1, 31), dt.date(2024, 2, 29), 0),
    (dt.date(2025, 1, 1), dt.date(2024, 1, 1), 0),  # filed after today: 0, not -12
])
def test_waiting_months(start: dt.date, end: dt.date, months: int) -> None:
    assert waiting_months(start, end) == months


@pytest.mark.slow
def test_100000_demandes_page_quickly(sqlite_engine: Engine) -> None:
    """Measured on the dev machine: count ≈ 10 ms, a page deep in the list ≈ 50 ms."""
    rows = [
        {"nur": f"0572401{i:06d}", "filing_date": dt.date(2020, 1, 1) + dt.timedelta(days=i % 1500),
         "applicant_surname": f"Nom{(i * 7919) % 100_000:05d}", "applicant_first_names": "Alex",
         "name_sort_key": name_sort_key(f"Nom{(i * 7919) % 100_000:05d}", "Alex"),
         "status": "active", "wished_typologies": "T3", "version": 1}
        for i in range(100_000)
    ]
    with sqlite_engine.begin() as connection:
        connection.execute(insert(Demande), rows)
    browser = DemandeBrowser(sqlite_engine, today=TODAY)
    start = time.perf_counter()
    assert browser.count() == 100_000
    count_s = time.perf_counter() - start
    start = time.perf_counter()
    page = browser.fetch(50_000, 200, Sort("name"))
    page_s = time.perf_counter() - start
    assert [r.name for r in page] == sorted(r.name for r in page)
    assert page[0].name == "NOM50000 Alex"
    filtered = browser.count(DemandeFilters(text="nom4999"))
    assert filtered == 10  # names are a permutation of Nom00000…Nom99999: Nom49990…Nom49999
    print(f"count {count_s * 1000:.0f} ms, page at 50 000 sorted by name {page_s * 1000:.0f} ms")
    assert count_s < 1.0
    assert page_s < 2.0
