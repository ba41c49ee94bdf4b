"""A generated document shown inside caleol (QtPdf), with « Imprimer… » and « Ouvrir avec… ».

The PV before signing (its « PROJET » mark on every page), the signed PV, letters,
the agenda and the candidates' sheets open here as soon as they are written: no PDF
reader is needed to check them, and a missing one no longer ends in an error. The
window does not block the workspace (several documents can stay open).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.ui import messages, printing

log = logging.getLogger(__name__)

ZOOMS = (("Largeur de la page", QPdfView.ZoomMode.FitToWidth, 1.0),
         ("Page entière", QPdfView.ZoomMode.FitInView, 1.0),
         ("100 %", QPdfView.ZoomMode.Custom, 1.0),
         ("150 %", QPdfView.ZoomMode.Custom, 1.5))


class PdfViewer(QDialog):
    """One PDF, every page in a scrolling column.

    Raises:
        CaleolError: the file is missing or not a readable PDF.
    """

    def __init__(self, path: Path, parent: QWidget | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("pdfViewer")
        self.path = path
        self.setWindowTitle(title or path.name)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        if not path.is_file():
            raise CaleolError(f"Le document {path} est introuvable.")
        self.document = QPdfDocument(self)
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.document.pageCount() == 0:
            raise CaleolError(f"Le document {path.name} n'est pas un PDF lisible.")
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.page = QSpinBox(self)
        self.page.setObjectName("pdfPage")
        self.page.setRange(1, self.document.pageCount())
        self.page.setAccessibleName(self.tr("Page"))
        self.page_count = QLabel(self.tr("sur {n}").format(n=self.document.pageCount()), self)
        self.zoom = QComboBox(self)
        self.zoom.setObjectName("pdfZoom")
        for label, _mode, _factor in ZOOMS:
            self.zoom.addItem(self.tr(label))
        self.print_button = QPushButton(self.tr("Imprimer…"), self)
        self.print_button.setObjectName("pdfPrintButton")
        self.open_button = QPushButton(self.tr("Ouvrir avec le lecteur PDF"), self)
        self.open_button.setObjectName("pdfOpenButton")
        self.open_button.setToolTip(self.tr("Ouvrir le document dans l'application du "
                                            "système (pour l'enregistrer ailleurs, "
                                            "l'envoyer…)"))
        where = QLabel(self.tr("Enregistré dans {path}").format(path=path), self)
        where.setObjectName("pdfPath")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(mid);")
        where.setToolTip(str(path))
        # a long path is cut rather than widening the window past the screen
        where.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # what was printed, on its own line: beside the path it widened the viewer
        # past a 1366 px screen
        self.status = QLabel(self)
        self.status.setObjectName("pdfStatus")
        self.status.setWordWrap(True)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.hide()
        close = QPushButton(self.tr("Fermer"), self)
        close.clicked.connect(self.close)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Page"), self))
        bar.addWidget(self.page)
        bar.addWidget(self.page_count)
        bar.addSpacing(16)
        bar.addWidget(self.zoom)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.open_button)
        bottom = QHBoxLayout()
        bottom.addWidget(where, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addLayout(bottom)

        self.page.valueChanged.connect(self.go_to_page)
        self.view.pageNavigator().currentPageChanged.connect(
            lambda index: self._follow_page(index))
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.print_button.clicked.connect(self.print_document)
        self.open_button.clicked.connect(self.open_externally)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        self._fit_screen()

    def _fit_screen(self) -> None:
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        width, height = 900, 1000
        if room is not None:
            width, height = min(width, room.width() - 40), min(height, room.height() - 40)
        self.resize(width, height)

    def go_to_page(self, number: int) -> None:
        if self.view.pageNavigator().currentPage() != number - 1:
            self.view.pageNavigator().jump(number - 1, QPointF(), 0)

    def _follow_page(self, index: int) -> None:
        self.page.blockSignals(True)
        self.page.setValue(index + 1)
        self.page.blockSignals(False)

    def _zoom_changed(self, index: int) -> None:
        _label, mode, factor = ZOOMS[index]
        self.view.setZoomMode(mode)
        if mode is QPdfView.ZoomMode.Custom:
            self.view.setZoomFactor(factor)

    def print_document(self) -> None:
        """« Imprimer… »: what was sent is said here and in the main window."""
        def confirm(text: str) -> None:
            self.status.setText(text)
            self.status.setToolTip(text)
            self.status.show()
            messages.show_status(self.parentWidget(), text, 15000)

        try:
            printing.print_document(self, self.path, confirm)
        except CaleolError as exc:
            messages.show_error(self, exc)

    def open_externally(self) -> None:
        """« Ouvrir avec le lecteur PDF »: the system's application (Windows: the shell)."""
        try:
            printing.open_document(self.path)
        except CaleolError as exc:
            messages.show_error(self, exc)


def show_pdf(path: Path, parent: QWidget | None = None, title: str = "") -> PdfViewer | None:
    """Open `path` in a viewer window (not modal); a French message if it cannot."""
    try:
        viewer = PdfViewer(path, parent, title)
    except CaleolError as exc:
        messages.show_error(parent, exc)
        return None
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    viewer.show()
    log.info("document shown: %s", path)
    return viewer
