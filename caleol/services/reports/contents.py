"""The kinds of CSV export, apart from `generate` so that `caleol report` can list
them for its `--contenu` choices without loading the database and PDF libraries.
"""

from __future__ import annotations

from enum import StrEnum


class CsvContent(StrEnum):
    INDICATEURS = "indicateurs"
    EPCI = "epci"
    ATTRIBUTIONS = "attributions"
    RESERVATAIRE = "reservataire"

    @property
    def label(self) -> str:
        return {
            "indicateurs": "indicateurs de la période",
            "epci": "mixité sociale par EPCI",
            "attributions": "liste des attributions (détail des indicateurs)",
            "reservataire": "logements orientés vers un réservataire",
        }[self.value]
