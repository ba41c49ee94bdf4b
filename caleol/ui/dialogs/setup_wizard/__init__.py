"""The setup assistant: what a landlord enters before its first séance.

Offered after « Base vide » (and at any start while the database holds no
organisation): the landlord, its agencies, réservataires, commissions and their
members, the signing certificate. Nothing is written before « Terminer »: the pages
fill an `OrganisationDraft`, each checked by the services without a write
(`caleol.services.organisation.draft`), and « Terminer » saves it whole in one
transaction, so a cancelled assistant leaves no half organisation. It can instead
start from a setup file (« Importer un fichier d'organisation… »), applied whole by
`caleol setup apply`'s service.
"""

from caleol.ui.dialogs.setup_wizard.wizard import SetupWizard

__all__ = ["SetupWizard"]
