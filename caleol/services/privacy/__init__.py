"""Personal data: retention (purge/anonymisation with preview) and access requests.

Entry points for the CLI and the GUI; see `retention` and `access` for the rules.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from caleol.db.models.integrity import ANONYMISED_PREFIX
from caleol.errors import CaleolError, os_error_reason
from caleol.services.documents.letterheads import organisation_letterhead
from caleol.services.privacy.access import access_json, collect_person_data, summary
from caleol.services.privacy.access_pdf import render_access_pdf
from caleol.services.privacy.retention import (
    PurgeAction,
    PurgeItem,
    PurgePlan,
    PurgeResult,
    anonymise,
    apply_purge,
    is_anonymised,
    months_before,
    plan_purge,
)
from caleol.settings import Settings

__all__ = [
    "ANONYMISED_PREFIX",
    "PurgeAction",
    "PurgeItem",
    "PurgePlan",
    "PurgeResult",
    "access_json",
    "anonymise",
    "apply_purge",
    "collect_person_data",
    "export_access_request",
    "is_anonymised",
    "months_before",
    "plan_purge",
    "render_access_pdf",
    "summary",
]


def export_access_request(
    engine: Engine, query: str, destination: Path, settings: Settings
) -> dict[str, object]:
    """Write the access-request answer to `destination` (.json or .pdf) atomically.

    Returns the collected data (for a summary). Raises `CaleolError` for another
    extension or an unwritable destination.
    """
    suffix = destination.suffix.lower()
    if suffix not in (".json", ".pdf"):
        raise CaleolError(
            f"Format de fichier non pris en charge : « {destination.name} ». "
            "Choisissez un nom se terminant par .json ou .pdf."
        )
    data = collect_person_data(engine, query)
    if suffix == ".json":
        content = access_json(data).encode("utf-8")
    else:
        content = render_access_pdf(data, organisation_letterhead(engine, settings))
    temporary = destination.with_name(destination.name + ".part")
    try:
        temporary.write_bytes(content)
        temporary.replace(destination)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CaleolError(
            f"Impossible d'écrire « {destination} » : {os_error_reason(exc)}."
        ) from exc
    return data
