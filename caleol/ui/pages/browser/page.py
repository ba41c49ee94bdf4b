"""A searchable, filterable list backed by a paged query, with a detail panel.

Shared by Logements and Demandes: the list is a `PagedQueryModel` over a browse
service (`caleol.services.browse`), so sorting, filtering and paging happen in SQL
and 100 000 rows never load at once. Subclasses give the columns, the filters and
how to show one record's detail.

This module builds the page; the list's behaviour is `listing`, editing a record
`editing`, importing a CSV file `csv_import`, each a base of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from caleol.ui.models.table import Column
from caleol.ui.pages.base import page_heading
from caleol.ui.pages.browser.csv_import import CsvImport
from caleol.ui.pages.browser.detail_panel import DetailPanel
from caleol.ui.pages.browser.editing import RecordEditing
from caleol.ui.pages.browser.listing import BrowseSource, FilterSpec
from caleol.ui.widgets.table_view import make_table_view

SEARCH_DELAY_MS = 300
DETAIL_MIN_WIDTH = 300


class BrowserPage(RecordEditing, CsvImport):
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
        self.model = None

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
        self.import_button = None
        self.import_report_dialog = None
        self._runner = None
        self._import_file = None
        self.import_task = None
        self.new_button = None
        self.edit_button = None
        self.editor = None
        self._editor_factory = None
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(search_placeholder)
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        bar.addWidget(self.search_edit, 2)
        self.filter_boxes = {}
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
        self.columns = None

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_edit.returnPressed.connect(self._apply_filters)
