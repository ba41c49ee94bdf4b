"""Checks of the organisation's fields, shared by the forms and the setup file.

Each `clean_*` takes the text as typed and returns the value to store, or adds a
French message to `problems` under the record's field name and returns it unchanged
(the caller raises `FormError` once every field is checked). No database here.
"""

from __future__ import annotations

import io
import re

from caleol.errors import ValidationError
from caleol.services.editing.common import Problems

CODE_LENGTH = 40
NAME_LENGTH = 200
ADDRESS_LENGTH = 300
PHONE_LENGTH = 40
EMAIL_LENGTH = 200
LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 4000  # width or height
CIVILITIES = ("Mme", "M.")
MIN_YEAR = 2000
MAX_YEAR = 2100

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_CHARS = re.compile(r"^\+?[\d .\-()]+$")


class FieldError(ValidationError):
    """A `ValidationError` tied to one form field (`field` is the record's attribute)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def check_year(year: int, field: str = "year") -> None:
    """Raises `FieldError` for a year outside 2000-2100."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(field, f"L'année doit être comprise entre {MIN_YEAR} et {MAX_YEAR}.")


def clean_text(problems: Problems, field: str, text: str, what: str, *,
               required: bool = False, limit: int = NAME_LENGTH) -> str:
    """One line: inner runs of spaces collapsed."""
    value = " ".join(text.split())
    if required and not value:
        problems.add(field, f"{what} est obligatoire.")
    elif len(value) > limit:
        problems.add(field, f"{what} fait au plus {limit} caractères.")
    return value


def clean_code(problems: Problems, field: str, text: str, what: str) -> str:
    """A key the setup file matches on: no spaces, at most 40 characters."""
    value = text.strip()
    if not value:
        problems.add(field, f"Le code {what} est obligatoire.")
    elif len(value) > CODE_LENGTH:
        problems.add(field, f"Le code {what} fait au plus {CODE_LENGTH} caractères.")
    elif any(c.isspace() for c in value):
        problems.add(field, f"Le code {what} ne contient pas d'espace (« {value} »).")
    return value


def clean_address(problems: Problems, field: str, text: str) -> str:
    """Lines as typed, each trimmed, empty ones dropped, joined by "\\n"."""
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    value = "\n".join(line for line in lines if line)
    if len(value) > ADDRESS_LENGTH:
        problems.add(field, f"L'adresse fait au plus {ADDRESS_LENGTH} caractères.")
    return value


def clean_phone(problems: Problems, field: str, text: str) -> str:
    """Empty, a French number of ten digits (« 03 87 12 34 56 ») or an international
    one (« +33 3 87 12 34 56 »): kept as typed, spaces trimmed."""
    value = " ".join(text.split())
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    ok = bool(_PHONE_CHARS.match(value)) and len(value) <= PHONE_LENGTH and (
        (value.startswith("+") and 8 <= len(digits) <= 15)
        or (not value.startswith("+") and len(digits) == 10 and digits.startswith("0")))
    if not ok:
        problems.add(field, f"Numéro de téléphone « {value} » invalide : dix chiffres "
                            "(03 87 12 34 56) ou un numéro international (+33 3 87 12 34 56).")
    return value


def clean_email(problems: Problems, field: str, text: str) -> str:
    value = text.strip()
    if value and (len(value) > EMAIL_LENGTH or not _EMAIL.match(value)):
        problems.add(field, f"Adresse électronique « {value} » invalide "
                            "(ex. agence.metz@bailleur.fr).")
    return value


def luhn_ok(digits: str) -> bool:
    """The Luhn key of a SIREN: doubling every second digit from the right."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def clean_siren(problems: Problems, field: str, text: str, *, required: bool = False) -> str:
    """Nine digits (spaces allowed when typed) whose Luhn key is right."""
    value = re.sub(r"[\s\u00a0\u202f]", "", text)
    if not value:
        if required:
            problems.add(field, "Le SIREN est obligatoire.")
        return value
    if not (value.isascii() and value.isdigit() and len(value) == 9):
        problems.add(field, f"SIREN « {text.strip()} » invalide : il comporte 9 chiffres.")
    elif not luhn_ok(value):
        problems.add(field, f"SIREN « {text.strip()} » invalide : la clé de contrôle ne "
                            "correspond pas (vérifiez chaque chiffre).")
    return value


def clean_civility(problems: Problems, field: str, text: str) -> str:
    value = text.strip()
    if value not in (*CIVILITIES, ""):
        problems.add(field, f"Civilité « {value} » inconnue : « Mme », « M. » ou rien.")
    return value


def clean_logo(problems: Problems, field: str, data: bytes | None) -> bytes | None:
    """A PNG or JPEG image of at most 512 Ko and 4 000 pixels a side, that decodes."""
    if data is None:
        return None
    if len(data) > LOGO_MAX_BYTES:
        problems.add(field, f"Le logo fait {len(data) // 1024} Ko : 512 Ko au plus "
                            "(réduisez l'image).")
        return data
    kind = logo_type(data)
    if kind is None:
        problems.add(field, "Le logo doit être une image PNG ou JPEG.")
        return data
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
    except Exception:  # Pillow raises many kinds on a damaged file
        problems.add(field, f"Le logo n'est pas une image {kind.upper()} lisible "
                            "(fichier endommagé ?).")
        return data
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        problems.add(field, f"Le logo mesure {width} × {height} pixels : "
                            f"{LOGO_MAX_PIXELS} pixels de côté au plus.")
    return data


def logo_type(data: bytes) -> str | None:
    """`png`, `jpg` or None, from the file's signature."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    return None
