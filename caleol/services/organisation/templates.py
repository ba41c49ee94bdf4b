"""The user's letter templates (their copies win over the shipped ones).

Moved from `services.reference` (which re-exports these names). The copies live in
the user's profile (`paths.config_dir() / "modeles"`), not in the database.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from caleol import paths
from caleol.errors import CaleolError
from caleol.services.documents.letter_templates import (
    USER_TEMPLATE_FOLDER,
    LetterKind,
    load_template,
)
from caleol.services.organisation.fields import FieldError


def user_template_dir() -> Path:
    """Where the user's copies of the letter templates live (they win over the shipped)."""
    return paths.config_dir() / USER_TEMPLATE_FOLDER


@dataclass(frozen=True)
class TemplateInfo:
    kind: LetterKind
    text: str
    customised: bool


def list_templates() -> list[TemplateInfo]:
    return [TemplateInfo(kind, load_template(kind),
                         (user_template_dir() / f"{kind.value}.txt").is_file())
            for kind in LetterKind]


def save_template(kind: LetterKind, text: str) -> TemplateInfo:
    """Write the user's copy of a letter template after checking that it fills.

    Raises:
        FieldError: a `$` field is malformed (unknown field names are reported when a
            letter is produced, since the fields depend on the letter).
    """
    check_template(text)
    folder = user_template_dir()
    path = folder / f"{kind.value}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            temporary = path.with_suffix(".tmp")
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(path)  # never a half-written template
    except (OSError, UnicodeDecodeError) as exc:
        raise CaleolError(f"Impossible d'enregistrer le modèle dans {folder} ({exc}).") from None
    return TemplateInfo(kind, text, True)


def check_template(text: str) -> None:
    """Raises `FieldError` (on `text`) for an empty template or a malformed `$`."""
    if not text.strip():
        raise FieldError("text", "Le modèle ne peut pas être vide.")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("##"))
    if not string.Template(body).is_valid():
        raise FieldError("text", "Le modèle contient un « $ » mal formé ; écrivez $$ pour un "
                                 "signe dollar et $nom ou ${nom} pour un champ.")


def customised_templates() -> dict[LetterKind, str]:
    """The user's own copies only, by kind (what the setup file carries)."""
    found: dict[LetterKind, str] = {}
    for kind in LetterKind:
        path = user_template_dir() / f"{kind.value}.txt"
        if path.is_file():
            try:
                found[kind] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CaleolError(f"Modèle de courrier illisible : {path} ({exc})") from None
    return found


def reset_template(kind: LetterKind) -> TemplateInfo:
    """Remove the user's copy: the shipped template applies again."""
    path = user_template_dir() / f"{kind.value}.txt"
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise CaleolError(f"Impossible de supprimer {path} ({exc}).") from None
    return TemplateInfo(kind, load_template(kind), False)
