"""Validation of the Paramètres form, apart from its layout (OpenLP's form/dialog split).

Each check takes the text typed and returns a French message to show next to the
field, or None when the value is acceptable.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres")
CERTIFICATE_SUFFIXES = (".p12", ".pfx")
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def check_database(text: str) -> str | None:
    """An SQLite file path, an `sqlite:///` URL or a `postgresql://` server URL."""
    text = text.strip()
    if not text:
        return None
    if "://" in text:
        parts = urlsplit(text)
        scheme = parts.scheme.split("+", 1)[0].lower()
        if scheme not in DATABASE_SCHEMES:
            return (f"Type de base « {parts.scheme} » non pris en charge : indiquez un "
                    "fichier SQLite ou une adresse postgresql://.")
        if scheme == "sqlite":
            path = text.split(":///", 1)[1] if ":///" in text else ""
            if not path:
                return "Indiquez le chemin du fichier après sqlite:///."
            return _check_sqlite_file(Path(path))
        if not parts.hostname:
            return "Indiquez le serveur : postgresql://utilisateur@serveur/base."
        if not parts.path.strip("/"):
            return "Indiquez le nom de la base après le serveur : postgresql://…/base."
        return None
    return _check_sqlite_file(Path(text))


def _check_sqlite_file(path: Path) -> str | None:
    path = path.expanduser()
    if not path.is_absolute():
        return "Indiquez un chemin complet (par exemple C:\\Données\\caleol.sqlite3)."
    if path.is_dir():
        return "Ce chemin est un dossier : indiquez un fichier de base de données."
    if not path.parent.is_dir():
        return f"Le dossier {path.parent} n'existe pas."
    return None


def check_certificate(text: str) -> str | None:
    """A PKCS#12 file (.p12/.pfx) that exists; empty means « pas encore de certificat »."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if path.suffix.lower() not in CERTIFICATE_SUFFIXES:
        return "Le certificat doit être un fichier PKCS#12 (.p12 ou .pfx)."
    if not path.is_file():
        return "Ce fichier n'existe pas."
    return None


def check_timestamp_url(text: str) -> str | None:
    """An RFC 3161 server: an http:// or https:// address with a host; empty: none."""
    text = text.strip()
    if not text:
        return None
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ("Indiquez l'adresse complète du serveur d'horodatage, par exemple "
                "https://horodatage.exemple.fr/tsa.")
    return None


def check_certificate_list(lines: list[str]) -> str | None:
    for line in lines:
        if not Path(line).expanduser().is_file():
            return f"Fichier introuvable : {line}"
    return None


def check_folder(text: str) -> str | None:
    """A folder that exists, or can be created in an existing folder."""
    text = text.strip()
    if not text:
        return None
    path = Path(text).expanduser()
    if not path.is_absolute():
        return "Indiquez un chemin complet."
    if path.exists() and not path.is_dir():
        return "Ce chemin est un fichier, pas un dossier."
    if not path.exists() and not path.parent.is_dir():
        return f"Le dossier {path.parent} n'existe pas."
    return None


def check_fraction(text: str) -> str | None:
    """A fraction between 0 and 1 written « 1/2 », « 2/3 »…"""
    match = _FRACTION.match(text)
    if match is None:
        return "Écrivez une fraction, par exemple 1/2."
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if denominator == 0 or numerator == 0 or numerator > denominator:
        return "La fraction doit être comprise entre 0 et 1, par exemple 1/2."
    return None
