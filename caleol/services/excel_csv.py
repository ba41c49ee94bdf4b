"""The CSV files caleol writes for Excel, their cells neutralised against formulas.

CSV injection (OWASP, « CSV Injection »): a spreadsheet runs a cell that starts with
`=`, `+`, `-`, `@`, a tab or a carriage return as a formula (`=HYPERLINK(…)`,
`@SUM(…)`, DDE commands…). A name, an address, a note or a programme name typed by
anyone reaches the secretary's Excel through `caleol export` and the report CSVs, so
every text cell starting with one of them gets a leading apostrophe, as OWASP advises.

Numbers are not text: a cell that is entirely a number (`-12,50`, `1234`) is written
as is, so a negative amount stays a number for Excel (a number runs nothing). A text
cell that happens to be a plain number is left alone for the same reason.

The importers take exactly that apostrophe back off (`restore`), so re-importing an
exported file gives back the original values: a value that itself starts with
apostrophes followed by one of those characters (`'=x`) gets one more on export, and
loses one on import.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TextIO

ENCODING = "utf-8-sig"  # with a byte-order mark: otherwise Excel reads accents as ANSI
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?[0-9]+(?:,[0-9]+)?")

Cell = str | int | Decimal | None


def number(value: Decimal | int | None, places: int = 2) -> str:
    """`Decimal("1234.5")` → `1234,50`; None → empty cell (no thousands separator, so
    Excel France reads a number)."""
    if value is None:
        return ""
    quant = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quant, rounding=ROUND_HALF_UP):f}"
    return text.replace(".", ",")


def neutralise(text: str) -> str:
    """The text as a spreadsheet will show it and never run (see the module)."""
    if not text.lstrip("'").startswith(FORMULA_STARTS) or _NUMBER.fullmatch(text):
        return text
    return "'" + text


def restore(text: str) -> str:
    """What `neutralise` was given: the one apostrophe it added, taken off."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


def excel_cell(value: Cell) -> str | int:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, int):  # bool included: never written as such by caleol
        return value
    return neutralise(str(value))


class ExcelWriter:
    """`csv.writer` for Excel France (`;`, CRLF) whose every cell goes through
    `excel_cell`: the one way caleol writes a CSV."""

    def __init__(self, handle: TextIO) -> None:
        self._writer = csv.writer(handle, delimiter=DELIMITER, lineterminator="\r\n")

    def writerow(self, row: Iterable[Cell]) -> None:
        self._writer.writerow([excel_cell(c) for c in row])

    def writerows(self, header: Sequence[str], rows: Iterable[Iterable[Cell]]) -> int:
        """The header then the rows; returns the number of data rows."""
        self.writerow(header)
        count = 0
        for row in rows:
            self.writerow(row)
            count += 1
        return count


__all__ = ["DELIMITER", "ENCODING", "ExcelWriter", "excel_cell", "neutralise", "number",
           "restore"]
