"""« Aide » : the user guide (docs/guide.md, shipped as a resource) in a window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from caleol import paths

BUILTIN_HELP = """\
# Aide de caleol

caleol prépare les séances de la commission d'attribution (CALEOL), contrôle les
candidatures, enregistre les décisions et produit le procès-verbal signé.

## Écrans

- **Séances** : préparer la séance de la semaine, contrôler les candidatures,
  enregistrer les décisions, clôturer, générer et signer le procès-verbal.
- **Logements** et **Demandes** : rechercher, filtrer et consulter les dossiers.
- **Indicateurs** : objectifs annuels d'attribution (mixité sociale, publics
  prioritaires, réservataires).
- **Référentiels** : plafonds de ressources, seuils de quartile, motifs, modèles de
  courriers, commissions et membres.
- **Paramètres** : base de données, certificat de signature, agence, sauvegardes.

## Raccourcis clavier

| Raccourci | Action |
|---|---|
| Ctrl+N | Nouvelle séance |
| Ctrl+F | Rechercher dans l'écran affiché |
| Ctrl+P | Imprimer le document affiché |
| Ctrl+1 … Ctrl+6 | Aller à un écran |
| F1 | Cette aide |
| Ctrl+Q | Quitter |

## En cas d'erreur

Un message en français explique les erreurs prévues (saisie incorrecte, base occupée,
séance close). Pour une erreur inattendue, une fenêtre affiche un rapport à copier et
indique l'emplacement du fichier journal à joindre à votre signalement.
"""


def find_user_guide() -> Path | None:
    """The guide shipped with the package, or the one of a source checkout."""
    candidates = (
        paths.resources_dir() / "guide.md",
        Path(__file__).resolve().parents[3] / "docs" / "guide.md",
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


class HelpDialog(QDialog):
    def __init__(self, guide: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self.setWindowTitle(self.tr("Aide de caleol"))
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(False)  # the app opens no network resource
        text = BUILTIN_HELP
        if guide is not None:
            try:
                text = guide.read_text(encoding="utf-8")
                self.browser.setSearchPaths([str(guide.parent)])
            except OSError:
                text = BUILTIN_HELP
        self.browser.setMarkdown(text)
        layout.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 620)
