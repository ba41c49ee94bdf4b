"""Examens d'occupation (EOL): the tenants whose occupation the commission reviews,
with its opinion and proposal. Recorded while the séance is prepared or held."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from caleol.db.models.enums import ReviewMotive
from caleol.services.sessions import OccupationReviewView
from caleol.ui.models.session_models import reviews_model


class ReviewPanel(QWidget):
    review_requested = Signal(str, dict)  # motive, fields for record_occupation_review

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.model = reviews_model(parent=self)
        self.view = QTableView(self)
        self.view.setObjectName("reviewsView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.motive = QComboBox(self)
        self.motive.setObjectName("reviewMotive")
        for motive in ReviewMotive:
            self.motive.addItem(motive.label, motive.value)
        self.tenant_reference = QLineEdit(self)
        self.tenant_reference.setPlaceholderText(self.tr("référence du bail"))
        self.tenant_name = QLineEdit(self)
        self.tenant_name.setObjectName("reviewTenantName")
        self.tenant_name.setPlaceholderText(self.tr("nom du locataire"))
        self.opinion = QLineEdit(self)
        self.opinion.setObjectName("reviewOpinion")
        self.proposal = QLineEdit(self)
        self.proposal.setObjectName("reviewProposal")
        self.add_button = QPushButton(self.tr("Enregistrer l'examen"), self)
        self.add_button.setObjectName("addReviewButton")
        self.add_button.clicked.connect(self._emit)
        tenant = QHBoxLayout()
        tenant.addWidget(self.tenant_reference)
        tenant.addWidget(self.tenant_name, 2)
        form = QFormLayout()
        form.addRow(self.tr("Motif"), self.motive)
        form.addRow(self.tr("Locataire"), tenant)
        form.addRow(self.tr("Avis"), self.opinion)
        form.addRow(self.tr("Proposition"), self.proposal)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def set_reviews(self, reviews: tuple[OccupationReviewView, ...], *, writable: bool) -> None:
        self.model.set_rows(reviews)
        for widget in (self.motive, self.tenant_reference, self.tenant_name, self.opinion,
                       self.proposal, self.add_button):
            widget.setEnabled(writable)

    def clear_form(self) -> None:
        for field in (self.tenant_reference, self.tenant_name, self.opinion, self.proposal):
            field.clear()

    def _emit(self) -> None:
        self.review_requested.emit(str(self.motive.currentData()), {
            "tenant_reference": self.tenant_reference.text(),
            "tenant_name": self.tenant_name.text(),
            "opinion": self.opinion.text(),
            "proposal": self.proposal.text(),
        })
