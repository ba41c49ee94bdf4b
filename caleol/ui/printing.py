"""Open a generated PDF with the system's viewer, or print it.

Printing keeps the document's vector pages wherever the platform allows: the PDF
itself goes to the system's print service (CUPS `lp` on Linux, the PDF reader's
« print » verb on Windows, `caleol.desktop`), and « Imprimer dans un fichier » writes
the PDF itself. Only when neither applies are the pages rendered by QtPdf (shipped
in PySide6-Addons) at the printer's resolution, 300 dpi at most, and painted on the
QPrinter. What prints is what the file holds; the status bar says what was sent.
« Imprimer dans un fichier » proposes the Documents folder, then the folder last
printed to (`file_dialogs`), as every other file dialog does.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from caleol import desktop
from caleol.errors import CaleolError
from caleol.ui import file_dialogs, messages

log = logging.getLogger(__name__)

MAX_DPI = 300
LP_TIMEOUT_S = 60
PRINT_TO_FILE = "print-to-file"  # the file_dialogs purpose of « Imprimer dans un fichier »


def open_document(path: Path) -> None:
    """Show a document in the user's PDF viewer.

    Raises:
        CaleolError: the file is missing or no application can open it.
    """
    if desktop.is_windows():
        desktop.shell_open(path)  # os.startfile: the application Windows associates
        return
    if not path.is_file():
        raise CaleolError(f"Le document {path} est introuvable.")
    log.info("opening %s in the system viewer", path)
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        raise CaleolError(
            "Aucune application n'est installée pour ouvrir les PDF. "
            f"Le document est enregistré dans {path}."
        )


def load_pdf(path: Path) -> QPdfDocument:
    """The document read by QtPdf (the caller keeps it while it is shown).

    Raises:
        CaleolError: the file is missing or is not a readable PDF.
    """
    if not path.is_file():
        raise CaleolError(f"Le document {path} est introuvable.")
    document = QPdfDocument()
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_ or document.pageCount() == 0:
        reason = error.name if error != QPdfDocument.Error.None_ else "aucune page"
        raise CaleolError(f"Le document {path.name} n'est pas un PDF lisible ({reason}).")
    return document


def page_count(path: Path) -> int:
    return load_pdf(path).pageCount()


def render(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """One page as an image at `dpi` (white background, as on paper)."""
    points = document.pagePointSize(index)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    image = document.render(index, size)
    if image.isNull():
        raise CaleolError(f"La page {index + 1} n'a pas pu être rendue.")
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


def render_page(path: Path, index: int, dpi: int) -> QImage:
    """One page of the file at `path` as an image (previews, raster printing)."""
    return render(load_pdf(path), index, dpi)


def _page_range(printer: QPrinter, total: int) -> tuple[int, int]:
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        return printer.fromPage(), min(printer.toPage() or total, total)
    return 1, total


def print_to(printer: QPrinter, path: Path) -> int:
    """Paint the document's pages (the printer's page range, if set) on `printer`, as
    images at the printer's resolution (300 dpi at most): the fallback when the PDF
    itself cannot be handed to a print service.

    Returns:
        The number of pages printed.
    """
    document = load_pdf(path)
    first, last = _page_range(printer, document.pageCount())
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise CaleolError("L'imprimante n'est pas disponible.")
    printed = 0
    try:
        for number in range(first, last + 1):
            if printed:
                printer.newPage()
            image = render(document, number - 1, dpi)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - size.width()) // 2,
                           area.y() + (area.height() - size.height()) // 2,
                           size.width(), size.height())
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    log.info("printed %d page(s) of %s as images", printed, path)
    return printed


def lp_command(printer: QPrinter, path: Path, total: int) -> list[str] | None:
    """The CUPS command sending the PDF itself to `printer` (None: no CUPS here)."""
    lp = shutil.which("lp")
    if lp is None or not printer.printerName():
        return None
    command = [lp, "-d", printer.printerName(), "-t", path.name]
    if printer.copyCount() > 1:
        command += ["-n", str(printer.copyCount())]
    first, last = _page_range(printer, total)
    if (first, last) != (1, total):
        command += ["-P", f"{first}-{last}"]
    duplex = {QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
              QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge"}.get(
        printer.duplex())
    if duplex:
        command += ["-o", f"sides={duplex}"]
    return [*command, "--", str(path)]


def send_to_print_service(printer: QPrinter, path: Path, total: int) -> int | None:
    """Hand the PDF itself (vector pages) to CUPS; the pages sent, or None when `lp`
    is not available.

    Raises:
        CaleolError: `lp` refused the job (its message, in the log).
    """
    command = lp_command(printer, path, total)
    if command is None:
        return None
    log.info("printing %s with %s", path, command)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=LP_TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("lp failed for %s: %s", path, exc)
        return None
    if done.returncode != 0:
        log.warning("lp refused %s: %s", path, done.stderr.strip())
        raise CaleolError(
            f"Le service d'impression a refusé le document ({done.stderr.strip() or 'lp'}).")
    first, last = _page_range(printer, total)
    return last - first + 1


def _pages(count: int) -> str:
    return f"{count} page{'s' if count > 1 else ''}"


def print_document(parent: QWidget | None, path: Path,
                   confirm: Callable[[str], None] | None = None) -> bool:
    """Ask for a printer with QPrintDialog, then print the PDF, vector pages wherever
    possible; `confirm` (default: the status bar) is told what was sent.

    Returns:
        False if the user cancelled the dialog.

    Raises:
        CaleolError: unreadable document or unavailable printer.
    """
    if desktop.is_windows():
        try:  # the PDF itself, vector pages, through its reader's « print » verb
            desktop.shell_print(path)
            (confirm or _status(parent))(f"{path.name} envoyé à l'imprimante par défaut.")
            return True
        except CaleolError as exc:
            log.info("no shell print for %s (%s): printing through QPrintDialog", path, exc)
    total = page_count(path)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(path.name)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(dialog.tr("Imprimer {name}").format(name=path.name))
    dialog.setMinMax(1, total)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    propose_file(dialog, path)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        confirmation = _print(printer, path, total)
    finally:
        QGuiApplication.restoreOverrideCursor()
    log.info("%s", confirmation)
    (confirm or _status(parent))(confirmation)
    return True


def propose_file(dialog: QPrintDialog, path: Path) -> None:
    """The output file of « Imprimer dans un fichier »: `path`'s name in the Documents
    folder or the folder last printed to. Qt's own dialog (Linux) proposed the working
    directory, the program's folder when started from its shortcut, and its « … »
    browser opens where this field points. Windows' dialog asks for the file itself."""
    field = dialog.findChild(QLineEdit, "filename")
    if field is not None:
        field.setText(str(file_dialogs.start_folder(PRINT_TO_FILE) / path.name))


def _status(parent: QWidget | None) -> Callable[[str], None]:
    return lambda text: messages.show_status(parent, text, 15000)


def _print(printer: QPrinter, path: Path, total: int) -> str:
    """Print, the vector way when possible; returns the French confirmation."""
    first, last = _page_range(printer, total)
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
        target = Path(printer.outputFileName())
        if (first, last) == (1, total):
            if not (target.exists() and target.samefile(path)):  # the document itself
                shutil.copyfile(path, target)  # « Imprimer dans un fichier »: the PDF
        else:
            print_to(printer, path)  # a page range: drawn (QtPdf cannot cut a PDF)
        file_dialogs.remember(PRINT_TO_FILE, target)
        return f"Imprimé dans {target} ({_pages(last - first + 1)})."
    sent = send_to_print_service(printer, path, total)
    if sent is None:
        sent = print_to(printer, path)
    name = printer.printerName() or "par défaut"
    return f"{_pages(sent)} envoyée{'s' if sent > 1 else ''} à l'imprimante « {name} »."
