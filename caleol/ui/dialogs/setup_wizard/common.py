"""What the assistant's pages share: a reach to the wizard and its draft, a red line
for what concerns the page as a whole, French labels of the draft's sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import QLabel, QWidget, QWizardPage

from caleol.errors import CaleolError
from caleol.services.organisation.draft import DraftError
from caleol.ui.dialogs.form_errors import error_label
from caleol.ui.forms.base import hint_label

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard

SECTION_LABELS = {"landlord": "le bailleur", "agency": "l'agence", "reservataire":
                  "le réservataire", "commission": "la commission", "member": "le membre"}


class SetupPage(QWizardPage):
    def __init__(self, wizard: SetupWizard, title: str, subtitle: str) -> None:
        super().__init__(wizard)
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.page_error = error_label(self, "pageError")

    @property
    def setup(self) -> SetupWizard:
        return cast("SetupWizard", self.wizard())

    def show_page_error(self, error: CaleolError | str | None) -> None:
        """A message about the page as a whole (None: hide it)."""
        if error is None:
            self.page_error.clear()
            self.page_error.hide()
            return
        self.page_error.setText(error if isinstance(error, str) else full_text(error))
        self.page_error.show()


def full_text(error: CaleolError) -> str:
    text = error.message
    if isinstance(error, DraftError) and error.index >= 0 and error.fields.keys() - {""}:
        text = f"Pour {SECTION_LABELS.get(error.section, error.section)} n° " \
               f"{error.index + 1} : " + text[:1].lower() + text[1:]
    if error.details:
        text += "\n" + "\n".join(f"• {d}" for d in error.details)
    return text


def hint(text: str, parent: QWidget) -> QLabel:
    return hint_label(text, parent)
