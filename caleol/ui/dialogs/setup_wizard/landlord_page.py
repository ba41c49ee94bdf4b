"""The landlord: the name, address and logo its documents are headed with."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout

from caleol.errors import CaleolError
from caleol.services.organisation.draft import LANDLORD, DraftError, check_draft
from caleol.ui.dialogs.setup_wizard.common import SetupPage
from caleol.ui.forms.landlord import LandlordForm

FORM_WIDTH = 760

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard


class LandlordPage(SetupPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Le bailleur", (
            "Son nom, son adresse et son logo figurent en tête des procès-verbaux, courriers "
            "et rapports."))
        self.setObjectName("landlordPage")
        self.form = LandlordForm(self)
        self.form.setMaximumWidth(FORM_WIDTH)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page_error)
        layout.addWidget(self.form, 1)

    def validatePage(self) -> bool:
        """Refused with the services' messages beside the fields; what was typed stays."""
        self.show_page_error(None)
        draft = replace(self.setup.draft, landlord=self.form.record())
        try:
            check_draft(self.setup.engine, draft, require=(LANDLORD,))
        except DraftError as exc:
            if exc.section == LANDLORD:
                self.form.show_error(exc)
            else:
                self.show_page_error(exc)
            return False
        except CaleolError as exc:
            self.show_page_error(exc)
            return False
        self.form.clear_errors()
        self.setup.draft = draft
        return True
