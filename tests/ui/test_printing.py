"""Printing generated PDFs: the PDF itself to the print service or a file, QtPdf's
300 dpi rendering otherwise, and the system viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QMainWindow
from reportlab.pdfgen import canvas

from caleol.errors import CaleolError
from caleol.ui import file_dialogs, printing


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
    window = QMainWindow()
    qtbot.addWidget(window)
    assert printing.print_document(window, three_pages) is True
    assert len(PdfReader(str(out)).pages) == 3
    # « Imprimer dans un fichier » writes the PDF itself: vector pages, not a raster
    # (issue 17: a 4.3 MB image file, and no word of what was printed)
    assert out.read_bytes() == three_pages.read_bytes()
    assert window.statusBar().currentMessage() == f"Imprimé dans {out} (3 pages)."


def test_a_page_range_to_a_file_is_rendered(qtbot, three_pages, tmp_path, monkeypatch) -> None:
    out = tmp_path / "printed.pdf"

    def fake_exec(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 2)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    window = QMainWindow()
    qtbot.addWidget(window)
    assert printing.print_document(window, three_pages) is True
    assert len(PdfReader(str(out)).pages) == 1
    assert window.statusBar().currentMessage() == f"Imprimé dans {out} (1 page)."


def test_printing_to_a_file_proposes_documents_then_the_last_folder(
        qtbot, three_pages, tmp_path, monkeypatch) -> None:
    """Qt's dialog proposed the working directory (the program's own folder when
    started from its shortcut): the file field, where « … » opens, is now the
    document's name in Documents, then in the folder last printed to, as the other
    file dialogs do; what was printed is said (« Imprimé dans … »)."""
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_dialogs, "documents_folder", lambda: documents)
    chosen = tmp_path / "dossiers CAL"
    chosen.mkdir()
    proposed: list[str] = []

    def print_to_file(dialog: QPrintDialog) -> int:
        dialog.show()  # as exec() does: Qt then lists « Print to File (PDF) »
        field = dialog.findChild(QLineEdit, "filename")
        proposed.append(field.text())
        printers = dialog.findChild(QComboBox, "printers")
        printers.setCurrentIndex(printers.count() - 1)  # « Imprimer dans un fichier (PDF) »
        field.setText(str(chosen / "pv-copie.pdf"))
        dialog.accept()  # Qt reads the printer and the file from the dialog's fields
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QPrintDialog, "exec", print_to_file)
    window = QMainWindow()
    qtbot.addWidget(window)
    assert printing.print_document(window, three_pages) is True
    assert proposed == [str(documents / "pv.pdf")]
    out = chosen / "pv-copie.pdf"
    assert out.read_bytes() == three_pages.read_bytes()
    assert window.statusBar().currentMessage() == f"Imprimé dans {out} (3 pages)."
    assert printing.print_document(window, three_pages) is True  # the next time
    assert proposed[1] == str(chosen / "pv.pdf")


class FakeCupsPrinter:
    """What `lp_command` reads of a QPrinter set in the dialog (no CUPS here)."""

    def __init__(self, name: str, copies: int = 1, pages: tuple[int, int] | None = None,
                 duplex: QPrinter.DuplexMode = QPrinter.DuplexMode.DuplexNone) -> None:
        self._name, self._copies, self._pages, self._duplex = name, copies, pages, duplex

    def printerName(self) -> str:
        return self._name

    def copyCount(self) -> int:
        return self._copies

    def printRange(self) -> QPrinter.PrintRange:
        return (QPrinter.PrintRange.PageRange if self._pages
                else QPrinter.PrintRange.AllPages)

    def fromPage(self) -> int:
        return self._pages[0] if self._pages else 0

    def toPage(self) -> int:
        return self._pages[1] if self._pages else 0

    def duplex(self) -> QPrinter.DuplexMode:
        return self._duplex

    def outputFormat(self) -> QPrinter.OutputFormat:
        return QPrinter.OutputFormat.NativeFormat


def test_linux_sends_the_pdf_itself_to_cups(three_pages: Path, monkeypatch) -> None:
    import subprocess

    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    runs: list[list[str]] = []

    def fake_run(command, **kwargs):
        runs.append(command)
        return subprocess.CompletedProcess(command, 0, "request id is Bureau-12", "")

    monkeypatch.setattr(printing.subprocess, "run", fake_run)
    printer = FakeCupsPrinter("Bureau", copies=2, pages=(2, 3),
                              duplex=QPrinter.DuplexMode.DuplexLongSide)
    assert printing.send_to_print_service(printer, three_pages, 3) == 2
    assert runs == [["/usr/bin/lp", "-d", "Bureau", "-t", "pv.pdf", "-n", "2", "-P", "2-3",
                     "-o", "sides=two-sided-long-edge", "--", str(three_pages)]]
    assert printing._print(printer, three_pages, 3) == (
        "2 pages envoyées à l'imprimante « Bureau ».")


def test_a_refusing_print_service_is_a_french_error(three_pages, monkeypatch,
                                                    fail_on_log) -> None:
    import subprocess

    fail_on_log.expect("caleol.ui.printing", text="lp refused")
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(printing.subprocess, "run", lambda command, **kw: (
        subprocess.CompletedProcess(command, 1, "", "lp: The printer or class does not exist.")))
    with pytest.raises(CaleolError, match="Le service d'impression a refusé"):
        printing.send_to_print_service(FakeCupsPrinter("Absente"), three_pages, 3)


def test_no_cups_means_the_pages_are_drawn(three_pages, monkeypatch) -> None:
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    assert printing.send_to_print_service(FakeCupsPrinter("Bureau"), three_pages, 3) is None


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
