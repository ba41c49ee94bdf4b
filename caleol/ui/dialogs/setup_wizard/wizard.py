"""The assistant's frame: its pages in order, the draft they fill, « Terminer » and
« Annuler »."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from caleol import settings as settings_module
from caleol.errors import CaleolError
from caleol.services.organisation import ApplyReport
from caleol.services.organisation.draft import OrganisationDraft, save_draft
from caleol.settings import Settings
from caleol.ui import messages

WIZARD_SIZE = (1060, 660)  # inside a 1366×768 screen, title bar and taskbar included


class PageId(IntEnum):
    WELCOME = 0
    LANDLORD = 1
    AGENCIES = 2
    RESERVATAIRES = 3
    COMMISSIONS = 4
    MEMBERS = 5
    CERTIFICATE = 6
    FINISH = 7


class SetupWizard(QWizard):
    """Args:
    engine: the open (empty) database.
    settings, settings_file: where the certificate's path is kept.

    Signals:
        completed(str): the organisation is saved; the argument is what the user asked
            to do next (« sessions », or an import: « dwellings », « demandes »,
            « ceilings », « quartiles »).
        settings_saved(Settings): the settings with the certificate chosen.
    """

    completed = Signal(str)
    settings_saved = Signal(object)

    def __init__(self, engine: Any, settings: Settings, settings_file: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from caleol.ui.dialogs.setup_wizard.certificate_page import CertificatePage
        from caleol.ui.dialogs.setup_wizard.finish_page import FinishPage
        from caleol.ui.dialogs.setup_wizard.landlord_page import LandlordPage
        from caleol.ui.dialogs.setup_wizard.list_pages import (
            AgenciesPage,
            CommissionsPage,
            ReservatairesPage,
        )
        from caleol.ui.dialogs.setup_wizard.members_page import MembersPage
        from caleol.ui.dialogs.setup_wizard.welcome_page import WelcomePage

        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Assistant de configuration — caleol"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        for button, text in ((QWizard.WizardButton.BackButton, self.tr("< Précédent")),
                             (QWizard.WizardButton.NextButton, self.tr("Suivant >")),
                             (QWizard.WizardButton.FinishButton, self.tr("Terminer")),
                             (QWizard.WizardButton.CancelButton, self.tr("Annuler"))):
            self.setButtonText(button, text)
        self.engine = engine
        self.settings = settings
        self.settings_file = settings_file
        self.draft = OrganisationDraft()
        self.imported: ApplyReport | None = None  # a setup file applied instead
        self.next_action = "sessions"
        self.welcome = WelcomePage(self)
        self.landlord = LandlordPage(self)
        self.agencies = AgenciesPage(self)
        self.reservataires = ReservatairesPage(self)
        self.commissions = CommissionsPage(self)
        self.members = MembersPage(self)
        self.certificate = CertificatePage(self)
        self.finish = FinishPage(self)
        for page_id, page in ((PageId.WELCOME, self.welcome), (PageId.LANDLORD, self.landlord),
                              (PageId.AGENCIES, self.agencies),
                              (PageId.RESERVATAIRES, self.reservataires),
                              (PageId.COMMISSIONS, self.commissions),
                              (PageId.MEMBERS, self.members),
                              (PageId.CERTIFICATE, self.certificate),
                              (PageId.FINISH, self.finish)):
            self.setPage(page_id, page)
        self.setStartId(PageId.WELCOME)
        self.resize(*WIZARD_SIZE)

    def has_input(self) -> bool:
        """Whether cancelling would lose something typed."""
        return self.draft != OrganisationDraft() or any(
            not page.form.is_blank() for page in (self.landlord, self.agencies,
                                                  self.reservataires, self.commissions,
                                                  self.members))

    def finish_with(self, action: str) -> None:
        """« Terminer », then do `action` (a link of the last page)."""
        self.next_action = action
        self.accept()

    def accept(self) -> None:
        """« Terminer »: the draft written in one transaction (unless a setup file was
        applied), then the certificate's path kept in the settings."""
        if self.imported is None:
            try:
                save_draft(self.engine, self.draft)
            except CaleolError as exc:  # DraftError: the page at fault is named
                self.finish.show_refusal(exc)
                return
        self._save_certificate()
        super().accept()
        self.completed.emit(self.next_action)

    def _save_certificate(self) -> None:
        path = self.certificate.form.path()
        if not path or path == self.settings.signing_certificate:
            return
        new = self.settings.replace(signing_certificate=path)
        try:
            settings_module.save(new, self.settings_file)
        except OSError as exc:
            messages.show_error(self, CaleolError(
                f"Le certificat n'a pas pu être noté dans les paramètres ({self.settings_file} "
                f": {exc.strerror or exc}) ; indiquez-le dans Paramètres."))
            return
        self.settings = new
        self.settings_saved.emit(new)

    def reject(self) -> None:
        """« Annuler »: nothing typed is written (a confirmation first if anything was)."""
        if self.imported is not None:
            text = self.tr("Quitter l'assistant ? L'organisation importée du fichier reste "
                           "enregistrée ; le certificat de signature pourra être indiqué dans "
                           "Paramètres.")
        elif self.has_input():
            text = self.tr("Quitter l'assistant sans rien enregistrer ? Ce que vous avez "
                           "saisi sera perdu ; l'assistant sera proposé au prochain démarrage.")
        else:
            text = ""
        if text and not self.confirm_cancel(text):
            return
        super().reject()

    def confirm_cancel(self, text: str) -> bool:
        """Tests replace this method."""
        return messages.ask_confirmation(self, text, self.tr("Quitter l'assistant"),
                                         self.tr("Quitter"))
