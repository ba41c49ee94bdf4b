"""The communes a demande wishes, in order of preference (the first is the most
wished): a list, a picker of the territory's communes, « Ajouter » and « Retirer »."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from caleol.services.editing import Choice
from caleol.ui.dialogs.dwelling_editor import combo


class WishedCommunes(QWidget):
    """The wished communes of a demande (INSEE codes)."""

    def __init__(self, communes: Sequence[Choice], wished: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.communes_list = QListWidget(self)
        self.communes_list.setObjectName("wishedCommunesList")
        self.communes_list.setMaximumHeight(self.fontMetrics().height() * 5 + 12)
        labels = {c.value: c.label for c in communes}
        for insee in wished:
            self.add(insee, labels.get(insee, insee))
        picker = QHBoxLayout()
        self.commune_box = combo(self, communes, "")
        self.commune_box.setObjectName("communePicker")
        add = QPushButton(self.tr("Ajouter"), self)
        add.setObjectName("addCommune")
        remove = QPushButton(self.tr("Retirer"), self)
        remove.setObjectName("removeCommune")
        add.clicked.connect(lambda: self.add(self.commune_box.currentData(),
                                             self.commune_box.currentText()))
        remove.clicked.connect(self.remove)
        picker.addWidget(self.commune_box, 1)
        picker.addWidget(add)
        picker.addWidget(remove)
        box.addWidget(self.communes_list)
        box.addLayout(picker)
        self.setToolTip(self.tr("Par ordre de préférence : la première est la plus "
                                "souhaitée."))

    def add(self, insee: Any, label: str) -> None:
        """At the end of the list, once."""
        if not insee:
            return
        for row in range(self.communes_list.count()):
            if self.communes_list.item(row).data(Qt.ItemDataRole.UserRole) == insee:
                return
        item = QListWidgetItem(label, self.communes_list)
        item.setData(Qt.ItemDataRole.UserRole, insee)

    def remove(self) -> None:
        row = self.communes_list.currentRow()
        if row >= 0:
            self.communes_list.takeItem(row)

    def values(self) -> list[str]:
        return [self.communes_list.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(self.communes_list.count())]
