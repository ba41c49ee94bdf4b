"""The reports read in black and white, with every font embedded and names that fit.

Figures worked by hand from `report_samples` (2026 decisions: 1-12, 20-24, 30).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
from report_samples import NANCY, rec, sample_orientations, sample_records, sample_targets
from reportlab.graphics.shapes import Group, Line, String
from reportlab.lib.units import mm

from caleol.services.reports.annual import AnnualReportInput, build_annual_report
from caleol.services.reports.charts import Bar, bar_chart
from caleol.services.reports.layout import render, styles, table
from caleol.services.reports.prefet import PrefetStatementInput, build_prefet_statement
from caleol.services.reports.reservataire import (
    ReservataireReportInput,
    build_reservataire_report,
)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def annual() -> bytes:
    return build_annual_report(AnnualReportInput(
        "Vivest", 2026, sample_records(), date(2027, 1, 20), sample_targets()))


def fonts(data: bytes) -> dict[str, bool]:
    """Every font of every page (forms included): base name → embedded."""
    found: dict[str, bool] = {}

    def visit(resources: pypdf.generic.DictionaryObject) -> None:
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in (
                font) else font
            descriptor = descendant.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2",
                                                           "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if "/Resources" in xobject:
                visit(xobject["/Resources"].get_object())

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        visit(page["/Resources"].get_object())
    return found


@pytest.mark.parametrize("build", [
    annual,
    lambda: build_prefet_statement(PrefetStatementInput(
        "Vivest", 2026, 2, sample_records(), date(2027, 1, 8), sample_targets())),
    lambda: build_reservataire_report(ReservataireReportInput(
        "Vivest", "MGN", "Métropole du Grand Nancy", 2026, sample_orientations(),
        date(2027, 1, 20), objective_count=7)),
], ids=["annuel", "prefet", "reservataire"])
def test_every_font_is_embedded_and_none_is_helvetica(build) -> None:
    found = fonts(build())
    assert found, "no font found"
    assert all(found.values()), found
    assert not [name for name in found if "Helvetica" in name]


def test_bars_say_met_or_missed_in_words() -> None:
    text = pdf_text(annual())
    # Q1-HQPV 3 / 12 = 25 % against 25 %: met; AL-SALARIES: employees 3, 4, 7, 11, 21
    # among the 18 decisions of 2026 → 5 / 18 = 27,8 % < 50 %: missed
    assert "25,0 % — atteint" in text
    assert "27,8 % — non atteint" in text
    assert "objectif non atteint (hachuré)" in text


def _lines(node: object) -> int:
    if isinstance(node, Line):
        return 1
    if isinstance(node, Group):
        return sum(_lines(child) for child in node.contents)
    return 0


def test_a_missed_bar_is_hatched_a_met_bar_is_not() -> None:
    def chart(met: bool | None) -> int:
        drawing = bar_chart([Bar("X", Decimal("0.5"), Decimal("0.6"), met)])
        # lines of the bars only: everything drawn apart from the axis and the legend
        return sum(_lines(node) for node in drawing.contents if isinstance(node, Group))

    legend_hatch = chart(None)  # the legend's hatched swatch is there in every chart
    assert chart(True) == legend_hatch
    assert chart(False) > legend_hatch + 10  # 50 % of the plot, one line every 2,2 pt
    labels = [n.text for n in bar_chart([Bar("X", Decimal("0.5"), Decimal("0.6"), False)])
              .contents if isinstance(n, String)]
    assert "50,0\u00a0% — non atteint" in labels


def test_long_names_wrap_in_the_chart_labels() -> None:
    name = "Communauté d'Agglomération Portes de France-Thionville et environs"
    drawing = bar_chart([Bar(name, Decimal("0.3"), Decimal("0.25"), True)])
    pieces = [n.text for n in drawing.contents if isinstance(n, String) and n.text in name]
    assert len(pieces) >= 2 and " ".join(pieces) == name


def test_names_wrap_at_their_hyphen_in_dense_tables(tmp_path: Path) -> None:
    """« CC de Freyming-Merlebach » in a narrow column: split after the hyphen, never
    a word cut inside nor a line running into the next column."""
    rows = [["CC de Freyming-Merlebach", "19/02/2026"]]
    pdf = render([table([["EPCI", "CALEOL"], *rows], [21 * mm, 20 * mm], styles(),
                        font_size=7)], landlord="V", title="t", generated_on=date(2026, 1, 1))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) absent")
    path = tmp_path / "t.pdf"
    path.write_bytes(pdf)
    layout = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout
    lines = [ln.strip() for ln in layout.splitlines() if ln.strip()]
    # 21 mm less 2 × 3 pt of padding at 7 pt: « CC de » / « Freyming- » / « Merlebach »
    assert "CC de" in lines
    assert any(ln.startswith("Freyming-") for ln in lines)
    assert "Merlebach" in lines
    assert not any("Freymin " in ln or "g-Merlebach" in ln for ln in lines)


def test_ps2_targets_per_department_are_in_the_annual_report() -> None:
    text = pdf_text(annual())
    assert "Publics prioritaires par département (PS-2)" in text
    # 57: non-reserved 1, 5, 7, 9, 10, 11, 12, 30; priority 1, 10 → 2 / 8 = 25 % ≥ 25 %;
    # outside QPV among them: 1 (10 is in QPV) → 1 / 2 = 50 % against the CUS's 60 %
    assert "57 2 / 8 25,0 % ≥ 25,0 % atteint 1 / 2 50,0 % ≥ 60,0 % non atteint" in text
    # 54: 20, 21, 22 (returned), 23, 24; priority 20, 22 → 2 / 5 = 40 %; both outside
    # QPV → 2 / 2 = 100 % against 90 %
    assert "54 2 / 5 40,0 % ≥ 25,0 % atteint 2 / 2 100,0 % ≥ 90,0 % atteint" in text
    assert "PS-2 % hors QPV, 54-Meurthe-et-Moselle" in text
    assert "PS-2 % hors QPV, 57-Moselle" in text


def test_each_indicator_basis_is_stated_in_the_annual_report() -> None:
    text = pdf_text(annual())
    assert ("Comptés sur les attributions suivies d'un bail signé (date du bail) : Q1-HQPV."
            in text)
    assert "Comptés sur les attributions prononcées par la CALEOL (date de la décision) : " \
           "QPV-Q2Q4, PS-2" in text
    assert "art. L441-1 CCH : « objectif quantifié d'attribution » en QPV" in text


def test_prefet_statement_names_the_basis_of_each_table() -> None:
    records = [*sample_records(), rec(40, in_qpv=True, lease_signed=False, lease_date=None,
                                      decision_date=date(2026, 9, 1), **NANCY)]
    text = pdf_text(build_prefet_statement(PrefetStatementInput(
        "Vivest", 2026, 2, records, date(2027, 1, 8), sample_targets())))
    assert ("Attributions hors QPV comptées : attributions suivies d'un bail signé (date du "
            "bail) ; attributions en QPV : attributions prononcées par la CALEOL") in text
    # record 40, in QPV, decided on 1 September without a lease, counts as a proposal:
    # 15 000 / 1,5 = 10 000 €/UC > 8 100, quartiles 2 to 4 → 1 / 1
    assert "Métropole du Grand Nancy 1 1 100,0 % ≥ 50,0 % 0" in text
