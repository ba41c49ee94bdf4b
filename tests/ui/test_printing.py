"""Printing generated PDFs through QPrinter (rendered by pdfium) and the system viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog
from reportlab.pdfgen import canvas

from caleol.errors import CaleolError
from caleol.ui import printing


@pytest.fixture
def three_pages(tmp_path: Path) -> Path:
    path = tmp_path / "pv.pdf"
    pdf = canvas.Canvas(str(path))
    for number in (1, 2, 3):
        pdf.rect(50, 50, 495, 742, fill=1)  # a large black box: visible in the raster
        pdf.drawString(100, 800, f"Page {number}")
        pdf.showPage()
    pdf.save()
    return path


def pdf_printer(output: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(output))
    printer.setResolution(72)
    return printer


def test_print_to_paints_every_page(qtbot, three_pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    assert printing.print_to(pdf_printer(out), three_pages) == 3
    assert len(PdfReader(str(out)).pages) == 3


def test_print_to_honours_the_page_range(qtbot, three_pages: Path, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    printer = pdf_printer(out)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert printing.print_to(printer, three_pages) == 2
    assert len(PdfReader(str(out)).pages) == 2


def test_render_page_is_not_blank(qtbot, three_pages: Path) -> None:
    image = printing.render_page(three_pages, 0, 36)
    assert (image.width(), image.height()) == (298, 421)  # A4 at 36 dpi: 595×842 pt / 2
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert centre.lightness() < 50  # inside the black box


def test_print_document_cancelled(qtbot, three_pages: Path, monkeypatch) -> None:
    seen: list[tuple[int, int]] = []

    def fake_exec(dialog: QPrintDialog) -> int:
        seen.append((dialog.minPage(), dialog.maxPage()))
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    assert printing.print_document(None, three_pages) is False
    assert seen == [(1, 3)]


def test_print_document_accepted_prints(qtbot, three_pages, tmp_path, monkeypatch) -> None:
    out = tmp_path / "printed.pdf"

    def fake_exec(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    assert printing.print_document(None, three_pages) is True
    assert len(PdfReader(str(out)).pages) == 3


def test_unreadable_or_missing_document(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    with pytest.raises(CaleolError, match="n'est pas un PDF lisible"):
        printing.page_count(bad)
    with pytest.raises(CaleolError, match="introuvable"):
        printing.page_count(tmp_path / "absent.pdf")


def test_open_document_uses_the_system_viewer(qtbot, three_pages, monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    printing.open_document(three_pages)
    assert opened == [QUrl.fromLocalFile(str(three_pages))]
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    with pytest.raises(CaleolError, match="Aucune application"):
        printing.open_document(three_pages)
