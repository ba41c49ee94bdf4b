"""CSV exports: `;`, UTF-8 with BOM, decimal comma, CRLF — what Excel in France expects."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from report_samples import sample_orientations, sample_records, sample_targets

from caleol.rules.flux import review_reservataire
from caleol.rules.indicators import Period, compute_all, mixite_by_epci
from caleol.services.reports.csv_export import (
    ATTRIBUTION_HEADER,
    EPCI_HEADER,
    INDICATOR_HEADER,
    ORIENTATION_HEADER,
    attribution_rows,
    csv_bytes,
    epci_rows,
    indicator_rows,
    number,
    orientation_rows,
    write_csv,
)


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_numbers_use_a_decimal_comma_and_no_grouping() -> None:
    assert number(Decimal("1234.5")) == "1234,50"
    assert number(Decimal("-0.125"), 2) == "-0,13"
    assert number(7, 0) == "7"
    assert number(None) == ""


def test_indicator_csv() -> None:
    results = compute_all(sample_records(), Period.year(2026), targets=sample_targets())
    rows = read_back(csv_bytes(INDICATOR_HEADER, indicator_rows(results)))
    assert rows[0][:3] == ["Code", "Indicateur", "Période"]
    by_code = {row[0]: row for row in rows[1:]}
    q1 = by_code["Q1-HQPV"]
    # 3 / 12 = 25,00 %, target 25,00, gap 0,00; 1 unknown QPV, 1 unknown resources
    assert q1[5:11] == ["3", "12", "25,00", "25,00", "0,00", "atteint"]
    assert q1[11:14] == ["1", "1", "0"]
    ps2 = by_code["PS-2"]
    # 4 / 13 = 30,77 %
    assert ps2[7] == "30,77"
    mutations = by_code["PP-5-MUT"]
    # a count: 1 mutation (id 5) against 3 → gap −2, no rate
    assert mutations[5] == "1" and mutations[7] == "" and mutations[8] == "3"
    assert mutations[9] == "-2"
    ps3 = by_code["PS-3"]
    assert ps3[8] == "" and ps3[10] == ""  # no target: empty cells, not "—"


def test_epci_csv() -> None:
    rows = read_back(csv_bytes(EPCI_HEADER, epci_rows(
        mixite_by_epci(sample_records(), Period.year(2026), targets=sample_targets())
    )))
    metz = next(r for r in rows if r[0] == "Eurométropole de Metz")
    # outside QPV 8, Q1 2, 25 %; 1 excluded; QPV 3, Q2-4 2, 66,67 %
    assert metz[1:6] == ["8", "2", "25,00", "25,00", "1"]
    assert metz[6:9] == ["3", "2", "66,67"]
    nancy = next(r for r in rows if r[0] == "Métropole du Grand Nancy")
    assert nancy[4] == "20,00"
    assert nancy[8] == ""  # no attribution in QPV: no rate


def test_attribution_csv_written_to_a_file(tmp_path: Path) -> None:
    path = tmp_path / "attributions.csv"
    write_csv(path, ATTRIBUTION_HEADER, attribution_rows(sample_records()))
    rows = read_back(path.read_bytes())
    assert len(rows) == 1 + len(sample_records())
    by_dwelling = {r[1]: r for r in rows[1:]}
    first = by_dwelling["LGT-020"]
    # each attribution is named by its demande's NUR, in the register's readable form
    assert rows[0][0] == "NUR" and first[0] == "054 26 01 00020 G5701"
    # 0 € of resources is a known value: 0,00 €/UC, first quartile
    assert first[9] == "0,00" and first[11] == "0,00" and first[13] == "Q1"
    unknown = by_dwelling["LGT-024"]
    assert unknown[9] == "" and unknown[13] == "inconnu"
    assert by_dwelling["LGT-009"][8] == "inconnu"
    # 9 000 € / 1,5 UC = 6 000 €/UC
    assert by_dwelling["LGT-001"][11] == "6000,00"


def test_orientation_csv_has_the_convention_columns() -> None:
    review = review_reservataire(sample_orientations(), "MGN", 2026)
    rows = read_back(csv_bytes(ORIENTATION_HEADER, orientation_rows(review)))
    assert rows[0][:9] == [
        "Logement – adresse", "Commune", "Typologie", "QPV / hors QPV", "Date de construction",
        "Type de financement", "Date de CALEOL", "Bail signé", "Public prioritaire",
    ]
    assert len(rows) == 7
    assert rows[1][:9] == [
        "LGT-101 – 12 rue des Lilas", "Vandœuvre-lès-Nancy", "T3", "hors QPV", "1972",
        "PLUS", "24/02/2026", "oui", "oui",
    ]
    assert rows[4][3] == "inconnu" and rows[4][4] == ""
