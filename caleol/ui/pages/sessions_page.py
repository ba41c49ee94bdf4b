"""Séances: the list of séances and, on opening one, its workspace.

Ctrl+N (the main window's « Nouvelle séance… ») lands in `start_new`, which opens the
new-séance dialog; the created séance opens at once in the workspace.

The list is what a cold start waits for (issue 19). At start the page may be built
before the database is open, with the rows of the light read
(`caleol.services.session_list`): it then shows them but offers nothing (no engine:
buttons off, a double-click ignored) until `attach` gives it the opened database.
So this module imports neither the séance services nor SQLAlchemy; the workspace
(and through it documents, signing, cryptography, reportlab) is imported and built
when first needed, or in idle time once the database is open (`_warm_workspace`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.fr import counted
from caleol.services.session_list import SessionSummary
from caleol.settings import Settings
from caleol.ui import messages
from caleol.ui.models.session_list_model import sessions_model
from caleol.ui.pages.base import Page, page_heading

if TYPE_CHECKING:
    from caleol.ui.dialogs.new_session import NewSessionDialog, NewSessionValues
    from caleol.ui.pages.session.workspace import SessionWorkspace

log = logging.getLogger(__name__)


class SessionsPage(Page):
    """The « Séances » screen.

    Args:
        engine: database engine; None while the database is being opened (then
            `rows` are shown, nothing can be done until `attach`).
        settings: returns the current settings (Paramètres may replace them).
        tasks: the application's `TaskRunner` (None until `attach` with no engine).
        rows: the light read's séances, shown while the database opens.
    """

    session_opened = Signal(int)

    def __init__(self, engine: Any, settings: Callable[[], Settings], tasks: Any,
                 parent: QWidget | None = None, *,
                 rows: tuple[SessionSummary, ...] = ()) -> None:
        super().__init__("sessions", "Séances", parent)
        self.title = self.tr("Séances")
        self.engine = engine
        self._settings = settings
        self._tasks = tasks
        self._workspace: SessionWorkspace | None = None
        self.new_dialog: NewSessionDialog | None = None

        self.stack = QStackedWidget(self)
        self.list_widget = QWidget(self.stack)
        self.model = sessions_model(parent=self)
        self.view = QTableView(self.list_widget)
        self.view.setObjectName("sessionsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(self.model.column_index("place"),
                                    QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._offer_buttons)
        self.view.doubleClicked.connect(self._open_index)
        self.view.activated.connect(self._open_index)
        self.new_button = QPushButton(self.tr("Nouvelle séance…"), self.list_widget)
        self.new_button.setObjectName("newSessionButton")
        self.new_button.setToolTip(self.tr("Ctrl+N"))
        self.open_button = QPushButton(self.tr("Ouvrir la séance"), self.list_widget)
        self.open_button.setObjectName("openSessionButton")
        self.open_button.setDefault(True)
        self.new_button.clicked.connect(self.start_new)
        self.open_button.clicked.connect(self.open_selected)
        self.count_label = QLabel(self.list_widget)
        hint = QLabel(self.tr("Double-cliquez une séance pour ouvrir son espace de travail : "
                              "ordre du jour, candidats, présences, décisions, PV."),
                      self.list_widget)
        hint.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        list_layout = QVBoxLayout(self.list_widget)
        list_layout.setContentsMargins(24, 20, 24, 20)
        list_layout.addWidget(page_heading(self.tr("Séances"), self.list_widget))
        list_layout.addWidget(hint)
        list_layout.addLayout(buttons)
        list_layout.addWidget(self.view, 1)

        self.stack.addWidget(self.list_widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        if engine is None:
            self._show_rows(rows)
        else:
            self.refresh()
            QTimer.singleShot(0, self, self._warm_workspace)  # after the list is painted

    def attach(self, engine: Any, tasks: Any) -> None:
        """The database is open: the list shown from the light read becomes usable
        (its rows are read again by the next `activated`, as on every return)."""
        self.engine = engine
        self._tasks = tasks
        self._count_rows()
        self._offer_buttons()
        QTimer.singleShot(0, self, self._warm_workspace)

    @property
    def opening(self) -> bool:
        """The rows shown come from the light read; the database is not open yet."""
        return self.engine is None

    # --- workspace -----------------------------------------------------------------

    @property
    def workspace(self) -> SessionWorkspace:
        """The séance workspace, built the first time it is needed."""
        if self._workspace is None:
            from caleol.ui.pages.session.workspace import SessionWorkspace

            self._workspace = SessionWorkspace(self.engine, self._settings, self._tasks,
                                               self.stack)
            self._workspace.back_requested.connect(self.show_list)
            self.stack.addWidget(self._workspace)
        return self._workspace

    def _warm_workspace(self) -> None:
        """Build the workspace while the secretary reads the list: importing it (PDF,
        signing, cryptography) takes ~150 ms, which the first « Ouvrir » would
        otherwise wait for."""
        if self._workspace is None and self.engine is not None:
            self.workspace  # noqa: B018 - built for its side effect

    def _showing_workspace(self) -> bool:
        return self._workspace is not None and self.stack.currentWidget() is self._workspace

    # --- list ------------------------------------------------------------------------

    def refresh(self) -> None:
        """The list read again (`list_sessions`: the same reading as the light one)."""
        if self.engine is None:
            return
        from caleol.services import sessions

        try:
            rows = sessions.list_sessions(self.engine)
        except CaleolError as exc:
            messages.show_error(self, exc)
            return
        self._show_rows(rows)

    def _show_rows(self, rows: tuple[SessionSummary, ...]) -> None:
        current = self.selected_id()
        self.model.set_rows(rows)
        self.view.resizeColumnsToContents()
        self._count_rows()
        for row, summary in enumerate(rows):
            if summary.id == current:
                self.view.selectRow(row)
                break
        else:
            if rows and self.engine is not None:  # nothing to act on while opening
                self.view.selectRow(0)
        self._offer_buttons()

    def _count_rows(self) -> None:
        text = counted(self.model.rowCount(), self.tr("séance"), self.tr("séances"))
        if self.engine is None:
            text += " · " + self.tr("ouverture de la base de données…")
        self.count_label.setText(text)

    def _offer_buttons(self) -> None:
        """« Ouvrir la séance » only with a séance chosen; on the first day (no séance
        yet) « Nouvelle séance… » is the button Entrée presses. Neither while the
        database opens: the list is only being shown."""
        chosen = self.selected_id() is not None
        usable = self.engine is not None
        self.open_button.setEnabled(chosen and usable)
        self.open_button.setDefault(chosen)
        self.new_button.setEnabled(usable)
        self.new_button.setDefault(not chosen)
        self.new_button.setToolTip(self.tr("Ctrl+N") if usable
                                   else self.tr("Ouverture de la base de données…"))

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).id if rows else None

    def select_session(self, session_id: int) -> bool:
        for row, summary in enumerate(self.model.rows()):
            if summary.id == session_id:
                self.view.selectRow(row)
                return True
        return False

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_widget)
        self.refresh()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_session(self.model.row_at(index.row()).id)

    def open_selected(self) -> None:
        session_id = self.selected_id()
        if session_id is not None:
            self.open_session(session_id)

    def open_session(self, session_id: int) -> bool:
        """Show the séance in the workspace. Refused while the database opens: a
        double-click on a row the light read showed is ignored, not queued (the
        secretary sees the buttons come on once it can be done)."""
        if self.engine is None:
            return False
        if not self.workspace.open_session(session_id):
            return False
        self.stack.setCurrentWidget(self.workspace)
        self.session_opened.emit(session_id)
        return True

    # --- new séance -------------------------------------------------------------------

    def start_new(self) -> bool:
        if self.engine is None:
            return False
        from caleol.services import sessions
        from caleol.ui.dialogs.new_session import NewSessionDialog

        try:
            commissions = sessions.commission_choices(self.engine, active_only=True)
        except CaleolError as exc:
            messages.show_error(self, exc)
            return True
        self.new_dialog = NewSessionDialog(commissions, "", self, submit=self._create)
        self.new_dialog.open()
        return True

    def _create(self, values: NewSessionValues) -> CaleolError | None:
        from caleol.services import sessions

        try:
            session_id = sessions.create_session(
                self.engine, values.commission_id, values.on, place=values.place,
                kind=values.kind, member_ids=values.member_ids, start_time=values.start_time,
                secretary_name=values.secretary_name)
        except CaleolError as exc:
            log.info("new séance refused: %s", exc)
            return exc  # shown beside its field; the form keeps what was typed
        self.refresh()
        self.select_session(session_id)
        self.open_session(session_id)
        messages.show_status(self, self.tr("Séance créée."))
        return None

    # --- Page hooks --------------------------------------------------------------------

    def activated(self) -> None:
        """Back on the screen: what another screen (or workstation) changed shows."""
        if self._showing_workspace():
            self.workspace.controller.reload()
        else:
            self.refresh()

    def print_current(self) -> bool:
        return self._workspace is not None and self._workspace.print_last_document()

    def undo_stack(self) -> QUndoStack | None:
        """The séance's changes, while its workspace is shown."""
        if self._showing_workspace():
            return self.workspace.undo_stack
        return None

    def help_topic(self) -> str:
        """The list: the séance chapter; the workspace: the part of it being used."""
        if not self._showing_workspace():
            return "sessions"
        return self.workspace.help_topic()
