"""CSV import of dwellings and demandes: all or nothing, every bad row reported in French.

Columns: `caleol.services.imports.columns` (documented in `docs/csv-columns.md`).
Re-importing a file updates the rows with the same key (dwelling reference, NUR)
instead of duplicating them; identical rows are left untouched.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine

from caleol.fr import paris_today
from caleol.services.imports.demandes import DemandeImporter
from caleol.services.imports.dwellings import DwellingImporter
from caleol.services.imports.report import ImportRejectedError, ImportReport, RowProblem
from caleol.services.imports.runner import Progress, run_import


def import_dwellings(engine: Engine, source: Path | BinaryIO, *,
                     today: date | None = None, progress: Progress | None = None,
                     ) -> ImportReport:
    """Import a dwellings CSV (key: reference); `progress` as for `run_import`.

    Raises:
        ImportRejectedError: any problem; nothing written, `.report` lists them all.
    """
    return run_import(engine, source, DwellingImporter(today=today or paris_today()), progress)


def import_demandes(engine: Engine, source: Path | BinaryIO, *,
                    today: date | None = None, progress: Progress | None = None,
                    ) -> ImportReport:
    """Import a demandes CSV (key: NUR); `progress` as for `run_import`.

    Raises:
        ImportRejectedError: any problem; nothing written, `.report` lists them all.
    """
    return run_import(engine, source, DemandeImporter(today=today or paris_today()), progress)


__all__ = [
    "ImportRejectedError",
    "ImportReport",
    "Progress",
    "RowProblem",
    "import_demandes",
    "import_dwellings",
]
