"""`CeilingTable.row_for` looks rows up in an index built once per table (issue 19):
it must find what a scan of every row finds, and a merged table its own rows."""

from __future__ import annotations

from datetime import date

from caleol.rules.ceilings import (
    CeilingRow,
    CeilingTable,
    Financing,
    Zone,
    derive_pls_row,
    shipped_ceiling_table,
)


def _scanned(table: CeilingTable, financing: Financing, zone: Zone, on: date) -> CeilingRow | None:
    """The definition: same year, latest effective_from ≤ on; PLS from PLUS."""
    found = [r for r in table.rows if r.financing is financing.table and r.zone is zone
             and r.effective_from.year == on.year and r.effective_from <= on]
    if found:
        return max(found, key=lambda r: r.effective_from)
    if financing.table is Financing.PLS:
        plus = _scanned(table, Financing.PLUS, zone, on)
        return derive_pls_row(plus) if plus else None
    return None


MID_YEAR = CeilingRow(Financing.PLUS, Zone.AUTRES_REGIONS, date(2026, 7, 1),
                      (1, 2, 3, 4, 5, 6), 7, "arrêté de mi-année")


def test_the_index_finds_what_a_scan_finds() -> None:
    table = shipped_ceiling_table().merged([MID_YEAR])
    days = [date(y, m, d) for y in (2019, 2020, 2022, 2023, 2026, 2027)
            for m, d in ((1, 1), (6, 30), (7, 1), (12, 31))]
    for financing in Financing:
        for zone in Zone:
            for on in days:
                assert table.row_for(financing, zone, on) == _scanned(table, financing, zone, on)


def test_a_merged_table_finds_its_new_rows() -> None:
    shipped = shipped_ceiling_table()
    on = date(2026, 8, 1)
    assert shipped.row_for(Financing.PLUS, Zone.AUTRES_REGIONS, on) != MID_YEAR  # index built
    merged = shipped.merged([MID_YEAR])
    assert merged.row_for(Financing.PLUS, Zone.AUTRES_REGIONS, on) == MID_YEAR
    assert merged.row_for(Financing.PLUS, Zone.AUTRES_REGIONS, date(2026, 6, 30)) == (
        shipped.row_for(Financing.PLUS, Zone.AUTRES_REGIONS, date(2026, 6, 30)))
    assert merged.row_for(Financing.PLS, Zone.AUTRES_REGIONS, on) == derive_pls_row(MID_YEAR)
