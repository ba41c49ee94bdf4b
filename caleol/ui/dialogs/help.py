"""« Aide » (F1): the whole user guide inside caleol, open at the chapter of the screen.

The guide is `docs/guide.md`, its one source: rendered offline from its Markdown
(QTextBrowser) with its screenshots, a table of contents beside it. A source
checkout and the PyInstaller bundle read it from `docs/`; an installed wheel carries
a copy made at build time (`setup.py` copies `docs/guide.md` and its images into
`caleol/resources/guide/`). Links inside the guide jump to their heading; the guide
is never fetched from the network.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QImageReader, QResizeEvent, QShowEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from caleol import paths

log = logging.getLogger(__name__)

BUILTIN_HELP = """\
# Aide de caleol

caleol prépare les séances de la commission d'attribution (CALEOL), contrôle les
candidatures, enregistre les décisions et produit le procès-verbal signé.

## Écrans

- **Séances** : préparer la séance de la semaine, contrôler les candidatures,
  enregistrer les décisions, clôturer, générer et signer le procès-verbal.
- **Logements** et **Demandes** : rechercher, filtrer et consulter les dossiers.
- **Indicateurs** : objectifs annuels d'attribution (mixité sociale, publics
  prioritaires, réservataires).
- **Référentiels** : plafonds de ressources, seuils de quartile, motifs, modèles de
  courriers, commissions et membres.
- **Paramètres** : base de données, certificat de signature, agence, sauvegardes.

## Raccourcis clavier

| Raccourci | Action |
|---|---|
| Ctrl+N | Nouvelle séance |
| Ctrl+F | Rechercher dans l'écran affiché |
| Ctrl+P | Imprimer le document affiché |
| Ctrl+Z, Ctrl+Maj+Z | Annuler, rétablir une modification de la séance |
| Ctrl+1 … Ctrl+6 | Aller à un écran |
| F1 | Cette aide |
| Ctrl+Q | Quitter |

## En cas d'erreur

Un message en français explique les erreurs prévues (saisie incorrecte, base occupée,
séance close). Pour une erreur inattendue, une fenêtre affiche un rapport à copier et
indique l'emplacement du fichier journal à joindre à votre signalement.
"""

# Help topic (a screen, or a part of the séance workspace) → the start of the title of
# the guide's chapter about it. `tests/ui/dialogs/test_help.py` checks each is there.
CHAPTERS: dict[str, str] = {
    "sessions": "3. La séance de la semaine",
    "sessions/preparation": "3.3 Présenter les candidats",
    "sessions/decision": "3.7 Enregistrer les décisions",
    "sessions/attendance": "3.6 Tenir la séance",
    "sessions/reviews": "3.6 Tenir la séance",
    "sessions/events": "3.11 Après la séance",
    "sessions/closed": "3.9 Générer et signer le procès-verbal",
    "dwellings": "3.2 Inscrire les logements",
    "demandes": "4. Importer des logements et des demandes",
    "indicators": "8. Indicateurs et rapports",
    "reference": "9. Chaque mois de janvier",
    "settings": "6. Signer et vérifier un procès-verbal",
}


def find_user_guide() -> Path | None:
    """The guide copied into an installed package, or the one of a source checkout
    (and of the PyInstaller bundle, which ships `docs/`)."""
    candidates = (
        paths.resources_dir() / "guide" / "guide.md",
        Path(__file__).resolve().parents[3] / "docs" / "guide.md",
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def slug(title: str) -> str:
    """The anchor a Markdown heading gets on GitHub (the guide's own links use them)."""
    text = unicodedata.normalize("NFC", title.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _normalized(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split()).lower()


class HelpDialog(QDialog):
    """The guide with its table of contents; not modal (it stays open beside the work).

    Args:
        guide: the Markdown file (None or unreadable: a short built-in help).
        topic: the screen it is opened from (`CHAPTERS`), to open at its chapter.
    """

    def __init__(self, guide: Path | None = None, parent: QWidget | None = None,
                 topic: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("Guide de l'utilisateur de caleol"))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenLinks(False)  # the app opens no network resource
        self.browser.anchorClicked.connect(self._follow)
        self.contents = QTreeWidget(self)
        self.contents.setObjectName("helpContents")
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._contents_chosen)
        self.contents.itemClicked.connect(self._contents_chosen)
        self.back_button = QPushButton(self.tr("◀ Retour au guide"), self)
        self.back_button.setObjectName("helpBackButton")
        self.back_button.clicked.connect(self.back_to_guide)
        self.back_button.hide()
        self.link_label = QLabel(self)
        self.link_label.setObjectName("helpLink")
        self.link_label.setWordWrap(True)
        self.link_label.setStyleSheet("color: palette(mid);")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 710])  # most titles of the contents whole
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.link_label, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.headings: dict[str, QTextBlock] = {}  # slug → heading block
        self._pending: QTextBlock | None = None  # the heading to bring to the top
        self._fit_pending = False
        self.guide = guide
        self._load(guide)
        self._fit_screen()
        if topic:
            self.show_topic(topic)

    def _fit_screen(self) -> None:
        screen = self.screen()
        room = screen.availableGeometry() if screen is not None else None
        width, height = 1100, 760
        if room is not None:
            width, height = min(width, room.width() - 40), min(height, room.height() - 40)
        self.resize(width, height)

    def _load(self, guide: Path | None) -> None:
        text = BUILTIN_HELP
        if guide is not None:
            try:
                text = guide.read_text(encoding="utf-8")
                self.browser.setSearchPaths([str(guide.parent)])
            except OSError as exc:
                log.warning("user guide %s unreadable (%s): built-in help shown", guide, exc)
                text = BUILTIN_HELP
        self.browser.setMarkdown(text)
        self._index_headings()
        self.fit_images()

    def fit_images(self) -> None:
        """Screenshots as wide as the text column at most (they are 1366 px wide), and
        code lines wrapped: the guide reads without scrolling sideways."""
        width = max(self.browser.viewport().width() - 60, 200)  # list indents, margins
        folder = self.guide.parent if self.guide is not None else None
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().nonBreakableLines():  # code: long command lines wrap
                format_ = block.blockFormat()
                format_.setNonBreakableLines(False)
                QTextCursor(block).setBlockFormat(format_)
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                char_format = fragment.charFormat()
                if char_format.isImageFormat() and folder is not None:
                    image = char_format.toImageFormat()
                    size = QImageReader(str(folder / image.name())).size()
                    if size.isValid() and size.width() > 0:
                        shown = min(width, size.width())
                        image.setWidth(shown)
                        image.setHeight(shown * size.height() / size.width())
                        cursor = QTextCursor(self.browser.document())
                        cursor.setPosition(fragment.position())
                        cursor.setPosition(fragment.position() + fragment.length(),
                                           QTextCursor.MoveMode.KeepAnchor)
                        cursor.setCharFormat(image)
                iterator += 1
            block = block.next()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(100, self, self._refit_images)

    def _refit_images(self) -> None:
        """Images resized: the heading that was at the top stays there."""
        self._fit_pending = False
        top = self._pending or self._heading_block_at_top()
        self.fit_images()
        if top is not None:
            self.scroll_to(top)

    def _heading_block_at_top(self) -> QTextBlock | None:
        block = self.browser.cursorForPosition(
            self.browser.viewport().rect().topLeft() + QPoint(12, 12)).block()
        while block.isValid() and not block.blockFormat().headingLevel():
            block = block.previous()
        return block if block.isValid() else None

    def _index_headings(self) -> None:
        """The table of contents (chapters and sections) and the anchors of headings."""
        self.contents.clear()
        self.headings.clear()
        chapter: QTreeWidgetItem | None = None
        block = self.browser.document().begin()
        while block.isValid():
            level = block.blockFormat().headingLevel()
            title = block.text().strip()
            if level and title:
                self.headings.setdefault(slug(title), block)
                if level == 2 or (chapter is None and level > 2):
                    chapter = QTreeWidgetItem(self.contents, [title])
                    chapter.setData(0, Qt.ItemDataRole.UserRole, block.position())
                    chapter.setToolTip(0, title)  # a long title is elided in the list
                elif level == 3 and chapter is not None:
                    item = QTreeWidgetItem(chapter, [title])
                    item.setData(0, Qt.ItemDataRole.UserRole, block.position())
                    item.setToolTip(0, title)
            block = block.next()

    def heading(self, start: str) -> QTextBlock | None:
        """The first heading whose title starts with `start`."""
        wanted = _normalized(start)
        for block in self.headings.values():
            if _normalized(block.text()).startswith(wanted):
                return block
        return None

    def show_topic(self, topic: str) -> bool:
        """Open at the chapter of `topic` (its screen's own, else the screen's)."""
        for key in (topic, topic.split("/")[0]):
            start = CHAPTERS.get(key)
            block = self.heading(start) if start else None
            if block is not None:
                self.scroll_to(block)
                return True
        return False

    def scroll_to(self, block: QTextBlock) -> None:
        """The heading at the top of the view (once shown: the scroll range is only
        known when the browser has its size)."""
        self.browser.setTextCursor(QTextCursor(block))
        self._select_in_contents(block.position())
        self._pending = block
        if self.isVisible():
            QTimer.singleShot(0, self, self._scroll_pending)

    def _scroll_pending(self) -> None:
        block, self._pending = self._pending, None
        if block is not None and block.isValid():
            top = self.browser.document().documentLayout().blockBoundingRect(block).top()
            self.browser.verticalScrollBar().setValue(int(top))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending is not None:
            QTimer.singleShot(0, self, self._scroll_pending)

    def current_heading(self) -> str:
        """The title of the heading at the top of the view (tests)."""
        block = self._heading_block_at_top()
        return block.text() if block is not None else ""

    def _select_in_contents(self, position: int) -> None:
        best: QTreeWidgetItem | None = None
        for index in range(self.contents.topLevelItemCount()):
            top = self.contents.topLevelItem(index)
            if top is None:
                continue
            for item in (top, *(top.child(i) for i in range(top.childCount()))):
                if item is not None and item.data(0, Qt.ItemDataRole.UserRole) <= position:
                    best = item
        if best is not None:
            self.contents.blockSignals(True)
            self.contents.setCurrentItem(best)
            self.contents.blockSignals(False)

    def _contents_chosen(self, item: QTreeWidgetItem) -> None:
        block = self.browser.document().findBlock(int(item.data(0, Qt.ItemDataRole.UserRole)))
        if block.isValid():
            self.scroll_to(block)

    def _follow(self, url: QUrl) -> None:
        """A link of the guide: one of its headings, a document beside it (the CSV
        columns…), or an outside address, which is never opened."""
        target = url.fragment() if url.hasFragment() else ""
        if target and not url.path():
            block = self.headings.get(target)
            if block is not None:
                self.scroll_to(block)
                return
        beside = (self.guide.parent / url.path()) if self.guide and url.isRelative() else None
        if beside is not None and beside.suffix == ".md" and beside.is_file():
            self.browser.setMarkdown(beside.read_text(encoding="utf-8"))
            self._index_headings()
            self.back_button.show()
            self.link_label.clear()
            return
        self.link_label.setText(self.tr("Lien extérieur au guide, non ouvert : {url}")
                                .format(url=url.toString()))

    def back_to_guide(self) -> None:
        self._load(self.guide)
        self.back_button.hide()
