"""Open a generated PDF in the system viewer, or print it through QPrintDialog.

The Qt wheels have no QtPdf, so pages are rasterised with pdfium (pypdfium2) at the
printer's resolution (capped at 300 dpi) and painted on the QPrinter. Nothing else
of the document is interpreted: what prints is what the file holds.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from caleol import desktop
from caleol.errors import CaleolError

log = logging.getLogger(__name__)

MAX_DPI = 300


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


def _load(path: Path) -> Any:  # a pypdfium2 PdfDocument
    if not path.is_file():
        raise CaleolError(f"Le document {path} est introuvable.")
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise CaleolError(
            "L'impression directe n'est pas disponible : ouvrez le document et "
            "imprimez-le depuis votre lecteur PDF."
        ) from None
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise CaleolError(f"Le document {path.name} n'est pas un PDF lisible ({exc}).") from None


def page_count(path: Path) -> int:
    document = _load(path)
    try:
        return len(document)
    finally:
        document.close()


def render_page(path: Path, index: int, dpi: int) -> QImage:
    """One page as an image (also used for previews)."""
    import pypdfium2.raw as pdfium_c

    document = _load(path)
    try:
        page = document[index]
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True,
                             force_bitmap_format=pdfium_c.FPDFBitmap_BGRA)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_RGBA8888).copy()  # copy: buffer is freed
        page.close()
        return image
    finally:
        document.close()


def print_to(printer: QPrinter, path: Path) -> int:
    """Paint the document's pages (the printer's page range, if set) on `printer`.

    Returns:
        The number of pages printed.
    """
    total = page_count(path)
    first, last = 1, total
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = printer.fromPage(), min(printer.toPage() or total, total)
    dpi = min(printer.resolution(), MAX_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise CaleolError("L'imprimante n'est pas disponible.")
    printed = 0
    try:
        for number in range(first, last + 1):
            if printed:
                printer.newPage()
            image = render_page(path, number - 1, dpi)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x() + (area.width() - size.width()) // 2,
                           area.y() + (area.height() - size.height()) // 2,
                           size.width(), size.height())
            painter.drawImage(target, image)
            printed += 1
    finally:
        painter.end()
    log.info("printed %d page(s) of %s", printed, path)
    return printed


def print_document(parent: QWidget | None, path: Path) -> bool:
    """Ask for a printer with QPrintDialog, then print the PDF.

    Returns:
        False if the user cancelled the dialog.

    Raises:
        CaleolError: unreadable document or unavailable printer.
    """
    if desktop.is_windows():
        try:  # the PDF itself, vector pages, through its reader's « print » verb
            desktop.shell_print(path)
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
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        print_to(printer, path)
    finally:
        QGuiApplication.restoreOverrideCursor()
    return True
