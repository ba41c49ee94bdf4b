"""The letters' templates: the shipped text, or the user's own version of it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol.errors import CaleolError
from caleol.services import reference
from caleol.services.documents.letter_templates import LetterKind
from caleol.ui import messages
from caleol.ui.dialogs.form_errors import ERROR_STYLE
from caleol.ui.models.table import ROW_ROLE, Column, ColumnTableModel
from caleol.ui.widgets.table_view import make_table_view

TEMPLATE_COLUMNS: tuple[Column[reference.TemplateInfo], ...] = (
    Column("kind", "Modèle", value=lambda r: r.kind.value),
    Column("customised", "Version", value=lambda r: "personnalisée" if r.customised
           else "livrée"),
)


class TemplatesTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatesTab")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        intro = QLabel(self.tr(
            "Textes des courriers. Un modèle modifié est enregistré dans votre dossier "
            "personnel ({folder}) et remplace le modèle livré ; « Rétablir » revient au "
            "modèle livré. Champs : $nom, ${{nom}} ; $$ pour un dollar.").format(
            folder=reference.user_template_dir()), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.model: ColumnTableModel[reference.TemplateInfo] = ColumnTableModel(
            TEMPLATE_COLUMNS, parent=self)
        self.table: QTableView = make_table_view(self)
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._show)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.error = QLabel(right)
        self.error.setObjectName("templateError")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.edit = QPlainTextEdit(right)
        self.edit.setObjectName("templateEdit")
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Enregistrer le modèle"), right)
        self.save_button.setObjectName("saveTemplateButton")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton(self.tr("Rétablir le modèle livré"), right)
        self.reset_button.setObjectName("resetTemplateButton")
        self.reset_button.clicked.connect(self.reset)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        right_layout.addWidget(self.error)
        right_layout.addWidget(self.edit, 1)
        right_layout.addLayout(buttons)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        split.setSizes([320, 760])
        layout.addWidget(split, 1)

    def reload(self, keep: LetterKind | None = None) -> None:
        selected = keep or self.selected_kind()
        try:
            infos = reference.list_templates()
        except CaleolError as exc:
            self._show_error(exc)
            return
        self.model.set_rows(infos)
        row = next((i for i, t in enumerate(infos) if t.kind == selected), 0)
        if infos:
            self.table.selectRow(row)

    def selected_kind(self) -> LetterKind | None:
        rows = self.table.selectionModel().selectedRows()
        info = rows[0].data(ROW_ROLE) if rows else None
        return info.kind if isinstance(info, reference.TemplateInfo) else None

    def _show(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        info = rows[0].data(ROW_ROLE) if rows else None
        self.error.hide()
        self.edit.setPlainText(info.text if info else "")
        self.reset_button.setEnabled(bool(info and info.customised))

    def _show_error(self, exc: CaleolError) -> None:
        self.error.setText(exc.message)
        self.error.show()

    def save(self) -> None:
        kind = self.selected_kind()
        if kind is None:
            return
        try:
            reference.save_template(kind, self.edit.toPlainText())
        except CaleolError as exc:
            self._show_error(exc)
            return
        self.reload(kind)
        messages.show_status(self, self.tr("Modèle « {name} » enregistré.").format(
            name=kind.value))

    def reset(self) -> None:
        kind = self.selected_kind()
        if kind is None:
            return
        try:
            reference.reset_template(kind)
        except CaleolError as exc:
            self._show_error(exc)
            return
        self.reload(kind)
