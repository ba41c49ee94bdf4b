"""« Nouveau… » and « Modifier… » on a browser: a record's editor, and the list
reloaded on the saved record afterwards."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from caleol.errors import CaleolError
from caleol.ui import messages
from caleol.ui.models.table import ROW_ROLE
from caleol.ui.pages.browser.listing import BrowserListing

MAX_PAGES_TO_RESELECT = 10  # after a save, pages fetched to find the edited row again

EditorFactory = Callable[[int | None, QWidget], QDialog]
"""`factory(record id or None for a new one, parent)` → an editor whose `saved` is the id."""


class RecordEditing(BrowserListing):
    """A record created or modified from the list."""

    new_button: QPushButton | None
    editor: QDialog | None  # the editor last opened (tests drive it)
    _editor_factory: EditorFactory | None

    def enable_editing(self, factory: EditorFactory) -> None:
        """Add « Nouveau… » and « Modifier… » (and double-click on a row = modify).

        Args:
            factory: builds the editor dialog of a record (None: a new record); the
                dialog's `saved` holds the id of the record once accepted.
        """
        self._editor_factory = factory
        self.new_button = QPushButton(self.tr("Nouveau…"), self)
        self.new_button.setObjectName("newRecordButton")
        self.new_button.clicked.connect(lambda: self.open_editor(None))
        self.edit_button = QPushButton(self.tr("Modifier…"), self)
        self.edit_button.setObjectName("editRecordButton")
        self.edit_button.setEnabled(False)
        self.edit_button.clicked.connect(self.edit_selected)
        self._top_bar.addWidget(self.new_button)
        self._top_bar.addWidget(self.edit_button)
        self.table.doubleClicked.connect(self._row_double_clicked)

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_editor(row.id)

    def _row_double_clicked(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        if row is not None and self._editor_factory is not None:
            self.open_editor(row.id)

    def open_editor(self, record_id: int | None) -> None:
        """Open the editor window-modally; on save the list reloads and keeps the row."""
        if self._editor_factory is None:
            return
        try:
            editor = self._editor_factory(record_id, self)
        except CaleolError as exc:  # the record vanished meanwhile
            messages.show_error(self, exc)
            self.reload()
            return
        self.editor = editor
        editor.accepted.connect(lambda: self._editor_saved(editor))
        editor.open()

    def _editor_saved(self, editor: QDialog) -> None:
        saved = getattr(editor, "saved", None)
        self.reload()
        if isinstance(saved, int):
            self.select_record(saved)

    def select_record(self, record_id: int) -> bool:
        """Select the row of `record_id` (fetching a few more pages if needed) and show
        its detail; the detail is shown even when the row is beyond those pages or
        filtered out. False when the row is not in the list."""
        if self.model is None:
            return False
        pages = 0
        while True:
            for position, row in enumerate(self.model.rows()):
                if row.id == record_id:
                    index = self.model.index(position, 0)
                    self.table.selectionModel().select(
                        index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                        | QItemSelectionModel.SelectionFlag.Rows)
                    self.table.setCurrentIndex(index)
                    self.table.scrollTo(index)
                    return True
            if pages >= MAX_PAGES_TO_RESELECT or not self.model.canFetchMore():
                break
            self.model.fetchMore()
            pages += 1
        self.show_record_detail(record_id)
        return False

    def show_record_detail(self, record_id: int) -> None:
        """The detail of a record that is not (or not yet) a row of the list."""
        try:
            detail = self.source.detail(record_id)
        except CaleolError:
            self.detail.clear()
            return
        self.show_detail(None, detail)
