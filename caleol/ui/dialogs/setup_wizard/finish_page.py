"""Last page: what « Terminer » writes, then what to do next (links to the imports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from caleol import fr
from caleol.errors import CaleolError
from caleol.services.organisation import (
    get_landlord,
    list_agencies,
    list_commissions,
    list_reservataires,
)
from caleol.services.organisation.draft import DraftError, OrganisationDraft
from caleol.ui.dialogs.setup_wizard.common import SECTION_LABELS, SetupPage, full_text

if TYPE_CHECKING:
    from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard

NEXT_STEPS = (
    ("dwellings", "Importer les logements (CSV)…",
     "les logements vacants à attribuer, avec leur code INSEE"),
    ("demandes", "Importer les demandes (CSV)…", "les demandes du SNE et leurs ménages"),
    ("ceilings", "Importer une table de plafonds (CSV)…",
     "les plafonds d'une année que caleol ne livre pas (PLAI après 2022)"),
    ("quartiles", "Importer les seuils de premier quartile (CSV)…",
     "le seuil de chaque EPCI pour l'année, arrêté préfectoral à l'appui"),
    # a base outside the charter's two départements knew no délai: every demande's
    # seniority « indéterminée » on the sheets and the PV
    ("departments", "Fixer le délai anormalement long…",
     "celui de l'arrêté du préfet de chaque département (sans lui, l'ancienneté des "
     "demandes reste « indéterminée »)"),
)


class FinishPage(SetupPage):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Prêt pour la première séance", (
            "« Terminer » enregistre l'organisation en une seule fois et ouvre l'écran "
            "Séances : créez-y votre première séance (« Nouvelle séance… »)."))
        self.setObjectName("finishPage")
        self.summary = QLabel(self)
        self.summary.setObjectName("setupSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        links = "".join(
            f"<li><a href='{action}'>{text}</a> : {why}"
            f"{' ;' if n < len(NEXT_STEPS) else '.'}</li>"
            for n, (action, text, why) in enumerate(NEXT_STEPS, start=1))
        self.next_steps = QLabel(self.tr(
            "<p><b>Ensuite</b>, pour préparer les séances (chaque lien termine d'abord "
            "l'assistant) :</p><ul>{links}</ul><p>Les motifs de refus et les critères de "
            "priorité sont ceux du catalogue par défaut (CCH et charte d'attribution type) "
            "ou du fichier importé : adaptez-les à votre charte dans Référentiels, comme tout "
            "ce que vous venez de saisir.</p>"
        ).format(
                links=links), self)
        self.next_steps.setObjectName("nextSteps")
        self.next_steps.setWordWrap(True)
        self.next_steps.setTextFormat(Qt.TextFormat.RichText)
        self.next_steps.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                                | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.next_steps.linkActivated.connect(wizard.finish_with)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page_error)
        layout.addWidget(self.summary)
        layout.addSpacing(8)
        layout.addWidget(self.next_steps)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.show_page_error(None)
        if self.setup.imported is not None:
            self.setSubTitle(self.tr("L'organisation du fichier est enregistrée : « Terminer » "
                                     "ouvre l'écran Séances, où créer votre première séance "
                                     "(« Nouvelle séance… »)."))
        self.summary.setText(self.describe())

    def describe(self) -> str:
        """What « Terminer » writes (or what the file imported wrote)."""
        setup = self.setup
        if setup.imported is not None:
            landlord = get_landlord(setup.engine)
            name = landlord.name if landlord else ""
            counts = (len(list_agencies(setup.engine)), len(list_reservataires(setup.engine)),
                      len(list_commissions(setup.engine)))
            head = self.tr("Organisation importée du fichier, déjà enregistrée :")
            members = ""
        else:
            draft: OrganisationDraft = setup.draft
            name = draft.landlord.name if draft.landlord else ""
            counts = (len(draft.agencies), len(draft.reservataires), len(draft.commissions))
            head = self.tr("« Terminer » enregistre :")
            members = ", " + fr.counted(len(draft.members), "membre", "membres")
        agencies, reservataires, commissions = counts
        certificate = setup.certificate.form.path()
        lines = [
            self.tr("le bailleur <b>{name}</b>").format(name=_html(name)),
            fr.counted(agencies, "agence", "agences"),
            fr.counted(reservataires, "réservataire", "réservataires"),
            fr.counted(commissions, "commission", "commissions") + members,
            self.tr("certificat de signature : {path}").format(path=_html(certificate))
            if certificate else self.tr("certificat de signature : à indiquer plus tard "
                                        "dans Paramètres"),
        ]
        return f"<p>{head}</p><ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"

    def show_refusal(self, error: CaleolError) -> None:
        """« Terminer » refused: nothing written; the page at fault is named."""
        text = full_text(error)
        if isinstance(error, DraftError):
            text = self.tr("Rien n'a été enregistré : {what} est à corriger.\n").format(
                what=SECTION_LABELS.get(error.section, error.section)) + text
        self.show_page_error(text)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
