"""Under the dwelling search: the réservataire the vacancy is oriented to and the
orientation date (start of the réservataire's proposal delay, gestion en flux)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QDateEdit, QFormLayout, QWidget

from caleol.fr import paris_today
from caleol.services.sessions import ReservataireChoice
from caleol.ui.qdates import from_qdate, to_qdate


class OrientationForm(QWidget):
    def __init__(self, reservataires: tuple[ReservataireChoice, ...],
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orientationForm")
        self.reservataire = QComboBox(self)
        self.reservataire.setObjectName("orientationReservataire")
        self.reservataire.addItem(self.tr("(celui du logement)"), None)
        for r in reservataires:
            self.reservataire.addItem(
                self.tr("{name} — délai de proposition {d} jours").format(
                    name=r.name, d=r.proposal_delay_days), r.id)
        self._names = {r.name: r.id for r in reservataires}
        self.date = QDateEdit(to_qdate(today or paris_today()), self)
        self.date.setObjectName("orientationDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setToolTip(self.tr("Point de départ du délai de proposition du réservataire"))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Réservataire (orientation)"), self.reservataire)
        form.addRow(self.tr("Date d'orientation"), self.date)

    def follow(self, dwelling: Any | None) -> None:
        """Preselect the chosen dwelling's own réservataire."""
        name = getattr(dwelling, "reservataire", "") if dwelling is not None else ""
        index = self.reservataire.findData(self._names.get(name))
        self.reservataire.setCurrentIndex(max(index, 0))

    def values(self) -> tuple[int | None, date]:
        data = self.reservataire.currentData()
        return (int(data) if data is not None else None), from_qdate(self.date.date())
