"""What the main window expects of a screen.

A page is a plain `QWidget` subclass that receives its dependencies (services, task
runner, settings) through its constructor; `caleol.app` builds it and registers it
with `MainWindow.add_page(page)`. The window knows nothing else about it: the hooks
below are how the standard shortcuts (Ctrl+N, Ctrl+F, Ctrl+P) reach the page shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QUndoStack
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget


class Page(QWidget):
    """Base class of the main window's screens.

    Args:
        page_id: stable identifier (« sessions », « dwellings »...), used by
            `MainWindow.show_page` and the Ctrl+1…Ctrl+9 shortcuts order.
        title: French name shown in the navigation list.
    """

    def __init__(self, page_id: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page_id = page_id
        self.title = title
        self.setObjectName(f"page_{page_id}")

    def search_field(self) -> QLineEdit | None:
        """The field Ctrl+F focuses, if the page has one."""
        return None

    def activated(self) -> None:
        """Called each time the page is shown: refresh what may have changed."""

    def start_new(self) -> bool:
        """Ctrl+N on this page; return False if it has nothing to create."""
        return False

    def print_current(self) -> bool:
        """Ctrl+P on this page; return False if there is nothing to print."""
        return False

    def help_topic(self) -> str:
        """What F1 opens the guide at (`caleol.ui.dialogs.help.CHAPTERS`)."""
        return self.page_id

    def undo_stack(self) -> QUndoStack | None:
        """What Ctrl+Z / Ctrl+Maj+Z undo and redo on this page (None: nothing)."""
        return None


def page_heading(text: str, parent: QWidget | None = None) -> QLabel:
    """The title line at the top of every page (same size and weight everywhere)."""
    label = QLabel(text, parent)
    label.setObjectName("pageHeading")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


class PlaceholderPage(Page):
    """A screen whose content lands in a later version, saying what it will hold."""

    def __init__(self, page_id: str, title: str, description: str,
                 features: list[str] | None = None, parent: QWidget | None = None,
                 *, note: str | None = None) -> None:
        super().__init__(page_id, title, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(page_heading(title, self))
        box = QFrame(self)
        box.setObjectName("placeholderBox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(20, 16, 20, 16)
        intro = QLabel(description, box)
        intro.setWordWrap(True)
        intro.setObjectName("placeholderDescription")
        inner.addWidget(intro)
        if features:
            items = "".join(f"<li>{f}</li>" for f in features)
            listing = QLabel(f"<ul style='margin-left:-20px'>{items}</ul>", box)
            listing.setTextFormat(Qt.TextFormat.RichText)
            listing.setWordWrap(True)
            inner.addWidget(listing)
        if note is None:
            note = self.tr("Cet écran sera disponible dans une prochaine version.")
        if note:
            note_label = QLabel(note, box)
            note_label.setObjectName("placeholderNote")
            note_label.setStyleSheet("color: palette(mid); font-style: italic;")
            inner.addWidget(note_label)
        layout.addWidget(box)
        layout.addStretch(1)


class LazyPage(Page):
    """A screen built the first time it is shown, not at start-up.

    The window appears at once with its whole navigation; the Indicateurs screen (Qt
    Charts), Référentiels (letter templates, reportlab) and the browsers cost their
    imports and first queries only when the secretary opens them. Until `allow()` is
    called (the database is open) the page says it is loading.

    Args:
        build: makes the real page; called once, on the GUI thread.
    """

    def __init__(self, page_id: str, title: str, build: Callable[[], Page],
                 parent: QWidget | None = None) -> None:
        super().__init__(page_id, title, parent)
        self._build = build
        self._content: Page | None = None
        self._allowed = False
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._waiting = QLabel(self.tr("Ouverture de la base de données…"), self)
        self._waiting.setObjectName("lazyPageWaiting")
        self._waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # greyed by its palette, not a style sheet: one per screen at start costs
        # ~0.7 ms each (a style sheet style per widget), before the window shows
        palette = self._waiting.palette()
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Mid))
        self._waiting.setPalette(palette)
        self._layout.addWidget(self._waiting)

    def allow(self) -> None:
        """The page may now be built (its dependencies exist)."""
        self._allowed = True

    @property
    def built(self) -> bool:
        return self._content is not None

    @property
    def content(self) -> Page:
        """The real page, built now if it was not yet."""
        if self._content is None:
            self._content = self._placed(self._build())
        return self._content

    def build_early(self, build: Callable[[], Page]) -> Page:
        """Show a page before `allow()`: what can be shown while the database opens
        (the Séances list from its light read). It stays the content once allowed;
        until then this screen forwards none of the window's actions to it."""
        if self._content is None:
            self._content = self._placed(build())
        return self._content

    def discard(self) -> None:
        """Drop the page built early (the database did not open): the next `content`
        is made by `build` again, which says what is missing."""
        if self._content is not None:
            page, self._content = self._content, None
            self._layout.removeWidget(page)
            page.hide()
            page.deleteLater()
            self._waiting.show()

    def _placed(self, page: Page) -> Page:
        self._waiting.hide()
        self._layout.addWidget(page)
        # shown now: the layout's own show is queued, and a page built early (the
        # Séances list) would then stay blank on X11 until the database is open
        page.show()
        return page

    def search_field(self) -> QLineEdit | None:
        return self._content.search_field() if self._content is not None else None

    def activated(self) -> None:
        if self._allowed:
            self.content.activated()

    def start_new(self) -> bool:
        return self._allowed and self.content.start_new()

    def print_current(self) -> bool:
        return self._content is not None and self._content.print_current()

    def help_topic(self) -> str:
        return self._content.help_topic() if self._content is not None else self.page_id

    def undo_stack(self) -> QUndoStack | None:
        return self._content.undo_stack() if self._content is not None else None
