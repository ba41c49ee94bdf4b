"""First page: what the assistant asks, and the other way in, a setup file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout

from caleol.errors import CaleolError
from caleol.services.organisation import apply_setup_file
from caleol.services.organisation.draft import OrganisationDraft
from caleol.ui import file_dialogs
from caleol.ui.dialogs.setup_wizard.common import SetupPage, hint

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard


class WelcomePage(SetupPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Votre organisation", (
            "Avant la première séance, caleol a besoin de ce que votre organisme est : "
            "rien n'est enregistré avant « Terminer »."))
        self.setObjectName("welcomePage")
        steps = QLabel(self.tr(
            "<p>L'assistant vous demande, page par page :</p><ol>"
            "<li><b>le bailleur</b> : nom, SIREN, adresse, logo de l'en-tête des documents ;</li>"
            "<li><b>ses agences</b> : code, nom, adresse, département, téléphone, courriel ;</li>"
            "<li><b>les réservataires</b> : État, Action Logement, collectivités… ;</li>"
            "<li><b>les commissions d'attribution</b> : agences couvertes, quorum ;</li>"
            "<li><b>leurs membres</b> : qualité, voix délibérative ou consultative, "
            "suppléants ;</li>"
            "<li><b>le certificat de signature</b> des procès-verbaux (facultatif ici).</li>"
            "</ol><p>Les motifs de refus et les critères de priorité partent d'un catalogue "
            "par défaut (CCH et charte d'attribution type) : adaptez-les à votre charte dans "
            "Référentiels. Tout ce que vous saisissez ici se modifie ensuite dans "
            "Référentiels.</p>"), self)
        steps.setTextFormat(Qt.TextFormat.RichText)
        steps.setWordWrap(True)
        self.import_button = QPushButton(self.tr("Importer un fichier d'organisation…"), self)
        self.import_button.setObjectName("importSetupButton")
        self.import_button.clicked.connect(self.choose_file)
        import_row = QHBoxLayout()
        import_row.addWidget(self.import_button)
        import_row.addStretch(1)
        self.report = QLabel(self)
        self.report.setObjectName("importReport")
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report.hide()
        self.page_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.page_error)
        scroll.setMaximumHeight(170)
        layout = QVBoxLayout(self)
        layout.addWidget(steps)
        layout.addSpacing(8)
        layout.addWidget(hint(self.tr(
            "Vous avez déjà un fichier d'organisation (écrit par « caleol setup export » "
            "depuis une autre base, ou préparé par votre service informatique) ? Il est "
            "appliqué en entier, ou pas du tout s'il contient une erreur ; l'assistant passe "
            "ensuite au certificat de signature."), self))
        layout.addLayout(import_row)
        layout.addWidget(self.report)
        layout.addWidget(scroll)
        layout.addStretch(1)

    def ask_setup_path(self) -> Path | None:
        """The setup file (tests replace this method)."""
        return file_dialogs.open_file(self, "setup-file",
                                      self.tr("Fichier d'organisation (TOML)"),
                                      self.tr("Fichiers d'organisation (*.toml)"))

    def choose_file(self) -> None:
        path = self.ask_setup_path()
        if path is not None:
            self.import_file(path)

    def import_file(self, path: Path) -> bool:
        """Apply `path` whole (`caleol setup apply`); its errors, with their lines, stay
        on the page and nothing is written."""
        self.show_page_error(None)
        if self.setup.draft != OrganisationDraft() and not self.setup.confirm_cancel(self.tr(
                "Remplacer ce que vous avez saisi par le contenu du fichier ?")):
            return False
        try:
            report = apply_setup_file(self.setup.engine, path)
        except CaleolError as exc:
            self.show_page_error(f"{path.name} :\n{exc}")
            return False
        self.setup.imported = report
        self.setup.draft = OrganisationDraft()
        lines = "\n".join(f"• {line}" for line in report.lines) or self.tr(
            "• rien à changer")
        self.report.setText(self.tr("Organisation importée de {name} :\n{lines}").format(
            name=path.name, lines=lines))
        self.report.show()
        self.import_button.setEnabled(False)
        self.setSubTitle(self.tr("L'organisation du fichier est enregistrée ; reste le "
                                 "certificat de signature."))
        self.setup.next()
        return True

    def nextId(self) -> int:
        from caleol.ui.dialogs.setup_wizard.wizard import PageId

        return int(PageId.CERTIFICATE if self.setup.imported is not None
                   else PageId.LANDLORD)
