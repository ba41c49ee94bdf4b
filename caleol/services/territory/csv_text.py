"""The reference tables' CSV files (QPV, quartile thresholds, ceilings), read as the
demandes' and dwellings' imports are (issue 16, finding 6): a file over 100 Mo is
refused before a byte is read, a NUL byte anywhere refuses it (it used to be stored
in a quartier's name), and the text is UTF-8.
"""

from __future__ import annotations

from pathlib import Path

from caleol.errors import CaleolError, ValidationError
from caleol.services.imports.csvfile import MAX_FILE_BYTES, NUL_MESSAGE, too_large


def read_limited(path: Path) -> bytes:
    """The bytes of `path`, refused on its size before they are read (the window and
    the command line read a reference file through this)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CaleolError(f"Lecture impossible de {path} ({exc.strerror or exc}).") from None
    if size > MAX_FILE_BYTES:
        raise too_large(path.name, size)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CaleolError(f"Lecture impossible de {path} ({exc.strerror or exc}).") from None


def csv_text(data: bytes) -> str:
    """The text of a reference CSV; a French `ValidationError` when it is not one."""
    if len(data) > MAX_FILE_BYTES:
        raise too_large("fourni", len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Le fichier n'est pas un CSV en UTF-8.") from None
    if "\x00" in text:
        raise ValidationError(f"{NUL_MESSAGE[:1].upper()}{NUL_MESSAGE[1:]}.")
    if not text.strip():
        raise ValidationError("Le fichier est vide.")
    return text
