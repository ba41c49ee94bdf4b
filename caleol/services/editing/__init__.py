"""Detail editors of the Logements and Demandes screens, without Qt.

`load_*` gives a record as a plain form (text as typed, with the version read),
`save_*` validates it with the CSV importer's own rules and writes it in one
transaction, or raises `caleol.errors.FormError` with every bad field at once.
"""

from caleol.services.editing.common import Choice
from caleol.services.editing.demandes import (
    DemandeChoices,
    DemandeForm,
    MemberForm,
    ResourceForm,
    demande_choices,
    load_demande,
    new_demande_form,
    save_demande,
)
from caleol.services.editing.dwellings import (
    DwellingChoices,
    DwellingForm,
    dwelling_choices,
    load_dwelling,
    save_dwelling,
)

__all__ = [
    "Choice",
    "DemandeChoices",
    "DemandeForm",
    "DwellingChoices",
    "DwellingForm",
    "MemberForm",
    "ResourceForm",
    "demande_choices",
    "dwelling_choices",
    "load_demande",
    "load_dwelling",
    "new_demande_form",
    "save_demande",
    "save_dwelling",
]
