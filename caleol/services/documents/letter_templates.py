"""Letter templates: which kinds exist, where their text lives, how fields are filled.

Plain text and `string.Template` only (no reportlab), so the Référentiels screen can
list and edit the templates without loading the PDF machinery.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

from caleol import paths
from caleol.errors import CaleolError

TABLE_MARKER = "$tableau"
USER_TEMPLATE_FOLDER = "modeles"


class LetterKind(StrEnum):
    """Each kind is the name of its template file (without `.txt`)."""

    OFFER = "offre"
    RANK = "rang"
    OFFER_AFTER_REFUSAL = "proposition-apres-refus"
    NON_ATTRIBUTION = "non-attribution"
    IRRECEVABILITE = "irrecevabilite"
    RESERVATAIRE = "reservataire"


def template_dirs() -> list[Path]:
    """Where templates are looked up, first match wins: the user's copies, then shipped."""
    return [paths.config_dir() / USER_TEMPLATE_FOLDER, paths.resources_dir() / "templates"]


def load_template(kind: LetterKind, folders: Sequence[Path] | None = None) -> str:
    for folder in folders if folders is not None else template_dirs():
        path = folder / f"{kind.value}.txt"
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CaleolError(f"Modèle de courrier illisible : {path} ({exc})") from None
    raise CaleolError(f"Modèle de courrier introuvable : {kind.value}.txt")


def fill_template(source: str, values: Mapping[str, str], name: str) -> tuple[str, list[str]]:
    """Subject and paragraphs of a template filled with `values` (plain text).

    Raises:
        CaleolError: a field of the template is unknown, or a `$` is malformed.
    """
    lines = [line for line in source.splitlines() if not line.startswith("##")]
    try:
        filled = string.Template("\n".join(lines)).substitute(
            {**values, "tableau": TABLE_MARKER})
    except KeyError as exc:
        raise CaleolError(f"Le modèle « {name} » utilise un champ inconnu : "
                          f"${exc.args[0]}") from None
    except ValueError as exc:
        raise CaleolError(f"Le modèle « {name} » contient un « $ » mal formé ({exc}) ; "
                          "écrivez $$ pour un signe dollar.") from None
    subject = ""
    paragraphs: list[str] = []
    for block in filled.split("\n\n"):
        block = block.strip("\n")
        if not subject and not paragraphs and block.startswith("Objet"):
            subject, _, block = block.partition("\n")
        if block.strip():
            paragraphs.append(block)
    return subject, paragraphs
