"""A searchable, filterable list backed by a paged query, with a detail panel.

Shared by Logements and Demandes: the list is a `PagedQueryModel` over a browse
service (`caleol.services.browse`), so sorting, filtering and paging happen in SQL
and 100 000 rows never load at once. Subclasses give the columns, the filters and
how to show one record's detail.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol import fr
from caleol.errors import CaleolError
from caleol.services.imports import ImportRejectedError, ImportReport
from caleol.ui import file_dialogs, messages
from caleol.ui.columns import ColumnFitter, fit_columns
from caleol.ui.dialogs.import_report import ImportReportDialog
from caleol.ui.models.table import ROW_ROLE, Column, ColumnTableModel, PagedQueryModel
from caleol.ui.pages.base import Page, page_heading
from caleol.ui.tasks import Task, TaskContext, TaskRunner, run_with_progress

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 300
DETAIL_WIDTH = 350  # « Revenu fiscal de référence » lines wrap once; the list keeps its columns
DETAIL_MIN_WIDTH = 300
CSV_FILTER = "Fichiers CSV (*.csv)"
IDENTIFYING_COLUMNS = 2  # never cut (NUR and name, reference and type)
MAX_PAGES_TO_RESELECT = 10  # after a save, pages fetched to find the edited row again

EditorFactory = Callable[[int | None, QWidget], QDialog]
"""`factory(record id or None for a new one, parent)` → an editor whose `saved` is the id."""


class BrowseSource(Protocol):
    """What a browse service offers (`DwellingBrowser`, `DemandeBrowser`)."""

    def count(self, filters: Any = None) -> int: ...

    def fetch(self, offset: int, limit: int, sort: Any = None,
              filters: Any = None) -> list[Any]: ...

    def choices(self) -> dict[str, list[Any]]: ...

    def detail(self, row_id: int) -> Any: ...


@dataclass(frozen=True)
class FilterSpec:
    """A combo box filter.

    Attributes:
        key: the field of the filters value it sets.
        label: what it filters (accessible name, tooltip).
        all_label: the first entry, meaning « no filter ».
        choices: the key of the service's `choices()` listing its values (default:
            `key`).
    """

    key: str
    label: str
    all_label: str
    choices: str = ""


def make_table_view(parent: QWidget | None = None) -> QTableView:
    """The one look of data grids: whole-row selection, sortable, no row numbers."""
    view = QTableView(parent)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class DetailPanel(QScrollArea):
    """Read-only « label : value » lines of one record, plus optional tables.

    `has_record` says whether a record is shown: the page collapses the panel when
    there is none, so the list gets its width.
    """

    has_record = Signal(bool)

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._empty_text = empty_text
        self.clear()

    def clear(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        hint = QLabel(self._empty_text, body)
        hint.setObjectName("detailEmpty")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)
        layout.addStretch(1)
        self.setWidget(body)
        self.form: QFormLayout | None = None
        self.has_record.emit(False)

    def show_record(self, title: str, fields: Sequence[tuple[str, str]],
                    tables: Sequence[tuple[str, ColumnTableModel[Any]]] = ()) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        heading = QLabel(title, body)
        heading.setObjectName("detailTitle")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for label, value in fields:
            if not value:
                continue  # an empty line says nothing; keep the panel short
            text = QLabel(value, body)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label + " :", text)
        layout.addLayout(form)
        for caption, model in tables:
            layout.addWidget(QLabel(f"<b>{caption}</b>", body))
            view = make_table_view(body)
            view.setModel(model)
            model.setParent(view)
            view.resizeColumnsToContents()
            rows = max(1, model.rowCount())
            view.setFixedHeight(view.horizontalHeader().sizeHint().height()
                                + rows * view.verticalHeader().defaultSectionSize() + 4)
            layout.addWidget(view)
        layout.addStretch(1)
        self.setWidget(body)
        self.form = form
        self.has_record.emit(True)

    def values(self) -> dict[str, str]:
        """What the panel shows, label → value (for tests and accessibility checks)."""
        if self.form is None:
            return {}
        out: dict[str, str] = {}
        for row in range(self.form.rowCount()):
            label = self.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            value = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label_widget = label.widget() if label is not None else None
            value_widget = value.widget() if value is not None else None
            if isinstance(label_widget, QLabel) and isinstance(value_widget, QLabel):
                out[label_widget.text().removesuffix(" :")] = value_widget.text()
        return out


class BrowserPage(Page):
    """Search field, filter boxes, the paged table and the detail panel.

    Args:
        source: the browse service.
        columns: the table's column spec (keys are the service's sort keys).
        filters: the service's empty filters value (a frozen dataclass with `text`).
        filter_specs: combo box filters, in display order.
        nouns: singular and plural French noun for the count line.
        feminine: the noun is feminine (« Aucune demande ne correspond… »).
    """

    def __init__(self, page_id: str, title: str, *, source: BrowseSource,
                 columns: Sequence[Column[Any]], filters: Any,
                 filter_specs: Sequence[FilterSpec], search_placeholder: str,
                 nouns: tuple[str, str], empty_detail: str, feminine: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(page_id, title, parent)
        self.source = source
        self._columns = tuple(columns)
        self._filters = filters
        self._filter_specs = tuple(filter_specs)
        self._nouns = nouns
        self._feminine = feminine
        self.model: PagedQueryModel[Any] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 12)
        top = QHBoxLayout()
        top.addWidget(page_heading(title, self))
        top.addStretch(1)
        self.hint_label = QLabel(empty_detail, self)  # while no record is shown
        self.hint_label.setObjectName("detailHint")
        self.hint_label.setStyleSheet("color: palette(mid);")
        top.addWidget(self.hint_label)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        top.addWidget(self.count_label)
        self._top_bar = top
        self.import_button: QPushButton | None = None
        self.import_report_dialog: ImportReportDialog | None = None
        self._runner: TaskRunner | None = None
        self._import_file: Callable[[Path], ImportReport] | None = None
        self.import_task: Task | None = None  # kept alive until its signals are delivered
        self.new_button: QPushButton | None = None
        self.edit_button: QPushButton | None = None
        self.editor: QDialog | None = None
        self._editor_factory: EditorFactory | None = None
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(search_placeholder)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        bar.addWidget(self.search_edit, 2)
        self.filter_boxes: dict[str, QComboBox] = {}
        for spec in self._filter_specs:
            box = QComboBox(self)
            box.setObjectName(f"{spec.key}Filter")
            box.setAccessibleName(spec.label)
            box.setToolTip(spec.label)
            box.addItem(spec.all_label, None)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self._apply_filters)
            self.filter_boxes[spec.key] = box
            bar.addWidget(box, 1)
        layout.addLayout(bar)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = make_table_view(self.splitter)
        self.table.setObjectName("browserTable")
        self.table.setSortingEnabled(False)  # enabled once the model exists
        self.detail = DetailPanel(empty_detail, self.splitter)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.detail.setMinimumWidth(DETAIL_MIN_WIDTH)
        self.detail.has_record.connect(self._detail_shown)
        self.detail.hide()  # no record yet: the list takes the width
        layout.addWidget(self.splitter, 1)
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("emptyResultLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(mid); font-size: 12pt;")
        self.empty_label.hide()
        self.table.viewport().installEventFilter(self)
        self.columns: ColumnFitter | None = None

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._apply_filters)

    # --- Page hooks ------------------------------------------------------------------

    def search_field(self) -> QLineEdit:
        return self.search_edit

    def activated(self) -> None:
        self.ensure_loaded()

    def _detail_shown(self, shown: bool) -> None:
        """A record shown: the panel opens at its width; none: it yields its width."""
        self.hint_label.setVisible(not shown and self.model is not None
                                   and self.model.total_count() > 0)
        if shown == self.detail.isVisible():
            return
        self.detail.setVisible(shown)
        if shown:
            total = self.splitter.width()
            self.splitter.setSizes([max(total - DETAIL_WIDTH, 0), DETAIL_WIDTH])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(
                self.table.viewport().rect().adjusted(16, 16, -16, -16))
        return False

    def empty_text(self) -> str:
        """What the list says when it has no row: no match, or nothing recorded yet."""
        plural = self._nouns[1]
        filtered = bool(self.search_edit.text().strip()) or any(
            box.currentIndex() > 0 for box in self.filter_boxes.values())
        if filtered:
            return (f"Aucune {self._nouns[0]} ne correspond aux filtres."
                    if self._feminine else
                    f"Aucun {self._nouns[0]} ne correspond aux filtres.")
        return f"Aucun{'e' if self._feminine else ''} {self._nouns[0]} enregistré" + (
            "e" if self._feminine else "") + f" : importez des {plural} ou créez-en."

    # --- editors -------------------------------------------------------------------

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

    # --- CSV import ----------------------------------------------------------------

    def enable_import(self, runner: TaskRunner,
                      import_file: Callable[[Path], ImportReport]) -> None:
        """Add « Importer un fichier CSV… »; `import_file` runs off the GUI thread.

        Args:
            runner: the application's task runner.
            import_file: imports one file all or nothing (raises `ImportRejectedError`).
        """
        self._runner = runner
        self._import_file = import_file
        self.import_button = QPushButton("Importer un fichier CSV…", self)
        self.import_button.setObjectName("importCsvButton")
        self.import_button.clicked.connect(self.choose_import_file)
        self._top_bar.addWidget(self.import_button)

    def choose_import_file(self) -> None:
        path = file_dialogs.open_file(self, "import-csv", f"Importer des {self._nouns[1]}",
                                      CSV_FILTER)
        if path is not None:
            self.import_csv(path)

    def import_csv(self, path: Path) -> None:
        if self._runner is None or self._import_file is None:
            return
        import_file = self._import_file

        def work(ctx: TaskContext) -> ImportReport:
            return import_file(path)

        self.import_task = run_with_progress(
            self, self._runner, f"Import des {self._nouns[1]}…", work,
            self._import_succeeded, on_error=self._import_failed)

    def _import_succeeded(self, report: ImportReport) -> None:
        self.reload()
        messages.show_status(self, report.summary())
        messages.show_info(self, report.summary(), "Import terminé")

    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportRejectedError):
            self.import_report_dialog = ImportReportDialog(exc.report, self)
            self.import_report_dialog.open()  # window-modal, does not block the event loop
        elif isinstance(exc, CaleolError):
            messages.show_error(self, exc)
        else:
            messages.report_exception(exc)

    def reload(self) -> None:
        """Query again (after an import or an edit), filter lists included; the page
        loads itself if never shown."""
        if self.model is None:
            self.ensure_loaded()
            return
        self.detail.clear()
        if self.edit_button is not None:
            self.edit_button.setEnabled(False)
        if self.refresh_choices():
            self._apply_filters()  # a chosen value vanished: its filter was reset
            return
        self.model.reload()

    def refresh_choices(self) -> bool:
        """Fill the filter boxes again (new communes after an import...), keeping each
        box's current value when it still exists. True when a filter had to be reset.
        """
        choices = self.source.choices()
        reset = False
        for spec in self._filter_specs:
            box = self.filter_boxes[spec.key]
            current = box.currentData()
            box.blockSignals(True)
            try:
                while box.count() > 1:  # item 0 is « all »
                    box.removeItem(box.count() - 1)
                for choice in choices.get(spec.choices or spec.key, []):
                    box.addItem(choice.label, choice.value)
                index = box.findData(current) if current is not None else 0
                if index < 0:
                    index, reset = 0, True
                box.setCurrentIndex(index)
            finally:
                box.blockSignals(False)
        return reset

    # --- loading -------------------------------------------------------------------

    def ensure_loaded(self) -> None:
        """Query the database the first time the page is shown, not at start-up."""
        if self.model is not None:
            return
        self.refresh_choices()
        self.model = PagedQueryModel(self._columns, self.source.fetch, self.source.count,
                                     filters=self._filters, parent=self)
        self.model.count_changed.connect(self._show_count)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # No indicator first: enabling sorting would otherwise re-sort by column 0
        # and replace the service's default order (oldest demande first...).
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # the identifying columns whole; the others elided, their text in a tooltip
        # and in the detail panel
        self.columns = fit_columns(self.table, range(IDENTIFYING_COLUMNS))
        self._show_count(self.model.total_count())

    def current_filters(self) -> Any:
        return self._filters

    def _apply_filters(self) -> None:
        self._search_timer.stop()
        changes: dict[str, Any] = {"text": self.search_edit.text().strip()}
        for key, box in self.filter_boxes.items():
            changes[key] = box.currentData()
        new = replace(self._filters, **changes)
        if new == self._filters and self.model is not None:
            return
        self._filters = new
        log.debug("%s filters: %s", self.page_id, new)
        if self.model is None:
            self.ensure_loaded()
            return
        self.detail.clear()
        if self.edit_button is not None:
            self.edit_button.setEnabled(False)  # the selection went with the old rows
        self.model.set_filters(new)

    def _show_count(self, total: int) -> None:
        singular, plural = self._nouns
        noun = singular if total <= 1 else plural
        self.count_label.setText(f"{fr.format_decimal(total, 0)} {noun}")
        self.empty_label.setText(self.empty_text() if total == 0 else "")
        self.empty_label.setVisible(total == 0)
        self.hint_label.setVisible(total > 0 and not self.detail.isVisible())

    # --- detail --------------------------------------------------------------------

    def selected_row(self) -> Any:
        indexes = self.table.selectionModel().selectedRows() if self.model else []
        return indexes[0].data(ROW_ROLE) if indexes else None

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        row = self.selected_row()
        if self.edit_button is not None:
            self.edit_button.setEnabled(row is not None)
        if row is None:
            self.detail.clear()
            return
        try:
            detail = self.source.detail(row.id)
        except CaleolError as exc:  # deleted meanwhile
            messages.show_status(self, exc.message)
            self.detail.clear()
            return
        self.show_detail(row, detail)

    def show_detail(self, row: Any, detail: Any) -> None:
        """Subclasses add their own tables; the default shows the detail's fields.

        `row` is None when the record is not a row of the list (edited, then filtered
        out): the title then comes from the detail alone.
        """
        title = dict(detail.fields).get("Référence", "") if row is None else str(
            getattr(row, "reference", row.id))
        self.detail.show_record(title, detail.fields)
