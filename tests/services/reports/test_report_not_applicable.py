"""The annual report of a landlord without an État contingent or Action Logement
reservation (issue 17): its ETAT-PRIO, ETAT-AGENTS and AL-SALARIES read « sans objet »
against caleol's default targets, in the table, the chart and the explanation, never
« non atteint ». Read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

from report_samples import landlord_defaults, rec

from caleol.services.reports.annual import AnnualReportInput, build_annual_report

VOID = "sans objet, aucune attribution sur ce contingent."


def table_rows(lines: list[str], code: str) -> list[str]:
    """The indicator table's row of `code`: the code, then its figures."""
    return [line for line in lines if re.match(rf"{re.escape(code)} +\d", line)]


def test_contingent_targets_without_contingent_are_sans_objet(tmp_path: Path) -> None:
    # four attributions, all the landlord's own: 0 / 4 on the État contingent, 1 / 4
    # employees (25 % < 50 %), which read « non atteint » before
    records = [rec(1), rec(2, priority=True), rec(3, action_logement_employee=True),
               rec(4, in_qpv=True)]
    path = tmp_path / "rapport.pdf"
    path.write_bytes(build_annual_report(AnnualReportInput(
        "Habitat de Metz", 2026, records, date(2027, 1, 20), landlord_defaults(2026))))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout.replace("\u00a0", " ")
    lines = text.splitlines()
    for code in ("ETAT-PRIO", "ETAT-AGENTS"):
        (row,) = table_rows(lines, code)
        assert row.count("sans objet") == 2, row  # « Écart » and « Résultat »
        assert "atteint" not in row
    assert " ".join(text.split()).count(VOID) == 2  # each explanation says why
    bars = [line.strip() for line in lines if "— sans objet" in line]
    assert bars == ["0,0 % — sans objet", "0,0 % — sans objet"]
    # the employees' 50 % is of all attributions: 1 / 4 = 25 % is missed
    (al,) = table_rows(lines, "AL-SALARIES")
    assert "non atteint" in al and "sans objet" not in al
    # the other targets still read met or missed: PP-5 0 / 4 against 30 %
    (pp5,) = table_rows(lines, "PP-5")
    assert pp5.split()[-2:] == ["atteint", "0"] and "non atteint" in pp5
