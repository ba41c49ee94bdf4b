"""The navigation shell: a list of screens on the left, the screen shown on the right.

It owns menus, standard shortcuts and the status bar, and nothing else: every screen
is a `Page` built by `caleol.app` with its own dependencies and registered with
`add_page`. Shortcuts are forwarded to the page shown through the `Page` hooks.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from caleol import __version__
from caleol.ui import messages
from caleol.ui.icons import navigation_icon
from caleol.ui.pages.base import Page

log = logging.getLogger(__name__)

NAVIGATION_WIDTH = 190
PAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class MainWindow(QMainWindow):
    """Navigation shell.

    Args:
        database_label: what the status bar shows about the database in use.
        demo: the database is the demonstration one (shown in the title and status).
    """

    closing = Signal()
    page_changed = Signal(str)

    def __init__(self, database_label: str = "", *, demo: bool = False,
                 guide: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._pages: dict[str, Page] = {}
        self._guide = guide  # found when the guide is first opened (F1)
        self.help_dialog: Any = None  # the guide's window while it is open
        self.demo = demo
        title = self.tr("caleol — commissions d'attribution")
        if demo:
            title += self.tr(" (démonstration)")
        self.setWindowTitle(title)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.navigation = QListWidget(central)
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(NAVIGATION_WIDTH)
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setSpacing(2)
        self.navigation.setAccessibleName(self.tr("Navigation"))
        self.navigation.setStyleSheet(
            "QListWidget#navigation { border: none; border-right: 1px solid palette(mid);"
            " background: palette(window); padding-top: 8px; font-size: 11pt; outline: 0; }"
            "QListWidget#navigation::item { padding: 8px 12px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.stack = QStackedWidget(central)
        self.stack.setObjectName("pages")
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.navigation.currentRowChanged.connect(self._on_row_changed)

        self.database_label = QLabel(self)
        self.database_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.database_label)
        self.set_database_label(database_label)

        self._build_actions()
        self._build_menus()

    # --- pages -------------------------------------------------------------------

    def add_page(self, page: Page) -> None:
        """Register a screen; its order of registration is its place in the list."""
        if page.page_id in self._pages:
            raise ValueError(f"page {page.page_id!r} already registered")
        self._pages[page.page_id] = page
        self.stack.addWidget(page)
        item = QListWidgetItem(navigation_icon(page.page_id), page.title, self.navigation)
        item.setData(PAGE_ID_ROLE, page.page_id)
        item.setToolTip(page.title)
        index = len(self._pages)
        if index <= 9:
            action = QAction(page.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index}"))
            action.triggered.connect(lambda checked=False, pid=page.page_id: self.show_page(pid))
            self.view_menu.addAction(action)
        if self.navigation.currentRow() < 0:
            self.navigation.setCurrentRow(0)

    def page(self, page_id: str) -> Page:
        return self._pages[page_id]

    def pages(self) -> list[Page]:
        return list(self._pages.values())

    def current_page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def show_page(self, page_id: str) -> Page:
        page = self._pages[page_id]
        self.navigation.setCurrentRow(self.stack.indexOf(page))
        return page

    def _on_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.current_page()
        if page is not None:
            log.debug("page %s shown", page.page_id)
            page.activated()
            self.page_changed.emit(page.page_id)

    # --- status ------------------------------------------------------------------

    def set_database_label(self, text: str) -> None:
        prefix = self.tr("Base de démonstration : ") if self.demo else self.tr("Base : ")
        self.database_label.setText(prefix + text if text else self.tr("Aucune base ouverte"))
        self.database_label.setToolTip(text)

    def show_status(self, text: str) -> None:
        messages.show_status(self, text)

    # --- actions -----------------------------------------------------------------

    def _action(self, text: str, shortcut: str, slot: object, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even if the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        self.new_session_action = self._action(
            self.tr("&Nouvelle séance…"), "Ctrl+N", self.new_session, "newSessionAction")
        self.search_action = self._action(
            self.tr("&Rechercher"), "Ctrl+F", self.focus_search, "searchAction")
        self.print_action = self._action(
            self.tr("&Imprimer…"), "Ctrl+P", self.print_current, "printAction")
        self.quit_action = self._action(self.tr("&Quitter"), "Ctrl+Q", self.close, "quitAction")
        self.help_action = self._action(
            self.tr("&Guide d'utilisation"), "F1", self.show_help, "helpAction")
        self.undo_action = self._action(self.tr("&Annuler"), "Ctrl+Z", self.undo,
                                        "undoAction")
        self.redo_action = self._action(self.tr("&Rétablir"), "Ctrl+Shift+Z", self.redo,
                                        "redoAction")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.about_action = QAction(self.tr("À &propos de caleol"), self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self.show_about)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&Fichier"))
        file_menu.addAction(self.new_session_action)
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("&Édition"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.search_action)
        edit_menu.aboutToShow.connect(self.update_undo_actions)
        self.edit_menu = edit_menu
        self.view_menu = bar.addMenu(self.tr("&Affichage"))
        help_menu = bar.addMenu(self.tr("&Aide"))
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)

    def new_session(self) -> None:
        page = self._pages.get("sessions")
        if page is not None:
            self.show_page("sessions")
            if page.start_new():
                return
        self.show_status(self.tr("La création de séance n'est pas encore disponible."))

    # --- undo ----------------------------------------------------------------------

    def current_undo_stack(self) -> QUndoStack | None:
        page = self.current_page()
        return page.undo_stack() if page is not None else None

    def update_undo_actions(self) -> None:
        """The menu names what Ctrl+Z would undo (« Annuler « décision pour … » »)."""
        stack = self.current_undo_stack()
        can_undo = stack is not None and stack.canUndo()
        can_redo = stack is not None and stack.canRedo()
        self.undo_action.setText(self.tr("&Annuler « {what} »").format(
            what=stack.undoText()) if can_undo and stack is not None else self.tr("&Annuler"))
        self.redo_action.setText(self.tr("&Rétablir « {what} »").format(
            what=stack.redoText()) if can_redo and stack is not None else self.tr("&Rétablir"))

    def undo(self) -> None:
        stack = self.current_undo_stack()
        if stack is None or not stack.canUndo():
            self.show_status(self.tr("Rien à annuler."))
            return
        what = stack.undoText()
        stack.undo()
        self.show_status(self.tr("Annulé : {what}.").format(what=what))

    def redo(self) -> None:
        stack = self.current_undo_stack()
        if stack is None or not stack.canRedo():
            self.show_status(self.tr("Rien à rétablir."))
            return
        what = stack.redoText()
        stack.redo()
        self.show_status(self.tr("Rétabli : {what}.").format(what=what))

    def focus_search(self) -> None:
        page = self.current_page()
        field = page.search_field() if page is not None else None
        if field is None:
            self.show_status(self.tr("Pas de recherche sur cet écran."))
            return
        field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        field.selectAll()

    def print_current(self) -> None:
        page = self.current_page()
        if page is None or not page.print_current():
            self.show_status(self.tr("Rien à imprimer sur cet écran."))

    def show_help(self) -> None:
        """F1: the guide, at the chapter of the screen shown; one window, not modal."""
        from caleol.ui.dialogs.help import HelpDialog, find_user_guide

        page = self.current_page()
        topic = page.help_topic() if page is not None else ""
        if self.help_dialog is None:
            if self._guide is None:
                self._guide = find_user_guide()
            self.help_dialog = HelpDialog(self._guide, self, topic)
            self.help_dialog.finished.connect(lambda _result: self._help_closed())
        else:
            self.help_dialog.show_topic(topic)
        self.help_dialog.show()
        self.help_dialog.activateWindow()  # brought forward when already open

    def _help_closed(self) -> None:
        if self.help_dialog is not None:
            self.help_dialog.deleteLater()
        self.help_dialog = None

    def show_about(self) -> None:
        from caleol.ui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        log.info("main window closing (caleol %s)", __version__)
        self.closing.emit()
        super().closeEvent(event)
