"""Bad input everywhere: whatever the file, a French report or a clean import, never a
traceback and never a partial import (issue 9 item 6)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from caleol.services.imports import (
    ImportRejectedError,
    ImportReport,
    import_demandes,
    import_dwellings,
)
from tests.services.import_fixtures import TODAY, counts, with_references

DWELLING_HEADER = ["Référence", "Code INSEE", "Typologie", "Financement", "Loyer (€)",
                   "Charges (€)", "Surface (m²)", "QPV", "Date disponibilité", "Étage"]
DWELLING_ROW = ["MET-{n}", "57463", "T3", "PLUS", "412,50", "85", "66,5", "non", "01/12/2026",
                "2"]
DEMANDE_HEADER = ["NUR", "Date dépôt", "Membres", "Ressources", "Revenu fiscal référence",
                  "DALO", "Typologies souhaitées", "Statut"]
DEMANDE_ROW = ["0572403{n:05d}G5701", "12/03/2024", "demandeur:02/03/1985 | enfant:01/06/2012",
               "salaire:1850,50:1 | prestation:320", "19000", "non", "T2|T3", "active"]

NASTY = st.sampled_from([
    "", "NaN", "nan", "inf", "-1", "-0,01", "1e308", "9" * 40, "12,345", "1.234,56",
    "31/02/2024", "01/01/2999", "2024-13-01", "00/00/0000", "oui", "peut-être", "T0", "T99",
    "PLUSS", "\u00a0", "\"", "'", ";", ",", "|", ":", "€", "demandeur", "enfant:01/01/2050",
    " | ".join(["enfant:01/01/2010"] * 30), "salaire:-5", "salaire:abc:9", "x" * 5000,
    "1850375123456", "057990300123G5701", "ZZZ", "\t", "é" * 3, "=1+1", "null", "None",
])


def _file(header: list[str], template: list[str], rows: int) -> list[list[str]]:
    out = [list(header)]
    for n in range(rows):
        out.append([cell.format(n=n + 1) for cell in template])
    return out


def _render(table: list[list[str]], delimiter: str) -> str:
    lines = []
    for row in table:
        cells = []
        for cell in row:
            if any(c in cell for c in (delimiter, '"', "\n", "\r")):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    return "\r\n".join(lines) + "\r\n"


@st.composite
def mutated_file(draw: st.DrawFn, header: list[str], template: list[str]) -> bytes:
    table = _file(header, template, draw(st.integers(min_value=1, max_value=4)))
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        kind = draw(st.sampled_from(["cell", "drop_column", "nir_column", "duplicate",
                                     "short_row", "long_row"]))
        row = draw(st.integers(min_value=1, max_value=len(table) - 1))
        column = draw(st.integers(min_value=0, max_value=len(header) - 1))
        if kind == "cell":
            if column < len(table[row]):
                table[row][column] = draw(st.one_of(NASTY, st.text(max_size=30)))
        elif kind == "drop_column":
            for line in table:
                if len(line) > column:
                    del line[column]
        elif kind == "nir_column":
            table[0].append(draw(st.sampled_from(["NIR", "N° sécu", "Notes"])))
            for line in table[1:]:
                line.append("2 85 03 75 123 456 78")
        elif kind == "duplicate":
            table.append(list(table[row]))
        elif kind == "short_row":
            table[row] = table[row][: column]
        else:
            table[row].append("en trop")
    delimiter = draw(st.sampled_from([";", ","]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-8-sig", "cp1252", "utf-16"]))
    try:
        data = _render(table, delimiter).encode(encoding)
    except UnicodeEncodeError:
        data = _render(table, delimiter).encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "truncate", "bad_byte", "nul"]))
    if damage == "truncate" and len(data) > 2:
        data = data[: draw(st.integers(min_value=1, max_value=len(data) - 1))]
    elif damage == "bad_byte":
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + b"\xff\xfe\x80" + data[at:]
    elif damage == "nul":
        data = data.replace(b";", b"\x00", 1)
    return data


def _check(engine: Engine, run: Callable[[Engine, io.BytesIO], ImportReport], data: bytes) -> None:
    before = counts(engine)
    try:
        report = run(engine, io.BytesIO(data))
    except ImportRejectedError as exc:
        assert exc.report.errors, "a rejection always says why"
        text = str(exc)
        assert "Traceback" not in text and "Error" not in text.replace("Erreur", "")
        assert counts(engine) == before, "nothing half-written"
        assert "1850375123456" not in text and "2 85 03 75 123 456 78" not in text
        return
    assert report.ok
    assert report.created + report.updated + report.unchanged == report.rows


SETTINGS = settings(max_examples=70, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@pytest.fixture
def refs_engine(sqlite_engine: Engine) -> Engine:
    return with_references(sqlite_engine)


@SETTINGS
@given(data=mutated_file(DWELLING_HEADER, DWELLING_ROW))
def test_any_dwelling_file(refs_engine: Engine, data: bytes) -> None:
    _check(refs_engine, lambda e, f: import_dwellings(e, f, today=TODAY), data)


@SETTINGS
@given(data=mutated_file(DEMANDE_HEADER, DEMANDE_ROW))
def test_any_demande_file(refs_engine: Engine, data: bytes) -> None:
    _check(refs_engine, lambda e, f: import_demandes(e, f, today=TODAY), data)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(refs_engine: Engine, data: bytes) -> None:
    _check(refs_engine, lambda e, f: import_demandes(e, f, today=TODAY), data)


def test_file_with_one_bad_row_at_the_end_writes_nothing(refs_engine: Engine) -> None:
    table = _file(DEMANDE_HEADER, DEMANDE_ROW, 2500)  # more than one write chunk (2000)
    table[-1][1] = "01/01/2999"
    before = counts(refs_engine)
    with pytest.raises(ImportRejectedError) as caught:
        import_demandes(refs_engine, io.BytesIO(_render(table, ";").encode()), today=TODAY)
    assert [p.line for p in caught.value.report.errors] == [2501]
    assert counts(refs_engine) == before
