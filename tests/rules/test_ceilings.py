"""Ceiling tables and the ceiling check; figures from the shipped arrêté values."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from caleol.errors import ValidationError
from caleol.paths import resources_dir
from caleol.rules.ceilings import (
    CeilingRow,
    CeilingTable,
    Financing,
    Zone,
    check_ceiling,
    load_ceiling_table,
    parse_ceiling_csv,
)
from caleol.rules.household import Household, Member, Role
from caleol.rules.result import Status

A, P, C = Role.APPLICANT, Role.PARTNER, Role.CHILD
ON = date(2026, 3, 10)
N2 = 2024  # incomes of year n-2 for an examination in 2026 (tax notice of 2025)
AR = Zone.AUTRES_REGIONS
SHARED = Path(__file__).resolve().parents[2] / "docs" / "reference" / "plafonds-ressources.csv"


@pytest.fixture(scope="module")
def table() -> CeilingTable:
    return load_ceiling_table()


def four_persons() -> Household:
    return Household((Member(A, 34), Member(P, 33), Member(C, 16), Member(C, 10)))


def test_shipped_table_keeps_official_values(table: CeilingTable) -> None:
    assert table.ceiling_for(Financing.PLUS, AR, 4, 0, ON) == 45374
    assert table.ceiling_for(Financing.PLUS, Zone.PARIS_ET_LIMITROPHES, 1, 0, ON) == 26920
    assert table.ceiling_for(Financing.PLAI, AR, 1, 0, date(2022, 6, 1)) == 11626
    # every row: categories increase, the extra amount is positive
    for row in table.rows:
        assert list(row.categories) == sorted(row.categories)
        assert row.per_extra_person > 0


def test_shipped_csv_contains_every_reference_row() -> None:
    shipped = (resources_dir() / "plafonds-ressources.csv").read_text(encoding="utf-8")
    reference = SHARED.read_text(encoding="utf-8")
    shipped_rows = {tuple(r.values()) for r in csv.DictReader(shipped.splitlines())}
    for row in csv.DictReader(reference.splitlines()):
        assert tuple(row.values()) in shipped_rows


def test_issue_example_passes(table: CeilingTable) -> None:
    result = check_ceiling(four_persons(), Financing.PLUS, AR, 31000, ON, table, N2)
    assert result.status is Status.PASS
    assert result.figures["category"] == 4
    assert result.figures["ceiling"] == 45374
    assert result.figures["income"] == 31000
    assert result.figures["year"] == 2026
    assert ("Revenu fiscal de référence de l'avis d'imposition 2025 (revenus 2024), année "
            "n-2" in result.explanation)
    assert "Arrêté du 29 juillet 1987" in result.reference
    assert result.to_json()["ceiling"] == 45374


def test_income_equal_to_the_ceiling_passes_and_one_euro_more_fails(
    table: CeilingTable,
) -> None:
    assert check_ceiling(four_persons(), Financing.PLUS, AR, 45374, ON, table, N2).passed
    over = check_ceiling(four_persons(), Financing.PLUS, AR, 45375, ON, table, N2)
    assert over.status is Status.FAIL
    assert "plafond dépassé de 1\u00a0€" in over.explanation


def test_household_of_eight_adds_two_extra_persons(table: CeilingTable) -> None:
    h = Household((Member(A, 40), Member(P, 40), *(Member(C, a) for a in range(1, 7))))
    result = check_ceiling(h, Financing.PLUS, AR, 70000, ON, table, N2)
    # PLUS 2026 autres régions: category 6 60 156 + 2 × 6 710 = 73 576
    assert result.figures["ceiling"] == 60156 + 2 * 6710 == 73576
    assert result.figures["extra_persons"] == 2
    assert "2 × 6\u00a0710\u00a0€" in result.explanation
    assert result.passed


@pytest.mark.parametrize(
    ("financing", "on", "missing"),
    [
        (Financing.PLAI, date(2026, 3, 10), "la table des plafonds PLAI 2026"),
        (Financing.PLAI_ADAPTE, date(2026, 3, 10), "la table des plafonds PLAI 2026"),
        (Financing.PLUS, date(2027, 1, 5), "la table des plafonds PLUS 2027"),
        (Financing.PLS, date(2027, 1, 5),
         "ni la table des plafonds PLS 2027 ni la table PLUS 2027"),
        (Financing.PLI, date(2026, 3, 10), "la table des plafonds PLI 2026"),
        (Financing.LLI, date(2026, 3, 10), "la table des plafonds LLI 2026"),
    ],
)
def test_missing_table_is_unknown_never_pass(
    table: CeilingTable, financing: Financing, on: date, missing: str
) -> None:
    result = check_ceiling(four_persons(), financing, AR, 1, on, table)
    assert result.status is Status.UNKNOWN
    # a statement of what was missing, never an instruction: the household reads it too
    assert ("Le plafond de ressources n'a pas pu être vérifié : " + missing
            in result.explanation)
    assert "Importez" not in result.explanation
    assert result.figures["ceiling"] is None


def test_plai_adapte_uses_plai_ceilings(table: CeilingTable) -> None:
    on = date(2022, 5, 2)
    assert table.ceiling_for(Financing.PLAI_ADAPTE, AR, 4, 0, on) == 22665
    assert table.ceiling_for(Financing.PLAI, AR, 4, 0, on) == 22665


def test_pls_is_plus_times_1_3_rounded_to_the_euro(table: CeilingTable) -> None:
    on = date(2024, 9, 1)
    # PLUS 2024 autres régions cat 1: 22 642 × 1.3 = 29 434.6 → 29 435
    assert table.ceiling_for(Financing.PLS, AR, 1, 0, on) == 29435
    # cat 6 58 200 × 1.3 = 75 660; extra 6 492 × 1.3 = 8 439.6 → 8 440; 75 660 + 8 440
    assert table.ceiling_for(Financing.PLS, AR, 6, 1, on) == 75660 + 8440
    result = check_ceiling(four_persons(), Financing.PLS, AR, 50000, on, table, 2022)
    # cat 4 43 899 × 1.3 = 57 068.7 → 57 069
    assert result.figures["ceiling"] == 57069
    assert "PLUS × 1,3" in result.explanation
    assert result.passed


def test_a_previous_year_is_never_used(table: CeilingTable) -> None:
    only_2025 = CeilingTable(tuple(
        r for r in table.rows if r.effective_from.year == 2025
    ))
    result = check_ceiling(four_persons(), Financing.PLUS, AR, 1, ON, only_2025)
    assert result.status is Status.UNKNOWN


def row(financing: Financing, effective: date, base: int) -> CeilingRow:
    return CeilingRow(financing, AR, effective, (base, base + 1, base + 2, base + 3,
                                                 base + 4, base + 5), 100, "test")


def test_imported_rows_fill_a_missing_year_and_replace_same_key(table: CeilingTable) -> None:
    merged = table.merged([row(Financing.PLAI, date(2026, 1, 1), 12000)])
    assert merged.ceiling_for(Financing.PLAI, AR, 4, 0, ON) == 12003
    assert table.ceiling_for(Financing.PLAI, AR, 4, 0, ON) is None  # original untouched
    replaced = merged.merged([row(Financing.PLAI, date(2026, 1, 1), 13000)])
    assert replaced.ceiling_for(Financing.PLAI, AR, 1, 0, ON) == 13000
    assert len(replaced.rows) == len(merged.rows)


def test_mid_year_table_applies_from_its_date() -> None:
    t = CeilingTable().merged([
        row(Financing.PLUS, date(2026, 1, 1), 20000),
        row(Financing.PLUS, date(2026, 7, 1), 21000),
    ])
    assert t.ceiling_for(Financing.PLUS, AR, 1, 0, date(2026, 6, 30)) == 20000
    assert t.ceiling_for(Financing.PLUS, AR, 1, 0, date(2026, 7, 1)) == 21000


def test_intermediate_tables_use_their_own_categories() -> None:
    t = CeilingTable().merged([row(Financing.LLI, date(2026, 1, 1), 30000)])
    # couple + 2 children: PLI/LLI category 2 + 2 = 4 → 30 003
    result = check_ceiling(four_persons(), Financing.LLI, AR, 30003, ON, t, N2)
    assert result.figures["category"] == 4
    assert result.figures["ceiling"] == 30003
    assert result.passed
    assert "2 terdecies D" in result.reference


def test_missing_income_is_unknown(table: CeilingTable) -> None:
    result = check_ceiling(four_persons(), Financing.PLUS, AR, None, ON, table)
    assert result.status is Status.UNKNOWN
    assert "non renseigné" in result.explanation
    with pytest.raises(ValidationError):
        check_ceiling(four_persons(), Financing.PLUS, AR, -1, ON, table)


def test_disability_bumps_the_category_and_the_ceiling(table: CeilingTable) -> None:
    # couple aged 60 + 58 (118 > 55), no disability: category 2 = 31 254
    # the same couple with a disabled partner: category 3 = 37 584
    plain = Household((Member(A, 60), Member(P, 58)))
    disabled = Household((Member(A, 60), Member(P, 58, disabled=True)))
    income = 35000
    assert check_ceiling(plain, Financing.PLUS, AR, income, ON, table, N2).status is (
        Status.FAIL)
    result = check_ceiling(disabled, Financing.PLUS, AR, income, ON, table, N2)
    assert result.figures["ceiling"] == 37584
    assert result.passed
    assert "en situation de handicap" in result.explanation


def test_bad_csv_lines_are_listed_in_french() -> None:
    text = (
        "financing,zone,effective_from,cat1,cat2,cat3,cat4,cat5,cat6,per_extra_person\n"
        "PLAI,autres_regions,2026-01-01,1,2,3,4,5,6,7\n"
        "PLAX,autres_regions,2026-01-01,1,2,3,4,5,6,7\n"
        "PLAI,autres_regions,2026-13-01,1,2,3,4,5,6,7\n"
        "PLAI,autres_regions,2026-01-01,1,2,x,4,5,6,7\n"
    )
    with pytest.raises(ValidationError) as info:
        parse_ceiling_csv(text)
    message = str(info.value)
    assert "ligne 3 : Financement inconnu « PLAX »" in message
    assert "ligne 4 : date d'effet" in message
    assert "ligne 5 : cat3 « x »" in message
    assert "ligne 2" not in message
    with pytest.raises(ValidationError, match="colonnes manquantes"):
        parse_ceiling_csv("financing,zone\n")


def test_load_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "plai2026.csv"
    path.write_text(
        "financing,zone,effective_from,cat1,cat2,cat3,cat4,cat5,cat6,per_extra_person,source\n"
        "PLAI adapté,autres_regions,2026-01-01,1,2,3,4,5,6,7,import\n",
        encoding="utf-8",
    )
    loaded = load_ceiling_table(path)
    assert loaded.rows[0].financing is Financing.PLAI  # PLAI adapté uses the PLAI table
    assert loaded.ceiling_for(Financing.PLAI_ADAPTE, AR, 1, 0, ON) == 1
    with pytest.raises(ValidationError, match="Impossible de lire"):
        load_ceiling_table(tmp_path / "absent.csv")


def test_financing_parse_accepts_value_or_name() -> None:
    assert Financing.parse("PLAI adapté") is Financing.PLAI_ADAPTE
    assert Financing.parse("plai_adapte") is Financing.PLAI_ADAPTE
    with pytest.raises(ValidationError, match="Financement inconnu"):
        Financing.parse("HLM")
